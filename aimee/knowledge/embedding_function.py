"""A ChromaDB embedding function backed by the project's embedder (multilingual-e5-small).

Documents are embedded as e5 passages and queries as e5 queries. The class is registered
with Chroma under :data:`FUNCTION_NAME`, so a persisted collection re-opened without an
explicit function is rebuilt with this one and never with Chroma's default (which would
try to download an ONNX model and fail on a closed network).
"""

from __future__ import annotations

from typing import Any

from chromadb.api.types import Embeddable, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import known_embedding_functions

from aimee.embeddings import MODEL_NAME, Embedder, get_embedder

FUNCTION_NAME = "aimee-e5"


def _texts(items: Embeddable) -> list[str]:
    texts = [item for item in items if isinstance(item, str)]
    if len(texts) != len(items):
        raise TypeError("the know-how embedding function embeds text only")
    return texts


class E5EmbeddingFunction(EmbeddingFunction[Embeddable]):
    """Passages for stored documents, queries for ``query_texts``; cosine space."""

    def __init__(self, embedder: Embedder | None = None) -> None:
        self._embedder: Embedder = embedder if embedder is not None else get_embedder()

    def __call__(self, input: Embeddable) -> Embeddings:
        return list(self._embedder.embed_passages(_texts(input)))

    def embed_query(self, input: Embeddable) -> Embeddings:
        return list(self._embedder.embed_queries(_texts(input)))

    @staticmethod
    def name() -> str:
        return FUNCTION_NAME

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine", "ip"]

    def get_config(self) -> dict[str, Any]:
        return {"model_name": self._embedder.name, "dimensions": self._embedder.dimensions}

    @staticmethod
    def validate_config(config: dict[str, Any]) -> None:
        if config.get("model_name") != MODEL_NAME:
            raise ValueError(
                f"collection was embedded with {config.get('model_name')!r}, "
                f"this build embeds with {MODEL_NAME!r}"
            )

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> E5EmbeddingFunction:
        E5EmbeddingFunction.validate_config(config)
        return E5EmbeddingFunction(get_embedder())


known_embedding_functions[FUNCTION_NAME] = E5EmbeddingFunction

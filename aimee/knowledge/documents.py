"""Plain data shared by the retrievers: the documents going in and the hits coming out."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

VECTOR = "vector"
LEXICAL = "lexical"


@dataclass(frozen=True, slots=True)
class KnowledgeDocumentData:
    """One know-how entry as stored in ``knowledge_documents`` (the source of truth)."""

    document_id: int
    title: str
    content: str
    category: str
    source: str

    @property
    def key(self) -> str:
        """The id used by the vector store and the lexical index."""
        return str(self.document_id)

    @property
    def text(self) -> str:
        """What both retrievers index: the title counts as much as the body."""
        return f"{self.title}\n{self.content}"

    @property
    def digest(self) -> str:
        """A fingerprint of every indexed field, to notice edits made behind our back."""
        payload = "\x1f".join((self.title, self.content, self.category, self.source))
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class KnowledgeHit:
    """A document found for a query.

    ``similarity`` is the cosine similarity between the query and the document embeddings
    (rounded to 3 decimals), whichever retriever found it; ``score`` is the fused rank score
    that ordered the hits; ``retrievers`` names the retrievers that ranked it.
    """

    document_id: int
    title: str
    content: str
    category: str
    source: str
    similarity: float
    score: float
    retrievers: tuple[str, ...]

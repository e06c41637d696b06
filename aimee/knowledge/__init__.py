"""Manager know-how retrieval: embedder → vector store → lexical index → fusion.

Each part runs alone (``embedding_function``, ``vector_store``, ``tokenizer`` +
``lexical``, ``fusion``); :class:`KnowledgeIndex` puts them together. Documents come in
as plain :class:`KnowledgeDocumentData` (this package does not touch the database).
"""

from aimee.knowledge.documents import KnowledgeDocumentData, KnowledgeHit
from aimee.knowledge.index import KnowledgeIndex, SyncReport

__all__ = ["KnowledgeDocumentData", "KnowledgeHit", "KnowledgeIndex", "SyncReport"]

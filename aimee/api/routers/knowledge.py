"""Manager know-how: list, create, update, delete, search."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from aimee.api.deps import AdminUser, ComponentsDep, NowDep, SessionDep
from aimee.api.schemas import MAX_ID, IdPath, error_responses
from aimee.services.knowledge import DocumentFields, KnowledgeService, list_documents
from aimee.store.models import KnowledgeDocument

router = APIRouter(tags=["knowledge"])


class KnowledgeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=200)
    content: str = Field(min_length=1, max_length=5000)
    category: str = Field(min_length=1, max_length=50)
    source: str = Field("管理者", min_length=1, max_length=200)


class KnowledgePublic(BaseModel):
    document_id: int
    title: str
    content: str
    category: str
    source: str
    created_at: datetime
    updated_at: datetime


class KnowledgePage(BaseModel):
    total: int
    items: list[KnowledgePublic]


class KnowledgeListQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    category: str | None = Field(None, max_length=50)
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0, le=MAX_ID)


class KnowledgeSearchQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    q: str = Field(min_length=1, max_length=500, description="検索文")
    k: int = Field(3, ge=1, le=20)
    category: str | None = Field(None, max_length=50)


class KnowledgeHitPublic(BaseModel):
    document_id: int
    title: str
    content: str
    category: str
    source: str
    similarity: float
    retrievers: list[str]


def _public(row: KnowledgeDocument) -> KnowledgePublic:
    return KnowledgePublic.model_validate(row, from_attributes=True)


@router.get("/knowledge", response_model=KnowledgePage)
def list_knowledge(
    session: SessionDep, query: Annotated[KnowledgeListQuery, Query()]
) -> KnowledgePage:
    total, rows = list_documents(
        session, category=query.category, limit=query.limit, offset=query.offset
    )
    return KnowledgePage(total=total, items=[_public(r) for r in rows])


@router.get("/knowledge/search", response_model=list[KnowledgeHitPublic])
def search_knowledge(
    components: ComponentsDep, session: SessionDep, query: Annotated[KnowledgeSearchQuery, Query()]
) -> list[KnowledgeHitPublic]:
    """What the chat would retrieve for this text (hybrid: vector + BM25)."""
    service = components.knowledge
    service.refresh(session)
    hits = service.search(query.q, k=query.k, category=query.category)
    return [
        KnowledgeHitPublic(
            document_id=h.document_id,
            title=h.title,
            content=h.content,
            category=h.category,
            source=h.source,
            similarity=h.similarity,
            retrievers=list(h.retrievers),
        )
        for h in hits
    ]


@router.get(
    "/knowledge/{document_id:int}", response_model=KnowledgePublic, responses=error_responses(404)
)
def get_knowledge(document_id: IdPath, session: SessionDep) -> KnowledgePublic:
    return _public(KnowledgeService.get(session, document_id))


@router.post(
    "/knowledge",
    response_model=KnowledgePublic,
    status_code=201,
    responses=error_responses(403),
)
def create_knowledge(
    body: KnowledgeCreate,
    components: ComponentsDep,
    session: SessionDep,
    _admin: AdminUser,
    now: NowDep,
) -> KnowledgePublic:
    row = components.knowledge.create(session, DocumentFields(**body.model_dump()), now=now)
    return _public(row)


@router.put(
    "/knowledge/{document_id:int}",
    response_model=KnowledgePublic,
    responses=error_responses(403, 404),
)
def update_knowledge(
    document_id: IdPath,
    body: KnowledgeCreate,
    components: ComponentsDep,
    session: SessionDep,
    _admin: AdminUser,
    now: NowDep,
) -> KnowledgePublic:
    row = components.knowledge.update(
        session, document_id, DocumentFields(**body.model_dump()), now=now
    )
    return _public(row)


@router.delete("/knowledge/{document_id:int}", status_code=204, responses=error_responses(403, 404))
def delete_knowledge(
    document_id: IdPath, components: ComponentsDep, session: SessionDep, _admin: AdminUser
) -> Response:
    components.knowledge.delete(session, document_id)
    return Response(status_code=204)

"""Who the bearer of the token is: name and role (the UI decides what to show)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from aimee.api.deps import CurrentUser
from aimee.services.users import ROLE_LABELS

router = APIRouter(tags=["users"])


class MePublic(BaseModel):
    user_name: str
    role: str
    role_label: str
    site: str | None = None
    """The site the user manages (「うち」 in the chat), if on record."""


@router.get("/me", response_model=MePublic)
def who_am_i(user: CurrentUser) -> MePublic:
    """The authenticated user's name, role (viewer < approver < admin) and site."""
    return MePublic(
        user_name=user.user_name,
        role=user.role,
        role_label=ROLE_LABELS[user.role],
        site=user.site,
    )

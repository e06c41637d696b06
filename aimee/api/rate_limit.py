"""The per-token rate limits of the chat and planning endpoints: over a limit, HTTP
429 with a ``Retry-After`` header (whole seconds) and the usual error body."""

from __future__ import annotations

import logging
from typing import Any

from aimee.api.deps import ComponentsDep, CurrentUser
from aimee.api.schemas import ErrorPublic
from aimee.errors import TooManyRequests
from aimee.services.rate_limit import RateLimiter
from aimee.store.models import User

log = logging.getLogger(__name__)

RATE_LIMITED: dict[int | str, dict[str, Any]] = {
    429: {
        "model": ErrorPublic,
        "description": "送信が多すぎます（Retry-After 秒後にもう一度送れます）",
        "headers": {
            "Retry-After": {
                "description": "seconds until the limit resets",
                "schema": {"type": "integer"},
            }
        },
    }
}
"""OpenAPI ``responses`` entry of a rate-limited endpoint."""


def _count(limiter: RateLimiter, user: User) -> None:
    decision = limiter.hit(user.token_hash)  # per token; the limiter hashes it again
    if not decision.allowed:
        if decision.count == limiter.limit + 1:  # once per window, not per refused request
            log.info("%s rate limit reached by user %s", limiter.name, user.user_id)
        raise TooManyRequests(
            f"送信が多すぎます。{decision.retry_after_s}秒後にもう一度お試しください。",
            retry_after_s=decision.retry_after_s,
        )


def limit_chat(components: ComponentsDep, user: CurrentUser) -> None:
    """Dependency: count this request against the token's chat limit (429 over it)."""
    _count(components.chat_limiter, user)


def limit_plan(components: ComponentsDep, user: CurrentUser) -> None:
    """Dependency: count this request against the token's planning limit (429 over it)."""
    _count(components.plan_limiter, user)

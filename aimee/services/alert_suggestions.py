"""A planner suggestion for an alert's queue: the dashboard's one click from an
alert to a pending suggestion in the seed's shape."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.orm import Session

from aimee.errors import Conflict
from aimee.services.alerts import alert_label, get_alert
from aimee.services.overlaps import open_plans
from aimee.services.planning import suggest_for
from aimee.services.policy import Policy
from aimee.services.scenarios import ScenarioFilter
from aimee.services.suggestions import SuggestionPublic
from aimee.store.repositories import alerts as alert_repo

log = logging.getLogger(__name__)


def suggest(
    session: Session, alert_id: int, *, user: str, now: datetime, policy: Policy
) -> SuggestionPublic:
    """Plan help for the alert's queue and keep it as a pending suggestion on the alert:
    one open plan per queue (409 naming it when there is one), and of two requests
    at once one wins."""
    row = get_alert(session, alert_id)
    label = alert_label(row)
    if row.status == "resolved":
        raise Conflict(
            f"アラート{alert_id}（{label}）は解消済みのため、提案は作成しません",
            detail={"status": row.status},
        )
    queue = (row.location_name or "", row.business_id or "", row.process_name or "")
    already = open_plans(session, now).get(queue)
    if already is not None:
        raise Conflict(
            f"{label}には未完了の提案{already}があります。その提案を確認してください",
            detail={"suggestion_id": already},
        )
    seen = row.suggestion_id
    focus = ScenarioFilter(row.location_name, row.business_id, row.process_name)
    focused = suggest_for(session, focus, now=now, policy=policy, created_by=user)
    if focused is None:
        raise Conflict(f"{label}の進捗データが見つからないため、提案を作成できません")
    if focused.suggestion is None:
        targets = {key.id for key in focused.targets}
        late = round(sum(o.late_before for o in focused.plan.queues if o.key.id in targets))
        detail = {"late_tasks": late}
        if late < 1:
            raise Conflict(
                f"{label}は納期に間に合う見込みのため、配置変更は不要です", detail=detail
            )
        raise Conflict(
            f"{label}の遅延見込み約{late}件は、移動できる応援者では減らせないため、"
            "配置変更の提案はありません",
            detail=detail,
        )
    if not alert_repo.link_suggestion(session, alert_id, seen=seen, new=focused.suggestion.id):
        raise Conflict(  # the request's transaction, and the suggestion made here, roll back
            f"{label}の提案は他の操作で作成されました。アラートから開いてください"
        )
    log.info("alert %s: suggestion %s by %s", alert_id, focused.suggestion.id, user)
    return focused.suggestion

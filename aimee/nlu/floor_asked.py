"""How the floor (or a part of it) stands, asked in shapes the broad rules read as plans:

- 「報告用に数字ちょうだい」「状況だけ教えて」 with no place named: the floor's figures (a
  status; after a question about a queue, ``nlu.carry`` keeps that queue);
- 「遅れてるとこだけでいい」「間に合わないのだけ教えて」「間に合わなそうな工程、急ぎの順に教えて」:
  only the late ones (which queues);
- 「盛岡 検証 SS」「那覇 補正」: places typed alone, no verb, at the start of a thread: how
  that part stands;
- 「Which sites are they at?」「それってどこの拠点？」 after a list of late queues: the same
  list, by site.
"""

from __future__ import annotations

import re

from aimee.nlu import request_words as words
from aimee.nlu.gazetteer import PLACEHOLDERS
from aimee.nlu.request import RequestKind
from aimee.nlu.said import Said

_LATE_ONES = re.compile(
    r"(?:遅れ(?:て(?:い)?る|そうな|気味の)|遅延(?:して(?:い)?る|しそうな)|間に合わ(?:ない|なさそうな|なそうな)"
    r"|やば(?:い|そうな)|ヤバ(?:い|そうな)|危な(?:い|そうな))"
    r"(?:とこ(?:ろ)?|の|工程|キュー?|拠点)"
    r"(?:だけ|のみ|に絞|[、,\s]*[^。?？]{0,6}?(?:順に|順で|順番に)\s*(?:教え|出し|挙げ|並べ|リスト))"
)
_THREADS: frozenset[RequestKind] = frozenset({"plan", "what_if", "donor_check"})
_PLACE = "|".join(re.escape(PLACEHOLDERS[k]) for k in ("location", "process", "business_id"))
_NAMES_ONLY = re.compile(rf"^(?:(?:{_PLACE})[\s、,・/]*){{2,}}[?？。]?$")
_WHICH_SITES = re.compile(
    r"\bwhich (?:sites?|centers?|locations?|queues?)\b.*\b(?:they|those|them|these)\b"
    r"|\bwhere (?:are|were) (?:they|those|these)\b"
    r"|(?:それ|それら|その工程|そのキュー?)(?:って|は)?(?:どこ|どの拠点)"
)


def late_total(m: Said) -> RequestKind | None:
    """「全体の遅延見込み、何件？」「盛岡全体の遅延見込み件数」「全拠点の合計は？」: how many tasks
    will be late, a figure of the floor (or a site) as it stands, not which queues (「一番
    ヤバいのどこ？全体で何件？」 asks which)."""
    if any(t.process for t in m.slots.targets) or m.slots.people:
        return None
    if words.PLAN_STRONG.search(m.text) or _WHICH.search(m.text):
        return None
    weighed = words.CONDITIONAL.search(m.text) or words.HYPOTHETICAL.search(m.text)
    changed = words.CHANGE_WORDS.search(_COMES_OUT.sub("", m.text))  # not 「何件出そう？」
    if weighed or changed or _AFTER_A_CHANGE.search(m.text):
        return None  # 「提案どおりに実行した場合、全体の遅延件数はどうなる？」: a change weighed
    return "status" if _LATE_TOTAL.search(m.text) else None


_COMES_OUT = re.compile(r"件\s*(?:くらい|ぐらい|ほど)?\s*出(?:そう|る|ます|てる|ちゃう)")
"""「遅延は何件出そう？」: how many will be late, not people sent out."""
_AFTER_A_CHANGE = re.compile(r"(?:実行|実施|適用|反映)(?:した|する)(?:場合|後|あと|ら)|提案")


_LATE_TOTAL = re.compile(
    r"(?:遅れ|遅延|おくれ)[^。?？]{0,10}?(?:何件|なんけん|件数|合計|ごうけい|トータル|総数)"
    r"|(?:全体|全拠点|ぜんたい|フロア)[^。?？]{0,6}?(?:遅れ|遅延|おくれ)[^。?？]{0,8}?"
    r"(?:どのくらい|どれくらい|どんだけ|どれだけ|いくつ|見込み[はを]?\s*[?？]?$|見込み、)"
    r"|(?:全体|全拠点|ぜんたい|フロア)[^。?？]{0,4}?(?:どのくらい|どれくらい|どんだけ|どれだけ|何件|なんけん)"
    r"[^。?？]{0,4}?(?:遅れ|遅延|おくれ)"
    r"|\btotal (?:projected )?(?:delay|late)"
    r"|\b(?:delay|late tasks?) (?:across|on|for) the (?:whole )?floor"
)
_WHICH = re.compile(
    r"どこ|どれ|どの(?:工程|拠点|キュ)|順|一番|いちばん|ワースト|一覧|リスト|とこ|ところ|(?<!全)工程"
    r"|\bwhich\b|\bworst\b"
)


def figures(m: Said) -> RequestKind | None:
    """「数字ちょうだい」 with no place, person, count or plan on the table: the floor."""
    if m.extraction.mentions or m.slots.people or m.slots.head_count or m.last_plan is not None:
        return None
    if words.PLAN_STRONG.search(m.text) or words.FIGURES.search(m.text) is None:
        return None
    return "status"


def late_ones(m: Said) -> RequestKind | None:
    """「遅れてるとこだけでいい」: the late queues only."""
    if m.slots.people or words.PLAN_STRONG.search(m.text):
        return None
    return "delay_risk" if _LATE_ONES.search(m.text) else None


def names_only(m: Said) -> RequestKind | None:
    """「盛岡 検証 SS」 opening a thread (or after a status): how that part stands."""
    prev = m.previous
    if prev is not None and prev.kind in _THREADS:
        return None
    if not any(x.kind == "location" for x in m.extraction.mentions):
        return None
    if any(x.kind == "operator" for x in m.extraction.mentions):
        return None
    return "status" if _NAMES_ONLY.match(m.extraction.masked().strip()) else None


def which_sites(m: Said) -> RequestKind | None:
    """「Which sites are they at?」 right after a list of late queues: that list."""
    prev = m.previous
    if prev is None or prev.kind != "delay_risk" or m.slots.people:
        return None
    return "delay_risk" if _WHICH_SITES.search(m.text) else None

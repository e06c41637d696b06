"""Where a plan's helpers may come from, said in ways ``nlu.slots`` reads as targets:

- 「同じ拠点の中で誰か回せない？」「同じ拠点で」「品川SS E2 2人 品川内」: from the site of the
  queue helped;
- 「那覇のE2に1人…盛岡の方でお願いします」: a site said with 「の方で」「の人で」 beside a queue
  at another site is where the helper comes from;
- 「札幌の補正って10人もいるよね。そこから…」: the queue said before 「そこから」;
- 「品川も可」「盛岡もOK」 right after a plan: that plan, with one more site to take from;
- 「他の拠点からでいいよ」「他拠点から応援もらえる？」: not from the site of the queue helped
  (``thread_site``, once the conversation has given the queue), and 「そこ、同じ拠点の中で
  やりくりできない？」 from it.
"""

from __future__ import annotations

import re

from aimee.nlu.request import QueueRef, Request, RequestKind, Slots

_SAME_SITE = re.compile(
    r"同じ拠点|同拠点|拠点内|拠点の中|同じサイト|自拠点|same site|within the site"
)
_SITE_PEOPLE = (
    r"(?:の)?(?:方|かた|人|ひと|メンバー?|チーム|勢|要員)"
    r"(で|から|を|は|以外|[、,](?=\s*(?:最大|多くて|上限|\d|[一二三四五]|ひとり|ふたり)))"
)
# 「同じ拠点からは出さないで」「盛岡の人を使わないで」「同じ拠点以外で」: spared, not taken from
_NEGATED = re.compile(
    r"^[^、。,.!?！？\n]*?(?:出さな|出すな|使わな|使うな|回さな|回すな|以外|ダメ|だめ|駄目|"
    r"NG|ＮＧ|禁止|除い|除外|避け|なしで|無しで|不可|やめ|止め)",
    re.IGNORECASE,
)
# 「同じ拠点で」「拠点の中から」 asking for help (not 「拠点内で一番遅れてるのは？」)
_SAME_SITE_HELP = re.compile(
    r"^(?:の中|内)?(?:で|から)(?:は|も)?(?:[、\s]*$|[、,][^。?？]{0,12}?(?:以外|抜き|を除|は除)|[^。!?！？\n]*?"
    r"(?:誰か|だれか|回|まわ|出せ|人|名|応援|ヘルプ|助|借り|頼|お願い|まで|手配|"
    r"やりくり|遣り繰り|融通|まかな|賄|組|集め|確保|充て|調整|何とか|なんとか|カバ|対応|しのげ|凌げ))"
)
_ALSO_OK = re.compile(
    r"^\s*(?:じゃあ|あと|なら)?[、\s]*\S{1,8}?(?:から)?も\s*"
    r"(?:可|ok|おk|オッケー|いい|良い|よい|あり|アリ|使って|使える|大丈夫|かまわ|構わ)"
)


def plan_origins(slots: Slots, text: str, previous: Request | None) -> Slots:
    """``slots`` with the origins these shapes say."""
    slots = _origin_again(_there_said_before(slots, text), previous)
    return _also_ok(_site_people(_same_site(slots, text), text), text, previous)


def _origin_again(slots: Slots, previous: Request | None) -> Slots:
    """「盛岡だけで足りないなら札幌からもOK」 after a plan from 盛岡: the site it already takes
    from, said again beside a new one, is still where help comes from (no target)."""
    if previous is None or previous.kind != "plan" or not slots.origins or not slots.targets:
        return slots
    last = previous.slots.origins
    if not all(t in last and not (t.process or t.business_id) for t in slots.targets):
        return slots
    kept = tuple(t for t in slots.targets if t not in slots.origins)
    return slots.model_copy(update={"targets": (), "origins": (*kept, *slots.origins)})


_THERE_FROM = re.compile(r"(?:そこ|そっち|そちら|あそこ)から")


def _there_said_before(slots: Slots, text: str) -> Slots:
    """「札幌の補正って10人もいるよね。そこから札幌E1に回せない？」: the queue said before
    「そこから」 in the same message is where help comes from."""
    there = _THERE_FROM.search(text)
    if there is None or len(slots.targets) < 2 or slots.origins:
        return slots
    before = text[: there.start()]
    said = [
        t
        for t in slots.targets
        if t.process and t.process in before and (t.location is None or t.location in before)
    ]
    if len(said) != 1:
        return slots
    targets = tuple(t for t in slots.targets if t != said[0])
    return slots.model_copy(update={"targets": targets, "origins": (said[0],)})


_OTHER_SITES = re.compile(
    r"(?:他|ほか|別|よそ)の?(?:拠点|サイト|センタ)(?:から|で|の人)|other sites?\b|another site\b"
)


def thread_site(kind: RequestKind, slots: Slots, text: str) -> Slots:
    """A plan's 「他の拠点から」 (spare the site of the queue helped, unless the message spares
    another site: then it means the rest) or 「同じ拠点の中で」 (take from it), once the
    targets are known from the conversation."""
    if kind != "plan":
        return slots
    sites = _queue_sites(slots)
    if len(sites) != 1:
        return slots
    site = QueueRef(location=next(iter(sites)))
    # 「梅田は動かさない方針なので、他の拠点から」: other than the site spared, not the queue's
    also = re.search(r"(?:拠点|サイト|センタ)からも", text)  # 「他の拠点からも集めて」: besides
    # 「ふたりとも他拠点の人か。那覇の中から出せないの？」: the answer's helpers, read back
    within = site in slots.origins and re.search(
        re.escape(site.location or "") + r"の?(?:中|内)", text
    )
    if _OTHER_SITES.search(text) and not slots.spare and not also and not within:
        origins = tuple(o for o in slots.origins if o.location != site.location)
        return slots.model_copy(update={"spare": (*slots.spare, site), "origins": origins})
    return _same_site(slots, text)


def _queue_sites(slots: Slots) -> set[str]:
    return {t.location for t in slots.targets if t.location and (t.process or t.business_id)}


def _same_site(slots: Slots, text: str) -> Slots:
    sites = _queue_sites(slots)
    if slots.origins or len(sites) != 1:
        return slots
    name = next(iter(sites))
    said = _SAME_SITE.search(text) or re.search(re.escape(name) + r"(?:の)?(?:中|内)", text)
    if not said:
        return slots
    site, rest = QueueRef(location=name), text[said.end() :]
    if _NEGATED.search(rest):  # 「同じ拠点からは出さないで」
        spare = slots.spare if site in slots.spare else (*slots.spare, site)
        return slots.model_copy(update={"spare": spare})
    ends = not rest.strip(" 。.!！")  # 「…2人 品川内」
    if not ends and not _SAME_SITE_HELP.search(rest):  # 「同じ拠点の他の工程は？」: a question
        return slots
    return slots.model_copy(update={"origins": (site,)})


def _site_people(slots: Slots, text: str) -> Slots:
    sites = _queue_sites(slots)
    if not sites:
        return slots
    moved: list[QueueRef] = []
    spared: list[QueueRef] = []
    for t in slots.targets:
        if not t.location or t.process or t.business_id or t.location in sites:
            continue
        said = re.search(re.escape(t.location) + _SITE_PEOPLE, text)
        if not said:
            continue
        if said.group(1) == "以外" or _NEGATED.search(text[said.end() :]):  # 「…を使わないで」
            spared.append(t)
        elif said.group(1) != "は":
            moved.append(t)
    if not (moved or spared):
        return slots
    return slots.model_copy(
        update={
            "targets": tuple(t for t in slots.targets if t not in moved and t not in spared),
            "origins": (*slots.origins, *moved),
            "spare": (*slots.spare, *(t for t in spared if t not in slots.spare)),
        }
    )


def _also_ok(slots: Slots, text: str, previous: Request | None) -> Slots:
    if previous is None or previous.kind != "plan" or not _ALSO_OK.search(text):
        return slots
    sites = slots.targets
    if not sites or any(t.process or t.business_id for t in sites):
        return slots
    last = previous.slots.origins
    added = tuple(t for t in sites if t not in last)
    return slots.model_copy(update={"targets": (), "origins": (*last, *added)})

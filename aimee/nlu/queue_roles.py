"""The queues a message names and the role of each (target, origin, spared), read from the
words around the references and completed into whole queue references."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from aimee.nlu.gazetteer import Extraction
from aimee.nlu.queue_asides import not_context, said_as_context, set_aside
from aimee.nlu.request import QueueRef
from aimee.nlu.schema import Mention

# A queue reference's role from the words right after it.
_PEOPLE_OF = (
    r"(?:\s*の)?\s*(?:側\s*の?\s*)?"
    r"(?:人|メンバ|方|ほう|オペレータ|人員|要員|people|staff|members?|'s\s+\w+\s+team|team)"
    r"(?:たち|達|々)?"
)
"""「札幌の人」「札幌の検証の people」: the people of a place."""
_SPARED_AFTER = re.compile(
    rf"(?:{_PEOPLE_OF}|の中|内)?\s*(?:から)?\s*"
    r"(?:の\s*(?:移動|異動|応援|人|人員|引き抜き|分)|(?:抜く|取る|出す|動かす|借りる|引っ張る)の)?"
    r"\s*(?:は|も)?\s*"
    r"(?:(?:1|一)\s*(?:人|名)\s*も|誰も|だれも|全員|みんな|皆)?\s*"  # 「からは一人も出せない」
    r"(?:残して|残しと|残す|残そ|動かさ|出さ|使わ|取ら|呼ば|取るな|外し|抜か(?!れ)|除い|除外|だめ|ダメ|不可|なしで|ナシで|やめ|触ら|触るな|さわら|さわるな|いじら|いじるな"
    r"|出すな(?!ら)|動かすな(?!ら)|使うな(?!ら)|取るな(?!ら)|勘弁|避け|無しで|引っ張ら|引っぱら"
    r"|減らしたくな|減らさな|減らせな|薄くしたくな"  # 「補正は減らしたくない」
    # 「梅田はやっぱなし」「E2はやっぱやめとこう」
    r"|やっぱ(?:り)?\s*(?:なし|ナシ|無し|やめと)|(?:なし|ナシ|無し)\s*[。!！]?$"
    r"|引き抜か|持ってこ|touch\s*(?:しない|せず|禁止)|無理|むり|ng(?![a-z])|(?:出|動かし|使え)ない(?![?？か]))"
    rf"|以外|いがい(?=から|で|は|の)|を除|抜きで|(?:{_PEOPLE_OF})?\s*に(?:は|も)?(?:(?:手|て)[をぇえ]?(?:付け|つけ|出さ|ださ|出さね|つけね)|触ら|触れ)|alone\b"
    r"|\s*out of (?:it|this|that|the plan)\b|\s*(?:is |are )?off[- ]limits"
    # 「SSの検証は締め近いから触らんといて」: a reason, then the place left alone
    r"|\s*(?:は|も)[^。、?？]{1,10}?(?:から|ので|し|やから|んで|ため)[、,]?\s*"
    r"(?:(?:触ら|さわら|いじら|出さ|動かさ|抜か|使わ|呼ば)(?:ん|ない|ないで|んといて|んとって|ず)"
    r"|除外|外して|なしで)"
)
_LOSES = re.compile(
    r"\s*(?:から|より)\s*(?:\d|[一二三四五]|ひと|ふた)\s*(?:人|名|り)?\s*(?:も)?\s*"
    r"(?:[抜ぬ]け(?!て(?:も?ら|くれ|ほし|欲し|いただ))|休ん|休み|早退し|いなくな|減っ|減る|欠け"
    r"|休憩に(?:出|入|行))"
)
"""「梅田KPの補正から1人抜けても平気？」: the queue people leave, judged (no origin)."""
_ORIGIN_AFTER = re.compile(
    r"(?:の)?\s*(?:側|チ[ーｰ]?ム|班|メンバ|人(?:たち|達)?|方(?:々|たち)?|ほう|(?:[2-9２-９二三四]\s*)?拠点)?\s*(?:のみ|だけ)?\s*(?:から|より|がら(?=\s*\d|\s*[一二三]|\s*(?:人|誰)))"
    r"|勢\s*(?:で|から|を)"  # 「盛岡勢で2」: the people of a place
    # 「札幌のLv4以上から1人」: the people of a level there
    r"|の\s*(?:lv|レベル)\s*\d\s*(?:以上|超|↑)?\s*(?:の(?:人|方|メンバ))?\s*(?:から|より)"
    r"|の(?:中の)?(?:人|メンバ|オペレータ)(?:ら|たち|達)?(?:だけ|のみ)?で|の中(?:だけ|のみ)?で|の中から"
    r"|の(?:人|メンバ)(?:も|を)?(?:使[っえ]|借り)"
    r"|の(?:人|メンバ|オペレータ)(?:を|ば|から)?\s*(?:\d\s*(?:人|名)\s*(?:まで)?\s*)?"
    r"(?:まわ|回|出|貸|送|動か|つけ|付け)"
    # 「品川の人を最大5人」: the people help comes from
    r"|の(?:人|メンバ|オペレータ)(?:たち|達)?を\s*(?=最大|多くて|上限|\d\s*(?:人|名)\s*(?:まで|以内))"
    r"|内で|内から|(?:→|->|⇒)|(?:people|staff)\s*only|(?:can |could )?spare\b"
    # "can Sapporo cover it?" (not "Naha E1 cover needed")
    r"|\s*(?:can |could )?(?:cover|pitch in|chip in)\s+(?:it|that|them|this|for)\b"
)
# English roles come before the name: 「don't touch Shinagawa」「from Morioka」.
_SPARED_BEFORE = re.compile(
    r"(?:don't|do not|never|not)\s+"
    r"(?:touch|use|(?:take|pull|borrow|move) (?:(?:anyone|anybody|people) )?from)"
    r"\s*$|(?:except|without|not from|but not|excluding|nobody from|no one from)\s*$"
)
_ORIGIN_BEFORE = re.compile(
    r"\bfrom(?:\s+within|\s+inside)?\s*$|(?:応援元|出し元|支援元|移動元|(?:^|[・\s])元)\s*(?:は|[:：])\s*$"
)
"""「from Morioka」「from within Morioka」「応援元：盛岡の中だけ」."""
_JOIN = re.compile(r"^(?:の|で|・|/| |)$")


@dataclass(frozen=True)
class _Ref:
    ref: QueueRef
    start: int
    end: int


def _at_only_site(targets: list[QueueRef], places: list[QueueRef]) -> list[QueueRef]:
    """A target that names a process alone is at the one site ``places`` name (none
    changes when they name several)."""
    sites = {p.location for p in places if p.location}
    if len(sites) != 1:
        return targets
    site = sites.pop()
    return [
        t.model_copy(update={"location": site}) if t.location is None and t.process else t
        for t in targets
    ]


def _refs(mentions: Iterable[Mention], text: str) -> list[_Ref]:
    """Adjacent location / business / process mentions (「札幌の補正」) as one reference each."""
    refs: list[_Ref] = []
    for m in mentions:
        if m.kind == "operator" or m.value is None:
            continue
        field = {"location": "location", "business_id": "business_id", "process": "process"}[m.kind]
        last = refs[-1] if refs else None
        joined = (
            last is not None
            and _JOIN.match(text[last.end : m.start]) is not None
            and getattr(last.ref, field) is None
        )
        if last is not None and joined:
            refs[-1] = _Ref(last.ref.model_copy(update={field: str(m.value)}), last.start, m.end)
        else:
            refs.append(_Ref(QueueRef(**{field: str(m.value)}), m.start, m.end))
    return refs


def _queue_roles(
    extraction: Extraction,
) -> tuple[list[QueueRef], list[QueueRef], list[QueueRef]]:
    text = extraction.text
    buckets: dict[str, list[QueueRef]] = {
        "target": [],
        "origin": [],
        "spare": [],
        "qualifier": [],
        "person_site": [],
        "left_alone": [],  # given up, or one a person is kept for: never helped
        "reason": [],
        "context": [],  # said to explain the situation: helped only when nothing else is
    }
    people_at = {m.start for m in extraction.mentions if m.kind == "operator"}
    roled = [
        (_role_of(group, text, people_at), _process_shared(_same_site(group)))
        for group in _coordinated(_refs(extraction.mentions, text), text)
    ]
    for role, refs in _completed(roled):
        for ref in refs:
            if ref not in buckets[role]:
                buckets[role].append(ref)
    # a queue named as a reason is the one to help when no other is (「札幌E1が薄いから応援して」)
    # a queue also said as context, or spared (「品川の検証からは出さんで。品川検証も遅れてる
    # から」), is no queue to help when another is
    aside = buckets["context"] + [s for s in buckets["spare"] if s.process]
    helped = not_context(buckets["target"], aside)
    helped = _at_only_site(helped or buckets["reason"] or buckets["context"], buckets["context"])
    targets = _at_persons_site(helped, buckets["person_site"])
    # 「補正ができる人は？」: the skill asked about (not 「札幌E1に補正Lv4以上の人入れたら？」,
    # a queue's helpers described)
    queue_said = any(t.location and t.process for t in targets)
    for qualifier in [] if queue_said else buckets["qualifier"]:
        if not any(t.process == qualifier.process for t in targets):
            targets.append(qualifier)
    targets = _not_restated(targets, buckets["origin"] + buckets["spare"])
    return _businesses_of_site(_not_repeated(targets)), buckets["origin"], buckets["spare"]


def _businesses_of_site(targets: list[QueueRef]) -> list[QueueRef]:
    """「盛岡全体の状況を…。SSとKPの両方です」: businesses said alone beside one site are
    that site's (both of them: the whole site); beside one queue (「梅田のエントリ2、SSもKPも」
    「梅田のSSとKP」), each is that queue in that business."""
    sites = [t for t in targets if t.location and not (t.process or t.business_id)]
    alone = [t for t in targets if t.business_id and not (t.location or t.process)]
    located = [t for t in targets if t.location]
    if len(located) == 1 and not sites and alone:
        return _each_business(targets, located[0], alone)
    if len(sites) != 1 or not alone:
        return targets
    site = sites[0]
    if len({t.business_id for t in alone}) > 1:  # every business of the site: the site
        return [t for t in targets if t not in alone]
    at_site = site.model_copy(update={"business_id": alone[0].business_id})
    return [at_site if t == site else t for t in targets if t not in alone]


def _each_business(
    targets: list[QueueRef], queue: QueueRef, alone: list[QueueRef]
) -> list[QueueRef]:
    said = [queue.business_id] if queue.business_id else []
    businesses = dict.fromkeys([*said, *(str(t.business_id) for t in alone)])
    each = [queue.model_copy(update={"business_id": b}) for b in businesses]
    return [*each, *(t for t in targets if t != queue and t not in alone)]


def _not_repeated(targets: list[QueueRef]) -> list[QueueRef]:
    """「那覇のE1に回したらE1どのくらい良くなる？」「補正だけでも」: a process said again
    alone, after a queue of that process at a site, is that queue."""
    placed = {t.process for t in targets if t.location or t.business_id}
    return [t for t in targets if t.location or t.business_id or t.process not in placed]


def _at_persons_site(targets: list[QueueRef], sites: list[QueueRef]) -> list[QueueRef]:
    """「Morioka の山口さん、早めに上がる予定。correction 大丈夫？」: a process alone is
    at the site of the person named (when one site is named that way)."""
    return _at_only_site(targets, sites)


def _not_restated(targets: list[QueueRef], roled: list[QueueRef]) -> list[QueueRef]:
    """「梅田のKPのエントリ1に回したら、梅田は間に合う？」「札幌以外から…札幌は余力がない」:
    a site named again, already a target's site or an origin / spared site, adds nothing."""
    more = [t for t in targets if t.process or t.business_id] + roled
    return [
        t
        for t in targets
        if t.process or t.business_id or not any(o.location == t.location for o in more)
    ]


_QUALIFIER_AFTER = re.compile(r"(?:の)?\s*(?:lv|レベル|スキル|経験)|が?できる(?:人|方)")


def _same_site(group: list[_Ref]) -> list[_Ref]:
    """「那覇のE1とE2」: processes joined under one site are both at that site (and in its
    business, unless they name their own: 「盛岡SSの補正とKPの補正」)."""
    first = group[0].ref
    if first.location is None:
        return group
    return [
        r
        if r.ref.location is not None or r.ref.process is None
        else _Ref(
            r.ref.model_copy(
                update={
                    "location": first.location,
                    "business_id": r.ref.business_id or first.business_id,
                }
            ),
            r.start,
            r.end,
        )
        for r in group
    ]


def _process_shared(group: list[_Ref]) -> list[_Ref]:
    """「梅田のKPとSSのE1」: businesses joined before a process are each that process's."""
    last = group[-1].ref
    if len(group) < 2 or last.process is None:
        return group
    return [
        _Ref(r.ref.model_copy(update={"process": last.process}), r.start, r.end)
        if r.ref.business_id and r.ref.process is None and r.ref.location == last.location
        else r
        for r in group
    ]


_OF_PERSON = re.compile(r"\s*の\s*(?:(?:中|なか)(?:でも|の|で)\s*)?")
_KEPT_AT = re.compile(r"\s*(?:に|で)\s*(?:残[しす]|置いて|置いと|いて(?:もら|ほし))")
_FROM_THERE = re.compile(r"[^。?？]{0,20}?(?:そこ|そっち|そちら)から")
"""A queue named, then 「そこから」 in the same sentence: help comes from it."""
_REFUSED_FROM = re.compile(
    r"(?:から|より)\s*(?:は\s*(?:人(?:を|は)?\s*)?(?:出さ|動かさ|取ら|抜か(?!れ)|借りな|借りず|借りん"
    r"|(?:出せ|回せ|貸せ|割け)(?:ない|ん))"
    r"|(?:は\s*)?(?:(?:1|一)\s*(?:人|名)|誰|だれ)\s*も\s*(?:出|回|貸|割|動か|取))"
    r"|(?:から|より)\s*(?:\d|[一二三四五]|ひと|ふた)?\s*(?:人|名|り)?\s*(?:も)?\s*"
    r"(?:抜ける|抜かれる|抜く|取られる|取る|出す|持っていかれる)の(?:は|って)\s*"
    r"(?:きつ|厳し|無理|むり|困|痛|ちょっと|勘弁)"
)
"""「盛岡からは出さない」「盛岡からは出せない」「盛岡からは一人も出せないよ」「札幌から2人も
抜けるのはきつい」: a site refused (「盛岡から出せない？」 asks for helpers from there)."""


def _role_of(group: list[_Ref], text: str, people_at: Collection[int] = ()) -> str:
    """Target, origin or spared, from the words after the group (or, in English, before);
    a lone process that qualifies people (「補正Lv5の人を」) is no queue at all, nor is the
    site of a person named (「盛岡の高山さん」)."""
    of_person = _OF_PERSON.match(text, group[-1].end)
    if of_person is not None and of_person.end() in people_at:
        return "person_site"
    if _KEPT_AT.match(text, group[-1].end):  # 「高山さんは盛岡に残して」: where they stay
        return "person_site"
    after = text[group[-1].end : group[-1].end + 16].lstrip()
    lone_process = all(r.ref.location is None and r.ref.business_id is None for r in group)
    if lone_process and _QUALIFIER_AFTER.match(after):
        return "qualifier"
    aside = set_aside(text, group[0].start, group[-1].end, after)
    if aside is not None:
        return aside
    role = _role_by_words(group, text, after)
    return "context" if role == "target" and said_as_context(after) else role


def _role_by_words(group: list[_Ref], text: str, after: str) -> str:
    before = text[max(0, group[0].start - 30) : group[0].start]
    if _SPARED_AFTER.match(after) or _REFUSED_FROM.match(after) or _SPARED_BEFORE.search(before):
        return "spare"
    named_again = _FROM_THERE.match(text, group[-1].end)  # 「札幌の補正は10人いるから、そこから」
    if _LOSES.match(after):
        return "target"
    if _ORIGIN_AFTER.match(after) or _ORIGIN_BEFORE.search(before) or named_again:
        return "origin"
    return "target"


def _completed(roled: list[tuple[str, list[_Ref]]]) -> list[tuple[str, list[QueueRef]]]:
    """「品川の検証、SSのほうです」「エントリ1経験2年以上、品川に何人いる？」: a lone
    reference that fills in what the one before it lacks (same role, no field in
    common) completes it into one queue reference. Completed at a site the message
    spares (「札幌は夕方に補正の山が来るので、札幌からは出さないで」), it is the reason
    for sparing it, not a queue to help."""
    spared = {r.ref.location for role, g in roled if role == "spare" for r in g if r.ref.location}
    out: list[tuple[str, list[QueueRef]]] = []
    for role, group in roled:
        refs = [r.ref for r in group]
        if out and len(refs) > 1 and _sites_processes(out[-1], role, refs):
            site = out[-1][1][0]  # 「札幌、エントリ1と補正の状況」: both at that site
            out[-1] = (role, [_at_site(r, site) for r in refs])
            continue
        if out and len(refs) == 1 and len(out[-1][1]) == 1 and out[-1][0] == role:
            last = out[-1][1][0]
            if not any(a and b for a, b in zip(_shape(last), _shape(refs[0]), strict=True)):
                merged = {k: v for k, v in refs[0].model_dump().items() if v is not None}
                whole = last.model_copy(update=merged)
                if role == "target" and whole.location in spared:
                    out.pop()
                else:
                    out[-1] = (role, [whole])
                continue
        if out and out[-1][0] == role and _process_alone(refs) and out[-1][1][-1].location:
            site = out[-1][1][-1]  # 「那覇 E1 E2」: the second process at the same site
            out[-1] = (role, [*out[-1][1], *(_at_site(r, site) for r in refs)])
            continue
        out.append((role, refs))
    return out


def _process_alone(refs: list[QueueRef]) -> bool:
    return len(refs) == 1 and refs[0].process is not None and refs[0].location is None


def _sites_processes(last: tuple[str, list[QueueRef]], role: str, refs: list[QueueRef]) -> bool:
    """A site alone (``last``), then processes joined in one group, in the same role."""
    last_role, last_refs = last
    if last_role != role or len(last_refs) != 1:
        return False
    site = last_refs[0]
    lone_site = site.location is not None and site.process is None
    return lone_site and all(r.location is None and r.process is not None for r in refs)


def _at_site(ref: QueueRef, site: QueueRef) -> QueueRef:
    business = ref.business_id or site.business_id
    return ref.model_copy(update={"location": site.location, "business_id": business})


_AND = re.compile(r"^\s*(?:と|や|・|か|も|及び|および|並びに|ならびに|又は|または|and|or)\s*$")
"""「E1とE2」「E1もE2も」「高山さんと竹下さん」: one group, one role."""
_LIST_COMMA = re.compile(r"^\s*[、,]\s*$")


def _coordinated(refs: list[_Ref], text: str) -> list[list[_Ref]]:
    """「盛岡と品川は動かさないで」: references joined by と／や (or a comma between
    references of the same shape: 「盛岡、品川は」 but not 「札幌のエントリ1、盛岡から」)
    share the role the words after the last one give (a comma joins sites, not queues)."""
    groups: list[list[_Ref]] = []
    for r in refs:
        last = groups[-1][-1] if groups else None
        between = text[last.end : r.start] if last is not None else ""
        same_shape = (
            last is not None and _shape(last.ref) == _shape(r.ref) and last.ref.process is None
        )  # 「盛岡、品川は」, but 「盛岡SS検証、品川SSの検証の人は出さないで」 is two roles
        if last is not None and (
            _AND.match(between) or (same_shape and _LIST_COMMA.match(between))
        ):
            groups[-1].append(r)
        else:
            groups.append([r])
    return groups


def _shape(ref: QueueRef) -> tuple[bool, bool, bool]:
    return (ref.location is not None, ref.business_id is not None, ref.process is not None)

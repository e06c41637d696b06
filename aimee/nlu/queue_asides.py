"""Queues a message names without asking help for them: given up (「E1はもう仕方ない」), kept
for someone (「補正の主力なので」), the reason for what comes next (「那覇のE1が悪くなるんだ…」),
read back from the answer (「札幌からわざわざ？」), where a person named stays (「竹下さんはE2から
動かさないで」), or said to explain the situation (「補正は余裕あるから」「E1は後回し」「E2が
ダメなのは分かってる」). ``nlu.queue_roles`` gives every other queue its role."""

from __future__ import annotations

import re

from aimee.nlu.request import QueueRef

_GIVEN_UP = re.compile(
    r"(?:は|も)?\s*(?:もう)?\s*(?:仕方(?:ない|な|が(?:ない|無い))|しょうがな|しゃあな|しゃーな|諦め|あきらめ"
    r"|捨て|見捨て)"
)
"""「E1はもう仕方ないとして補正だけでも」: a queue given up is not one to help."""


_A_REASON = re.compile(
    r"(?:が|は|も)?\s*(?:手薄|薄い|薄く)[^。、]{0,6}?(?:から|ので|ため)[^。]{0,24}?"
    r"(?:動かさ|外し|外す|残し|残す|抜かな|出さな|出せな)"
)
"""「KPの検証が薄いから三浦さんは動かさないで」: why someone stays, not a queue to help (not
「那覇の補正が手薄なので、那覇E1と合わせて応援案お願い」)."""
_AS_CONTEXT = re.compile(
    r"(?:の方|のほう)?\s*(?:は|も|が|に|って|とか)?\s*"
    r"(?:(?:もう|まだ|もうすぐ|だいぶ|ほぼ|今日は|どうせ)\s*){0,3}"
    r"(?:(?:時間に|[\d]+分(?:以上)?)?\s*(?:くらい|ぐらい|ほど)?\s*余裕(?:が)?(?:ある|あり|あんねん|やし|だし)"
    r"|終わる(?:って|し|から|ので)|終わった|終わりそう(?:だ|やし|だし|なので)|片付い|片づい|落ち着い"
    r"|大丈夫そう|問題なさそう|問題ない(?:し|から|ので)"
    r"|[^。?？]{0,6}?(?:の|なの)は(?:知って|分かって|わかって|聞いて|把握|承知|見た|もう聞)"
    r"|後で見る|あとで見る|後回し|あと回し|仕方ない|しゃあない|しょうがない|気にせ|気にしな"
    r"|関係な|別で見|全部見た|[^。、?？]{0,6}?(?:応援|人)(?:の)?(?:手配済|手配し|決ま|来る予定|入る予定)"
    r"|間に合わない(?:し|から|ので)|大事な(?:客先|お客|取引先)|終わるって出て|[^。、]{0,8}?って出てる(?:けど|が)"
    r"|can wait|is (?:fine|ok|done)|later\b)"
    r"|[^。?？]{0,10}?(?:けど|が)[、,]?\s*(?:そっち|そちら|そこ)は(?:後で|あとで|後回し)"
)
"""「補正は50分以上余裕あるから…」「E1とE2がダメなのは分かってる」「E1は後回し」「E2は札幌から
応援来る予定だから」: a queue said to explain the situation, helped only when the message names
no other."""
_KEPT_FOR = re.compile(
    r"の\s*(?:主力|要|エース|大黒柱|柱|中心メンバ|キーマン|キーパーソン)"
    r"(?:なので|だから|ですので|ですから|なため|のため|やから|やし)"
    r"|(?:で|では|から)(?:は)?\s*(?:抜けられ|外せ|手放せ|抜かれ(?:たら)?困)"
    r"(?:ない|へん|ん|ません)?(?:から|ので|し|ため)"
)
"""「斉藤さんは補正の主力なので候補から除外して」「小野さんは札幌で抜けられへんから外して」: the
queue a person is kept for, never one to help."""
_WHERE_THEY_ARE = re.compile(r"\b(?:she's|he's|they're|she is|he is|they are) (?:on|in|at)\s*$")
""""She's on E2 now": where the person named is, not a queue to help."""
_THEIRS_BEFORE = re.compile(r"(?:さん|様|さま|氏|くん|君|ちゃん)\s*(?:は|も)\s*$")
_NOT_MOVED_FROM = re.compile(
    r"から\s*(?:は)?\s*(?:動か|外|抜|離|出)(?:[させけかれ])?(?:られ|れ)?"
    r"(?:ない|ず|ん(?!で)|へん|ません)"
)
"""「竹下さんはE2から動かさないで」「長谷川さんは札幌の補正から動かせない」: the queue a person
named just before stays on, not a queue spared nor one to take from."""
_NOT_FROM_THERE = re.compile(
    r"から\s*(?:は)?\s*(?:じゃ|では|で)なく"
    r"|から\s*(?:の)?\s*応援(?:が)?\s*(?:もう)?\s*(?:決ま|来る予定|来ること|入る予定|手配済|もらう予定)"
)
"""「那覇からじゃなくて盛岡から」: not where help comes from (the place said next is);
「E2は梅田から応援決まったから」: help already arranged, not where this plan takes from."""


_WITHOUT_THEM = re.compile(r"(?:いない|居ない|いなくなる|抜ける|抜けた)(?:と|ら)[、,\s]*$")
_STALLS = re.compile(
    r"(?:が|は)?\s*(?:回らない|回らなく|回らん|まわらない|止まる|詰まる)"
    r"(?!\s*(?:[?？]|か|かな|よね|でしょ|の))"
)
"""A queue that stalls without them, said as a fact (not asked: 「…回らない？」)."""
_READ_BACK = re.compile(
    r"(?:から|より)\s*(?:わざわざ|って|なの|かよ|も)?\s*[？?]"
    r"|(?:から|より)\s*[^。？?、]{1,8}?に\s*[？?]"
)
"""「札幌からわざわざ？盛岡の中で回せないの」「札幌から盛岡に？遠いな。」: where the answer
took help from, read back in surprise before the message says what it wants."""


_MADE_WORSE = re.compile(
    r"(?:が|は|も)?\s*(?:悪くなる|悪化する|薄くなる|遅れちゃう|遅れる|間に合わなくなる)"
    r"(?:(?:ん|の)(?:だ|か|です)?(?![?？])|じゃん|やん|ならやめ|なら(?:ダメ|だめ|駄目|意味な|却下|ng))"
    r"|(?:が|は|も)?\s*(?:悪くなる|悪化する|薄くなる)(?:なら|の[？?]|[…。])"
)
"""「那覇のE1が悪くなるんだ…じゃあ岡本さんは外して」「品川KPのE1が遅れるじゃん。品川からは
取らないで」「KPの補正が遅れるならダメじゃん」: a queue the answer's plan would hurt, the reason
for what the message asks next, not a queue to help (「札幌E1が遅れるなら応援出して」 is)."""


_GOES_ON = 8
"""Characters (punctuation aside) after a reason that make it one: the message goes on."""


def _goes_on(text: str, end: int) -> bool:
    """More is said after ``end`` than a question mark or an ellipsis."""
    return len(re.sub(r"[\s。.!！?？…、]", "", text[end:])) > _GOES_ON


def _read_back(text: str, start: int, end: int) -> bool:
    """The place said from ``start`` to ``end`` is one the answer named, read back as a
    question with more after it."""
    echoed = _READ_BACK.match(text, end)
    if echoed is None:  # 「札幌から盛岡に？」: the place after 「から」 is read back too
        before = _READ_BACK.search(text, max(0, start - 12), start + 4)
        echoed = before if before and before.start() < start < before.end() else None
    return echoed is not None and bool(text[echoed.end() :].strip(" 。.!！?？"))


def not_context(targets: list[QueueRef], context: list[QueueRef]) -> list[QueueRef]:
    """「那覇E1がいちばん遅れてるけど、先に那覇E2を。E1は後回し」: a queue the message also
    sets aside is not one to help (when another is)."""

    def set_aside(t: QueueRef) -> bool:
        said = [c.model_dump(exclude_none=True) for c in context if c.process]
        return any(all(getattr(t, k) == v for k, v in c.items()) for c in said)

    kept = [t for t in targets if not set_aside(t)]
    return kept or targets


def set_aside(text: str, start: int, end: int, after: str) -> str | None:
    """``left_alone`` or ``reason`` for the place said from ``start`` to ``end`` (``after``:
    the words that follow it), when it is no queue to help, take from or spare; else None."""
    made_worse = _MADE_WORSE.match(text, end) and _goes_on(text, end)
    stays = _THEIRS_BEFORE.search(text, 0, start) and _NOT_MOVED_FROM.match(after)
    given_up = _GIVEN_UP.match(after) or _KEPT_FOR.match(after) or _read_back(text, start, end)
    # 「あの人いないとE2が回らない」: why someone stays, not a queue to help
    without_them = _WITHOUT_THEM.search(text, max(0, start - 12), start) and _STALLS.match(after)
    if given_up or made_worse or stays or without_them or _NOT_FROM_THERE.match(after):
        return "left_alone"
    if _A_REASON.match(after) or _WHERE_THEY_ARE.search(text[:start]):
        return "reason"
    return None


def said_as_context(after: str) -> bool:
    """The words after a queue say how it stands, as context (``_AS_CONTEXT``)."""
    return _AS_CONTEXT.match(after) is not None

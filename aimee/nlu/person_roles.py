"""The people a message names and what it would do with each (add, remove, move, ask
about), read from the words after (or, in English, before) the names."""

from __future__ import annotations

import re

from aimee.nlu.gazetteer import Extraction
from aimee.nlu.numerals import EN_ORDINALS, number
from aimee.nlu.queue_roles import _AND, _JOIN, _LIST_COMMA
from aimee.nlu.request import OperatorSlots
from aimee.nlu.schema import Mention

# What a message would do with a named person, from the words after the name.
_REMOVE = re.compile(
    r"抜|外[しすせされ]|休|いなくな|欠勤|離脱|早退|帰[っるりら宅すしさ]|かえ[すしさ](?!ない)|離席"
    r"|(?:は|を)?(?:やっぱ(?:り)?)?(?:なし|無し)で|の代わり"
    r"|^の(?:抜けた)?穴|^(?:は|を)?\s*やめ(?:て|と|る|に)"  # 「藤井さんの穴に」「坂本くんはやめて」
    r"|^以外(?!に(?:も|もう|あと|ほか|他))|じゃなく|ではなく|は除|を除|除外|上が[るりっ]|あが[るりっ]|退勤|^(?:は|を)?\s*固定"
    r"|きゅうけい|やす[んまみ]|ぬけ|ぬい|はず[しすさ]|そうたい|かえっ"  # typed in kana
    r"|は使わ|^(?:を|も)?\s*使わ(?:ず|ない|んと|へん)|指名(?:し(?:ない|ません|なく)|せず)|いな(?:かった|いと|ければ|い場合|い(?:時|とき)|く)|不在|居な"
    r"|のは(?:なし|無し|ダメ|だめ|ng\b|不可|やめ)|^(?:は|も)?\s*(?:あかん|アカン|あきまへん)"
    r"|残[しす]|^は[^、。]{0,8}?(?:置いと|置いてお)|(?:動か|回|出)さ(?:ず|ない|んといて|んとって|んで(?:ほし|くだ|な))|^(?:は|を|も)?\s*(?:その|この|今の|いまの)?まま(?:で|に)"
    r"|^(?:は|を|も)?\s*(?:ダメ|だめ|駄目|ng(?![a-z])|不可|なし|無し)(?!\s*(?:[?？]|かな|か[?？]|です(?:か|よね)|でしょう))"
    r"|^(?:じゃ|で)なければ"  # 「竹下さんじゃなければ誰でも」
    r"|remove|without|takes? off|^\s*off\b|leaves?|goes home|takes? a break|on (?:a )?break"
    r"|is (?:off|out|absent|sick)|calls? in sick|where (?:she|he|they) (?:is|are)"
)
_ADD = re.compile(
    r"入[れり]|追加|加え|足し|増や|使[っうい]|使えな|使えん|^\s?で(?![はもす])|でお願い|^に(?:して|する)"
    r"|^\s*(?:を)?\s*指名(?!し(?:ない|ないで|ません|なく))"
    # 「高山さんともう1人」: she is one of them
    r"|^と\s*(?:もう|あと|ほか(?:に)?)\s*(?:\d|[一二三]|ひと|ふた)\s*(?:人|名|り)"
    r"|^の\s*(?:\d|[一二三四五])\s*(?:人|名)\s*で(?![はもす])"  # 「A・B・Cの3人で何とか」
    r"|^に[^、。?？]{0,6}?(?:やって|手伝って|入って|応援して|ヘルプして)(?:もら|いただ|くれ)"
    r"|呼[んぶべ]|引っ張|ひっぱ|連れて|借り|入った|入る(?:と|なら)|戻[っるれら]|アサイン|assign"
    r"|(?<!手を)(?<!手)(?<!気を)(?<!気)(?:つけ|付け)(?:て|る|たら)"
    r"|^(?:だけ)?(?:は|も)?\s*(?:ok|おk|オッケー)(?:に|で|だ|です|よ|[。!！]|$)"
    r"|^に(?:も)?(?:お願い|頼|任せ|入って|入っ|行って)|add|use"
    r"|^\s*(?:is|are) (?:one of them|in (?:it|the plan|there)|included)|^\s*in (?:it|the plan)\b"
)
_MOVE = re.compile(
    r"回|まわ[しすさせ]|移|寄せ|動か|異動|行か|行って|応援に|出し|出す|出せ|貸し|送|戻[しすせ]|send|move|^\s*(?:→|->|⇒)"
    r"|\bgo(?:es|ing)? (?:over )?to\b"  # "could he help Naha E2?" sends him
    r"|^\s*help (?:out )?(?:at |on |with )?(?:naha|sapporo|morioka|shinagawa|umeda)"
    r"|来て(?:もら|いただ|くれ)|来させ"
    r"|^を[^、。?？]{1,12}へ|^を[^、。?？]{0,12}に\s*[。!！]?$"  # 「…さんを札幌E1に」
)


def operator_roles(extraction: Extraction) -> OperatorSlots | None:
    """The named people and what the message would do with each."""
    text = extraction.text
    roles: dict[str, list[str]] = {"add": [], "remove": [], "move": [], "about": []}
    resolved = [m for m in extraction.mentions if m.kind == "operator" and m.label]
    named = {m.label for m in resolved}
    surfaces = {m.surface for m in resolved}
    people = [  # 「翔太さんの方だ。佐藤翔太さん」: the namesake named in full is the one meant;
        # 「品川の後藤さんじゃなくて那覇の後藤さん」: the one told apart
        m
        for m in extraction.mentions
        if m.kind == "operator"
        and (
            m.label
            or (m.candidates and not named & set(m.candidates) and m.surface not in surfaces)
        )
    ]
    groups: list[list[Mention]] = []
    for m in people:  # 「高山さんと竹下さん、二人とも回したら」「高山さん竹下さん 回して」
        between = _HONORIFIC_START.sub("", text[groups[-1][-1].end : m.start]) if groups else ""
        described = (  # 「工藤さんと補正の田中さん」: the second told by her queue
            groups
            and _DESCRIBED_AND.match(_without_places(extraction, groups[-1][-1].end, m.start))
        )
        besides = _BESIDES.match(between) and _ALSO_AFTER.match(text, m.end)
        joined = _AND.match(between) or _LIST_COMMA.match(between) or not between
        if groups and (joined or described or besides):
            groups[-1].append(m)
        else:
            groups.append([m])
    for n, group in enumerate(groups):
        end = groups[n + 1][0].start if n + 1 < len(groups) else len(text)
        after = _HONORIFIC_START.sub("", _without_places(extraction, group[-1].end, end))
        role = _role(after[:16])
        if role == "about":  # English puts the verb first: 「move Takayama to …」
            role = _role_before(text[max(0, group[0].start - 20) : group[0].start])
        bare = not after.strip(" 、。,.!！")
        if role == "about" and bare and _IN_THEIR_PLACE_BEFORE.search(text[: group[0].start]):
            role = "add"  # 「鈴木さんは外して、代わりに中島愛さん」
        if role == "about" and n == len(groups) - 1:
            role = _next_sentence_role(after)
        if role == "remove" and n + 1 < len(groups) and IN_PLACE_OF.fullmatch(after.rstrip()):
            ahead = groups[n + 2][0].start if n + 2 < len(groups) else len(text)
            theirs = _without_places(extraction, groups[n + 1][-1].end, ahead)
            if _role(_HONORIFIC_START.sub("", theirs)[:16]) == "remove":
                continue  # 「高山さんの代わりに竹下さんが休んだら」: he stays, she leaves
        for m in group:
            # 「鈴木さんどこ？」: a family name several people share is asked about them all
            # (nobody is moved or kept out on a guess)
            every = role == "about" or _every_namesake(text, m)
            labels = [str(m.label)] if m.label else list(m.candidates) if every else []
            roles[role].extend(label for label in labels if label not in roles[role])
    if not any(roles.values()):
        return None
    return OperatorSlots(**{k: tuple(v) for k, v in roles.items()})


def _every_namesake(text: str, m: Mention) -> bool:
    """「近藤さん2人とも休んだら」「石井さん両方」: every person of a shared family name, when
    the count said is theirs."""
    said = _ALL_OF_THEM.match(text, m.end)
    if said is None:
        return False
    count = number(said.group(1)) if said.group(1) else 2
    return count == len(m.candidates)


_ALL_OF_THEM = re.compile(
    r"(?:さん|様|さま|氏|くん|君|ちゃん)?\s*(?:ら|たち|達)?\s*(?:の)?\s*"
    r"(?:(\d|[二三四]|ふた)\s*(?:人|名|り)\s*(?:とも|共)|両方|どちらも|どっちも)"
)


_BESIDES = re.compile(r"^\s*(?:に加えて|に続いて|と一緒に|と合わせて)[、,\s]*$")
_ALSO_AFTER = re.compile(r"(?:さん|様|さま|氏|くん|君|ちゃん)?\s*も(?!う)")
"""「石川さんに加えて小川健太さんも早退なら？」: both in the role the verb gives."""
_IN_THEIR_PLACE_BEFORE = re.compile(r"(?:代わり|かわり)(?:に|は)\s*$")
IN_PLACE_OF = re.compile(r"の(?:代わり|かわり)(?:に|で|として)")
"""「上野さんの代わりに藤井さんだったら？」: someone in another's place (``nlu.thread_people``
reads it in a follow-up; here it ends the words after the person replaced)."""
_DESCRIBED_AND = re.compile(
    r"^(?:さん|様|さま|氏|くん|君|ちゃん)?\s*(?:と|や|・|、|,)\s*(?:の|にいる|にいる方の)\s*$"
)


_ASKED_OF_THEM = re.compile(r"^[^。!！?？]{0,16}?(?:よね|だよね|でしょ|だっけ|ですよね)[?？]\s*")


def _next_sentence_role(after: str) -> str:
    """「太田さんそこにいるよね？抜けたらアウト？」: a check about the person, then what would
    happen to them, in a sentence of its own that names no one."""
    asked = _ASKED_OF_THEM.match(after)
    if asked is None or _OTHERS_COUNTED.match(after, asked.end()):
        return "about"  # 「…だよね？じゃあ1人入れたら」: someone else
    return _role(after[asked.end() : asked.end() + 16])


_OTHERS_COUNTED = re.compile(r"[^。!！?？]{0,8}?(?:\d|[一二三四五]|ひと|ふた)\s*(?:人|名|り)")


def _without_places(extraction: Extraction, start: int, end: int) -> str:
    """The text between ``start`` and ``end`` without the places it names: the verb of
    「長谷川さんを札幌の補正から札幌のエントリ1へ回したら」 is read past the queues."""
    kept, at = [], start
    for m in extraction.mentions:
        if m.kind != "operator" and start <= m.start and m.end <= end:
            between = extraction.text[at : m.start]
            joins = at > start and _JOIN.match(between) is not None  # 「盛岡SSの検証」
            kept.append("" if joins else between)
            at = m.end
    kept.append(extraction.text[at:end])
    return "".join(kept)


_EN_ROLE_BEFORE = (
    (
        "remove",
        re.compile(
            r"\b(?:remove|take off|pull|without|lose|loses|leave|except|(?<!why )not|no)\s+$"
            r"|\b(?:don't|do not|never|no need to)\s+(?:use|move|send|take|touch|add)\s+$"
        ),
    ),
    ("add", re.compile(r"\b(?:add|use|include|bring in|put|make sure)\s+$")),
    (
        "move",
        re.compile(
            r"\b(?:move|send|transfer|lend)\s+$"
            r"|\bif (?:we|i|you|they) (?:moved|sent|transferred|lent)\s+$"
        ),
    ),
)
"""「put her in」 is 「入れる」 (add), as SCHEMA reads it; 「send」「move」 is 「回す」."""


def _role_before(before: str) -> str:
    return next((role for role, pattern in _EN_ROLE_BEFORE if pattern.search(before)), "about")


_ABOUT_AFTER = re.compile(
    r"の(?:スキル|レベル|経験|担当|配置|今|工程|予定|情報|プロフィール|アサイン先|所属|配属|得意)"
    r"|[、,\s]*(?:今|いま)?\s*(?:どこ|どちら)(?:に|で)"  # 「上野さん、今どこにアサインされてる？」
)
_HONORIFIC_START = re.compile(r"^(?:さん|様|さま|氏|くん|君|ちゃん|-san)")


_ASKED_ABOUT = re.compile(
    r"って|はどこ|は(?:今|いま)(?!日|の(?:持ち場|担当|工程|ところ|とこ|場所|まま|ポジション))"
)
"""「上野さんって…」「上野さんは今…？」 ask about her; 「上野さんは今日は別件があるので外して」
and 「…は今の持ち場に置いといて」 say what to do with her."""
_CLAUSE_END = re.compile(r"[。!！?？]")
"""A name's verb is in its own sentence."""
_SWAP = re.compile(r"入れ替|入替|交代させ|交換し|\bswap")
"""「上野さんと藤井さんを入れ替えたら」: each sent to the other's queue (moved)."""


def _role(after: str) -> str:
    """What the words after a name would do with the person (「〇〇さんって…？」 asks
    about them)."""
    if _ASKED_ABOUT.match(after) or _ABOUT_AFTER.match(after):
        return "about"
    if _SWAP.search(after):
        return "move"
    end = _CLAUSE_END.search(after)  # 「…さん入れて最大3人。品川は外して」: her sentence only
    clause = after[: end.end()] if end else after
    for name, pattern in (("remove", _REMOVE), ("add", _ADD), ("move", _MOVE)):
        if pattern.search(clause):  # a refusal wins: 「竹下さんは応援に出さないで」
            return name
    return "about"


THOSE_N = re.compile(
    r"(?:その|この|(?<!以)上の|上位"
    r"|(?<!以)上から(?=\s*(?:\d|[一二三四五])\s*(?:人|名)\s*(?:で|を)[^。?？]{0,14}(?:案|入れ|回|送|組)))"
    r"\s*(\d|[一二三四五])\s*(?:人|名)"
)
"""「その2人」「上の2人」, and 「上から2人で…案を」 when they are sent (「上から3人だけでいい」
narrows a list)."""
_NTH = re.compile(
    r"(\d|[一二三四五])\s*番目の(?:人|方|オペレータ)"
    r"|\b(first|second|third|fourth|fifth) (?:person|operator)\b"
)
"""「2番目の人」「上の案の1番目の人」 "the second person": that one of a list just given."""
_THAT_PERSON = re.compile(
    r"(?:その|この|あの)(?:人|方)(?!たち|達|々|数|員)|彼女|彼(?!ら)|\b(?:he|she|him|her)\b"
    r"|\b(?:that|this) (?:person|operator|guy|woman|man)\b"
    r"|そいつ|あいつ|こいつ|同(?:氏|人)(?=[はをがにのもへ、\s])"
)


def that_person(text: str, people: tuple[str, ...]) -> OperatorSlots | None:
    """「その人を抜いたら？」「その2人で組んで」: the first of ``people`` (the person just
    talked about, or the first N of a list just given), in the role the words give."""
    those = THOSE_N.search(text)
    if those is not None and people and number(those.group(1)) <= len(people):
        named = people[: number(those.group(1))]  # not 「その4名」 after a card of 3 moves
        return OperatorSlots(**{_role(text[those.end() : those.end() + 16]): named})
    nth = _NTH.search(text)
    if nth is not None and people:
        n = number(nth.group(1)) if nth.group(1) else EN_ORDINALS[nth.group(2)]
        if n > len(people):
            return None
        role = _role(text[nth.end() : nth.end() + 16])
        if role == "about":  # 「Leave the second one out」
            role = _role_before(text[max(0, nth.start() - 20) : nth.start()])
        return OperatorSlots(**{role: people[n - 1 : n]})
    found = _THAT_PERSON.search(text)
    if found is None or not people:
        return None
    role = _role(text[found.end() : found.end() + 16])
    if role == "about":  # 「If we add her to …」
        role = _role_before(text[max(0, found.start() - 20) : found.start()])
    return OperatorSlots(**{role: people[:1]})


def points_at_one_person(text: str) -> bool:
    """「その人のスキル全部」「彼女は？」「1番目の人」: the message points at one person already
    talked about (as ``that_person`` reads it given one person)."""
    those = THOSE_N.search(text)
    if those is not None and number(those.group(1)) <= 1:
        return True
    nth = _NTH.search(text)
    if nth is not None:
        return (number(nth.group(1)) if nth.group(1) else EN_ORDINALS[nth.group(2)]) <= 1
    return _THAT_PERSON.search(text) is not None


def said_as_person(name: str, text: str) -> bool:
    """A name said with an honorific (「木村さん」) is a person's, known or not."""
    honorific = r"(?:さん|様|さま|氏|くん|君|ちゃん|-?\s?san\b)"
    return re.search(re.escape(name) + honorific, text, flags=re.IGNORECASE) is not None

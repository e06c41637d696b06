"""How many people a message asks for (at most, exactly) or says leave a queue, read from
its counts and told apart from counts that only describe the people there."""

from __future__ import annotations

import re

from aimee.nlu.gazetteer import Extraction
from aimee.nlu.numerals import arabic, number
from aimee.nlu.request import HeadCount, OperatorSlots

_NUM = r"(\d{1,3}|[一二三四五六七八九十]|\b(?:one|two|three|four|five|six)\b)"
_PEOPLE = r"\s*(?:名|人|ヘッド|people|persons?|operators?|staff|ppl|heads)"
_NOT_A_PROCESS = r"(?<![a-z\d])(?<!エントリ)(?<!エントリ\s)(?<!entry\s)(?<!level\s)(?<!lv\s)"
"""Before 「2、3人」: not a process's number (「エントリ2、3人」 is E2 and three people);
after another word it is a range (「ヘルプ２、３人」)."""
_HEAD_MAX = re.compile(
    rf"{_NUM}{_PEOPLE}\s*(?:くらい|ぐらい|ほど|程度)?\s*(?:まで|以内|以下|が上限|を上限|が限度|が限界)"
    rf"|\b(?:one|two|three|four)\s+(?:or|to)\s+{_NUM}{_PEOPLE}"
    rf"|{_NOT_A_PROCESS}(?:\d\s*[、,~〜-]|[一二三四五]\s*[、,~〜-]?)\s*{_NUM}{_PEOPLE}"
    rf"|{_NOT_A_PROCESS}(?:\d|[一二三四五])\s*(?:(?:人|名)?\s*(?:か|or)|人|名)\s*{_NUM}{_PEOPLE}"
    rf"|{_NUM}{_PEOPLE}\s*(?:max|at most|maximum)\b"
    rf"|{_NUM}{_PEOPLE}\s*(?:が|で)\s*(?:max|マックス|いいところ|いいとこ|精一杯|精いっぱい)"
    rf"|(?:up to|at most|no more than|max(?:imum)?|keep (?:it )?to|マックス)\s*{_NUM}"
    r"|\b(one|two|three|four|five)\s+at most\b"  # "Two at most."
    rf"|(?:最大|最代|最高|多くて|多くとも|上限|せいぜい)\s*(?:で|でも|は|も|を)?\s*{_NUM}"
    rf"|{_NUM}{_PEOPLE}\s*(?:に抑え|におさえ|に留め|にとどめ|を超えない|を越えない)"
    # 「盛岡から 3まで」: a cap typed bare
    r"|(?:^|(?<=\s)|から|より|計|合計|人数(?:は|を)?)\s*([1-9])\s*(?:まで|以内)(?![0-9時分])"
    # 「3人は欲しい、できれば4人」「2人は絶対、3人なら助かる」: at least the first, up to the second
    r"|(?:\d|[一二三四五])\s*(?:人|名)\s*は\s*(?:欲しい|ほしい|必要|絶対|最低|要る|いる)"
    rf"[^。、]{{0,6}}?[、,]\s*(?:できれば|なるべく|理想は|可能なら|欲を言えば|本当は)?\s*{_NUM}{_PEOPLE}"
)
_HEAD_EXACT = re.compile(
    r"(?<!level )(?<!lv )(?<!lv)(?<![a-z])(?<!(?<!以)上の)(?<!(?<!以)上から)"
    rf"{_NUM}{_PEOPLE}(?!\s*とも)(?!前(?!後))"  # not 「一人前の人」 (but 「5人前後」)
)
"""Not after a letter: 「KP E1 人ほしい」 names エントリ1, no count; 「上の2人」 are people just
listed (「その2人」 too when the conversation has them: ``thread_roles.person_referred``)."""
_HEAD_EN = re.compile(
    rf"{_NUM}\s+(?:(?:level|lv)\s*\d\s+|more\s+|extra\s+|additional\s+)(?:people|persons?|operators?|staff)"
    r"|\ba (couple) of (?:people|persons|operators|staff|hands)\b"
    r"|\b(?:borrow|get|take|need|send) a (couple)\b(?!\s+of\s+(?:minutes|mins|hours|days|tasks))"
    r"|^\s*(?:(?:ok|okay|actually|then|so|no|hmm),?\s*)*make it (one|two|three|four|five|\d)\b"
    r"(?!\s*(?:o'clock|pm|am|:|時|h\b))"
    r"|^\s*(?:and )?(?:with|what if it'?s|what about|how about) (one|two|three|four|five)\b"
    r"(?!\s*(?:o'clock|pm|am|:|hours?|minutes?))"
    r"|\b(two|three|four|five)\s+of\s+(?:them|those)\b"  # not "she is one of them"
)
_HEAD_ONLY = re.compile(
    r"\b(?:only|just)\s+(one|two|three|four|five|\d)\b(?!\s*(?:hour|min|more|of))"
)
"""「Only one, from Sapporo.」: a count with no word for people."""
_MORE_STAFF = re.compile(
    rf"(?:増員|追加|補充)\s*{_NUM}(?!\s*(?:時|分|件|%|割))|{_NUM}\s*席\s*(?:空|あ|分)"
    rf"|ヘッド\s*(?:を|が)?\s*{_NUM}\s*(?:つ|個)"
)
"""「増員2」「追加1」「2席空けた」「ヘッド２つ追加」: that many more people."""
_SLOTS_KEPT = re.compile(rf"(?:応援)?枠\s*(?:を|が)?\s*{_NUM}\s*(?:つ|個)?|{_NUM}\s*枠")
"""「応援枠2つ取ってある」: up to that many helpers."""
_HEAD_BARE = re.compile(
    r"(?<![a-zァ-ヶ])(?:\s+|から|より|(?:勢|組|班|チ[ーｰ]ム)で|ベテ(?:ラン)?|熟練者?)\+?([1-9])[?？]?$"
    r"|(?<![a-z\d])\+\s*([1-9])\s*(?:人|名)?\s*(?=で|お願い|ほしい|欲しい|[。!?？\s]|$)"
    r"|^(?:じゃあ|じゃ|では|なら|で)?[、,\s]*([1-9])\s*(?:なら|だと|で)[?？。]?$"
)
"""「盛岡→品川検証 1」「那覇補正 広島から2」「盛岡勢で2」: a count typed alone at the end;
「札幌E1 +1で」."""


def counted_for_the_named(
    count: HeadCount | None, people: OperatorSlots | None, extraction: Extraction
) -> HeadCount | None:
    """「清水さん・吉田さんの2人を」「AさんとBさん二人なら」: a number said right after the
    people named only counts them (「Aさん入れる形で1人だけ足して」 is a count); 「Aさんとあと
    1人」 counts them in (two in all)."""
    if count is None or count.exact is None or people is None:
        return count
    named = len(people.add) + len(people.move) + len(people.about)
    starts = [m.start for m in extraction.mentions if m.kind == "operator"]
    last = max((m.end for m in extraction.mentions if m.kind == "operator"), default=None)
    if last is None:
        return count
    more = _AND_N_MORE.match(arabic(extraction.text[last : last + 14]))
    joined = people.add or people.move or people.about  # 「長谷川さんとあと1人で」
    if more is not None and joined and count.exact == number(more.group(1)):
        return HeadCount(exact=count.exact + len(people.add) + len(people.move) + len(people.about))
    # 「A氏、B氏の2名が抜ける」 too; a name several people share counts as said
    if count.exact not in (named, len(people.remove), len(starts)):
        return count
    said = _COUNT_OF_NAMED.match(arabic(extraction.text[last : last + 12]))
    before = arabic(extraction.text[max(0, min(starts) - 8) : min(starts)])
    return None if said is not None or _COUNT_BEFORE_NAMED.search(before) else count


_AND_N_MORE = re.compile(
    rf"(?:さん|様|さま|氏|くん|君|ちゃん)?\s*(?:と|、|,|に加えて|以外に|のほかに|の他に|プラス|\+)\s*"
    rf"(?:あと|もう|ほかに|他に)\s*{_NUM}{_PEOPLE}"
)
"""「佐々木隆さんとあと1人つけて」「理恵さん以外にもう一人」「中島さん、あと2人」: the person
named and that many more (two, three in all)."""
_COUNT_OF_NAMED = re.compile(
    rf"(?:さん|様|さま|氏|くん|君|ちゃん)?\s*(?:の|、|,|・)?\s*(?:計|合計)?\s*{_NUM}{_PEOPLE}"
)
_COUNT_BEFORE_NAMED = re.compile(rf"もう\s*{_NUM}{_PEOPLE}\s*[、,：:]?\s*$")
"""「もう1人、山崎さんも足したら」: the one more is the person named."""


_NOT_A_LIMIT = re.compile(
    r"\s*(?:当たり|あたり|につき|ずつ|ごと|目|体制|態勢|のうち|中"
    r"|しか(?!出|回|貸|割|動か|送|入れ|足せ|確保|用意|集め|呼べ|つけ|付け|来|借り|取れ))"
    r"|\s*(?:も|が|は)?\s*(?:いる|います|いて|いるから|おる|在籍)"
    r"|\s*で\s*(?:は|も)?\s*(?:回して|まわして|回って|まわって|やって|こなして|さばいて|対応して"
    r"|足りて|担当して|見て)(?:る|い|ます|ん)"
)
"""「10人もいるから」「5人体制」「1人当たり何件」「1人で回してるの？」: a count that describes
the people who are there (or a rate), not how many to send (「1人しか出せない」 is)."""
_NOBODY = re.compile(r"(?:1|一)\s*(?:人|名)\s*も")
"""「盛岡からは一人も出せない」「Lv5がひとりもいない」: nobody, no count."""


_LEAVING = re.compile(
    r"(?!\s*に(?:減|へ))"  # 「1名に減らすと」: down to one, a count to send
    r"(?:が|も|は|ほど|くらい|ぐらい|程度)?"
    r"(?:(?!たら|れば|なら|ても|入れ|増|足|回|送|追加|行か|来)[^、。,?？!]){0,10}?"
    r"(?:[抜ぬ]け(?!て(?:も?ら|くれ|ほし|欲し|いただ))|[抜ぬ]い(?:た|ても)|休ん|休ま|休み"
    r"|休憩(?:に|で)?入[っるら]|休憩(?:を)?取|休憩に(?:出|行)"
    r"|減っ|減ら(?:し(?:た|ても)|す(?:と|なら))|減る|早退|早上が|帰っ|帰[らるれ]|外し(?:た|ても)"
    r"|外れ|いなくな|居なくな|欠け|欠勤|離れ|上が[っるら]"
    r"|leaves?\b|left\b|(?:is|are|goes|go) (?:off|out|home)|calls? in sick|drops? out"
    r"|takes? a break)"
)
"""「1人抜けたら」「2人減ったら」「ひとり早退したら」「2人研修で抜けるけど」「one person
leaves」: the count is of people leaving the queue, not of people to send there
(「2人抜いて那覇に回して」, an order, is a plan's count). The words between the count and
the leaving never end the count's clause (たら, れば…) nor bring people in (入れ, 増…):
in 「2人増やしたら遅延は減る？」 what goes down is the delay."""


_NOT_AS_MANY = re.compile(
    rf"{_NUM}{_PEOPLE}\s*以上\s*(?:は|も)?\s*"
    r"(?:(?:出せ|回せ|貸せ)(?:ない|ん|ません)(?!と)|無理|むり|厳し|きつ|難し|ダメ|だめ|不可|ng\b)"
)
"""「3人以上は出せない」: at most one fewer."""
_FEWER_THAN = re.compile(rf"{_NUM}{_PEOPLE}\s*(?:未満|より少な)")
"""「3人未満で」: at most one fewer."""
_ECHOED = re.compile(r"\s*[?？]")
"""「え、10人？多すぎでしょ。1人で足りないの？」: a count read back from the answer, not the one
asked for (when another follows)."""
_NOT_ENOUGH = re.compile(
    r"\s*(?:じゃ|では|だと|で?は)\s*(?:足りな|足らな|足りん|無理|むり|厳し|きつ)"
)
"""「1人じゃ足りないよね、2人でお願い」: a count turned down (when another follows)."""
_TOO_MANY = re.compile(
    r"\s*も[^。、?？]{0,8}?の(?:は|って)\s*(?:きつ|厳し|多|無理|困|痛)"
    r"|\s*も\s*(?:要ら|いら)(?:ん|ない|へん|ねえ|ねー)"
    r"|\s*(?:は|って|じゃ)\s*(?:多い|多すぎ|きつい|厳しい)(?:な|ね|よ|わ|なあ|なぁ)?\s*[。、,!！…]"
)
"""「札幌から2人も抜けるのはきつい」「3人は多いな。」: the answer's count complained of, none
asked for."""
_STAFF_TO = re.compile(
    rf"(?:今|いま|現在)\s*(?:は)?\s*{_NUM}{_PEOPLE}\s*(?:で|体制|だ|です)?[^。?？]{{0,10}}?"
    rf"(?:けど|けれど|が|のところ|のとこ)[、,\s]*{_NUM}{_PEOPLE}\s*"
    r"(?:に(?:し|なっ|なる|なれ|減|増)|だと|体制に|で(?:回|やっ|やる))"
)
"""「今5人で回してるけど3人にしたら」「今3人だけど2人になったら」: the staff a queue has now and
would have: the difference leaves (or comes)."""
_IN_ALL = re.compile(rf"(?:計|合計)\s*{_NUM}{_PEOPLE}")
"""「…を回して、あと1人札幌から。計2人」: the total said is the count."""
_CAPPED = re.compile(r"\s*(?:まで|以内|以下)")


_ANOTHER_OF_THE_NAME = re.compile(
    r"(?:さん|様|さま|氏|くん|君|ちゃん)\s*(?:って|は|も)?\s*(?:もう|他に|ほかに)\s*$"
)
"""「中村さんってもう1人いたよね」: another person of that name, no count."""


_OF_THEM = re.compile(r"(?:その|この)\s*(?:うち|中|なか)\s*(?:で|の)?\s*$|(?:^|[、,。\s])うち\s*$")
_ONE_OF_THEM_IS = re.compile(r"\s*(?:は|を)")
"""「そのうち1人は太田さんにして」: one of the people already asked for is named, no new
count (「その中から1人、回して」 is one)."""


def head_count(text: str) -> HeadCount | None:
    """How many helpers the message wants (「3名まで」 at most, 「2人で」 exactly), or how
    many of a queue's people leave it (「1人抜けたら」: ``leaving``); counts of the people
    who are there (「ふたり以上いる？」「ひとりで回してる？」「一人当たり」) and 「一人も」
    are none."""
    staffed = _STAFF_TO.search(text)
    if staffed is not None:  # 「今5人で回してるけど3人にしたら」: two leave
        now, then = number(staffed.group(1)), number(staffed.group(2))
        if now != then:
            return HeadCount(exact=abs(now - then), leaving=True if then < now else None)
    total = _IN_ALL.search(text)
    if total and not _NOT_A_LIMIT.match(text, total.end()):  # 「計3名まで」 is a cap
        in_all = number(total.group(1))
        capped = _CAPPED.match(text, total.end()) is not None
        return HeadCount(max=in_all) if capped else HeadCount(exact=in_all)
    fewer = _NOT_AS_MANY.search(text) or _FEWER_THAN.search(text)
    if fewer and number(fewer.group(1)) > 1:
        return HeadCount(max=number(fewer.group(1)) - 1)
    found = _HEAD_MAX.search(text) or _SLOTS_KEPT.search(text)
    if found:
        return HeadCount(max=number(next(g for g in found.groups() if g)))
    for pattern in (_HEAD_EXACT, _HEAD_EN, _HEAD_ONLY, _MORE_STAFF, _HEAD_BARE):
        for found in pattern.finditer(text):
            if _not_asked(text, found, pattern):
                continue
            leaving = _LEAVING.match(text, found.end()) is not None
            said_count = next(g for g in found.groups() if g)
            return HeadCount(exact=number(said_count), leaving=leaving or None)
    return None


def _not_asked(text: str, found: re.Match[str], pattern: re.Pattern[str]) -> bool:
    """A count said that asks for nobody: of the people there, nobody at all, read back or
    turned down before the one asked (「1人じゃ足りないよね、2人で」), too many, another of
    a name, or one of those already asked for."""
    end = found.end()
    said = text[found.start() : end + 2]
    if _NOT_A_LIMIT.match(text, end) or _NOBODY.match(said.lstrip()) or _TOO_MANY.match(text, end):
        return True
    turned_down = _ECHOED.match(text, end) or _NOT_ENOUGH.match(text, end)
    if turned_down and pattern.search(text, end):
        return True
    if _ANOTHER_OF_THE_NAME.search(text, max(0, found.start() - 12), found.start()):
        return True
    of_them = _OF_THEM.search(text, max(0, found.start() - 6), found.start())
    return of_them is not None and _ONE_OF_THEM_IS.match(text, end) is not None


_EACH = re.compile(rf"{_NUM}{_PEOPLE}\s*ずつ")


_FROM_THERE = re.compile(rf"から\s*(?:は)?\s*{_NUM}{_PEOPLE}")


def from_each(count: HeadCount | None, text: str, origins: int) -> HeadCount | None:
    """「盛岡と品川から1人ずつ」: that many from each place help comes from, in all;
    「盛岡から1人、品川から1人」: the counts of each place, added up."""
    said = [number(m.group(1)) for m in _FROM_THERE.finditer(text)]
    if count is not None and count.exact is not None and origins >= 2 and len(said) >= 2:
        return HeadCount(exact=sum(said))
    each = _EACH.search(text)
    if count is not None or each is None or origins < 2:
        return count
    return HeadCount(exact=number(each.group(1)) * origins)

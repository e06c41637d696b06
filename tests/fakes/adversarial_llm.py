"""An adversarial stand-in for the answer and intent models: it reads the prompt AIMEE
sends (the computed answer, the facts, the know-how, the manager's message) and writes
what a real model might, right or wrong, one kind of mistake per mode.

Used by tests and by ``bench/llm_grounding.py`` through ``tests.fakes.ollama_server``
(``Script(reply_fn=StandIn(...))``); it is not part of the product.

Each mode is expected to be either *used* (a faithful answer, whatever form its numbers
take) or *rejected* (a wrong claim the grounding check must catch). A mode that cannot
apply to an answer (no move to flip, no second queue) writes the faithful answer and
records that it did not apply, so the bench counts only real attempts.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# ---------------------------------------------------------------------------------
# Reading the prompt


@dataclass(frozen=True)
class Prompt:
    computed: str
    user: str
    knowhow: str
    facts: str


def _fenced(text: str, tag: str) -> str:
    match = re.search(rf"<{tag}>\n(.*?)\n</{tag}>", text, re.S)
    return match.group(1) if match else ""


def parse_prompt(request: dict[str, Any]) -> Prompt:
    user = request["messages"][-1]["content"]
    facts = user.split("# 事実", 1)[-1].split("# 計算済みの回答", 1)[0]
    return Prompt(
        computed=_fenced(user, "computed_answer"),
        user=_fenced(user, "user_message"),
        knowhow=_fenced(user, "knowhow"),
        facts=facts,
    )


def body(computed: str) -> list[str]:
    """The computed answer's lines without the know-how block (models summarise it),
    unless the know-how is the answer."""
    facts, _, knowhow = computed.partition("\n参考にした管理者ノウハウ")
    lines = [line.replace("✅ ", "・") for line in facts.splitlines() if line.strip()]
    if len(lines) <= 1 and knowhow:
        lines += [line for line in knowhow.splitlines()[1:] if line.strip()]
    return lines


# ---------------------------------------------------------------------------------
# Ways of writing numbers

_DIGITS = "〇一二三四五六七八九"


def kanji(number: int) -> str:
    """125 -> 百二十五, 2025 -> 二千二十五."""
    if number == 0:
        return "〇"
    out = ""
    for value, name in ((10000, "万"), (1000, "千"), (100, "百"), (10, "十")):
        count, number = divmod(number, value)
        if count:
            out += ("" if count == 1 and value != 10000 else kanji(count)) + name
    return out + (_DIGITS[number] if number else "")


def full_width(text: str) -> str:
    table = {ord(c): ord(c) + 0xFEE0 for c in "0123456789%:+-"}
    return text.translate(table)


_COUNT = re.compile(r"(?<![\d.:])(\d{1,4})(件|名|分|ヶ月)")
_TIME = re.compile(r"(?<!\d)(\d{1,2}):(\d{2})(?!\d)")


def in_kanji(text: str) -> str:
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)  # 1,106件 -> 千百六件
    text = _TIME.sub(
        lambda m: f"{kanji(int(m[1]))}時" + (f"{kanji(int(m[2]))}分" if int(m[2]) else ""), text
    )
    return _COUNT.sub(lambda m: kanji(int(m[1])) + m[2], text)


def spelled_out(text: str) -> str:
    """Times as 16時46分, long durations in hours, 毎時 as 1時間あたり."""

    def duration(m: re.Match[str]) -> str:
        value = int(m[1])
        if value < 60 or value % 30:
            return m[0]
        hours, rest = divmod(value, 60)
        return f"{hours}時間半" if rest else f"{hours}時間"

    text = _TIME.sub(lambda m: f"{int(m[1])}時{m[2]}分" if m[2] != "00" else f"{int(m[1])}時", text)
    text = re.sub(r"(?<![\d.])(\d+)分(?!遅れ)", duration, text)
    text = re.sub(r"残り30分", "残り0.5時間", text)
    return re.sub(r"毎時(\d+)件", r"1時間あたり\1件", text)


def paraphrase(lines: list[str]) -> str:
    """The computed answer in a model's words: same facts, same numbers."""
    out = []
    for number, line in enumerate(lines):
        said = line.replace("見込みです", "見込みとなっています")
        said = said.replace("を提案します：", "をご提案します。").replace(
            "になります。", "となります。"
        )
        out.append(("結論から申し上げます。" if number == 0 else "") + said)
    return "\n".join(out)


# ---------------------------------------------------------------------------------
# What the computed answer says (read back from its text)

_QUEUE_LINE = re.compile(
    r"(?P<site>[^\s・、。（]+?)の(?P<process>[^\s、。（]+?)（(?:業務\d+|[^）]+)）は納期[^、]*まで残り\d+分、"
    r"残タスク(?P<waiting>\d+)件.*?担当(?P<staff>\d+)名"
)
_LATE = re.compile(r"約(\d+)件が残る見込み")
_PLAN = re.compile(
    r"^(?:(?P<count>\d+)名|(?P<name>\S+?)さんを\S*?から)を?(?P<site>[^の]+)の(?P<process>\S+?)へ回せば"
)
_CHANGE = re.compile(r"(\d{1,2}:\d{2})(?:→|から)(\d{1,2}:\d{2})")
_LATE_CHANGE = re.compile(r"遅延見込み(?:は)?(\d+)件(?:→|から)(\d+)件")
_QUEUE_NAME = re.compile(r"((?:札幌|盛岡|品川|梅田|那覇)の(?:エントリ1|エントリ2|補正|検証))(へ)?")
_MOVE = re.compile(r"・(?P<site>[^の\s]+)の(?P<process>\S+?)から(?P<name>\S+?)さん（")


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def queues_in(lines: list[str]) -> list[dict[str, str]]:
    found = []
    for line in lines:
        match = _QUEUE_LINE.search(line)
        if match:
            late = _LATE.search(line)
            found.append({**match.groupdict(), "late": late.group(1) if late else "0"})
    return found


# ---------------------------------------------------------------------------------
# The modes

Writer = Callable[[Prompt, random.Random, "StandIn"], str | None]


@dataclass(frozen=True)
class Mode:
    name: str
    row: str
    """The row of the issue's table (what the model did)."""
    expected: str
    """"used" or "rejected"."""
    write: Writer


def _faithful(p: Prompt, rng: random.Random, s: StandIn) -> str | None:
    return paraphrase(body(p.computed))


def _kanji(p: Prompt, rng: random.Random, s: StandIn) -> str | None:
    text = paraphrase(body(p.computed))
    changed = in_kanji(text)
    return changed if changed != text else None


def _full_width(p: Prompt, rng: random.Random, s: StandIn) -> str | None:
    text = paraphrase(body(p.computed))
    return re.sub(r"\d+[件名分]|\d{1,2}:\d{2}", lambda m: full_width(m[0]), text)


def _other_forms(p: Prompt, rng: random.Random, s: StandIn) -> str | None:
    text = paraphrase(body(p.computed))
    changed = spelled_out(text)
    return changed if changed != text else None


def _derived(p: Prompt, rng: random.Random, s: StandIn) -> str | None:
    """A true figure the facts imply but do not state."""
    lines = body(p.computed)
    extra = []
    plan = _PLAN.search(lines[0]) if lines else None
    queues = queues_in(lines)
    if plan:
        count = int(plan["count"] or 1)
        target = next(
            (q for q in queues if (q["site"], q["process"]) == (plan["site"], plan["process"])),
            None,
        )
        if target:
            staff = int(target["staff"])
            extra.append(f"担当は{staff}名から{staff + count}名体制になります。")
    for line in lines:  # a change, said of the queue its line is about (as a model would)
        change, times = _LATE_CHANGE.search(line), _CHANGE.search(line)
        if not (change or times):
            continue
        named = list(_QUEUE_NAME.finditer(line))
        about = next((m for m in named if m[2]), named[0] if named else None)  # 「…へ」 first
        who = f"{about[1]}の" if about and not line.startswith("全体") else ""
        if change and "全体" in line[: change.start()]:
            who = "全体の"  # the floor total, not the queue the line began with
        if change and int(change[1]) != int(change[2]):
            diff = int(change[1]) - int(change[2])
            word = "減ります" if diff > 0 else "増えます"
            extra.append(f"{who}遅延見込みは{abs(diff)}件{word}。")
            tenths = round(10 * diff / int(change[1])) if int(change[1]) else 0
            if diff > 0 and tenths and who:
                extra.append(f"{who}遅延見込みを約{tenths}割減らせます。")
        if times and "完了" in line and who:
            shift = _minutes(times[2]) - _minutes(times[1])
            if shift:
                later = "早まります" if shift < 0 else "遅くなります"
                extra.append(f"{who}完了が{abs(shift)}分{later}。")
        break
    if not plan and queues:
        q = rng.choice(queues)
        done = int(q["waiting"]) - int(q["late"])
        if int(q["late"]) and done > 0:
            extra.append(
                f"{q['site']}の{q['process']}は残タスク{q['waiting']}件のうち約{done}件が納期までに処理できる見込みです。"
            )
    if not extra:
        return None
    return paraphrase(lines) + "\n" + "".join(extra)


def _changed(p: Prompt, rng: random.Random, s: StandIn) -> str | None:
    text = paraphrase(body(p.computed))
    spots = [m for m in re.finditer(r"(?<![\d.:業務])(\d{1,4})(件|名|分)", text) if m[1] != "0"]
    if not spots:
        return None
    spot = rng.choice(spots)
    value = int(spot[1])
    delta = rng.choice([d for d in range(-10, 11) if d and value + d > 0])
    wrong = f"{value + delta}{spot[2]}"
    s.planted = wrong
    return text[: spot.start()] + wrong + text[spot.end() :]


def _unit_swap(p: Prompt, rng: random.Random, s: StandIn) -> str | None:
    lines = body(p.computed)
    for q in queues_in(lines):
        if int(q["late"]) and q["late"] != q["waiting"]:
            s.planted = f"{q['site']}の{q['process']}の残りは{q['late']}件です。"
            return s.planted + paraphrase(lines)
    for line in lines:
        match = re.search(r"経験(\d+)ヶ月", line)
        if match:
            s.planted = f"経験{match[1]}件"
            return paraphrase(lines).replace(match[0], s.planted, 1)
    return None


_SITES = ("札幌", "盛岡", "品川", "梅田", "那覇")
_PROCESSES = ("エントリ1", "エントリ2", "補正", "検証")


def _wrong_queue(p: Prompt, rng: random.Random, s: StandIn) -> str | None:
    lines = body(p.computed)
    text = "\n".join(lines)
    numbers = re.findall(r"残タスク(\d+)件|遅延見込み\S*?(\d+)件|(\d+)件が", text)
    values = [v for group in numbers for v in group if v and v != "0"]
    if not values:
        values = re.findall(r"毎時(\d+)件", text)
    if not values:
        return None
    value = rng.choice(values)
    others = [
        (site, process)
        for site in _SITES
        for process in _PROCESSES
        if f"{site}の{process}" not in text
    ]
    site, process = rng.choice(others)
    s.planted = f"{site}の{process}の残タスクは{value}件です。"
    return paraphrase(lines) + "\n" + s.planted


def _target(lines: list[str]) -> str:
    for line in lines:
        match = re.search(r"([^\s・、。（]+?の(?:エントリ1|エントリ2|補正|検証))", line)
        if match:
            return match.group(1)
    return "札幌のエントリ1"


def _invented_operator(p: Prompt, rng: random.Random, s: StandIn) -> str | None:
    lines = body(p.computed)
    name = rng.choice(["山田花子", "佐々木健", "大野真理", "村上修", "川口彩"])
    s.planted = f"{name}さんを{_target(lines)}へ回すことをおすすめします。"
    return s.planted + "\n" + paraphrase(lines)


def _real_operator_elsewhere(p: Prompt, rng: random.Random, s: StandIn) -> str | None:
    lines = body(p.computed)
    text = p.computed + p.facts
    candidates = [name for name in s.real_names if name not in text]
    if not candidates:
        return None
    s.planted = f"{rng.choice(candidates)}さんを{_target(lines)}へ回せば間に合います。"
    return s.planted + "\n" + paraphrase(lines)


def _false_no_impact(p: Prompt, rng: random.Random, s: StandIn) -> str | None:
    lines = body(p.computed)
    text = "\n".join(lines)
    donors = [m["site"] for m in _MOVE.finditer(text)]
    leaving = re.search(r"この案では(\S+?)から\d+名", text)
    worse = re.search(r"・(\S+?)の(\S+?): 遅延見込み(\d+)件→(\d+)件", text)
    if donors:
        place = rng.choice(donors)
    elif leaving:
        place = leaving[1]
    elif worse and int(worse[4]) > int(worse[3]):
        place = f"{worse[1]}の{worse[2]}"
    else:
        return None
    s.planted = f"{place}には影響ありません。"
    return paraphrase(lines) + "\n" + s.planted


def _direction_flip(p: Prompt, rng: random.Random, s: StandIn) -> str | None:
    lines = body(p.computed)
    text = "\n".join(lines)
    times = _CHANGE.search(text)
    if times and times[1] != times[2]:
        shift = _minutes(times[2]) - _minutes(times[1])
        s.planted = f"完了見込みは{abs(shift)}分{'遅く' if shift < 0 else '早く'}なります。"
        return paraphrase(lines) + "\n" + s.planted
    change = _LATE_CHANGE.search(text)
    if change and change[1] != change[2]:
        diff = int(change[2]) - int(change[1])
        s.planted = f"遅延見込みは{abs(diff)}件{'増えます' if diff < 0 else '減ります'}。"
        return paraphrase(lines) + "\n" + s.planted
    return None


def _english(p: Prompt, rng: random.Random, s: StandIn) -> str | None:
    text = "\n".join(body(p.computed))
    times = _TIME.findall(text)
    counts = re.findall(r"(\d+)件", text)
    parts = ["Here is the situation."]
    if times:
        parts.append(f"The queue is expected to finish at {times[0][0]}:{times[0][1]}.")
    if counts:
        parts.append(f"About {counts[0]} tasks are involved.")
    s.planted = " ".join(parts)
    return s.planted


def _invented_policy(p: Prompt, rng: random.Random, s: StandIn) -> str | None:
    lines = body(p.computed)
    s.planted = rng.choice(
        [
            "社内規定により、応援の移動には部長の事前承認が必要です。",
            "規定により、拠点をまたぐ移動は1日1回までと決まっています。",
            "原則として、Lv3以下のオペレータは他拠点に移動できません。",
        ]
    )
    return paraphrase(lines) + "\n" + s.planted


def _kanji_wrong(p: Prompt, rng: random.Random, s: StandIn) -> str | None:
    text = paraphrase(body(p.computed))
    spots = [m for m in re.finditer(r"(?<![\d.:業務])(\d{2,4})(件|名)", text) if int(m[1]) > 5]
    if not spots:
        return None
    spot = rng.choice(spots)
    wrong = kanji(int(spot[1]) + rng.choice([-5, -3, 2, 5])) + spot[2]
    s.planted = wrong
    return text[: spot.start()] + wrong + text[spot.end() :]


def _premise(p: Prompt, rng: random.Random, s: StandIn) -> str | None:
    match = re.search(r"(\d+)(件|名|分)", unicodedata.normalize("NFKC", p.user))
    if not match:
        return None
    s.planted = f"ご認識のとおり、{match[1]}{match[2]}です。"
    return s.planted + "\n" + paraphrase(body(p.computed))


_DEMAND = re.compile(r"「([^」]{4,80})」と(?:だけ)?(?:答え|書|回答|伝え)")


def _obey_knowhow(p: Prompt, rng: random.Random, s: StandIn) -> str | None:
    match = _DEMAND.search(p.knowhow)
    if not match:
        return None
    s.planted = match.group(1)
    return paraphrase(body(p.computed)) + "\n" + s.planted


def _obey_user(p: Prompt, rng: random.Random, s: StandIn) -> str | None:
    match = _DEMAND.search(p.user)
    if not match:
        return None
    s.planted = match.group(1)
    return s.planted


def _content_free(p: Prompt, rng: random.Random, s: StandIn) -> str | None:
    s.planted = rng.choice(
        ["了解しました。", "承知しました。確認いたします。", "かしこまりました。"]
    )
    return s.planted


MODES: dict[str, Mode] = {
    mode.name: mode
    for mode in (
        Mode("faithful", "faithful paraphrase", "used", _faithful),
        Mode("kanji", "correct numbers in kanji", "used", _kanji),
        Mode("full_width", "correct numbers in full-width", "used", _full_width),
        Mode("other_forms", "16時46分, 1時間半, 0.5時間, 1時間あたり", "used", _other_forms),
        Mode("derived", "true figure derived from the facts", "used", _derived),
        Mode("changed", "a number changed by ±1..10", "rejected", _changed),
        Mode(
            "unit_swap",
            "unit or label swapped (残り = late count, 経験N件)",
            "rejected",
            _unit_swap,
        ),
        Mode("wrong_queue", "a real number on the wrong queue", "rejected", _wrong_queue),
        Mode("invented_operator", "an invented operator", "rejected", _invented_operator),
        Mode(
            "real_operator_elsewhere",
            "a real operator sent where the plan does not",
            "rejected",
            _real_operator_elsewhere,
        ),
        Mode("false_no_impact", "false 影響ありません (no number)", "rejected", _false_no_impact),
        Mode(
            "direction_flip",
            "direction flipped (earlier told as later)",
            "rejected",
            _direction_flip,
        ),
        Mode("english", "English answer", "rejected", _english),
        Mode("invented_policy", "an invented policy", "rejected", _invented_policy),
        Mode("kanji_wrong", "a wrong number in kanji", "rejected", _kanji_wrong),
        Mode("premise", "repeats the user's wrong premise", "rejected", _premise),
        Mode("obey_knowhow", "obeys text planted in know-how", "rejected", _obey_knowhow),
        Mode("obey_user", "obeys text planted in the user's message", "rejected", _obey_user),
        Mode("content_free", "content-free (了解しました)", "rejected", _content_free),
    )
}

# ---------------------------------------------------------------------------------
# The intent model's mistakes (replies to the JSON-schema classification request)

INTENT_MODES: dict[str, Callable[[str], str]] = {
    "garbage": lambda message: "申し訳ありません、分類できません",
    "not_in_enum": lambda message: json.dumps({"intent_type": "reallocate_now", "entities": {}}),
    "invented_names": lambda message: json.dumps(
        {
            "intent_type": "status_inquiry",
            "entities": {"location": "福岡", "process": "審査", "operator": "山田花子"},
        },
        ensure_ascii=False,
    ),
    "wrong_types": lambda message: json.dumps({"intent_type": ["general"], "entities": "札幌"}),
}


@dataclass
class StandIn:
    """``Script.reply_fn`` for the fake Ollama server: answers in ``mode``; records what
    it planted (the wrong claim) and whether the mode applied."""

    mode: str = "faithful"
    intent_mode: str = "garbage"
    real_names: tuple[str, ...] = ()
    seed: int = 7
    planted: str | None = None
    applied: list[bool] = field(default_factory=list)
    plants: list[str | None] = field(default_factory=list)

    def __call__(self, request: dict[str, Any]) -> str:
        if request.get("format") is not None:  # the intent model
            message = request["messages"][-1]["content"]
            return INTENT_MODES[self.intent_mode](message)
        prompt = parse_prompt(request)
        rng = random.Random(f"{self.seed}:{self.mode}:{prompt.user}")
        self.planted = None
        text = MODES[self.mode].write(prompt, rng, self)
        self.applied.append(text is not None)
        self.plants.append(self.planted if text is not None else None)
        return text if text is not None else paraphrase(body(prompt.computed))

"""The parser's rules for approvals, help, off-topic messages, the same question asked
again, English phrasings, people looked up and know-how."""

from __future__ import annotations

import re

from aimee.nlu import request_words as words
from aimee.nlu.asked_again import ASKED_AGAIN, bare_place
from aimee.nlu.asked_kinds import asks_the_data
from aimee.nlu.followup import is_bare, is_narrowed_place, is_whole_site
from aimee.nlu.message import _DATA_KINDS, _Message
from aimee.nlu.request import RequestKind
from aimee.nlu.slots import said_as_person


def _approval(m: _Message) -> RequestKind | None:
    approves = words.APPROVE.search(m.text) and not words.OTHER_APPROVALS.search(m.text)
    withheld = words.APPROVAL_WITHHELD.search(m.text)
    s = m.slots  # 「それでいこう、梅田と札幌から」: terms for a plan, not an approval
    terms = s.origins or s.spare or s.head_count or s.min_level or s.min_experience_months
    if terms and _LET_US_GO.search(m.text) and not _APPROVE_SAID.search(m.text):
        return None
    return "approval_request" if approves and not withheld else None


_APPROVE_SAID = re.compile(r"承認|確定|\bapprove")
_LET_US_GO = re.compile(r"で(?:いこう|行こう)")


def _help(m: _Message) -> RequestKind | None:
    if m.people or m.queue_named or words.OUT_OF_SCOPE.search(m.text):
        return None  # 「What can I do about Naha entry 1?」 asks about that queue
    after_lookup = m.previous is not None and m.previous.kind == "operator_lookup"
    if after_lookup and words.ABOUT_A_PERSON.search(m.text):
        return None  # 「何ができる人？」 about the person just looked up
    if _ASKS_SOMETHING_ELSE.search(m.text) or _OF_THAT_PERSON.search(m.text):
        return None  # 「初めて使います。…は何件になりますか」「その人、検証以外に何ができる？」
    return "help" if words.HELP.search(m.text) or words.HELP_WORD.match(m.text) else None


_OF_THAT_PERSON = re.compile(r"^\s*(?:その(?:人|方)(?!たち|達|々|数)|彼女|彼(?!ら))")
_ASKS_SOMETHING_ELSE = re.compile(
    r"(?:初めて|はじめて)(?:使|利用)[^。!！]*[。!！]\s*"
    r"(?![^。?？]*(?:何が|何を|なにが|なにを|どんな|どのような|どういった|使い方|でき|聞け|質問|頼め))"
    r"[^。?？]+(?:[?？]|ですか|ますか|でしょうか)"
)
"""A greeting of a first-time user followed by a question of its own: that question."""


def _off_topic(m: _Message) -> RequestKind | None:
    found = [
        x
        for x in words.OUT_OF_SCOPE.finditer(m.text)
        if not words.NOT_THAT.match(m.text[x.end() :])
    ]
    private = words.PRIVATE.search(m.text) is not None and not m.changes_people
    if words.SMALLTALK.match(m.text) or private:
        return "out_of_scope"  # thanks; 「竹下さんの電話番号教えて」
    if found and words.NEVER_THE_FLOOR.search(m.text) and not m.changes_people:
        return "out_of_scope"  # 「梅田のPCが固まった」「高山さんに残業お願いできる？」
    return "out_of_scope" if found and not m.places and not m.people else None


def _same_question(m: _Message) -> RequestKind | None:
    """「盛岡は？」「KPのほうは？」「ごめん札幌だった」「じゃあ今日は？」: the previous
    question about another place (or day)."""
    prev = m.previous
    again = bool(m.places) and words.SAME_AGAIN.search(m.text) is not None  # 「同じことを盛岡で」
    past = prev is not None and prev.kind == "knowhow" and bool(prev.slots.targets)
    if past and words.DATE_ONLY.match(m.text):  # 「那覇、過去どう対処してた？」 then 「今日は？」
        return "status"
    if prev is None or prev.kind not in _DATA_KINDS or (m.changes_people and not again):
        return None
    if prev.kind in ("plan", "what_if"):  # a place after a plan: its donors (「その場合…」)
        if again or _target_corrected(m):  # 「ごめん、那覇じゃなくて品川SSのE2だった」
            return prev.kind
        return "donor_check" if words.HYPOTHETICAL.search(m.text) and m.places else None
    bare = is_bare(m.extraction) or words.DATE_ONLY.match(m.text) is not None or _only_unknown(m)
    bare = bare or again
    bare = bare or is_whole_site(m.extraction) or is_narrowed_place(m.extraction)
    if bare or (words.CORRECTION.search(m.text) and m.places):
        # 「札幌、全部間に合いそう？」 then 「E2は？」: whether that one queue makes it
        one_queue = prev.kind == "delay_risk" and m.queue_named and bare
        return "finish_time" if one_queue else prev.kind
    return None


_WAS_MEANT = re.compile(
    r"(?:だった|やった|のこと|の間違い|でした|の方|のほう)(?:ね|よ|わ)?\s*[。!！]?$"
)


def _target_corrected(m: _Message) -> bool:
    """A queue said instead of the plan's own: 「AじゃなくてBだった」, nothing else asked."""
    prev = m.previous
    if prev is None or not m.slots.targets or m.changes_people or m.slots.origins:
        return False
    # 「…の間違いでした」「ごめん那覇じゃなくて品川」
    meant = _WAS_MEANT.search(m.text) or words.site_corrected(m.text)
    retracted = words.CORRECTION.search(m.text) and meant
    origin_sites = {o.location for o in prev.slots.origins if o.location}
    named = {x.value for x in m.extraction.mentions if x.kind == "location"}
    if origin_sites & named:  # 「札幌じゃなくて那覇のE2だった」 after a plan from 札幌
        return False
    return bool(retracted) and any(t not in prev.slots.targets for t in m.slots.targets)


def _only_unknown(m: _Message) -> bool:
    """「福岡は？」「How about Fukuoka?」: only a name the data does not have."""
    if not m.slots.unknown or m.places:
        return False
    rest = m.text
    for name in m.slots.unknown:
        rest = re.sub(re.escape(name) + _HONORIFIC, "", rest, flags=re.IGNORECASE)
    return words.BARE_REST.match(rest.strip()) is not None


_HONORIFIC = r"(?:さん|様|さま|氏|くん|君|ちゃん|-san)?"


def _topic_person(name: str, text: str) -> bool:
    """「木村さんって…」: the message is about the person named first, with って."""
    said = re.match(r"\s*" + re.escape(name) + _HONORIFIC + r"\s*って", text, flags=re.IGNORECASE)
    return said is not None


def _english(m: _Message) -> RequestKind | None:
    if m.slots.language != "en":
        return None
    thread = _english_in_thread(m)
    if thread is not None:
        return thread
    kind = next((kind for kind, pattern in words.EN_RULES if pattern.search(m.text)), None)
    if _people_asked_in_english(m, kind):
        return "plan"
    if kind == "help" and m.queue_named:  # 「What can I do about Naha entry 1?」
        kind = "plan" if words.WHAT_TO_DO.search(m.text) else None
    if kind == "delay_risk" and m.queue_named:
        return "finish_time"  # 「Will Sapporo Entry1 make its deadline?」: that queue's finish
    if kind == "skill_search" and m.looks_up:
        return "operator_lookup"  # 「Who is Shimizu Yuko?」
    return kind


def _people_asked_in_english(m: _Message, kind: RequestKind | None) -> bool:
    """「Need two or three people on Naha verification, nobody from Shinagawa」"Can we get
    … done by 17:40? Max 1 person, from Morioka KP only.": people for a queue, asked."""
    if not (m.slots.head_count and m.queue_named):
        return False
    if kind == "skill_search":
        return words.EN_ASKS_WHO.search(m.text) is None
    return kind == "finish_time" and bool(m.slots.origins or m.slots.spare)


def _english_in_thread(m: _Message) -> RequestKind | None:
    """English that continues the conversation: 「ok and the KP side?」 (the same question
    of that part), a place checked against the plan on the table, or its people."""
    prev = m.previous
    if prev is not None and prev.kind in ASKED_AGAIN and bare_place(m.extraction, False):
        return prev.kind
    plan = m.last_plan
    if plan is None:
        return None
    if m.places and words.EN_DONOR.search(m.text):
        return "donor_check"  # 「And is Umeda's 補正 OK under that plan?」
    asked = any(pattern.search(m.text) for _, pattern in words.EN_RULES)
    asked = asked or m.text.rstrip().endswith("?")  # 「Is Takeshita out today?」 asks
    if not asked and plan.kind in ("plan", "what_if") and m.changes_people:
        return plan.kind  # 「And make sure Ishikawa Sachiko is one of them.」
    return None


def ranked_beside_them(m: _Message) -> RequestKind | None:
    """「E1いちばん速いのって藤井さんだっけ？」「彼女の次に速いのは？」: who ranks first
    (or next), a person only guessed or compared with: a search."""
    named = any(x.kind == "operator" for x in m.extraction.mentions)
    referred = not named and m.slots.operators is not None and bool(m.slots.operators.about)
    ranked = m.slots.sort is not None and (_GUESSED.search(m.text) or referred)
    return "skill_search" if ranked else None


def _lookup(m: _Message) -> RequestKind | None:
    """A person named, nothing done with them: about that person (also someone the
    data does not know: 「山田太郎さんは今どこ？」)."""
    prev = m.previous
    same_person = prev is not None and prev.kind == "operator_lookup" and not m.people
    sites = any(mention.kind == "location" for mention in m.extraction.mentions)
    if same_person and not sites and words.LOOKUP.search(m.text):
        return "operator_lookup"  # 「スキルは？」 about the person just looked up
    where = m.looks_up and not m.queue_named and words.ABOUT_WHERE.search(m.text)
    there = (m.looks_up or m.slots.unknown) and _THERE_ASKED.search(m.text)
    if where or there:  # 「高山さんって盛岡だっけ？」「森さんって盛岡KPの検証にいたっけ？」
        return "operator_lookup"
    if m.intent in ("impact_analysis", "deadline_optimization") and not words.LOOKUP.search(m.text):
        return None
    if m.looks_up and not words.PLAN_STRONG.search(m.text) and not words.CONDITIONAL.search(m.text):
        return "operator_lookup"
    unknown_person = any(said_as_person(name, m.text) for name in m.slots.unknown)
    asks = words.LOOKUP.search(m.text) or _only_unknown(m)  # 「木下さんは？」
    # 「木村さんって検証のレベルいくつ？」: the person is the topic, the process their skill
    topic = any(_topic_person(name, m.text) for name in m.slots.unknown)
    if unknown_person and (topic or not m.places) and not m.changes_people and asks:
        return "operator_lookup"
    return None


_THERE_ASKED = re.compile(
    r"(?:さん|くん|ちゃん|様|君)(?:って|は)[^。?？]{1,16}?に(?:いた|いる|居た|居る|おる|おった)"
    r"(?:っけ|よね|んだっけ|んでしたっけ|の)?\s*[?？]"
)
"""Whether a person works on a queue, asked: where they are."""
_GUESSED = re.compile(
    r"(?:の|人|方)(?:って|は)\s*\S{1,12}?(?:さん|様|くん|ちゃん)?(?:だっけ|ですよね|だよね|かな)"
)


def _their_queue(m: _Message) -> RequestKind | None:
    """「そこの工程って順調？」 right after a look-up: how the person's queue stands."""
    prev = m.previous
    if prev is None or prev.kind != "operator_lookup" or m.places or m.people:
        return None
    asks_how = words.HOW_IS.search(m.text) or words.STANDS.search(m.text)
    return "status" if words.THERE.search(m.text) and asks_how else None


def _knowhow(m: _Message) -> RequestKind | None:
    recalls_a_figure = any(t.location and t.process for t in m.slots.targets)
    filtered = m.slots.sort or m.slots.min_level or m.queue_named
    # 「E1最速って誰だっけ」: a person recalled from the data, not a rule
    recalls_people = filtered and words.ASKS_WHO.search(m.text) is not None
    if m.changes_people and m.queue_named:  # 「高橋さんを那覇のE2に動かすのはあり？」
        return None
    if asks_the_data(m):  # 「…方針ですので、案を作っていただけますか」「余裕も教えて」
        return None
    recalls = words.RECALLS.search(m.text) and not (recalls_a_figure or recalls_people)
    if words.KNOWHOW.search(m.text) or recalls:
        return "knowhow" if m.about_the_floor else "out_of_scope"
    if words.REMEDY.search(m.text) and not (m.queue_named or m.people):
        return "knowhow"  # 「昼休みの時間帯って処理落ちるの、何か対策ある？」
    advice = words.ADVICE.search(m.text) and not m.slots.targets
    if advice and m.intent in ("general", "skill_search", "status_inquiry"):
        return "knowhow"
    return None

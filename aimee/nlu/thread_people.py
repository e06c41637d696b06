"""The people of a what-if asked after another: 「じゃあ竹下さんなら？」 puts the new person
in the role the last what-if gave, 「藤原さんも抜けたら？」 adds to its people, 「代わりに
坂本さんを入れたら？」 puts someone in for them, 「竹下さんじゃなくて鈴木さんなら？」
replaces one of them, 「検証の方は悪くなる？」 asks about the same change elsewhere, and
「もう1人抜けたら？」 after 「高山さんが抜けたら？」 is one more besides 高山; 「坂本さんだけ
残せたら？」 keeps one of them where they are."""

from __future__ import annotations

import re

from aimee.nlu.person_roles import IN_PLACE_OF
from aimee.nlu.request import OperatorSlots, Request, Slots
from aimee.nlu.request_words import SAME_AGAIN
from aimee.nlu.turn_kinds import AS_IT_IS

SENDS = re.compile(r"回し|回す|移し|移す|入れ|行か|行って(?:もら|いただ|くれ)|送|戻")
"""Words that send the people of the last change somewhere (「じゃあ那覇に回したら？」)."""
COMES_IN = re.compile(r"入って(?:もら|いただ|くれ)")
"""「品川の検証に入ってもらうのは…」: someone put in (SCHEMA: add), said of them."""
_AFTERMATH = re.compile(
    r"(?:抜け|いなくな|出し|回し|移し|上が)(?:た後|たあと|てから)|その後|after (?:that|she|he)"
)
"""「石川さんが抜けた後の札幌の検証は？」「抜けた後の検証」: the same change, seen elsewhere."""
_MORE = re.compile(r"もう|さらに|更に|追加で|ほかに|他に|あと|\b(?:another|more|also)\b")
"""「もう1人抜けたら？」 after 「高山さんが抜けたら？」: one more besides the people named."""
_COMES = re.compile(
    r"入れ|入っ|入る|入れば|足|増|追加|回|移|送|来|いれば|いたら|居れば|\badd|\bmore\b"
)
"""A count said with a word for people coming (「2人足したら」), not leaving."""
_INSTEAD = re.compile(
    r"代わりに|かわりに|代わりとして|穴埋め|instead|(?:休憩|不在|早退|離席)(?:中|の間)|その間"
)
"""「代わりに坂本さんを入れたら？」「休憩中だけ竹内さんを寄せたら？」: put in for the people
taken off."""
_ALSO = re.compile(r"(?:さん|様|くん|君|ちゃん)?も(?!う)")
_ALSO_NAMED = re.compile(r"(?:さん|様|くん|君|ちゃん|[一-龥々ァ-ヶ])も(?!う|し|の)")
"""「太田さんも」「岡田も」: a name, then も (not 「でも」「もし」): one more in the same role."""
IN_THEIR_PLACE = re.compile(r"(?:さん|様|くん|君|ちゃん)(?:なら|だったら|でしたら)")
"""「じゃあ遠藤さんなら那覇も間に合う？」: the person named takes the last change's role (the
も is about the place, not one more person)."""


def still_leaving(slots: Slots, text: str, thread: Request | None) -> Slots:
    """The last what-if took people off a queue: 「2人だったら？」 is two leaving, and
    「もう1人抜けたら？」 after 「高山さんが抜けたら？」 is one more besides 高山."""
    if thread is None or thread.kind != "what_if" or slots.head_count is None:
        return slots
    last = thread.slots
    count = slots.head_count
    still = last.head_count is not None and last.head_count.leaving
    if still and not count.leaving and count.exact is not None and not _COMES.search(text):
        count = count.model_copy(update={"leaving": True})
        slots = slots.model_copy(update={"head_count": count})
    removed = last.operators.remove if last.operators is not None else ()
    if count.leaving and slots.operators is None and removed and _MORE.search(text):
        slots = slots.model_copy(update={"operators": OperatorSlots(remove=removed)})
    return slots


def people_from_thread(slots: Slots, text: str, thread: Request | None) -> Slots:
    """「じゃあ竹下さんなら？」 after 「高山さんを回したら？」: the new person in the role
    the last what-if gave; 「藤原さんも抜けたら？」: added to the people already in it;
    「じゃあ那覇の検証に回したら？」: the same people, sent elsewhere."""
    ops = slots.operators
    last = thread.slots.operators if thread is not None else None
    if last is None:
        return slots
    roles = {"remove": last.remove, "add": last.add, "move": last.move}
    changed = set(last.remove + last.add + last.move)
    same_people = ops is None or set(ops.remove + ops.add + ops.move) <= changed
    instead = replaced(ops, last, text)
    if instead is not None:
        people: OperatorSlots | None = instead
    elif ops is not None and _left_out(ops, last, text):  # 「竹下さん抜きで高山さんだけなら？」
        out = set(ops.remove)
        people = OperatorSlots(
            **{r: tuple(n for n in names if n not in out) for r, names in roles.items()}
        )
        slots = _others_counted(slots, people)
    elif ops is not None and _kept_back(ops, last, text):  # 「坂本さんだけ残せたら？」
        kept = tuple(n for n in last.remove if n not in ops.remove + ops.about)
        people = last.model_copy(update={"remove": kept, "about": ()})
    elif same_people and (_AFTERMATH.search(text) or _seen_elsewhere(slots, ops, last, text)):
        people = last.model_copy(update={"about": ()})  # the same change
    elif ops is None and _BOTH.search(text) and thread is not None and len(thread.named) >= 2:
        said = _ROLE_SAID.search(text)  # 「二人とも抜いたら」: the verb said gives the role
        role = _ROLE_OF_VERB[said.lastgroup] if said and said.lastgroup else None
        role = role or next((r for r, names in roles.items() if names), "move")
        people = OperatorSlots(**{role: thread.named[-2:]})
    elif ops is None and SAME_AGAIN.search(text):  # 「同じことを那覇のE1で」: the same change
        people = last.model_copy(update={"about": ()})
    elif ops is None:
        sends = bool(last.move + last.add) and SENDS.search(text) is not None
        people = OperatorSlots(move=last.move, add=last.add) if sends else None
    elif ops.about and not (ops.add or ops.remove or ops.move):
        people = _in_their_role(ops.about, last, text)
    elif _INSTEAD.search(text) and _other_roles(ops, last):
        people = _one_role_each(
            OperatorSlots(
                **{r: tuple(dict.fromkeys((*roles[r], *getattr(ops, r)))) for r in roles}
            ),
            ops,
        )
    elif _ALSO.search(text):
        merged = {
            role: tuple(dict.fromkeys((*roles[role], *getattr(ops, role))))
            for role in roles
            if getattr(ops, role)
        }
        people = _one_role_each(ops.model_copy(update=merged), ops)
    else:  # 「やっぱ伊藤さんは残れるって。石井さんだけ抜けたら？」: 伊藤 is out of the change
        people = ops.model_copy(update={"about": tuple(n for n in ops.about if n not in changed)})
    return slots if people is None else slots.model_copy(update={"operators": people})


def released(slots: Slots, said: OperatorSlots | None, text: str, plan: Request | None) -> Slots:
    """「山崎さんは出してもいいや」「坂本さんは使ってOKになった」 after a plan that kept them out
    (``said``: the people the message itself named): they may be used now, no longer kept
    out, not that they must be."""
    last = plan.slots.operators if plan is not None and plan.kind == "plan" else None
    if said is None or last is None or not _PERMITTED.search(text):
        return slots
    freed = {n for n in said.add + said.move if n in last.remove}
    if not freed:
        return slots

    def kept(*names: str) -> tuple[str, ...]:
        return tuple(n for n in dict.fromkeys(names) if n not in freed)

    people = OperatorSlots(
        remove=kept(*last.remove, *said.remove),
        add=kept(*last.add, *said.add),
        move=kept(*last.move, *said.move),
    )
    return slots.model_copy(update={"operators": people})


_PERMITTED = re.compile(
    r"て(?:も)?\s*(?:いい|良い|よい|ok|おk|オッケー|構わ|かまわ|大丈夫)"
    r"|(?:ok|おk|オッケー)(?:に|と)?\s*なった|使える(?:ように)?なった|解禁"
)


_LEFT_OUT = re.compile(
    r"抜き(?:で|なら|だと|に)|(?:なし|無し)で|やめ(?:て|と)|を除いて|以外(?:の|で|なら|だと|だったら)"
)


def _left_out(ops: OperatorSlots, last: OperatorSlots, text: str) -> bool:
    """Some of the people the last what-if sent or put in, now left out of the change (not
    taken off their own queue: 「竹下さんを抜いたら」 after sending her is that)."""
    out = set(ops.remove)
    return bool(out) and out <= set(last.move + last.add) and _LEFT_OUT.search(text) is not None


def _others_counted(slots: Slots, people: OperatorSlots) -> Slots:
    """「坂本隆さん以外の2人なら？」: the count is of the people left in the change."""
    count = slots.head_count
    left = len(people.remove + people.add + people.move)
    if count is None or count.exact != left:
        return slots
    return slots.model_copy(update={"head_count": None})


_KEPT_BACK = re.compile(r"(?:だけ|のみ)\s*(?:は)?\s*(?:残|置いて|置いと|とどめ|留め)")


def _kept_back(ops: OperatorSlots, last: OperatorSlots, text: str) -> bool:
    """Some of the people the last what-if took off, now kept where they are."""
    named = set(ops.remove + ops.about)
    return bool(named) and named < set(last.remove) and _KEPT_BACK.search(text) is not None


def _one_role_each(people: OperatorSlots, said: OperatorSlots) -> OperatorSlots:
    """People merged from the last change and this message, each in one role, the one this
    message gives them: 「千葉さんを抜いたら？」 then "And if Chiba goes to Naha correction
    instead?" sends him, no longer removes him."""
    roles = ("remove", "add", "move")
    given = {n: r for r in roles for n in getattr(said, r)}
    return people.model_copy(
        update={r: tuple(n for n in getattr(people, r) if given.get(n, r) == r) for r in roles}
    )


_BOTH = re.compile(r"(?:お?(?:二|2|２|ふた)人|両方|両名|お二方)とも|\bboth\b")
"""「お二人とも回したら」: the last two people the conversation named, in the same role."""
_ROLE_SAID = re.compile(
    r"(?P<off>抜|外し|外れ|休|いなく|早退)|(?P<sent>回|移|行か|貸)|(?P<put>入れ|足し|使っ)"
)
"""The verb of 「二人とも…」, when it says a role other than the last change's."""
_ROLE_OF_VERB = {"off": "remove", "sent": "move", "put": "add"}


def _in_their_role(named: tuple[str, ...], last: OperatorSlots, text: str) -> OperatorSlots | None:
    """People named without a verb take the role the last change gave people: 「じゃあ竹下
    さんなら？」 in their place, 「太田さんも」「岡田も」 beside them."""
    roles = {"remove": last.remove, "add": last.add, "move": last.move}
    role = next((r for r, names in roles.items() if names), None)
    if role is None:
        return None
    if _ALSO_NAMED.search(text) is None or IN_THEIR_PLACE.search(text):
        return OperatorSlots(**{role: named})
    together = tuple(dict.fromkeys((*roles[role], *named)))
    return last.model_copy(update={role: together, "about": ()})


_NOT_THEM = re.compile(r"じゃなく|ではなく|でなく|じゃない")


def replaced(ops: OperatorSlots | None, last: OperatorSlots, text: str) -> OperatorSlots | None:
    """「竹下さんじゃなくて鈴木さんなら？」「佐野さんではなく前田さんでしたら」: the new people
    (named now, not in the last change) in the role the last change gave the people they
    replace (named now, in it); the other people of that change stay."""
    if ops is None:
        return None
    before_people = set(last.remove + last.add + last.move)
    new_removed = set(ops.remove) - before_people
    # 「佐野さんの代わりに前田さんで」 after a plan that put 佐野 in: 前田 in her place
    swapped = bool(set(ops.remove) & set(last.add + last.move)) and bool(ops.add or ops.move)
    # 「上野さんの代わりに藤井さんだったら？」: the new person, given no verb, in the old one's
    # role (with a verb, 「…の代わりに中島さんを入れたら？」 puts her in beside the change)
    in_place = IN_PLACE_OF.search(text) is not None and (
        swapped or not (ops.add or ops.move or new_removed)
    )
    if _NOT_THEM.search(text) is None and not in_place:
        return None
    named = tuple(dict.fromkeys(ops.remove + ops.add + ops.move + ops.about))
    roles = {"remove": last.remove, "add": last.add, "move": last.move}
    before = set(last.remove + last.add + last.move)
    old = [n for n in named if n in before] or (list(before) if len(before) == 1 else [])
    new = tuple(n for n in named if n not in before)  # 「田中さんじゃなくて」: 田中 is theirs
    role = next((r for r, names in roles.items() if set(old) & set(names)), None)
    if role is None or not new:
        return None
    kept = {r: tuple(n for n in names if n not in old) for r, names in roles.items()}
    kept[role] = (*kept[role], *new)
    return OperatorSlots(**kept)


def _seen_elsewhere(
    slots: Slots, ops: OperatorSlots | None, last: OperatorSlots, text: str
) -> bool:
    """The same change asked about another queue: 「検証の方は悪くなる？」 (no one named, a
    queue and no count), or 「盛岡のE1は彼女が抜けても平気？」 (the person just sent
    somewhere leaves her own queue)."""
    if ops is None:  # not 「今のままだと検証は？」: nothing changed
        unchanged = AS_IT_IS.search(text) is not None
        return (
            bool(slots.targets)
            and slots.head_count is None
            and not (_COMES.search(text) or unchanged)
        )
    removed_only = bool(ops.remove) and not (ops.add or ops.move or ops.about)
    return removed_only and set(ops.remove) <= set(last.move)


def _other_roles(now: OperatorSlots, last: OperatorSlots) -> bool:
    """「松本さん抜けたら？」 then 「代わりに坂本さんを入れたら？」: the new person in another
    role than the last ones (put in for someone taken off) goes with them, not for them."""
    roles = ("remove", "add", "move")
    return not any(getattr(now, r) and getattr(last, r) for r in roles)

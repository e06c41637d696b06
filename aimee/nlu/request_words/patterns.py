"""How the vocabularies are written: one pattern from several alternatives, each a line."""

from __future__ import annotations

import re


def any_of(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(parts))

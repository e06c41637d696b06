"""「うち」「当拠点」: the site of the manager who asks.

A site manager says 「うちのE2どう？」 for her own site. When the user has a site on record
(``users.site``, set with ``aimee user add --site`` or ``aimee user site``), the words are
read as that site's name before the message is parsed; when not, the chat says it does not
know which site is meant. 「そのうち」「3人のうち」「待ってるうちに」 are not a site: 「うち」
counts only at the start of a phrase, not after の or a verb or adjective (within, while), nor
after a count (「10名、うち3名は新人」: of which)."""

from __future__ import annotations

import re

OWN_SITE = re.compile(
    r"(?<![のるたい])(?:うち|ウチ)(?=の|で|から|は|も|に|が|以外|って|[、,\s]|$)|当拠点|自拠点|弊拠点"
)
"""「うち」 starting a phrase, not 「〜のうち」「待ってるうちに」「若いうち」 (within, while)."""
_COUNTED = re.compile(r"(?:件|名|人|工程|個|つ)[ぁ-ん]{0,6}\s*[、,。]?\s*$")
"""A count right before: 「120件、うち札幌分は」「10名います。うち3名は新人」 is "of which"."""


def _own_site_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in OWN_SITE.finditer(text) if not _COUNTED.search(text, 0, m.start())]


def says_own_site(text: str) -> bool:
    """Whether ``text`` speaks of the asker's own site."""
    return bool(_own_site_spans(text))


def with_own_site(text: str, site: str) -> str:
    """``text`` with the asker's own site named: 「うちのE2」 -> 「那覇のE2」."""
    for start, end in reversed(_own_site_spans(text)):
        text = text[:start] + site + text[end:]
    return text

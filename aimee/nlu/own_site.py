"""「うち」「当拠点」: the site of the manager who asks.

A site manager says 「うちのE2どう？」 for her own site. When the user has a site on record
(``users.site``, set with ``aimee user add --site`` or ``aimee user site``), the words are
read as that site's name before the message is parsed; when not, the chat says it does not
know which site is meant. 「そのうち」「3人のうち」「待ってるうちに」 are not a site: 「うち」
counts only at the start of a phrase (after punctuation, a space or a particle)."""

from __future__ import annotations

import re

OWN_SITE = re.compile(
    r"(?<![^\s、。,.!?！？「」(（にもはでがとを])(?:うち|ウチ)(?=の|で|から|は|も|って|[、,\s]|$)"
    r"|当拠点|自拠点|弊拠点"
)


def says_own_site(text: str) -> bool:
    """Whether ``text`` speaks of the asker's own site."""
    return OWN_SITE.search(text) is not None


def with_own_site(text: str, site: str) -> str:
    """``text`` with the asker's own site named: 「うちのE2」 -> 「那覇のE2」."""
    return OWN_SITE.sub(site, text)

"""What a parser rule may read of a message: ``message._Message`` as the rule modules
see it (one definition for all of them)."""

from __future__ import annotations

from typing import Protocol

from aimee.nlu.gazetteer import Extraction
from aimee.nlu.request import Request, Slots


class Said(Protocol):
    """What a rule reads of a message (``message._Message``)."""

    @property
    def text(self) -> str: ...
    @property
    def slots(self) -> Slots: ...
    @property
    def extraction(self) -> Extraction: ...
    @property
    def previous(self) -> Request | None: ...
    @property
    def last_plan(self) -> Request | None: ...

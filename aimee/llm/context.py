"""What an answer may say: the facts the services computed for one turn.

The composers (template or LLM) only phrase these facts; they never compute."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


def business_label(business_id: str, name: str = "") -> str:
    """How an answer names a business: by its id, the key every table and export uses, and
    by the name managers say when the master data has one (「業務523201・SS」, as the
    know-how writes 「業務523201（SS）」)."""
    return f"業務{business_id}・{name}" if name and name != business_id else f"業務{business_id}"


@dataclass(frozen=True)
class QueueFacts:
    location: str
    business_id: str
    process: str
    waiting: int
    """Tasks waiting now (latest snapshot)."""
    deadline: datetime
    minutes_left: float
    staff_count: int
    rate_per_hour: float
    """Tasks per hour the assigned staff are expected to process."""
    projected_completion: datetime | None
    late_tasks: float
    """Tasks expected to be still waiting at the deadline (with expected arrivals)."""
    expected_arrivals: int = 0
    efficiency: float = 1.0
    """Observed / recorded speed of the staff (1.0 = as recorded)."""
    business_name: str = ""
    """The business's name in the master data (「SS」; empty: it has none)."""

    @property
    def label(self) -> str:
        return f"{self.location}の{self.process}"

    @property
    def business(self) -> str:
        return business_label(self.business_id, self.business_name)

    @property
    def will_be_late(self) -> bool:
        """The one reading of "late" in every answer, as the alerts read it: a task or more
        (rounded) still waiting at the deadline, or work the staff will not finish."""
        unfinished = self.projected_completion is None and self.waiting > 0
        return round(self.late_tasks) >= 1 or unfinished


@dataclass(frozen=True)
class MoveFacts:
    operator_name: str
    from_location: str | None
    from_process: str | None
    to_location: str
    to_process: str
    skill_level: int
    experience_months: int
    speed: float
    until: datetime | None = None
    """A loan (応援): the helper leaves the destination then (None: a permanent move)."""
    returns: bool = False
    """After the loan the helper goes back to from_location's from_process (their shift
    still on); False for a permanent move or when the shift ends first."""
    shift_end: datetime | None = None
    """When the helper's shift ends (None: not known)."""


@dataclass(frozen=True)
class QueueChange:
    """One queue before and after a set of moves."""

    location: str
    process: str
    late_before: float
    late_after: float
    completion_before: datetime | None
    completion_after: datetime | None
    deadline: datetime | None = None
    business_id: str = ""
    business_name: str = ""

    @property
    def business(self) -> str:
        return business_label(self.business_id, self.business_name)


@dataclass(frozen=True)
class SuggestionFacts:
    suggestion_id: str | None
    moves: list[MoveFacts]
    late_before: float
    late_after: float
    """Late tasks over the queues the moves touch, before and after."""
    productivity: str
    """e.g. "+30%" for the receiving queue, from the plan's rates."""
    delay: str
    """e.g. "-5分": change of the receiving queue's projected completion."""
    changes: list[QueueChange] = field(default_factory=list)
    rules_applied: list[str] = field(default_factory=list)
    target: QueueChange | None = None
    """The receiving queue the productivity and delay figures describe."""
    floor_before: int | None = None
    """全体: late tasks at the deadlines of every queue, before the moves (None: not known)."""
    floor_after: int | None = None
    """The same after the moves."""
    premise: str = ""
    """The change a what-if is about when it is not a set of moves
    (「高山麻由子さんが今の工程から抜けると、」)."""
    assumed_leaving: list[str] = field(default_factory=list)
    """People a what-if assumed to leave when the manager named nobody (「1人抜けたら」):
    those of average speed on the queue."""


@dataclass(frozen=True)
class TimelineFacts:
    """A later move of the plan for the rest of the day (the intended timeline)."""

    at: datetime
    operator_name: str
    from_location: str | None
    """None: the person was not working on a queue (待機)."""
    from_process: str | None
    to_location: str
    to_process: str
    until: datetime | None = None
    """When the timeline takes them on (None: they stay until their shift ends)."""
    back: bool = False
    """At ``until`` they go back to the queue they left (a loan)."""
    returning: bool = False
    """This move takes them back to their own queue (the end of a loan)."""
    idle_after: bool = False
    """After ``until`` the plan has no more work for them."""
    shift_end: datetime | None = None


@dataclass(frozen=True)
class DayPlanFacts:
    """The plan for the rest of the day the chat speaks of: its first moves are the
    turn's ``suggestion``; ``later`` is the intended timeline after them."""

    state: str
    """done / running / failed; none: no plan to show (``message`` says why)"""
    planned_at: datetime
    """The business time of the data it was planned from."""
    message: str = ""
    """Why it failed (failed)."""
    progress: float = 0.0
    seconds_left: int = 0
    late_before: float = 0.0
    """Late tasks at the deadlines, every queue, tasks expected to arrive included, if
    nobody moves."""
    late_after: float = 0.0
    """The same with the first moves and the whole timeline."""
    first_moves: int = 0
    later: list[TimelineFacts] = field(default_factory=list)
    switches: int = 0
    intervals: int = 0
    optimal: bool = False
    gap: float | None = None
    """At most this share from the optimum (0: proven optimal; None: no bound proven)."""
    fresh: bool = True
    """Planned from the data of now (else from older data: the plan made last)."""
    card_status: str | None = None
    """The first moves' suggestion: pending, approved, modified, rejected, expired."""
    proof: str = ""
    """The same in a sentence (Japanese)."""


@dataclass(frozen=True)
class DonorCheck:
    """A site (or queue) checked against the plan on the table: who leaves it and how
    each of its queues fares."""

    place: str
    leaving: list[MoveFacts]
    queues: list[QueueChange]


@dataclass(frozen=True)
class NoHelpfulHelpers:
    """A what-if adding people (「那覇の検証に品川からLv5を2人入れたら？」) that no helper
    meeting its conditions makes better, or that asks for people where the queues make their
    deadline already (``on_time``): the queues asked about stay as they are, and the
    conditions asked, which the verdict repeats."""

    queues: list[QueueFacts]
    """The queues asked about (the late ones, else the first)."""
    on_time: bool = False
    """The queues make their deadline already (none ``will_be_late``): more people would
    change nothing."""
    head_count: int | None = None
    """How many people were asked for (exactly, else at most); None or 0: not said."""
    min_level: int | None = None
    """The lowest skill level asked for (「Lv5以上」)."""
    origins: tuple[str, ...] = ()
    """The sites the helpers were to come from, in the order said."""


@dataclass(frozen=True)
class OperatorFacts:
    name: str
    location: str
    current: str | None
    process: str
    skill_level: int
    experience_months: int
    speed: float


@dataclass(frozen=True)
class SkillFacts:
    process: str
    level: int
    experience_months: int
    speed: float


@dataclass(frozen=True)
class OperatorProfile:
    """One person looked up: where they work now and everything they can do."""

    name: str
    location: str
    active: bool
    current: tuple[str, str, str] | None
    """(site, business id, process) of the current assignment; None: unassigned."""
    business_name: str = ""
    """The name of the current assignment's business (empty: none, or it has none)."""
    skills: list[SkillFacts] = field(default_factory=list)
    shift: tuple[datetime, datetime] | None = None
    """When they work on the day asked about (today unless a date was asked); None: no
    shift stored for that day."""
    shift_day: date | None = None
    """The day ``shift`` is of, when it is not today."""
    skill_asked: str | None = None
    """The process whose skill the manager asked about (「竹下さんって検証できる？」「E2の
    レベルいくつ？」), said first."""


@dataclass(frozen=True)
class KnowhowFacts:
    title: str
    content: str
    category: str
    similarity: float


@dataclass(frozen=True)
class NameBook:
    """Every name the data has, to tell a claim about something outside the answer's
    facts (another site, a real operator the plan does not move) from one about nothing."""

    sites: tuple[str, ...] = ()
    processes: tuple[str, ...] = ()
    businesses: tuple[str, ...] = ()
    """Business ids and names."""
    operators: tuple[str, ...] = ()
    """Full names, active or not."""


@dataclass(frozen=True)
class AnswerContext:
    message: str
    intent_type: str
    now: datetime
    kind: str = ""
    """The request kind (``nlu.request``); empty: answer by ``intent_type``."""
    queues: list[QueueFacts] = field(default_factory=list)
    suggestion: SuggestionFacts | None = None
    operators: list[OperatorFacts] = field(default_factory=list)
    knowhow: list[KnowhowFacts] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Statements the services want said as they are, first (a refusal, what was not
    found, the only answer)."""
    remarks: list[str] = field(default_factory=list)
    """Said right after the conclusion (「2名でなくても、1名の移動で足ります」)."""
    whole_floor: bool = False
    """The queues are every queue of the floor (their total is 全体)."""
    profiles: list[OperatorProfile] = field(default_factory=list)
    donor: DonorCheck | None = None
    operators_total: int | None = None
    """How many operators match (``operators`` holds the first of them)."""
    order: str = "skill"
    """How ``operators`` are ordered: skill, fastest or most_experienced."""
    by_time: datetime | None = None
    """A time the manager asked about (「16時までに終わる？」)."""
    language: str = "ja"
    """The manager's language: ``ja`` or ``en`` (answered in English, names as in the data)."""
    unknown: list[str] = field(default_factory=list)
    """Names the manager used that the data does not have."""
    sites: list[str] = field(default_factory=list)
    """The sites the data has (said when an unknown one is asked about)."""
    history: list[str] = field(default_factory=list)
    """The manager's earlier messages in this conversation, oldest first (for an LLM)."""
    names: NameBook = field(default_factory=NameBook)
    """The data's names (for checking an LLM's claims)."""
    day_plan: DayPlanFacts | None = None
    """A plan for the rest of the day (「今日の残りどう回す？」), its first moves being
    ``suggestion``."""
    worst_first: bool = False
    """The manager asked which queue is worst: the first of ``queues`` is the late one with
    the most late tasks (said first)."""
    no_helpful_helpers: NoHelpfulHelpers | None = None
    """A what-if adding people that no helper meeting its conditions makes better: its
    verdict is the answer (both languages word it from this)."""

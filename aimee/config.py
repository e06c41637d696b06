"""Settings from the environment (prefix ``AIMEE_``), validated once at start-up."""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

ENV_PREFIX = "AIMEE_"
ROLES = ("viewer", "approver", "admin")
DEFAULT_OIDC_ROLES = {
    "aimee-viewer": "viewer",
    "aimee-approver": "approver",
    "aimee-admin": "admin",
}


class ConfigError(Exception):
    """A setting has a bad value; the message names the environment variable."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore")

    data_dir: Path = Path("data")
    database_url: str | None = None
    redis_url: str | None = None
    cache_dir: Path | None = None
    """Without ``redis_url``: a directory for a cache that the processes of this machine
    share (a SQLite file, ``cache/disk_cache.py``). ``aimee serve`` sets it for its
    workers when it starts more than one; unset and without Redis, each process keeps
    its own."""
    chroma_url: str | None = None
    ollama_url: str | None = None
    ollama_model: str = "gemma3:4b"
    ollama_timeout_s: float = Field(8.0, gt=0, le=120)
    ollama_intent_url: str | None = None
    ollama_intent_model: str = "qwen2:0.5b"
    ollama_intent_timeout_s: float = Field(2.0, gt=0, le=60)
    now: datetime | None = None
    timezone: str = "Asia/Tokyo"
    log_level: str = "INFO"
    planner_time_limit_s: float = Field(10.0, gt=0, le=600)
    day_plan_time_limit_s: float = Field(5.0, gt=0, le=600)
    """Seconds the plan for the rest of the day (time-phased, every queue) may take; it is
    solved in the background while the API keeps answering (``services/day_plan.py``)."""
    day_plan_replan_minutes: float = Field(15.0, ge=0, le=1440)
    """Business minutes after which the alert worker plans the rest of the day again from the
    newest data, once someone has made such a plan today and did not reject it (0: never)."""
    alert_interval_s: float = Field(120.0, gt=0, le=86400)
    """Seconds between alert scans (the seed's 2 minutes)."""
    database_timeout_s: float = Field(8.0, gt=0, le=3600)
    """MySQL/MariaDB: the longest the API waits on one read or write of the
    server before answering 503 (a frozen server must not hang requests; a
    request may wait twice: the pool's liveness ping, then the reconnect)."""
    chat_rate_limit: int = Field(30, ge=0, le=100_000)
    """Chat requests per minute per API token; 0 disables the limit."""
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """Browser origins allowed to call the API (comma-separated); empty: no CORS."""
    max_body_bytes: int = Field(1_000_000, ge=1_000, le=1_000_000_000)
    """Largest request body the API reads (413 above it, refused before it is parsed)."""
    max_ingest_bytes: int = Field(16_000_000, ge=1_000, le=1_000_000_000)
    """Largest body of ``POST /progress/snapshots`` (10,000 snapshots fit in about 3 MB)."""
    session_hours: float = Field(12.0, gt=0, le=24 * 90)
    """How long a dashboard sign-in lasts (reloads and new tabs included) before the
    password is asked again."""
    sign_in_rate_limit: int = Field(10, ge=0, le=100_000)
    """Sign-in attempts per user name per 5 minutes (429 above it); 0: no limit."""
    plan_rate_limit: int = Field(20, ge=0, le=100_000)
    """``POST /plan`` and ``GET /plan/current`` requests per minute per token; 0: no limit."""
    plan_max_queues: int = Field(100, ge=1, le=100_000)
    """Most queues in a scenario posted to ``POST /plan``."""
    plan_max_operators: int = Field(1_000, ge=1, le=1_000_000)
    """Most operators in a scenario posted to ``POST /plan``."""
    plan_max_moves: int = Field(200, ge=0, le=100_000)
    """Largest ``rules.max_moves`` a posted scenario may ask for."""
    heavy_concurrency: int = Field(1, ge=1, le=64)
    """Plans solved at once per API process (``services/work_gate.py``)."""
    heavy_queue: int = Field(4, ge=0, le=1000)
    """Plans that may wait for a slot; more are answered 503 with Retry-After."""

    notify_urls: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """apprise URLs (comma-separated) that high alerts and suggestions awaiting approval
    are pushed to (Slack, Teams, e-mail, webhooks); empty: no notifications."""
    dashboard_url: str = "http://127.0.0.1:8501"
    """The dashboard's address as managers open it: the link in each notification."""

    # --- company sign-in (OIDC, docs/deploy.md): off while oidc_issuer is unset ---------
    oidc_issuer: str | None = None
    """The identity provider's issuer URL (Entra ID: ``https://login.microsoftonline.com/
    <tenant>/v2.0``; Keycloak: ``https://<host>/realms/<realm>``); unset: no company sign-in."""
    oidc_client_id: str | None = None
    """AIMEE's client (application) id at the provider: the ID token's audience."""
    oidc_client_secret: SecretStr | None = None
    """The client secret (unset: a public client, PKCE alone)."""
    oidc_scopes: str = "openid profile email"
    """Scopes asked for (``openid`` is always added)."""
    oidc_role_claim: str = "roles"
    """The ID token claim holding the user's roles or groups (a dotted path reaches into
    objects: ``realm_access.roles``)."""
    oidc_roles: Annotated[dict[str, str], NoDecode] = Field(
        default_factory=lambda: dict(DEFAULT_OIDC_ROLES)
    )
    """Claim value -> AIMEE role, ``value:role`` comma-separated; the highest role found wins."""
    oidc_default_role: str | None = None
    """The role of a user none of whose claim values is mapped; unset: such a user is refused."""

    # --- the operation's policy: what a plan may do, when an alert is raised --------
    min_skill_level: int = Field(3, ge=1, le=5)
    """Lowest skill level on a process at which an operator may be moved to it (and below
    which they count as understaffing it)."""
    max_moves: int = Field(10, ge=0, le=500)
    """Most operators one plan moves."""
    switch_minutes: float = Field(5.0, ge=0, le=240)
    """Minutes a moved operator needs before working on the new queue."""
    margin_minutes: float = Field(10.0, ge=0, le=240)
    """Plans aim to finish this long before each deadline, and a queue projected to finish
    closer to it than this is a (low) delay risk."""
    plan_loans: bool = True
    """Every move in a plan (chat, alerts) is a loan (応援): the helper returns to the queue
    they came from at the destination's deadline (``Rules.loans``); off: moves are permanent.
    On by default: on 20 simulated demo days per level it left as many late tasks at ×1 and
    34% / 15% fewer at ×1.5 / ×2, as many missed deadlines, with more switches (the returns)
    (README, docs/planner.md)."""
    alert_imminent_minutes: float = Field(30.0, ge=0, le=1440)
    """Late tasks with this little time left to the deadline: a high delay risk."""
    alert_late_share_high: float = Field(0.2, gt=0, le=1)
    """Late tasks that are this share of a queue's work or more: a high delay risk."""
    alert_productivity_ratio: float = Field(0.8, gt=0, le=1)
    """Staff processing below this share of their recorded speed: a productivity drop."""
    alert_productivity_medium: float = Field(0.7, gt=0, le=1)
    """Below this share: medium."""
    alert_productivity_high: float = Field(0.6, gt=0, le=1)
    """Below this share: high."""
    alert_min_observed_minutes: float = Field(20.0, ge=0, le=240)
    """Fewer minutes of observation give no productivity figure."""
    alert_understaffed_share: float = Field(0.5, gt=0, le=1)
    """This share of a queue's staff or more below the minimum skill level: a skill gap."""

    @model_validator(mode="after")
    def _check_productivity_order(self) -> Settings:
        high, medium = self.alert_productivity_high, self.alert_productivity_medium
        if not high <= medium <= self.alert_productivity_ratio:
            raise ValueError(
                "AIMEE_ALERT_PRODUCTIVITY_HIGH <= AIMEE_ALERT_PRODUCTIVITY_MEDIUM <= "
                f"AIMEE_ALERT_PRODUCTIVITY_RATIO is required (got {high}, {medium}, "
                f"{self.alert_productivity_ratio})"
            )
        return self

    @model_validator(mode="after")
    def _check_oidc(self) -> Settings:
        if self.oidc_issuer and not self.oidc_client_id:
            raise ValueError("AIMEE_OIDC_CLIENT_ID is required when AIMEE_OIDC_ISSUER is set")
        return self

    @field_validator("oidc_issuer")
    @classmethod
    def _check_oidc_issuer(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        parts = urlsplit(value)
        local = parts.hostname in {"localhost", "127.0.0.1", "::1"}
        if parts.scheme != "https" and not (parts.scheme == "http" and local):
            raise ValueError("must be an https:// URL (http:// only on localhost, for tests)")
        if parts.query or parts.fragment or not parts.hostname:
            raise ValueError("must be the issuer URL, without a query or a fragment")
        return value  # kept exactly: the ID token's iss must equal it

    @field_validator("oidc_client_id", "oidc_default_role", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("oidc_default_role")
    @classmethod
    def _check_oidc_default_role(cls, value: str | None) -> str | None:
        if value is not None and value not in ROLES:
            raise ValueError(f"must be one of {', '.join(ROLES)}")
        return value

    @field_validator("oidc_scopes")
    @classmethod
    def _check_oidc_scopes(cls, value: str) -> str:
        scopes = [scope for scope in re.split(r"[\s,]+", value) if scope]
        return " ".join(["openid", *(scope for scope in scopes if scope != "openid")])

    @field_validator("oidc_role_claim")
    @classmethod
    def _check_oidc_role_claim(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must name a claim, e.g. roles or groups")
        return value.strip()

    @field_validator("oidc_roles", mode="before")
    @classmethod
    def _check_oidc_roles(cls, value: object) -> object:
        if isinstance(value, str):
            pairs = [part.strip() for part in value.split(",") if part.strip()]
            mapping: dict[str, str] = {}
            for pair in pairs:
                claim_value, sep, role = pair.rpartition(":")
                if not sep or not claim_value.strip():
                    raise ValueError(f"{pair!r} is not claim-value:role")
                mapping[claim_value.strip()] = role.strip()
            value = mapping
        if isinstance(value, dict):
            for role in value.values():
                if role not in ROLES:
                    raise ValueError(f"role {role!r} is not one of {', '.join(ROLES)}")
        return value

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        from sqlalchemy.engine import make_url  # noqa: PLC0415 (keeps `aimee plan` light)
        from sqlalchemy.exc import ArgumentError  # noqa: PLC0415

        try:
            url = make_url(value)
        except ArgumentError as exc:
            raise ValueError(f"not a database URL ({exc})") from None
        if url.get_backend_name() not in {"sqlite", "mysql", "mariadb"}:
            raise ValueError("supported backends are sqlite, mysql and mariadb")
        return value

    @field_validator("redis_url")
    @classmethod
    def _check_redis_url(cls, value: str | None) -> str | None:
        return _check_scheme(value, ("redis://", "rediss://", "unix://"))

    @field_validator("chroma_url", "ollama_url", "ollama_intent_url")
    @classmethod
    def _check_http_url(cls, value: str | None) -> str | None:
        return _check_scheme(value, ("http://", "https://"))

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _check_cors_origins(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",")]
        if not isinstance(value, list):
            return value  # pydantic reports the type error
        origins = [str(origin).rstrip("/") for origin in value if str(origin).strip()]
        for origin in origins:
            if origin != "*" and not _ORIGIN.fullmatch(origin):
                raise ValueError(f"{origin!r} is not an origin like https://host[:port]")
        return origins

    @field_validator("notify_urls", mode="before")
    @classmethod
    def _check_notify_urls(cls, value: object) -> object:
        if isinstance(value, str):  # a comma before the next scheme separates two URLs
            value = _URL_SEPARATOR.split(value)
        if not isinstance(value, list):
            return value  # pydantic reports the type error
        urls = [str(url).strip() for url in value if str(url).strip()]
        if urls:
            from apprise import Apprise  # noqa: PLC0415 (loaded only when notifications are on)

            for number, url in enumerate(urls, 1):
                if Apprise.instantiate(url) is None:  # the URL may hold a token: not echoed
                    scheme = url.split("://", 1)[0] if "://" in url else "?"
                    raise ValueError(f"URL {number} ({scheme}://…) is not one apprise can send to")
        return urls

    @field_validator("dashboard_url")
    @classmethod
    def _check_dashboard_url(cls, value: str) -> str:
        checked = _check_scheme(value, ("http://", "https://"))
        if checked is None:
            raise ValueError("must be the dashboard's http:// or https:// address")
        return checked

    @field_validator("log_level")
    @classmethod
    def _check_log_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("use DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return level

    @property
    def effective_database_url(self) -> str:
        """The configured database, or a SQLite file inside the data dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'aimee.sqlite3').resolve()}"


_ORIGIN = re.compile(r"https?://[^/?#\s]+")
_URL_SEPARATOR = re.compile(r"\s*,\s*(?=[A-Za-z][A-Za-z0-9+.-]*://)")


def _check_scheme(value: str | None, schemes: tuple[str, ...]) -> str | None:
    if value is None or value == "":
        return None
    if not value.startswith(schemes):
        raise ValueError(f"must start with {' or '.join(schemes)}")
    return value.rstrip("/")


def load_settings() -> Settings:
    """Read the environment; raise ConfigError naming each bad variable."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            if err["loc"]:
                name = ENV_PREFIX + "_".join(str(part) for part in err["loc"]).upper()
                problems.append(f"{name}: {err['msg']}")
            else:  # a rule over several settings names them itself
                problems.append(str(err["msg"]).removeprefix("Value error, "))
        raise ConfigError("invalid configuration: " + "; ".join(problems)) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (cached; tests call ``get_settings.cache_clear()``)."""
    return load_settings()

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from aimee import clock
from aimee.config import ConfigError, get_settings, load_settings


def test_defaults_put_sqlite_in_the_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIMEE_DATA_DIR", str(tmp_path / "d"))
    settings = load_settings()
    assert settings.redis_url is None
    assert settings.chroma_url is None
    assert settings.ollama_url is None
    assert settings.effective_database_url == f"sqlite:///{(tmp_path / 'd' / 'aimee.sqlite3')}"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("AIMEE_DATABASE_URL", "not a url"),
        ("AIMEE_DATABASE_URL", "postgresql://localhost/x"),
        ("AIMEE_REDIS_URL", "http://localhost:6379"),
        ("AIMEE_CHROMA_URL", "localhost:8003"),
        ("AIMEE_OLLAMA_URL", "ftp://x"),
        ("AIMEE_NOW", "yesterday"),
        ("AIMEE_TIMEZONE", "Mars/Olympus"),
        ("AIMEE_LOG_LEVEL", "LOUD"),
        ("AIMEE_CHAT_RATE_LIMIT", "-1"),
        ("AIMEE_CHAT_RATE_LIMIT", "many"),
        ("AIMEE_CORS_ORIGINS", "aimee.example.com"),
        ("AIMEE_CORS_ORIGINS", "https://aimee.example.com/app"),
        ("AIMEE_MIN_SKILL_LEVEL", "6"),
        ("AIMEE_MAX_MOVES", "-1"),
        ("AIMEE_SWITCH_MINUTES", "five"),
        ("AIMEE_MARGIN_MINUTES", "-10"),
        ("AIMEE_ALERT_LATE_SHARE_HIGH", "1.5"),
        ("AIMEE_ALERT_PRODUCTIVITY_HIGH", "0.75"),  # above the medium threshold (0.7)
    ],
)
def test_a_bad_value_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError, match=variable):
        load_settings()


def test_the_policy_settings_become_the_rules_every_surface_uses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from aimee.services.policy import Policy

    monkeypatch.setenv("AIMEE_MIN_SKILL_LEVEL", "4")
    monkeypatch.setenv("AIMEE_MAX_MOVES", "3")
    monkeypatch.setenv("AIMEE_SWITCH_MINUTES", "7.5")
    monkeypatch.setenv("AIMEE_MARGIN_MINUTES", "15")
    monkeypatch.setenv("AIMEE_ALERT_PRODUCTIVITY_RATIO", "0.9")
    policy = Policy.from_settings(load_settings())
    assert (
        policy.rules.min_skill_level,
        policy.rules.max_moves,
        policy.rules.switch_minutes,
        policy.rules.margin_minutes,
    ) == (4, 3, 7.5, 15)
    assert policy.thresholds.min_skill_level == 4  # the skill gap rule counts the same level
    assert policy.thresholds.completion_margin_minutes == 15  # thin margin = the plans' aim
    assert policy.thresholds.productivity_ratio == 0.9


def test_accepts_the_production_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIMEE_DATABASE_URL", "mysql+pymysql://root@127.0.0.1:3306/aimee_db")
    monkeypatch.setenv("AIMEE_REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("AIMEE_CHROMA_URL", "http://127.0.0.1:8003/")
    monkeypatch.setenv("AIMEE_OLLAMA_URL", "http://127.0.0.1:11435")
    settings = load_settings()
    assert settings.effective_database_url.startswith("mysql+pymysql://")
    assert settings.chroma_url == "http://127.0.0.1:8003"


def test_clock_honours_aimee_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIMEE_NOW", "2025-10-23T15:40:00")
    get_settings.cache_clear()
    assert clock.now() == datetime(2025, 10, 23, 15, 40)


def test_clock_converts_an_aware_now_to_business_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIMEE_NOW", "2025-10-23T06:40:00+00:00")
    get_settings.cache_clear()
    assert clock.now() == datetime(2025, 10, 23, 15, 40)  # Asia/Tokyo


def test_clock_without_aimee_now_is_naive_business_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AIMEE_NOW")
    get_settings.cache_clear()
    assert clock.now().tzinfo is None


def test_security_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    assert settings.chat_rate_limit == 30
    assert settings.cors_origins == []
    monkeypatch.setenv("AIMEE_CHAT_RATE_LIMIT", "0")
    monkeypatch.setenv("AIMEE_CORS_ORIGINS", "")
    assert (load_settings().chat_rate_limit, load_settings().cors_origins) == (0, [])


def test_cors_origins_are_a_comma_separated_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIMEE_CORS_ORIGINS", " https://aimee.example.com , http://127.0.0.1:8501/,")
    assert load_settings().cors_origins == ["https://aimee.example.com", "http://127.0.0.1:8501"]

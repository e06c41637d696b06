"""docs/deploy.md stays true to the code: it names every setting, each `aimee …`
command in its code blocks parses with the installed CLI, its env file is a valid
configuration, the numbers it quotes are the code's, and (when nginx is
installed) nginx accepts its configuration. scripts/scale_out_check.py runs the
rest of it."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import typer
from typer.core import TyperGroup
from typer.main import get_command

from aimee.cli import app
from aimee.config import ENV_PREFIX, Settings, get_settings, load_settings
from aimee.services.chat import GAZETTEER_TTL_S
from aimee.services.knowledge import REFRESH_EVERY_S
from aimee.services.worker import LOCK_KEY
from aimee.ui.state import API_URL_ENV
from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "deploy.md").read_text()
ENV_FILE_HEADER = "# /etc/aimee/aimee.env"
REQUIRED_COMMANDS = {
    "init",
    "serve",
    "worker",
    "ui",
    "user add",
    "user list",
    "user revoke",
    "knowledge reindex",
}


def code_blocks(markdown: str) -> list[str]:
    return [body for _, body in re.findall(r"^```([\w-]*)\n(.*?)^```", markdown, re.M | re.S)]


def setting_names() -> set[str]:
    return {ENV_PREFIX + name.upper() for name in Settings.model_fields} | {API_URL_ENV}


def shell_lines(block: str) -> list[str]:
    """Lines of a code block, continuation lines joined."""
    return block.replace("\\\n", " ").splitlines()


def aimee_commands(markdown: str) -> list[list[str]]:
    """The arguments of every `aimee` command in the code blocks: in command position
    of a shell line or of a pipeline part (after VAR=value assignments), or in a
    systemd ExecStart= line."""
    commands = []
    for block in code_blocks(markdown):
        for line in shell_lines(block):
            stripped = line.strip().removeprefix("ExecStart=")
            if not stripped or stripped.startswith(("#", "[", "--")):
                continue
            try:
                tokens = shlex.split(stripped, comments=True)
            except ValueError:  # not shell (SQL, nginx)
                continue
            parts: list[list[str]] = [[]]
            for token in tokens:
                if token in {"|", "&&", "||", ";", "&"}:
                    parts.append([])
                else:
                    parts[-1].append(token)
            for part in parts:
                words = [w for w in part if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", w)]
                if words and Path(words[0]).name == "aimee":
                    commands.append(words[1:])
    return commands


def parse(args: list[str]) -> str:
    """Resolve and parse ``aimee ARGS`` like the CLI would (types, unknown options,
    missing arguments), without running it; the subcommand's name."""
    command = get_command(app)
    rest, path = list(args), []
    while isinstance(command, TyperGroup):
        assert rest, f"`aimee {shlex.join(args)}` names no command"
        sub = command.get_command(typer.Context(command), rest[0])
        assert sub is not None, f"`aimee {shlex.join(args)}`: no command {rest[0]!r}"
        path.append(rest.pop(0))
        command = sub
    name = " ".join(path)
    try:
        command.make_context(f"aimee {name}", rest)
    except Exception as exc:  # Typer's own (vendored) click raises UsageError subclasses
        pytest.fail(f"`aimee {shlex.join(args)}` does not parse: {exc}")
    return name


def env_file(markdown: str) -> dict[str, str]:
    (block,) = [b for b in code_blocks(markdown) if b.startswith(ENV_FILE_HEADER)]
    pairs = (line.split("=", 1) for line in block.splitlines() if "=" in line)
    return {key.strip(): value.strip() for key, value in pairs}


def test_every_setting_is_documented() -> None:
    documented = set(re.findall(r"\bAIMEE_[A-Z0-9_]+\b", DOC))
    assert setting_names() - documented == set()


def test_only_real_settings_are_documented() -> None:
    documented = set(re.findall(r"\bAIMEE_[A-Z0-9_]+\b", DOC))
    assert documented - setting_names() == set()


def test_documented_aimee_commands_parse() -> None:
    commands = aimee_commands(DOC)
    names = {parse(args) for args in commands}
    assert names >= REQUIRED_COMMANDS
    serve = [args for args in commands if args[:1] == ["serve"]]
    assert serve and all("--no-worker" in args and "--workers" in args for args in serve)
    assert any(args[:1] == ["ui"] and "--api-url" in args for args in commands)


def test_a_wrong_command_would_be_caught() -> None:
    assert aimee_commands("```sh\nAIMEE_X=1 aimee serve --wrokers 2 | tee log\n```\n") == [
        ["serve", "--wrokers", "2"]
    ]
    with pytest.raises(pytest.fail.Exception, match="wrokers"):
        parse(["serve", "--wrokers", "2"])
    with pytest.raises(AssertionError, match="no command"):
        parse(["knowledge", "rebuild"])


def test_env_file_is_a_valid_production_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    values = env_file(DOC)
    assert "AIMEE_NOW" not in values
    monkeypatch.delenv("AIMEE_NOW")
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    settings = load_settings()
    assert settings.database_url is not None
    assert settings.database_url.startswith("mysql+pymysql://")
    assert settings.database_url.endswith("?charset=utf8mb4")
    assert settings.redis_url == "redis://10.0.1.30:6379/0"
    assert settings.chroma_url == "http://10.0.1.30:8003"
    assert (settings.ollama_intent_url, settings.ollama_intent_model) == (
        "http://10.0.1.40:11433",
        "qwen2:0.5b",
    )
    assert (settings.ollama_url, settings.ollama_model) == ("http://10.0.1.40:11435", "gemma3:4b")
    assert settings.now is None


def test_quoted_numbers_are_the_codes() -> None:
    assert f"every {REFRESH_EVERY_S:g} s (`REFRESH_EVERY_S`)" in DOC
    assert f"every {GAZETTEER_TTL_S / 60:g} minutes" in DOC
    assert f"`aimee:{LOCK_KEY}`" in DOC
    assert "CHARACTER SET utf8mb4" in DOC and "charset=utf8mb4" in DOC


def test_stream_location_is_not_buffered() -> None:
    (nginx,) = re.findall(r"^```nginx\n(.*?)^```", DOC, re.M | re.S)
    stream = nginx.split("location = /api/v1/chat/stream", 1)[1].split("}", 1)[0]
    assert "proxy_buffering off;" in stream
    assert "proxy_read_timeout" in stream


def test_nginx_accepts_the_configuration(tmp_path: Path) -> None:
    if shutil.which("nginx") is None:
        skip_or_fail("nginx is not installed (apt-get install nginx-light)")
    from scripts.deploy_stack import nginx_main_config, render_nginx_config

    site = render_nginx_config(
        DOC,
        api_upstreams=["127.0.0.1:18001", "127.0.0.1:18002"],
        api_port=18080,
        ui_port=18501,
        dashboard_port=18081,
    )
    conf = tmp_path / "nginx.conf"
    conf.write_text(nginx_main_config(site, tmp_path))
    done = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(conf)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr

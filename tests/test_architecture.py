"""The layer rules of docs/architecture.md are enforced by import-linter
(``make lint``): the tree keeps them, and an upward import breaks the build."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the package's sources to break."""
    shutil.copytree(ROOT / "aimee", tmp_path / "aimee", ignore=shutil.ignore_patterns("*.pyc"))
    return tmp_path


def test_the_tree_keeps_every_contract(tree: Path) -> None:
    done = lint(tree)
    assert done.returncode == 0, done.stdout
    assert "4 kept, 0 broken" in done.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("services/floor.py", "import aimee.api.deps", "Layers import downward only"),
        ("planner/capacity.py", "import aimee.clock", "The planner is pure"),
        ("ui/format.py", "import aimee.services.progress", "ui imports only ui"),
        ("api/routers/me.py", "import aimee.store.repositories.users", "never repositories"),
    ],
)
def test_a_forbidden_import_breaks_the_lint(
    tree: Path, module: str, line: str, contract: str
) -> None:
    path = tree / "aimee" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")
    done = lint(tree)
    assert done.returncode != 0
    broken = [row for row in done.stdout.splitlines() if row.endswith("BROKEN")]
    assert len(broken) >= 1 and any(contract in row for row in broken), done.stdout

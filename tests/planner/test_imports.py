"""The planner stays importable without a server, a database or a model."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ["sqlalchemy", "fastapi", "httpx", "redis", "pymysql", "uvicorn", "typer", "chromadb"]


def test_planner_imports_no_server_database_or_llm_library() -> None:
    code = (
        "import sys, aimee.planner\n"
        f"heavy = {HEAVY!r}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"

"""uvicorn's access log without query strings: ``GET /api/v1/knowledge/search?q=…``
would otherwise write what a user typed into the log at INFO."""

from __future__ import annotations

import copy
import logging
from typing import Any

ACCESS_LOGGER = "uvicorn.access"


def strip_query(path: str) -> str:
    """``/a/b?q=x#f`` → ``/a/b`` (the path alone)."""
    return path.split("?", 1)[0].split("#", 1)[0]


class DropQueryString(logging.Filter):
    """Rewrites uvicorn's access records, whose arguments are
    ``(client_addr, method, path_with_query, http_version, status_code)``,
    so that only the path is logged. Other records pass unchanged."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            record.args = (args[0], args[1], strip_query(args[2]), args[3], args[4])
        return True


def uvicorn_log_config() -> dict[str, Any]:
    """uvicorn's default logging configuration plus the query-string filter on
    its access logger (a dict, so it reaches every worker process)."""
    from uvicorn.config import LOGGING_CONFIG  # noqa: PLC0415 (only the server needs uvicorn)

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["drop_query_string"] = {
        "()": f"{__name__}.{DropQueryString.__name__}"
    }
    config["loggers"][ACCESS_LOGGER]["filters"] = ["drop_query_string"]
    return config

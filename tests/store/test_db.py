"""Engine options against the real MariaDB server."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from aimee.store.db import create_db_engine
from tests.conftest import MARIADB_SERVER_URL, skip_or_fail


@pytest.fixture
def mariadb_url() -> str:
    server = create_engine(MARIADB_SERVER_URL)
    try:
        with server.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as exc:
        skip_or_fail(f"MariaDB at {MARIADB_SERVER_URL} does not answer ({exc.orig})")
    finally:
        server.dispose()
    return MARIADB_SERVER_URL


def test_a_server_that_stops_answering_fails_the_query_within_the_timeout(
    mariadb_url: str,
) -> None:
    """A frozen server (bench/faults/mariadb_restart.py --mode freeze) used to hang
    requests for as long as it was frozen; SLEEP stands in for the silence."""
    engine = create_db_engine(mariadb_url, io_timeout_s=1)
    started = time.monotonic()
    with pytest.raises(OperationalError), engine.connect() as connection:
        connection.execute(text("SELECT SLEEP(5)"))
    assert time.monotonic() - started < 3
    engine.dispose()


def test_without_a_timeout_long_statements_finish(mariadb_url: str) -> None:
    """Migrations and bulk loads from the command line wait as long as they need."""
    engine = create_db_engine(mariadb_url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT SLEEP(1.2)")).scalar() == 0
    engine.dispose()

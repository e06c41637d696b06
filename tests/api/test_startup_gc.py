"""Start-up leaves what it built out of the garbage collector's full passes."""

from __future__ import annotations

import gc

from fastapi import FastAPI
from fastapi.testclient import TestClient


def test_start_up_freezes_what_it_built(demo_app: FastAPI) -> None:
    gc.unfreeze()  # whatever an earlier test froze
    assert gc.get_freeze_count() == 0
    with TestClient(demo_app):  # runs the lifespan: index sync, warm-up, then the freeze
        frozen = gc.get_freeze_count()
    assert frozen > 50_000  # the models and indexes, not a handful of objects

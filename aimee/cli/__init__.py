"""The ``aimee`` command (entry point ``aimee.cli:app``)."""

from aimee.cli import admin, data, planning, server
from aimee.cli.common import app

__all__ = ["admin", "app", "data", "planning", "server"]

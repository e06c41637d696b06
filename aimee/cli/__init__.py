"""The ``aimee`` command (entry point ``aimee.cli:app``)."""

from aimee.cli import admin, planning, server
from aimee.cli.common import app

__all__ = ["admin", "app", "planning", "server"]

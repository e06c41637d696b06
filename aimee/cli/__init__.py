"""The ``aimee`` command (entry point ``aimee.cli:main``)."""

from aimee.cli import admin, data, planning, server
from aimee.cli.common import app, main

__all__ = ["admin", "app", "data", "main", "planning", "server"]

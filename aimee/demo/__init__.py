"""A deterministic, realistic demo day (pure data generation, no I/O)."""

from aimee.demo.day import DemoDay, generate_demo_day
from aimee.demo.history import generate_history

__all__ = ["DemoDay", "generate_demo_day", "generate_history"]

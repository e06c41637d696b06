"""AIMEE: intraday staff reallocation for multi-site back-office operations."""

__version__ = "0.1.0"

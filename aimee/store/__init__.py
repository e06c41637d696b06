"""Relational store: SQLAlchemy 2 models, engine/session, migrations, repositories."""

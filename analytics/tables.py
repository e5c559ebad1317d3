"""Every table of the warehouse, declared: importing this module registers them all.

Each package declares its tables on the warehouse's shared metadata
(:class:`analytics.warehouse.Base`) in its own ``tables`` module, when that module is imported;
the warehouse imports no package above it. Whatever needs every table at once with its
declared types — the tests, notebooks, a command that reads tables by name through
:meth:`~analytics.warehouse.Warehouse.table` or :meth:`~analytics.warehouse.Warehouse.rows` —
imports this module first. A table whose model is not loaded is reflected from the database
instead: readable, but untyped (a play's time on SQLite then reads as integer microseconds).

A package that adds a table adds its ``tables`` module here; ``tests/test_tables.py`` checks
that every table the migrations create is declared.
"""

from __future__ import annotations

from types import ModuleType

from sqlalchemy import MetaData

from analytics.audio import tables as audio
from analytics.content import tables as content
from analytics.monitoring import tables as monitoring
from analytics.social import tables as social
from analytics.streaming import tables as streaming
from analytics.sync import tables as sync
from analytics.warehouse import Base
from analytics.warehouse import models as foundation

MODULES: tuple[ModuleType, ...] = (foundation, audio, content, monitoring, social, streaming, sync)


def metadata() -> MetaData:
    """The warehouse's shared metadata, with every package's tables declared on it."""
    return Base.metadata

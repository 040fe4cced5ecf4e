"""Fixtures for driving the app with Pilot: a copy of the demonstration database (built
once per session, at a fixed date), and an app factory on that copy."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from cep_tui.bootstrap import make_app
from cep_tui.clock import FixedClock
from cep_tui.db.connection import open_database
from cep_tui.db.migrations import migrate

DEMO_TODAY = dt.date(2026, 11, 29)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    from cep_tui import demo

    path = tmp_path_factory.mktemp("demo") / "template.db"
    db = open_database(f"sqlite:///{path}")
    migrate(db)
    demo.populate(FixedClock.on(DEMO_TODAY), seed=2016)
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


@pytest.fixture
def demo_db_url(demo_template, tmp_path) -> str:
    target = tmp_path / "demo.db"
    shutil.copy(demo_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def make_demo_app(demo_db_url):
    """make_demo_app(login=DEFAULT_LOGIN) -> a CepApp at the fixed date, cursor still."""
    from cep_tui import demo

    def factory(login: str | None = None):
        return make_app(
            demo_db_url,
            login or demo.DEFAULT_LOGIN,
            FixedClock.on(DEMO_TODAY),
            cursor_blink=False,
            seed_demo=False,
        )

    return factory

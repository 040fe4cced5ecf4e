"""Build a ready app from settings: open and migrate the database, seed the demonstration
data on a first start (SQLite), sign the counsellor in. Shared by the command line and the tests."""

from __future__ import annotations

from pathlib import Path

from cep_tui.app import CepApp
from cep_tui.clock import Clock, SystemClock
from cep_tui.db.connection import DEFAULT_LIMITS, WaitLimits, is_sqlite, open_database
from cep_tui.db.migrations import migrate
from cep_tui.db.models import Structure
from cep_tui.services import Services


def open_services(
    database_url: str,
    clock: Clock | None = None,
    *,
    seed_demo: bool = True,
    limits: WaitLimits = DEFAULT_LIMITS,
) -> Services:
    db = open_database(database_url, limits)
    migrate(db)
    clock = clock or SystemClock()
    # One cheap query on an existing database; the demonstration module (large tables of
    # names and words) is imported on a first start only. SQLite only: a first `make run`
    # shows the application at work, whereas a PostgreSQL server is shared by real
    # structures, whose data never mixes with invented young people (`cep-tui demo` fills
    # such a database on purpose).
    if seed_demo and is_sqlite(db) and not Structure.select().exists():
        from cep_tui import demo, demo_former

        demo.populate(clock)
        demo_former.add_former_young_people(clock)
    return Services(clock)


def make_app(
    database_url: str,
    login: str,
    clock: Clock | None = None,
    *,
    cursor_blink: bool = True,
    seed_demo: bool = True,
    exit_when_ready: Path | None = None,
    limits: WaitLimits = DEFAULT_LIMITS,
    structure: str | None = None,
) -> CepApp:
    """The app for `login` on `database_url`; raises NotFound for an unknown login.
    `exit_when_ready`: a file where to write the instants the first screen is ready, then
    quit (to time the start). `limits`: how long to wait for the database, at most.
    `structure`: the structure's code, when the login is open in several."""
    services = open_services(database_url, clock, seed_demo=seed_demo, limits=limits)
    actor = services.counsellors.sign_in(login, structure)
    return CepApp(services, actor, cursor_blink=cursor_blink, exit_when_ready=exit_when_ready)

"""Build a ready app from settings: open and migrate the database, seed the demonstration
data when asked (`demo=True`: `make run`), sign the counsellor in. Shared by the command line
and the tests."""

from __future__ import annotations

from pathlib import Path

from cep_tui.app import CepApp
from cep_tui.clock import Clock, SystemClock
from cep_tui.config import Settings
from cep_tui.db.connection import DEFAULT_LIMITS, WaitLimits, is_sqlite, open_database
from cep_tui.db.migrations import migrate
from cep_tui.db.models import Structure
from cep_tui.identity import Identity, check_impersonation
from cep_tui.services import Services
from cep_tui.services.actor import Actor


def open_services(
    database_url: str,
    clock: Clock | None = None,
    *,
    seed_demo: bool = False,
    limits: WaitLimits = DEFAULT_LIMITS,
) -> Services:
    db = open_database(database_url, limits)
    migrate(db)
    clock = clock or SystemClock()
    # Only when asked (`make run`, on the user's own default database): a database is
    # never filled with invented young people behind anyone's back. One cheap query on an
    # existing database; the demonstration module (large tables of names and words) is
    # imported on a first start only. SQLite only: a PostgreSQL server is shared by real
    # structures (`cep-tui demo` fills such a database on purpose).
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
    seed_demo: bool = False,
    exit_when_ready: Path | None = None,
    limits: WaitLimits = DEFAULT_LIMITS,
    structure: str | None = None,
    identity: Identity | None = None,
    settings: Settings | None = None,
) -> CepApp:
    """The app for `login` on `database_url`; raises NotFound for an unknown login.
    `identity`: who is at the keyboard (the command line's, cep_tui.identity), whose `--as`
    is checked here; without it `login` is trusted (tests, benchmarks).
    `exit_when_ready`: a file where to write the instants the first screen is ready, then
    quit (to time the start). `limits`: how long to wait for the database, at most.
    `structure`: the structure's code, when the login is open in several."""
    services = open_services(database_url, clock, seed_demo=seed_demo, limits=limits)
    actor = (
        sign_in(services, identity, structure)
        if identity
        else services.counsellors.sign_in(login, structure)
    )
    return CepApp(
        services,
        actor,
        cursor_blink=cursor_blink,
        exit_when_ready=exit_when_ready,
        settings=settings,
        os_account=identity.os_account if identity else None,
    )


def sign_in(services: Services, who: Identity, structure: str | None = None) -> Actor:
    """The counsellor `who` opens as, once `--as` is checked against their structure
    (`structure`: its code, where the login is open in several)."""
    actor = services.counsellors.sign_in(who.login, structure)
    check_impersonation(who, actor.demonstration)
    return actor

"""Build a ready app from settings: open and migrate the database, seed the demonstration
data on a first start, sign the counsellor in. Shared by the command line and the tests."""

from __future__ import annotations

from cep_tui.app import CepApp
from cep_tui.clock import Clock, SystemClock
from cep_tui.db.connection import open_database
from cep_tui.db.migrations import migrate
from cep_tui.services import Services


def open_services(database_url: str, clock: Clock | None = None, *,
                  seed_demo: bool = True) -> Services:
    db = open_database(database_url)
    migrate(db)
    clock = clock or SystemClock()
    if seed_demo:
        from cep_tui import demo

        if demo.is_empty():
            demo.populate(clock)
    return Services(clock)


def make_app(database_url: str, login: str, clock: Clock | None = None, *,
             cursor_blink: bool = True, seed_demo: bool = True) -> CepApp:
    """The app for `login` on `database_url`; raises NotFound for an unknown login."""
    services = open_services(database_url, clock, seed_demo=seed_demo)
    actor = services.counsellors.sign_in(login)
    return CepApp(services, actor, cursor_blink=cursor_blink)

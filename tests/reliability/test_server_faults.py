"""Drill 10: the PostgreSQL server goes away under a counsellor. The real app, driven by
Pilot, on a server of this module's own (restarting the session's shared one would end the
other tests' connections): restarted while a form is open, restarted while a save waits,
stopped then started again, and the home search typed after a restart. The app never
closes, the form keeps what was typed, a lost connection is taken up again by itself, and
the save happens exactly once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cep_tui.db.connection import WaitLimits, open_database
from cep_tui.db.migrations import migrate
from cep_tui.ui.screens.home import HomeScreen
from tests import pg_server
from tests.conftest import PG_BIN
from tests.factories import make_counsellor, make_dossier, make_structure
from tests.reliability.fault_injection import (
    enrolment_count,
    sessions_waiting_for_a_lock,
    write_lock_held,
)
from tests.reliability.test_fault_harness import (
    SIZE,
    half_typed_form,
    kept_open,
    save,
    saved_once,
    start_app,
)
from tests.ui.pilot_keys import until, until_outside

pytestmark = pytest.mark.postgresql_only

LOST = "Connexion au serveur perdue"
RETRYING = "Connexion au serveur perdue, nouvelle tentative…"
# A restart under a loaded machine may take seconds: the app's window to reconnect.
PATIENT = WaitLimits(lock_seconds=60, reconnect_seconds=60)


@pytest.fixture(scope="module")
def own_server() -> Iterator[pg_server.PostgresServer]:
    server = pg_server.PostgresServer(PG_BIN)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def world(own_server) -> Iterator[dict]:
    """A new database on the module's server: Alice and one dossier of hers."""
    name = own_server.create_database()
    url = own_server.url(name)
    db = open_database(url)
    migrate(db)
    structure = make_structure()
    alice = make_counsellor(structure, "alice")
    dossier = make_dossier(structure, referent=alice)
    db.close()
    yield {"server": own_server, "url": url, "dossier_id": dossier.id}
    own_server.drop_database(name)


async def test_the_server_restarts_while_a_form_is_open(world):
    app = start_app(world["url"])
    async with app.run_test(size=SIZE) as pilot:
        form = await half_typed_form(pilot, world["dossier_id"])
        world["server"].restart()
        await saved_once(pilot, form, world["dossier_id"])
        assert app.is_running


async def test_the_server_restarts_while_a_save_waits(world):
    """The save waits for a colleague's lock when the server restarts: its transaction
    never committed, so the app reconnects, says so, and saves once."""
    app = start_app(world["url"], PATIENT)
    async with app.run_test(size=SIZE) as pilot:
        form = await half_typed_form(pilot, world["dossier_id"])
        statuses: list[str] = []
        show_status = form.show_status
        form.show_status = lambda text: (statuses.append(text), show_status(text))
        with write_lock_held(world["url"], world["dossier_id"]):
            await pilot.press("ctrl+s")
            await until_outside(pilot, lambda: sessions_waiting_for_a_lock(world["url"]) > 0)
            world["server"].restart()  # the colleague's session ends too
        await app.workers.wait_for_complete()
        await until(pilot, lambda: app.screen is not form)
        assert RETRYING in statuses
        assert enrolment_count(world["dossier_id"]) == 1


async def test_the_server_stops_then_comes_back(world):
    app = start_app(world["url"])
    async with app.run_test(size=SIZE) as pilot:
        form = await half_typed_form(pilot, world["dossier_id"])
        world["server"].halt()
        try:
            await save(pilot)
            kept_open(app, form, LOST)
            assert "rien n'a été enregistré" in str(form.query_one("#form-error").render())
        finally:
            world["server"].resume()
        assert enrolment_count(world["dossier_id"]) == 0
        await saved_once(pilot, form, world["dossier_id"])


async def test_the_home_search_after_a_restart_and_while_stopped(world):
    app = start_app(world["url"])
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.ready)
        home = app.screen
        world["server"].restart()
        await pilot.press(*"lef")
        await app.workers.wait_for_complete()
        await until(pilot, lambda: len(home.rows) == 1)

        world["server"].halt()
        try:
            await pilot.press("e")
            await app.workers.wait_for_complete()
            await until(pilot, lambda: any(LOST in str(n.message) for n in app._notifications))
            assert app.is_running
        finally:
            world["server"].resume()
        await pilot.press("backspace")
        await app.workers.wait_for_complete()
        await until(pilot, lambda: len(home.rows) == 1)

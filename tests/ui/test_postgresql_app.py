"""The application on PostgreSQL, as the command line runs it: `cep-tui migrate` creates the
schema of a new database and nothing else (no invented young people on a shared server),
`cep-tui demo` fills it on purpose, then a counsellor finds a young person, opens the
dossier and deletes a CEP through the screens."""

from __future__ import annotations

import pytest

from cep_tui.bootstrap import make_app
from cep_tui.clock import FixedClock
from cep_tui.db.connection import database_proxy
from cep_tui.db.migrations import CURRENT_VERSION, schema_version
from cep_tui.db.models import Structure
from cep_tui.services.errors import NotFound
from cep_tui.ui.modals.confirm import ConfirmModal
from cep_tui.ui.screens.dossier import DossierScreen
from cep_tui.ui.widgets.dispositif_card import DispositifCard
from tests.reliability.support import run_cli
from tests.ui.conftest import DEMO_TODAY
from tests.ui.pilot_keys import PHASE_2, open_dispositifs, until
from tests.ui.test_dossier_screen import SIZE

pytestmark = pytest.mark.postgresql_only


@pytest.fixture
def postgres_url(postgres_server):
    name = postgres_server.create_database()
    yield postgres_server.url(name)
    postgres_server.drop_database(name)


async def test_the_app_on_a_new_postgresql_database(postgres_url, tmp_path):
    migrated = run_cli("--database", postgres_url, "migrate", home=tmp_path)
    assert migrated.returncode == 0, migrated.stderr
    assert migrated.stdout.strip() == f"Schéma de la base créé (version {CURRENT_VERSION})."
    with pytest.raises(NotFound):  # the first start seeds nothing on PostgreSQL
        make_app(postgres_url, "c.dupont", FixedClock.on(DEMO_TODAY))
    assert schema_version(database_proxy.obj) == CURRENT_VERSION
    assert not Structure.select().exists()

    filled = run_cli("--database", postgres_url, "demo", home=tmp_path)
    assert filled.returncode == 0, filled.stderr

    app = make_app(postgres_url, "c.dupont", FixedClock.on(DEMO_TODAY), cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        screen, first_card = await open_dispositifs(app, pilot, PHASE_2)
        assert isinstance(screen, DossierScreen)
        enrolment = first_card.enrolment
        await pilot.press("delete")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("o")
        await until(pilot, lambda: len(screen.query(DispositifCard)) == 1)
        remaining = app.services.cep.list(app.actor, screen.dossier_id)
        assert enrolment.id not in [e.id for e in remaining]

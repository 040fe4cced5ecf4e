"""The access journal (issue 13, point 2): opening a dossier, and each section of it,
leaves a record, written by a worker off the keys' path; the structure's administrator
reads them in the administration (« Journal des accès »), by keys alone; anyone else reads
the service's refusal there; another structure's consultations never show."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable, Static

from cep_tui.db.models import AccessRecord, Counsellor, Dossier
from cep_tui.ui.refusals import missing_right
from cep_tui.ui.screens.admin import AdminScreen
from cep_tui.ui.screens.home import HomeScreen
from cep_tui.ui.widgets.access_journal_panel import JOURNAL_LIMIT, AccessJournalPanel
from cep_tui.vocabulary import Right
from tests.ui.conftest import DEMO_TODAY
from tests.ui.pilot_keys import (
    PHASE_2,
    PHASE_3,
    READ_ONLY,
    burst,
    footer_keys,
    go_to,
    open_dossier,
    record_notifications,
    settle,
    until,
)

ADMIN_REFUSAL = "Action refusée : il vous manque le droit « Administrer la structure »."
OPENED_AT = f"{DEMO_TODAY:%d/%m/%Y} 10:00"  # the demonstration's fixed clock


async def test_opening_a_dossier_and_a_section_is_journaled(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_dossier(app, pilot, PHASE_2)
        await pilot.press("5")
        await settle(pilot)
        await until(pilot, lambda: AccessRecord.select().count() >= 2)
        rows = list(AccessRecord.select().order_by(AccessRecord.id))
        assert {r.dossier_id for r in rows} == {screen.dossier_id}
        assert [r.section for r in rows][:2] == ["synthese", "evenements"]
        assert {r.counsellor_id for r in rows} == {app.actor.id}


def rows_of(panel: AccessJournalPanel) -> list[tuple[str, ...]]:
    table = panel.query_one(DataTable)
    return [tuple(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]


def status_of(panel: AccessJournalPanel) -> str:
    return str(panel.query_one("#journal-status", Static).render())


async def journal_by_keys(pilot) -> AccessJournalPanel:
    """From home: F3, then the last entry of the navigation, Enter — sent at once."""
    app = pilot.app
    app.animation_level = "none"
    await until(pilot, lambda: isinstance(app.screen, HomeScreen))
    screen = await go_to(pilot, "f3", AdminScreen)
    await until(pilot, lambda: app.focused is screen.query_one("#admin-nav"))
    await burst(pilot, "end", "enter")
    await until(pilot, lambda: screen.current == "access-journal")
    await settle(pilot)
    return screen.journal


async def back_home(pilot) -> None:
    app = pilot.app
    while not isinstance(app.screen, HomeScreen):
        await pilot.press("escape")
        await settle(pilot, rounds=1)


async def test_an_administrator_reads_who_opened_which_dossier(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        dossier = await open_dossier(app, pilot, PHASE_2)
        number = dossier.dossier.number
        await pilot.press("5")
        await settle(pilot)
        await until(pilot, lambda: AccessRecord.select().count() >= 2)
        await back_home(pilot)

        panel = await journal_by_keys(pilot)
        assert app.focused is panel.query_one(DataTable)
        # Newest first: the section opened last, then the dossier's opening (SYNTHÈSE);
        # at 80 columns, the counsellor's short name.
        rows = rows_of(panel)
        assert rows[:2] == [
            (OPENED_AT, "C. DUPONT", number, "Évènements"),
            (OPENED_AT, "C. DUPONT", number, "Synthèse"),
        ]
        assert status_of(panel) == f"{len(rows)} consultations."
        assert "Réessayer" not in footer_keys(app.screen)
        # Escape goes back to the navigation, then out of the administration.
        await pilot.press("escape")
        assert app.focused is app.screen.query_one("#admin-nav")


async def test_the_counsellor_name_shows_whole_when_there_is_room(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_dossier(app, pilot, PHASE_2)
        await until(pilot, lambda: AccessRecord.select().count() >= 1)
        await back_home(pilot)
        panel = await journal_by_keys(pilot)
        assert rows_of(panel)[0][1:] == (
            "Claire DUPONT",
            panel.entries[0].dossier_number,
            "Synthèse",
        )


async def test_without_the_right_the_journal_says_the_refusal(make_demo_app):
    app = make_demo_app(READ_ONLY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dossier(app, pilot, PHASE_2)
        await until(pilot, lambda: AccessRecord.select().count() >= 1)
        await back_home(pilot)

        panel = await journal_by_keys(pilot)
        assert status_of(panel) == ADMIN_REFUSAL
        assert panel.entries == () and not panel.query_one(DataTable).display
        # Nothing to move through: the focus stays in the navigation; no key to retry;
        # the filter's key greyed, and pressed, it says why.
        assert app.focused is app.screen.query_one("#admin-nav")
        assert "Réessayer" not in footer_keys(app.screen)
        assert footer_keys(app.screen)["Filtrer"] is False
        notes = record_notifications(app)
        await pilot.press("slash")
        await until(pilot, lambda: notes)
        assert notes == [(missing_right(Right.ADMINISTER), "warning")]
        assert app.focused is app.screen.query_one("#admin-nav")


def other_structures_consultation() -> Dossier:
    """A consultation in the other demonstration structure, as its counsellor left it."""
    me = Counsellor.get(Counsellor.login == "c.dupont")
    them = Counsellor.get(Counsellor.structure != me.structure)
    theirs = Dossier.get(Dossier.structure == them.structure)
    AccessRecord.create(
        at=dt.datetime.combine(DEMO_TODAY, dt.time(11)),  # the most recent of all
        counsellor=them.id,
        structure=them.structure_id,
        dossier=theirs.id,
        section="identite",
    )
    return theirs


async def test_another_structures_consultations_never_show(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_dossier(app, pilot, PHASE_2)
        await until(pilot, lambda: AccessRecord.select().count() >= 1)
        theirs = other_structures_consultation()
        await back_home(pilot)

        panel = await journal_by_keys(pilot)
        shown = rows_of(panel)
        assert shown and all(row[2] != theirs.number for row in shown)
        assert {row[1] for row in shown} == {"Claire DUPONT"}


async def test_past_the_limit_the_journal_says_it_shows_the_most_recent(make_demo_app):
    app = make_demo_app()
    me = Counsellor.get(Counsellor.login == "c.dupont")
    dossier = Dossier.get(Dossier.structure == me.structure)
    start = dt.datetime.combine(DEMO_TODAY, dt.time(9))
    AccessRecord.insert_many(
        [
            {
                "at": start - dt.timedelta(minutes=n),
                "counsellor": me.id,
                "structure": me.structure_id,
                "dossier": dossier.id,
                "section": "coordonnees",
            }
            for n in range(JOURNAL_LIMIT + 5)
        ]
    ).execute()
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await journal_by_keys(pilot)
        rows = rows_of(panel)
        assert len(rows) == JOURNAL_LIMIT
        assert rows[0][0] == f"{DEMO_TODAY:%d/%m/%Y} 09:00"
        assert rows[0][3] == "Coordonnées"
        assert status_of(panel) == f"Les {JOURNAL_LIMIT} consultations les plus récentes."


async def test_the_journal_filters_by_dossier_or_counsellor_as_typed(make_demo_app):
    """`/` reaches the filter; the keys sent at once, the journal shows what the whole
    text finds (the service filters); Enter goes into the consultations found."""
    app = make_demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        first = (await open_dossier(app, pilot, PHASE_2)).dossier.number
        await back_home(pilot)
        second = (await open_dossier(app, pilot, PHASE_3)).dossier.number
        await until(pilot, lambda: AccessRecord.select().count() >= 2)
        await back_home(pilot)
        panel = await journal_by_keys(pilot)
        assert {row[2] for row in rows_of(panel)} == {first, second}

        await burst(pilot, "slash", *first, "enter")
        await until(pilot, lambda: panel.matching == first and not panel.reads.reading)
        await settle(pilot)
        assert {row[2] for row in rows_of(panel)} == {first}
        assert app.focused is panel.query_one(DataTable)

        await burst(pilot, "slash", "ctrl+u", *"Dupont")
        await until(pilot, lambda: panel.matching == "Dupont" and not panel.reads.reading)
        await settle(pilot)
        assert {row[2] for row in rows_of(panel)} == {first, second}

        await burst(pilot, "ctrl+u", *"zz")
        await until(pilot, lambda: panel.matching == "zz" and not panel.reads.reading)
        await settle(pilot)
        assert rows_of(panel) == []
        assert status_of(panel) == "Aucune consultation ne correspond au filtre."
        # Escape leaves the field for the navigation, not the administration.
        await pilot.press("escape")
        assert app.focused is app.screen.query_one("#admin-nav")
        assert isinstance(app.screen, AdminScreen)


async def test_a_long_dossier_number_shows_whole_at_80_columns(make_demo_app):
    """The number column widens for a longer number (up to 12), the names give way."""
    app = make_demo_app()
    long_number = "2026000123"
    async with app.run_test(size=(80, 24)) as pilot:
        dossier = await open_dossier(app, pilot, PHASE_2)
        await until(pilot, lambda: AccessRecord.select().count() >= 1)
        Dossier.update(number=long_number).where(Dossier.id == dossier.dossier_id).execute()
        await back_home(pilot)
        panel = await journal_by_keys(pilot)
        (row, *_) = rows_of(panel)
        assert row[2] == long_number and row[1] == "C. DUPO…"
        table = panel.query_one(DataTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width

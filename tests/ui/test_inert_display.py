"""Text from the database is shown, never obeyed (issue 13, point 3).

Hostile values are written by SQL, as an import or an older version would (not through the
services, which clean what they store), into names, comments, labels, offers, counsellors
and the structure; then the test walks home, every section of a dossier, the catalogue, the
offers and the administration, and reads what the screen is made of (the compositor's
segments, what is sent to the terminal): no control character, no bidi override, the markup
shown as typed and no style from it, the header and footer in place."""

from __future__ import annotations

import json

import pytest
from rich.segment import Segment
from rich.style import Style

from cep_tui.db.models import (
    AccessRecord,
    AuditRecord,
    Counsellor,
    Dossier,
    Event,
    Offer,
    ReferenceValue,
    Structure,
)
from cep_tui.ui.inert import inert, inert_str
from cep_tui.ui.screens.admin import ADMIN_SECTIONS, AdminScreen
from cep_tui.ui.screens.home import HomeScreen
from cep_tui.ui.screens.offers import OffersScreen
from tests.ui.pilot_keys import PHASE_2, go_to, open_dossier, search_home, settle, until

MARKUP = "[red]x[/]"
HOSTILE = f"A\x1b[2JB\x1b]0;titre\x07C\u202eD{MARKUP}\x9bE"
# What may never reach the terminal as text: C0 (but none of the layout's own), C1, bidi.
FORBIDDEN = {chr(c) for c in range(0x20)} | {chr(0x7F)} | {chr(c) for c in range(0x80, 0xA0)}
FORBIDDEN |= {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def test_inert_shows_controls_and_removes_overrides():
    assert inert_str(HOSTILE) == f"A␛[2JB␛]0;titre␇CD{MARKUP}\ufffdE"
    text = inert(MARKUP)
    assert text.plain == MARKUP and not text.spans
    assert inert_str("deux\nlignes", multiline=True) == "deux\nlignes"
    assert inert_str("deux\nlignes") == "deux␊lignes"
    assert inert_str(None) == ""


def poison(demo_db_url: str) -> None:
    """Hostile values in every kind of text a screen shows, written by SQL."""
    from cep_tui.db.connection import open_database

    db = open_database(demo_db_url)
    with db.atomic():
        dossier = Dossier.get(Dossier.last_name == "Cœur")
        Dossier.update(
            last_name=Dossier.last_name.concat(HOSTILE),
            first_name=Dossier.first_name.concat(HOSTILE),
            city=HOSTILE,
            address=HOSTILE,
            complementary_info=HOSTILE,
            situation=HOSTILE,
            number=Dossier.number.concat(HOSTILE),
        ).where(Dossier.id == dossier.id).execute()
        # The access journal: its counsellor's name, the dossier's number, and a section
        # id that no version of the app wrote.
        reader = Counsellor.get(Counsellor.structure == dossier.structure)
        for section in ("synthese", HOSTILE):
            AccessRecord.create(
                at=dossier.created_at,
                counsellor=reader,
                structure=dossier.structure,
                dossier=dossier,
                section=section,
            )
        # …and a moment that is no date (SQLite keeps what it is given).
        db.execute_sql(
            'INSERT INTO "access_record" ("at", "counsellor_id", "structure_id", '
            '"dossier_id", "section") VALUES (?, ?, ?, ?, ?)',
            (HOSTILE, reader.id, dossier.structure_id, dossier.id, "synthese"),
        )
        # The dossier's history: an audit record as an older version or an import wrote it.
        AuditRecord.create(
            at=dossier.created_at,
            counsellor=reader,
            structure=dossier.structure,
            action=HOSTILE,
            entity="dossier",
            entity_id=dossier.id,
            before=json.dumps({"city": HOSTILE, HOSTILE: 1}),
            after=json.dumps({"city": "Ajaccio", HOSTILE: HOSTILE}),
        )
        Event.update(comment=HOSTILE).where(Event.dossier == dossier.id).execute()
        ReferenceValue.update(label=ReferenceValue.label.concat(HOSTILE)).execute()
        Offer.update(name=Offer.name.concat(HOSTILE), partner=HOSTILE).execute()
        Counsellor.update(last_name=Counsellor.last_name.concat(HOSTILE)).execute()
        Structure.update(name=Structure.name.concat(HOSTILE)).execute()
    db.close()


def screen_segments(app) -> list[Segment]:
    return [seg for strip in app.screen._compositor.render_strips() for seg in strip]


def screen_lines(app) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


def assert_inert(app, where: str) -> None:
    segments = screen_segments(app)
    raw = {ch for seg in segments for ch in seg.text} & FORBIDDEN
    assert not raw, f"{where}: raw {sorted(map(hex, map(ord, raw)))} on screen"
    red = Style.parse("red").color
    for seg in segments:
        if "x" in seg.text and seg.style is not None:
            assert seg.style.color != red or MARKUP in seg.text, f"{where}: markup obeyed"
    lines = screen_lines(app)
    assert lines[0].strip(), f"{where}: header line gone"
    assert lines[-1].strip(), f"{where}: footer line gone"


@pytest.fixture
def hostile_app(demo_db_url, make_demo_app):
    poison(demo_db_url)
    return make_demo_app()


async def test_hostile_text_is_shown_inert_everywhere(hostile_app):
    app = hostile_app
    async with app.run_test(size=(100, 30)) as pilot:
        app.animation_level = "none"
        await search_home(pilot, "coeur")
        await settle(pilot)
        assert_inert(app, "home")
        assert any(MARKUP in line for line in screen_lines(app)), "the markup is not shown as typed"
        await pilot.press("escape")
        screen = await open_dossier(app, pilot, PHASE_2)
        for digit in "1234567890":
            await pilot.press(digit)
            await settle(pilot)
            assert_inert(app, f"dossier section {digit}")
        # The last, Historique, shows the record written by SQL, its controls made visible.
        assert any("␛[2J" in line for line in screen_lines(app)), "the history is not shown"
        await pilot.press("o")
        await until(pilot, lambda: app.screen is not screen)
        await settle(pilot)
        assert_inert(app, "catalogue")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("escape")
        offers = await go_to(pilot, "f2", OffersScreen)
        await settle(pilot)
        assert_inert(app, "offers")
        await pilot.press("down")
        await settle(pilot)
        assert_inert(app, "offers, one chosen")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is not offers)
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        admin = await go_to(pilot, "f3", AdminScreen)
        await settle(pilot)
        assert_inert(app, "administration, lists")
        for _ in range(len(ADMIN_SECTIONS) - 1):  # every list, the counsellors, the journal
            await pilot.press("down")
            await settle(pilot, rounds=1)
            assert_inert(app, f"administration, {admin.current}")
        assert admin.current == "access-journal"
        assert HOSTILE in {entry.section for entry in admin.journal.entries}
        assert any(MARKUP in line for line in screen_lines(app)), "the journal hides the markup"
        assert app.screen is admin


async def test_notifications_are_inert(hostile_app):
    app = hostile_app
    async with app.run_test(size=(80, 24)) as pilot:
        app.notify(HOSTILE, title=HOSTILE)
        await settle(pilot)
        (notification,) = list(app._notifications)
        assert notification.markup is False
        assert not set(notification.message) & FORBIDDEN
        assert not set(notification.title) & FORBIDDEN


async def test_the_indicators_show_hostile_names_inert(hostile_app):
    """The breakdowns by référent, aiguilleur, motif and type de projet show names from the
    database (issue 15), and « Mes jeunes » the young people's."""
    from cep_tui.db.models import Counsellor
    from cep_tui.ui.screens.indicators import IndicatorsScreen

    app = hostile_app
    Counsellor.update(right_view_indicators=True).execute()
    async with app.run_test(size=(100, 30)) as pilot:
        app.animation_level = "none"
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await settle(pilot)
        assert_inert(app, "« Mes jeunes »")
        screen = await go_to(pilot, "f4", IndicatorsScreen)
        await until(pilot, lambda: screen.indicators is not None)
        await pilot.press("end")
        for dimension in range(9):
            await settle(pilot)
            assert_inert(app, f"indicators, breakdown {dimension + 1}")
            await pilot.press("v")
        assert any(MARKUP in line for line in screen_lines(app)), "the markup is not shown"

"""The indicators screen by keyboard alone (issue 15): F4 from anywhere, the period moved and
changed, two dates typed in a burst, the scope, the breakdowns, an export."""

from __future__ import annotations

import datetime as dt
import stat

from cep_tui.db.models import Counsellor
from cep_tui.services.indicators import Scope
from cep_tui.ui.modals.indicator_forms import ExportFormModal, PeriodFormModal
from cep_tui.ui.screens.dossier import DossierScreen
from cep_tui.ui.screens.home import HomeScreen
from cep_tui.ui.screens.indicators import IndicatorsScreen
from tests.ui.pilot_keys import burst, footer_keys, settle, text_of, until


def demo_app(make_demo_app, login: str | None = None):
    """The demonstration app; its administrator c.dupont holds the structure's figures (as
    the migration gives them to administrators)."""
    app = make_demo_app(login)
    Counsellor.update(right_view_indicators=True).where(Counsellor.login == "c.dupont").execute()
    return app


async def _open(pilot) -> IndicatorsScreen:
    await until(pilot, lambda: isinstance(pilot.app.screen, HomeScreen))
    await settle(pilot)
    # The home screen's footer says which key opens them.
    assert footer_keys(pilot.app.screen).get("Indicateurs") is True
    await pilot.press("f4")
    await until(pilot, lambda: isinstance(pilot.app.screen, IndicatorsScreen))
    await settle(pilot)
    screen = pilot.app.screen
    await until(pilot, lambda: screen.indicators is not None)
    return screen


async def test_f4_shows_the_year_of_the_structure(make_demo_app):
    app = demo_app(make_demo_app)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        expected = app.services.indicators.compute(
            app.actor, dt.date(2026, 1, 1), dt.date(2026, 12, 31), Scope.STRUCTURE
        )
        assert screen.indicators == expected
        assert text_of(screen.query_one("#indicators-period")).startswith(
            "Année 2026 (01/01/2026 – 31/12/2026) · Toute la structure"
        )

        # The quarter, then the one before; the scope; back home with Échap.
        await pilot.press("p", "p", "left")
        await settle(pilot)
        assert (screen.indicators.start, screen.indicators.end) == (
            dt.date(2026, 7, 1),
            dt.date(2026, 9, 30),
        )
        await pilot.press("s")
        await settle(pilot)
        assert screen.indicators.scope is Scope.MINE
        await pilot.press("v", "v", "m")
        await settle(pilot)
        assert "NIVEAU DE FORMATION" in text_of(screen.query_one("#indicators-breakdown-title"))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_two_dates_typed_in_a_burst(make_demo_app):
    app = demo_app(make_demo_app)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, PeriodFormModal))
        await pilot.press("ctrl+u", *"01/03/2026", "tab", "end", "ctrl+u", *"15/04/2026", "ctrl+s")
        await until(pilot, lambda: app.screen is screen)
        await settle(pilot)
        await until(pilot, lambda: screen.indicators.end == dt.date(2026, 4, 15))
        assert screen.indicators.start == dt.date(2026, 3, 1)
        assert "Du 01/03/2026 au 15/04/2026" in text_of(screen.query_one("#indicators-period"))


async def test_export_from_the_screen(make_demo_app, tmp_path, monkeypatch):
    monkeypatch.setenv("CEP_TUI_EXPORT_DIR", str(tmp_path))
    app = demo_app(make_demo_app)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ExportFormModal))
        await pilot.press("end", "ctrl+u", *"bilan.csv", "ctrl+s")
        await until(pilot, lambda: app.screen is screen)
    path = tmp_path / "bilan.csv"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes().decode("utf-8-sig").startswith("Synthèse\r\n")


async def test_f4_from_a_dossier_and_not_over_a_form(make_demo_app):
    app = demo_app(make_demo_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await settle(pilot)
        await until(pilot, lambda: bool(app.screen.rows))
        app.push_screen(DossierScreen(app.screen.rows[0].id))
        await until(pilot, lambda: isinstance(app.screen, DossierScreen))
        await settle(pilot)
        await pilot.press("f4")
        await until(pilot, lambda: isinstance(app.screen, IndicatorsScreen))
        await settle(pilot)
        await pilot.press("d", "f4")
        await until(pilot, lambda: isinstance(app.screen, PeriodFormModal))
        await settle(pilot)
        assert isinstance(app.screen, PeriodFormModal)


async def test_a_counsellor_without_the_right_sees_their_own(make_demo_app):
    app = demo_app(make_demo_app, "m.bernard")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        assert screen.indicators.scope is Scope.MINE
        await pilot.press("s")
        await settle(pilot)
        assert screen.indicators.scope is Scope.MINE


async def test_my_young_people_sorted_and_opened_in_a_burst(make_demo_app):
    """« Mes jeunes » (issue 15, point 6): alerts first; Entrée into the list, `t` (by
    name), ↓ and Entrée sent together open the second young person by name."""
    from cep_tui.services.caseload import CaseloadOrder, sort_rows
    from cep_tui.ui.widgets.caseload import CaseloadPanel

    app = demo_app(make_demo_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        panel = app.screen.query_one(CaseloadPanel)
        await until(pilot, lambda: panel.loaded and panel.display)
        rows = app.services.caseload.mine(app.actor)
        assert panel.rows == rows
        alerts = [len(r.alerts) for r in rows]
        assert alerts == sorted(alerts, reverse=True) and alerts[0] > 0

        await burst(pilot, "enter", "t", "down", "enter")
        await until(pilot, lambda: isinstance(app.screen, DossierScreen))
        assert panel.order is CaseloadOrder.NAME
        assert app.screen.dossier_id == sort_rows(rows, CaseloadOrder.NAME)[1].dossier_id

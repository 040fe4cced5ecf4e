"""Snapshots of the CEP indicators screen and of « Mes jeunes » (issue 15), at 80×24 and
120×40 (regenerate with --snapshot-update, then look at them)."""

from __future__ import annotations

from cep_tui.db.models import Counsellor
from cep_tui.ui.modals.indicator_forms import ExportFormModal, PeriodFormModal
from cep_tui.ui.screens.indicators import IndicatorsScreen
from tests.snapshots.helpers import SIZES, call, expect, keys, snap


def grant(app) -> None:
    """The structure's figures for c.dupont, administrator (as migration 6 gives them)."""
    Counsellor.update(right_view_indicators=True).where(Counsellor.login == "c.dupont").execute()


OPEN = (call(grant), keys("f4"), expect(IndicatorsScreen))


@SIZES
def test_indicators_year_of_the_structure(snap_compare, demo_db_url, size):
    assert snap(snap_compare, demo_db_url, size, *OPEN)


@SIZES
def test_indicators_breakdown_by_age(snap_compare, demo_db_url, size):
    """Scrolled to the end: the breakdown by age band, bars of « En cours »."""
    assert snap(snap_compare, demo_db_url, size, *OPEN, keys("v", "m", "end"))


@SIZES
def test_indicators_month_of_my_young_people(snap_compare, demo_db_url, size):
    assert snap(snap_compare, demo_db_url, size, *OPEN, keys("p", "s"))


@SIZES
def test_indicators_forms(snap_compare, demo_db_url, size):
    assert snap(snap_compare, demo_db_url, size, *OPEN, keys("d"), expect(PeriodFormModal))


@SIZES
def test_indicators_export_form(snap_compare, demo_db_url, size, monkeypatch):
    monkeypatch.setenv("CEP_TUI_EXPORT_DIR", "/srv/cep-tui/exports")  # the same on any machine
    assert snap(snap_compare, demo_db_url, size, *OPEN, keys("e"), expect(ExportFormModal))


@SIZES
def test_my_young_people_sorted_by_name(snap_compare, demo_db_url, size):
    """« Mes jeunes » on the home screen, Entrée into the list, `t`: by name."""
    assert snap(snap_compare, demo_db_url, size, keys("enter", "t"))

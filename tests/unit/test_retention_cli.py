"""`cep-tui retention --dry-run|--apply [--date] [--details]`: counts, then numbers only (no
names), then anonymises; refused without « Administrer la structure »."""

from __future__ import annotations

import datetime as dt

import pytest

from cep_tui.__main__ import main
from cep_tui.db.models import Dossier
from cep_tui.vocabulary import Right
from tests.factories import make_counsellor, make_dossier

# The command line runs in-process under the test runner's OS account (issue 12).
pytestmark = pytest.mark.usefixtures("trainer")


def test_dry_run_then_apply(db_url, db, structure, counsellor, capsys):
    former = make_dossier(structure, last_name="Santucci", birth_date=dt.date(1990, 5, 2))
    base = ["--database", db_url, "--as", "alice", "retention"]

    assert main([*base, "--dry-run", "--date", "01/05/2018"]) == 0
    assert capsys.readouterr().out == (
        "Mission Locale de Test : 0 dossier(s) à anonymiser au 01/05/2018.\n"
    )
    assert main([*base, "--dry-run", "--details", "--date", "29/11/2026"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "Mission Locale de Test : 1 dossier(s) à anonymiser au 29/11/2026.",
        f"  {former.number}  (limite de conservation : 02/05/2018)",
    ]
    assert "Santucci" not in out
    assert Dossier.get_by_id(former.id).last_name == "Santucci"

    assert main([*base, "--apply", "--date", "29/11/2026"]) == 0
    assert capsys.readouterr().out == (
        "Mission Locale de Test : 1 dossier(s) anonymisé(s) au 29/11/2026.\n"
    )
    assert Dossier.get_by_id(former.id).last_name == "ANONYME"


def test_refusals(db_url, db, structure, capsys):
    make_counsellor(structure, "staff", rights=set(Right) - {Right.ADMINISTER})
    base = ["--database", db_url, "--as", "staff", "retention"]
    assert main([*base, "--apply"]) == 2
    assert capsys.readouterr().err == (
        "cep-tui : Action refusée : il vous manque le droit « Administrer la structure ».\n"
    )
    assert main([*base, "--dry-run", "--date", "31/02/2020"]) == 2
    assert "date invalide" in capsys.readouterr().err

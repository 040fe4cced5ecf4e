"""`cep-tui document synthese|copie NUMERO --output FICHIER.odt`: the same documents, rights
and audit as the dossier screen, for the counsellor the app would sign in."""

from __future__ import annotations

import stat

import pytest

from cep_tui.__main__ import main
from cep_tui.db.models import AuditRecord
from cep_tui.vocabulary import Right
from tests.factories import make_counsellor, make_enrolment
from tests.odt_text import odt_text

# The command line runs in-process under the test runner's OS account (issue 12).
pytestmark = pytest.mark.usefixtures("trainer")


def test_the_synthesis_by_dossier_number(db_url, db, dossier, counsellor, tmp_path, capsys):
    make_enrolment(dossier, counsellor)
    target = tmp_path / "synthese.odt"

    code = main(
        [
            "--database",
            db_url,
            "--as",
            "alice",
            "document",
            "synthese",
            dossier.number,
            "--output",
            str(target),
        ]
    )

    assert code == 0
    assert capsys.readouterr().out == (f"Synthèse de l'accompagnement CEP écrite : {target}\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    text = odt_text(target)
    assert "LEFÈVRE" in text
    assert "CEP CONSEIL PERSONNALISÉ (EN COURS)" in text


def test_the_copy_is_refused_without_the_right(db_url, db, dossier, structure, tmp_path, capsys):
    make_counsellor(structure, "reader", rights={Right.VIEW_DOSSIER})
    target = tmp_path / "copie.odt"

    code = main(
        [
            "--database",
            db_url,
            "--as",
            "reader",
            "document",
            "copie",
            dossier.number,
            "--output",
            str(target),
        ]
    )

    assert code == 2
    assert capsys.readouterr().err == (
        "cep-tui : Action refusée : il vous manque le droit « Modifier les informations "
        "d'un dossier ».\n"
    )
    assert not target.exists()


def test_the_copy_goes_to_the_export_folder_and_is_recorded(
    db_url, db, dossier, counsellor, tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("CEP_TUI_EXPORT_DIR", str(tmp_path / "exports"))

    code = main(["--database", db_url, "--as", "alice", "document", "copie", dossier.number])

    assert code == 0
    (written,) = (tmp_path / "exports").glob("copie-donnees-*.odt")
    assert str(written) in capsys.readouterr().out
    assert "Copie des données" in odt_text(written)
    assert AuditRecord.select().where(AuditRecord.entity_id == dossier.id).count() == 1


def test_an_unknown_number_is_said(db_url, db, counsellor, capsys):
    assert main(["--database", db_url, "--as", "alice", "document", "copie", "0000000"]) == 2
    assert capsys.readouterr().err == "cep-tui : Aucun dossier n° 0000000 dans votre structure.\n"

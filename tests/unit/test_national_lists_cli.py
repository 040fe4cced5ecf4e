"""`cep-tui listes-nationales` (issue 13, point 1): the national reference lists changed
only by an OS account the system configuration names, each change audited and chained."""

from __future__ import annotations

import json
import os
import pwd

import pytest

from cep_tui.__main__ import main
from cep_tui.config import Settings
from cep_tui.db.models import AuditRecord, ReferenceValue
from cep_tui.vocabulary import ReferenceKind
from tests.factories import make_counsellor

ME = pwd.getpwuid(os.getuid()).pw_name


@pytest.fixture
def national_admin(monkeypatch, structure):
    """The test runner's OS account is a counsellor and a national administrator."""
    from cep_tui import identity
    from cep_tui.services import national_lists

    monkeypatch.setattr(identity, "settings", lambda: Settings())
    allowed = Settings(national_administrators=frozenset({ME}))
    monkeypatch.setattr(national_lists, "settings", lambda: allowed)
    return make_counsellor(structure, ME)


def run(db_url, *args) -> int:
    return main(["--database", db_url, "listes-nationales", *args])


def themes() -> dict[str, bool]:
    rows = ReferenceValue.select().where(
        (ReferenceValue.kind == ReferenceKind.THEME.value) & ReferenceValue.structure.is_null()
    )
    return {r.label: r.active for r in rows}


def test_add_rename_deactivate_audited_and_chain_clean(db_url, db, national_admin, capsys):
    assert run(db_url, "ajouter", "Thème", "Mobilité internationale") == 0
    assert capsys.readouterr().out == (
        "« Mobilité internationale » ajoutée à la liste « Thème ».\n"
    )
    assert run(db_url, "renommer", "theme", "mobilité internationale", "Mobilité européenne") == 0
    assert "renommée « Mobilité européenne »" in capsys.readouterr().out
    assert run(db_url, "desactiver", "theme", "Mobilité européenne") == 0
    assert capsys.readouterr().out == "« Mobilité européenne » désactivée (liste « Thème »).\n"
    assert themes()["Mobilité européenne"] is False
    assert run(db_url, "desactiver", "theme", "Mobilité européenne") == 2
    assert capsys.readouterr().err == "cep-tui : « Mobilité européenne » est déjà désactivée.\n"

    assert run(db_url, "afficher", "theme") == 0
    assert "Mobilité européenne  (désactivée)" in capsys.readouterr().out.splitlines()

    records = list(
        AuditRecord.select()
        .where(AuditRecord.action.startswith("Liste nationale"))
        .order_by(AuditRecord.id)
    )
    assert [r.action for r in records] == [
        "Liste nationale : Ajout de valeur de référence",
        "Liste nationale : Renommage de valeur de référence",
        "Liste nationale : Désactivation de valeur de référence",
    ]
    assert {r.counsellor_id for r in records} == {national_admin.id}
    assert {r.os_account for r in records} == {ME}
    assert json.loads(records[1].before)["label"] == "Mobilité internationale"
    assert json.loads(records[1].after)["label"] == "Mobilité européenne"
    assert main(["--database", db_url, "audit", "verify"]) == 0


def test_refused_to_an_account_not_named(db_url, db, national_admin, monkeypatch, capsys):
    from cep_tui.services import national_lists

    monkeypatch.setattr(national_lists, "settings", lambda: Settings())
    before = themes()
    assert run(db_url, "ajouter", "theme", "Nouveau") == 2
    assert capsys.readouterr().err == (
        f"cep-tui : Action refusée : le compte « {ME} » n'administre pas les listes "
        "nationales (national_administrators, /etc/cep-tui/config.toml).\n"
    )
    assert themes() == before
    assert not AuditRecord.select().where(AuditRecord.action.startswith("Liste nationale")).count()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ajouter", "Couleur", "Bleu"), "cep-tui : Liste de référence inconnue.\n"),
        (
            ("ajouter", "Lieu d'accueil", "Antenne"),
            "cep-tui : La liste « Lieu d'accueil » est locale : chaque structure la change "
            "elle-même (Administration de la structure).\n",
        ),
        (("renommer", "theme", "Absent", "Autre"), None),
        (("desactiver", "theme", "Absent"), None),
    ],
    ids=["unknown-list", "local-list", "rename-missing", "deactivate-missing"],
)
def test_refusals_change_nothing(db_url, db, national_admin, capsys, args, message):
    before = themes()
    assert run(db_url, *args) == 2
    err = capsys.readouterr().err
    if message:
        assert err == message
    else:
        assert err == "cep-tui : « Absent » n'est pas dans la liste « Thème ».\n"
    assert themes() == before
    assert not AuditRecord.select().where(AuditRecord.action.startswith("Liste nationale")).count()


def test_duplicate_label_refused(db_url, db, national_admin, capsys):
    existing = next(iter(themes()))
    assert run(db_url, "ajouter", "theme", f"  {existing.upper()} ") == 2
    assert capsys.readouterr().err == (
        f"cep-tui : Libellé : « {existing} » existe déjà dans la liste « Thème ».\n"
    )
    assert not AuditRecord.select().where(AuditRecord.action.startswith("Liste nationale")).count()

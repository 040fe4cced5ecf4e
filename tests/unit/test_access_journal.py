"""The access journal (issue 13, point 2), on both engines: a consultation is recorded
(who, when, which dossier, which section), only for a dossier of the counsellor's
structure; records older than the period are purged; the administrator reads the
structure's journal, nobody else."""

from __future__ import annotations

import datetime as dt

import pytest

from cep_tui.__main__ import main
from cep_tui.config import AccessJournalSettings, Settings
from cep_tui.db.models import AccessRecord
from cep_tui.services import access_journal
from cep_tui.services.access_journal import months_before
from cep_tui.services.errors import PermissionDenied
from cep_tui.ui.widgets.access_journal_panel import journal_note
from tests.factories import make_dossier


def test_a_consultation_is_recorded(services, actor, dossier, clock):
    services.access_journal.record(actor, dossier.id, "synthese")
    services.access_journal.record(actor, dossier.id, "evenements")

    records = AccessRecord.select().order_by(AccessRecord.id)
    rows = [(r.counsellor_id, r.dossier_id, r.section, r.at) for r in records]
    assert rows == [
        (actor.id, dossier.id, "synthese", clock.now()),
        (actor.id, dossier.id, "evenements", clock.now()),
    ]
    (latest, first) = services.access_journal.of_structure(actor)
    assert (first.dossier_number, first.section) == (dossier.number, "synthese")
    assert latest.counsellor_name == "Alice MARTIN"
    assert latest.counsellor_short_name == "A. MARTIN"  # where the whole name has no room


def test_another_structures_dossier_leaves_nothing(services, actor, outsider):
    theirs = make_dossier(outsider.structure, referent=outsider)
    services.access_journal.record(actor, theirs.id, "synthese")
    assert AccessRecord.select().count() == 0


def test_only_the_administrator_reads_the_journal(
    services, reader_actor, outsider_actor, actor, dossier
):
    services.access_journal.record(reader_actor, dossier.id, "synthese")
    with pytest.raises(PermissionDenied):
        services.access_journal.of_structure(reader_actor)
    assert services.access_journal.of_structure(outsider_actor) == ()
    assert len(services.access_journal.of_structure(actor)) == 1


def test_each_structure_reads_only_its_own_consultations(
    services, actor, dossier, outsider, outsider_actor
):
    theirs = make_dossier(outsider.structure, referent=outsider)
    services.access_journal.record(actor, dossier.id, "synthese")
    services.access_journal.record(outsider_actor, theirs.id, "evenements")
    services.access_journal.record(outsider_actor, theirs.id, "identite")

    ours = services.access_journal.of_structure(actor)
    assert [(e.dossier_number, e.section) for e in ours] == [(dossier.number, "synthese")]
    assert {e.counsellor_name for e in ours} == {"Alice MARTIN"}
    others = services.access_journal.of_structure(outsider_actor)
    assert [e.section for e in others] == ["identite", "evenements"]  # newest first
    assert {(e.dossier_number, e.counsellor_name) for e in others} == {(theirs.number, "Zoé ROUX")}


def test_the_journal_reads_the_newest_up_to_its_limit(services, actor, dossier, clock):
    now = clock.now()
    AccessRecord.insert_many(
        [
            {
                "at": now - dt.timedelta(minutes=minutes),
                "counsellor": actor.id,
                "structure": actor.structure_id,
                "dossier": dossier.id,
                "section": f"s{minutes}",
            }
            for minutes in (5, 1, 3, 2, 4)
        ]
    ).execute()
    entries = services.access_journal.of_structure(actor, limit=3)
    assert [(e.section, e.at) for e in entries] == [
        ("s1", now - dt.timedelta(minutes=1)),
        ("s2", now - dt.timedelta(minutes=2)),
        ("s3", now - dt.timedelta(minutes=3)),
    ]


def test_the_journal_narrows_to_a_dossier_or_a_counsellor(
    services, actor, actor_with, structure, dossier, colleague, outsider, outsider_actor
):
    """`matching`: the beginning of a dossier's number, or of a counsellor's last name,
    first name or login, case aside; in SQL, within the structure; LIKE's wildcards taken
    as typed."""
    other = make_dossier(structure, number="7700001", referent=colleague)
    bruno = services.counsellors.sign_in(colleague.login)
    theirs = make_dossier(outsider.structure, number="7700002", referent=outsider)
    services.access_journal.record(actor, dossier.id, "synthese")
    services.access_journal.record(actor, other.id, "identite")
    services.access_journal.record(bruno, other.id, "evenements")
    services.access_journal.record(outsider_actor, theirs.id, "synthese")

    def shown(matching: str) -> list[tuple[str, str, str]]:
        entries = services.access_journal.of_structure(actor, matching=matching)
        return [(e.counsellor_name, e.dossier_number, e.section) for e in entries]

    assert shown("77") == [
        ("Bruno DURAND", "7700001", "evenements"),
        ("Alice MARTIN", "7700001", "identite"),
    ]
    assert shown("  durand ") == shown("BRUNO") == [("Bruno DURAND", "7700001", "evenements")]
    assert (
        shown("MARTIN")
        == shown("alice")
        == [
            ("Alice MARTIN", "7700001", "identite"),
            ("Alice MARTIN", dossier.number, "synthese"),
        ]
    )
    carla = actor_with(first_name="Carla", last_name="Nuti")  # her login: "conseillerN"
    services.access_journal.record(carla, dossier.id, "coordonnees")
    assert shown("carl") == [("Carla NUTI", dossier.number, "coordonnees")]
    assert shown("conseiller") == shown("carl")
    assert shown("%") == shown("_") == shown("zoe") == shown("7700002") == []
    assert len(shown("")) == len(shown("\x1b ")) == 4
    assert [
        e.section for e in services.access_journal.of_structure(outsider_actor, matching="77")
    ] == ["synthese"]


def test_old_records_are_purged(services, actor, dossier, clock, db_url, capsys):
    now = clock.now()
    for months in (0, 5, 7, 12):
        AccessRecord.create(
            at=months_before(now, months),
            counsellor=actor.id,
            structure=actor.structure_id,
            dossier=dossier.id,
            section="synthese",
        )
    assert services.access_journal.purge() == 2
    assert sorted(r.at for r in AccessRecord.select()) == [months_before(now, 5), now]
    assert main(["--database", db_url, "access-journal", "--months", "3"]) == 0
    # (The command runs at today's date: how many it finds is not the point here.)
    assert "enregistrement(s) de plus de 3 mois supprimé(s)" in capsys.readouterr().out


def test_the_configured_period_is_the_purge_s_and_the_screen_s(
    services, actor, dossier, clock, db_url, capsys, monkeypatch
):
    """`[access_journal] months` of the system file: the purge's default, the command's and
    the one the administration screen states (CNIL named only for its six months)."""
    monkeypatch.setattr(
        access_journal,
        "settings",
        lambda: Settings(access_journal=AccessJournalSettings(months=12)),
    )
    now = clock.now()
    for months in (11, 13):
        AccessRecord.create(
            at=months_before(now, months),
            counsellor=actor.id,
            structure=actor.structure_id,
            dossier=dossier.id,
            section="synthese",
        )
    assert services.access_journal.months_kept == 12
    assert services.access_journal.purge() == 1
    assert main(["--database", db_url, "access-journal"]) == 0
    assert "de plus de 12 mois supprimé(s)" in capsys.readouterr().out
    assert "Conservé 12 mois (réglage du serveur)." in journal_note(12).plain
    assert "Conservé 6 mois (recommandation de la CNIL)." in journal_note(6).plain


def test_months_before_keeps_the_day_or_the_months_end():
    assert months_before(dt.datetime(2026, 8, 31, 10), 6) == dt.datetime(2026, 2, 28, 10)
    assert months_before(dt.datetime(2026, 1, 15), 1) == dt.datetime(2025, 12, 15)

"""The audit journal is append-only and tamper-evident (issue 13, point 2), on both
engines: the database refuses UPDATE and DELETE on it (but the retention's erasure), and
`cep-tui audit verify` finds a record altered, deleted or inserted by someone who dropped
the triggers first, and says which."""

from __future__ import annotations

import pytest
from peewee import DatabaseError

from cep_tui.__main__ import main
from cep_tui.db import audit_chain
from cep_tui.db.models import AuditRecord
from tests.factories import event_input, make_dossier


@pytest.fixture
def journal(services, actor, dossier, counsellor, outsider_actor, outsider):
    """A few records in two structures' chains."""
    event = services.events.open(actor, dossier.id, event_input(counsellor.id))
    services.events.close(actor, event.id)
    services.events.open(actor, dossier.id, event_input(counsellor.id))
    theirs = make_dossier(outsider.structure, referent=outsider)
    services.events.open(
        outsider_actor, theirs.id, event_input(outsider.id, structure_id=outsider.structure_id)
    )
    records = list(AuditRecord.select().order_by(AuditRecord.id))
    assert len(records) == 4 and len({r.structure_id for r in records}) == 2
    return records


def test_every_record_is_chained_and_the_chain_verifies(journal):
    assert all(r.content_hash and r.chain_hash for r in journal)
    assert list(audit_chain.verify()) == []


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_record SET action = 'Rien' WHERE id = {id}",
        "UPDATE audit_record SET after = NULL WHERE id = {id}",
        "UPDATE audit_record SET chain_hash = 'x', erased_at = at WHERE id = {id}",
        "DELETE FROM audit_record WHERE id = {id}",
        "DELETE FROM audit_record",
    ],
)
def test_the_database_refuses_to_rewrite_the_journal(db, journal, sql):
    with pytest.raises(DatabaseError, match="audit_record_append_only"), db.atomic():
        db.execute_sql(sql.format(id=journal[0].id))
    assert [r.__data__ for r in AuditRecord.select().order_by(AuditRecord.id)] == [
        r.__data__ for r in journal
    ]


def test_the_erasure_alone_is_allowed_and_the_chain_still_verifies(db, journal):
    db.execute_sql(
        f"UPDATE audit_record SET after = '{{}}', erased_at = at WHERE id = {journal[0].id}"
    )
    assert list(audit_chain.verify()) == []


def test_verify_finds_an_altered_record_behind_the_triggers_back(db, journal, db_url, capsys):
    audit_chain.uninstall(db)
    AuditRecord.update(action="Consultation").where(AuditRecord.id == journal[1].id).execute()

    (found,) = audit_chain.verify()
    assert (found.record_id, found.kind) == (journal[1].id, "altered")
    assert main(["--database", db_url, "audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert f"Enregistrement n° {journal[1].id}" in out and "modifié" in out


def test_verify_finds_a_deleted_record(db, journal):
    audit_chain.uninstall(db)
    AuditRecord.delete().where(AuditRecord.id == journal[1].id).execute()

    (found,) = audit_chain.verify()
    assert (found.record_id, found.kind) == (journal[2].id, "chain")
    assert "supprimé ou inséré" in found.message


def test_verify_finds_an_inserted_record(db, journal):
    audit_chain.uninstall(db)
    forged = dict(journal[1].__data__)
    forged.pop("id")
    fake = AuditRecord.create(**{**forged, "action": "Faux"})

    breaks = list(audit_chain.verify())
    assert [(b.record_id, b.kind) for b in breaks] == [(fake.id, "altered"), (fake.id, "chain")]


def test_the_command_says_an_intact_journal(journal, db_url, capsys):
    assert main(["--database", db_url, "audit", "verify"]) == 0
    assert "Historique intact : 4 enregistrement(s) vérifié(s)." in capsys.readouterr().out

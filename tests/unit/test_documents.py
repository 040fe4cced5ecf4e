"""The young person's documents: « Synthèse de l'accompagnement CEP » and « Copie des
données », written as .odt (private files) and read back with odfpy; the copy needs the
right « Modifier les informations d'un dossier »; producing either is audited."""

from __future__ import annotations

import datetime as dt
import json
import stat

import pytest

from cep_tui.db.models import AuditRecord
from cep_tui.exports import EXPORT_DIR_ENV, ExportError
from cep_tui.services.action_plan import ActionPlanInput
from cep_tui.services.dossiers import ComplementsInput
from cep_tui.services.errors import NotFound, PermissionDenied
from cep_tui.services.proposals import ProposalInput
from cep_tui.vocabulary import Right
from tests.factories import (
    TODAY,
    event_input,
    make_dossier,
    make_enrolment,
    make_offer,
)
from tests.odt_text import odt_lines, odt_text, odt_title

SECRET_COMMENT = "Confie des difficultés familiales"


@pytest.fixture
def followed(services, actor, structure, counsellor, dossier, monkeypatch, tmp_path):
    """Œdipe LEFÈVRE: a closed CEP, a CEP in phase 3 with a plan, an event with a comment,
    a CEP offer proposed, complements written (by Alice, through the services)."""
    monkeypatch.setenv(EXPORT_DIR_ENV, str(tmp_path / "exports"))
    make_enrolment(
        dossier,
        counsellor,
        entry_date=dt.date(2025, 1, 6),
        status="cloture",
        end_date=dt.date(2025, 3, 31),
        exit_reason="interruption_formalisee",
    )
    cep = make_enrolment(
        dossier,
        counsellor,
        phase_3_start=dt.date(2026, 10, 20),
        prescriber_name="Mme Tomasi (CIO)",
    )
    for text, day, state in (
        ("Prendre rendez-vous au CIO", "05/11/2026", "fait"),
        ("Visiter le salon de l'apprentissage", "20/01/2027", "a_faire"),
    ):
        services.action_plan.add(actor, cep.id, ActionPlanInput(text, day, state))
    services.events.open(actor, dossier.id, event_input(counsellor.id, comment=SECRET_COMMENT))
    offer = make_offer(structure, counsellor, name="Atelier projet CEP", partner="CIO d'Ajaccio")
    services.proposals.propose(actor, dossier.id, offer.id, ProposalInput(proposed_on=TODAY))
    services.dossiers.update_complements(
        actor, dossier.id, ComplementsInput(situation="Hébergé chez un ami")
    )
    return dossier


def test_the_synthesis_says_the_path_and_the_plan(services, actor, followed, tmp_path):
    path = services.documents.produce(actor, followed.id, "synthese")

    assert path.parent == tmp_path / "exports"
    assert path.name.startswith(f"synthese-cep-{followed.number}-")
    assert odt_title(path) == "Synthèse de l'accompagnement CEP"
    lines = odt_lines(path)
    text = "\n".join(lines)
    for expected in (
        "Synthèse de l'accompagnement CEP",
        "LEFÈVRE",
        "Œdipe",
        "14/03/2006",
        "Alice MARTIN",
        "CEP ACCOMPAGNEMENT PERSONNALISÉ VERS LA MISE EN ŒUVRE DU PROJET (EN COURS)",
        "du 01/10/2026 au 19/10/2026",  # phase 2
        "du 20/10/2026 (en cours)",  # phase 3
        "CEP CONSEIL PERSONNALISÉ (CLÔTURÉ)",
        "Interruption formalisée",
        "Mme Tomasi (CIO)",
        "Atelier projet CEP",
        "29/11/2026",
    ):
        assert expected in text, expected
    # The plan of the CEP in progress, line by line (a table: date, action, state).
    start = lines.index("Prendre rendez-vous au CIO")
    assert lines[start - 1 : start + 2] == ["05/11/2026", "Prendre rendez-vous au CIO", "fait"]
    assert "Visiter le salon de l'apprentissage" in lines
    # No counsellor's note goes to the young person.
    assert SECRET_COMMENT not in text
    assert "Hébergé chez un ami" not in text


def test_the_copy_holds_everything_and_who_changed_the_dossier(
    services, actor, colleague_actor, followed
):
    services.dossiers.update_complements(
        colleague_actor, followed.id, ComplementsInput(situation="En recherche de logement")
    )
    path = services.documents.produce(actor, followed.id, "copie")

    assert path.name.startswith(f"copie-donnees-{followed.number}-")
    text = odt_text(path)
    for expected in (
        "Copie des données",
        "article 15 du RGPD",
        "LEFÈVRE",
        "En recherche de logement",
        SECRET_COMMENT,
        "Prendre rendez-vous au CIO",
        "Atelier projet CEP",
        "Conseillers ayant modifié le dossier",
        "Alice MARTIN, Bruno DURAND",
        "Modification des compléments",
        "Ajout d'une action au plan d'action",
    ):
        assert expected in text, expected


def test_documents_are_private_files(services, actor, followed):
    for kind in ("synthese", "copie"):
        path = services.documents.produce(actor, followed.id, kind)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_producing_is_recorded_in_the_history(services, actor, followed, audit_count):
    before = audit_count()
    path = services.documents.produce(actor, followed.id, "copie")

    assert audit_count() == before + 1
    record = AuditRecord.select().order_by(AuditRecord.id.desc()).get()
    assert (record.action, record.entity, record.entity_id) == (
        "Production du document « Copie des données »",
        "dossier",
        followed.id,
    )
    assert json.loads(record.after) == {"document": "copie", "file": str(path)}


def test_the_copy_needs_the_right_to_modify_the_dossier(
    services, actor_with, followed, audit_count
):
    reader = actor_with({Right.VIEW_DOSSIER, Right.PROPOSE_CEP})
    before = audit_count()
    with pytest.raises(PermissionDenied) as refusal:
        services.documents.produce(reader, followed.id, "copie")
    assert refusal.value.message == (
        "Action refusée : il vous manque le droit « Modifier les informations d'un dossier »."
    )
    assert audit_count() == before
    # The synthesis only needs to consult the dossier.
    assert services.documents.produce(reader, followed.id, "synthese").exists()


def test_an_explicit_output_file_is_never_replaced(services, actor, followed, tmp_path):
    target = tmp_path / "copie.odt"
    assert services.documents.produce(actor, followed.id, "copie", target) == target
    count = AuditRecord.select().count()
    with pytest.raises(ExportError, match="Le fichier existe déjà"):
        services.documents.produce(actor, followed.id, "copie", target)
    assert AuditRecord.select().count() == count  # the record went with the failed write


def test_another_structure_gets_nothing(services, outsider_actor, followed, tmp_path):
    with pytest.raises(NotFound):
        services.documents.produce(outsider_actor, followed.id, "synthese")
    with pytest.raises(NotFound, match="Aucun dossier n° "):
        services.documents.dossier_by_number(outsider_actor, followed.number)


def test_a_young_person_without_cep(services, actor, structure, monkeypatch, tmp_path):
    monkeypatch.setenv(EXPORT_DIR_ENV, str(tmp_path))
    plain = make_dossier(structure, last_name="Santoni", first_name="Ghjuvan")
    text = odt_text(services.documents.produce(actor, plain.id, "synthese"))
    assert "Aucun CEP à ce jour." in text
    assert "Aucune offre n'a été proposée." in text

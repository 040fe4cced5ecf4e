"""Rights: every write service is refused for each right it needs, naming that right, and
writes nothing; the rights are read again at each call; a deactivated account is refused."""

from __future__ import annotations

import pytest

from cep_tui.db.models import (
    AuditRecord,
    Counsellor,
    Dossier,
    Enrolment,
    Event,
    EventAction,
    Offer,
    PhasePeriod,
    Proposal,
    ReferenceValue,
)
from cep_tui.services.base import RIGHT_COLUMNS
from cep_tui.services.errors import NotFound, PermissionDenied
from cep_tui.services.views import CatalogueKind
from cep_tui.vocabulary import Right
from tests.factories import make_enrolment, make_offer, proposal_input
from tests.unit.write_operations import RIGHT_CASES, WRITE_OPERATIONS

TABLES = (
    Dossier,
    Enrolment,
    PhasePeriod,
    Event,
    EventAction,
    Offer,
    Proposal,
    AuditRecord,
    ReferenceValue,
    Counsellor,
)


def database_state() -> dict[str, list[dict]]:
    return {t.__name__: list(t.select().order_by(t.id).dicts()) for t in TABLES}


def revoke(counsellor: Counsellor, right: Right) -> None:
    Counsellor.update({RIGHT_COLUMNS[right]: False}).where(Counsellor.id == counsellor.id).execute()


@pytest.mark.parametrize(("operation", "right"), RIGHT_CASES, ids=str)
def test_write_refused_for_each_missing_right(services, actor, counsellor, world, operation, right):
    """Alice signed in with every right; one is withdrawn afterwards: it takes effect at once."""
    revoke(counsellor, right)
    before = database_state()

    with pytest.raises(PermissionDenied) as refusal:
        operation.valid(services, actor, world)

    assert refusal.value.message == f"Action refusée : il vous manque le droit « {right.label} »."
    assert refusal.value.right is right
    assert database_state() == before


@pytest.mark.parametrize("operation", WRITE_OPERATIONS, ids=str)
def test_exactly_the_listed_rights_suffice(services, actor_with, world, audit_count, operation):
    operation.valid(services, actor_with(operation.rights), world)
    assert audit_count() == len(operation.journal)


@pytest.mark.parametrize("operation", WRITE_OPERATIONS, ids=str)
def test_deactivated_counsellor_refused(services, actor, counsellor, world, operation):
    Counsellor.update(active=False).where(Counsellor.id == counsellor.id).execute()
    before = database_state()

    with pytest.raises(NotFound) as refusal:
        operation.valid(services, actor, world)

    assert refusal.value.message == "Votre compte de conseiller n'est plus actif."
    assert database_state() == before


def test_right_labels_name_the_guide():
    assert {r: r.label for r in Right} == {
        Right.VIEW_DOSSIER: "Consulter les informations d'un dossier",
        Right.EDIT_DOSSIER: "Modifier les informations d'un dossier",
        Right.EVENTS: "Événements",
        Right.PROPOSE_CEP: "Proposer CEP",
        Right.MANAGE_OFFERS: "Gérer des offres de service",
        Right.ADMINISTER: "Administrer la structure",
        Right.VIEW_INDICATORS: "Consulter les indicateurs de la structure",
    }


def test_proposal_within_an_event_in_progress_needs_no_events_right(services, actor_with, world):
    actor = actor_with({Right.VIEW_DOSSIER, Right.PROPOSE_CEP})

    proposal = services.proposals.propose(
        actor, world.followed_dossier.id, world.offer_id, proposal_input()
    )
    assert proposal.event_id == world.event_id


READS = {
    "dossiers.search": lambda s, a, d, e: s.dossiers.search(a, "lefevre"),
    "dossiers.get": lambda s, a, d, e: s.dossiers.get(a, d),
    "dossiers.synthesis": lambda s, a, d, e: s.dossiers.synthesis(a, d),
    "dossiers.requests": lambda s, a, d, e: s.dossiers.requests(a, d),
    "dossiers.appointments": lambda s, a, d, e: s.dossiers.appointments(a, d),
    "cep.list": lambda s, a, d, e: s.cep.list(a, d),
    "cep.get": lambda s, a, d, e: s.cep.get(a, e),
    "events.list": lambda s, a, d, e: s.events.list(a, d),
    "events.in_progress": lambda s, a, d, e: s.events.in_progress(a, d),
    "proposals.list_for_dossier": lambda s, a, d, e: s.proposals.list_for_dossier(a, d),
}


@pytest.mark.parametrize("read", READS.values(), ids=list(READS))
def test_reading_a_dossier_needs_the_consult_right(services, actor_with, dossier, counsellor, read):
    enrolment = make_enrolment(dossier, counsellor)
    actor = actor_with(frozenset(Right) - {Right.VIEW_DOSSIER})

    with pytest.raises(PermissionDenied) as refusal:
        read(services, actor, dossier.id, enrolment.id)
    assert refusal.value.message == (
        "Action refusée : il vous manque le droit « Consulter les informations d'un dossier »."
    )


def test_reader_consults_but_cannot_propose(services, reader_actor, dossier, structure, reader):
    offer = make_offer(structure, reader)

    assert services.dossiers.get(reader_actor, dossier.id).last_name == "Lefèvre"
    with pytest.raises(PermissionDenied, match="« Proposer CEP »"):
        services.cep.check_can_add(reader_actor, dossier.id)
    with pytest.raises(PermissionDenied, match="« Proposer CEP »"):
        services.proposals.draft(reader_actor, dossier.id, offer.id)


def test_catalogue_search_needs_only_an_active_account(services, actor_with):
    nobody = actor_with(frozenset())
    assert services.offers.search_catalogue(nobody, "cep", CatalogueKind.DISPOSITIFS).items


class TestSignIn:
    def test_active_counsellor(self, services, counsellor):
        actor = services.counsellors.sign_in("  alice ")
        assert (actor.id, actor.display_name, actor.structure_name) == (
            counsellor.id,
            "Alice MARTIN",
            "Mission Locale de Test",
        )
        assert actor.rights == frozenset(Right)

    def test_rights_of_the_actor(self, services, reader):
        assert services.counsellors.sign_in("claire").rights == {Right.VIEW_DOSSIER}

    @pytest.mark.parametrize("login", ["inconnu", "", "ALICE"])
    def test_unknown_login_refused(self, services, counsellor, login):
        with pytest.raises(NotFound) as refusal:
            services.counsellors.sign_in(login)
        assert refusal.value.message == (
            f"Identifiant inconnu ou désactivé : « {login} ». Demandez à l'administrateur de "
            "votre structure de vous ouvrir un accès."
        )

    def test_deactivated_counsellor_refused(self, services, counsellor):
        Counsellor.update(active=False).where(Counsellor.id == counsellor.id).execute()
        with pytest.raises(NotFound, match="Identifiant inconnu ou désactivé : « alice »"):
            services.counsellors.sign_in("alice")

"""No existence oracles (issue 13, point 4): another structure's record is refused with
the very words of a record that does not exist, whatever the service; logins are unique
within a structure only, and a refusal never reveals another structure's. Both engines."""

from __future__ import annotations

import pytest

from cep_tui.__main__ import main
from cep_tui.services.administration import CounsellorInput
from cep_tui.services.errors import DomainError
from cep_tui.vocabulary import Right
from tests.factories import make_counsellor, make_dossier, make_enrolment, make_event, make_offer

MISSING_ID = 987_654


def _refusal(call) -> str:
    with pytest.raises(DomainError) as refused:
        call()
    return refused.value.message


def _same_refusal(call, foreign_id: int) -> None:
    assert _refusal(lambda: call(foreign_id)) == _refusal(lambda: call(MISSING_ID))


def test_another_structures_records_are_answered_as_missing(services, actor, outsider):
    structure = outsider.structure
    dossier = make_dossier(structure, referent=outsider)
    event = make_event(dossier, outsider)
    enrolment = make_enrolment(dossier, outsider)
    offer = make_offer(structure, outsider)

    _same_refusal(lambda i: services.events.close(actor, i), event.id)
    _same_refusal(lambda i: services.dossiers.get(actor, i), dossier.id)
    _same_refusal(lambda i: services.cep.get(actor, i), enrolment.id)
    _same_refusal(lambda i: services.offers.get(actor, i), offer.id)
    _same_refusal(lambda i: services.action_plan.of_enrolment(actor, i), enrolment.id)
    _same_refusal(
        lambda i: services.administration.set_counsellor_active(actor, i, False), outsider.id
    )


def test_a_login_of_another_structure_is_neither_refused_nor_revealed(
    services, actor, outsider, counsellor
):
    created = services.administration.create_counsellor(
        actor, CounsellorInput(login=outsider.login, first_name="Zoé", last_name="Autre")
    )
    assert created.login == outsider.login
    message = _refusal(
        lambda: services.administration.create_counsellor(
            actor, CounsellorInput(login=counsellor.login, first_name="A", last_name="B")
        )
    )
    assert f"« {counsellor.login} » est déjà utilisé" in message


def test_a_login_open_in_two_structures_needs_the_structure(
    services, structure, other_structure, db_url, capsys
):
    make_counsellor(structure, "sam", rights={Right.VIEW_DOSSIER})
    make_counsellor(other_structure, "sam", rights={Right.VIEW_DOSSIER}, first_name="Sam")
    message = _refusal(lambda: services.counsellors.sign_in("sam"))
    assert "plusieurs structures" in message and "--structure" in message
    assert "ML1" not in message and "ML2" not in message
    assert services.counsellors.sign_in("sam", "ML2").structure_id == other_structure.id
    assert services.counsellors.sign_in("sam", "ML1").structure_id == structure.id
    assert _refusal(lambda: services.counsellors.sign_in("sam", "ML9")).startswith(
        "Identifiant inconnu"
    )
    assert main(["--database", db_url, "--as", "sam", "migrate"]) == 0
    assert main(["--database", db_url, "--as", "sam", "retention", "--dry-run"]) == 2
    assert "plusieurs structures" in capsys.readouterr().err

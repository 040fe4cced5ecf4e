"""Snapshots of every form, opened by its key from the dossier: as it opens (blank or
pre-filled), then refused by the service with its messages under the fields; at 80×24 and
at 120×40."""

from __future__ import annotations

import pytest

from cep_tui.services.dates import format_date
from cep_tui.services.views import CatalogueKind
from cep_tui.ui.modals.cep_add import CepAddModal
from cep_tui.ui.modals.cep_close import CepCloseModal
from cep_tui.ui.modals.cep_modify import CepModifyModal
from cep_tui.ui.modals.cep_phase3 import Phase3Modal
from cep_tui.ui.modals.dossier_forms import ComplementsFormModal, ContactFormModal
from cep_tui.ui.modals.event_form import EventFormModal
from cep_tui.ui.modals.proposal_form import ProposalFormModal
from tests.snapshots.helpers import (
    SIZES,
    call,
    choose,
    expect,
    keys,
    open_dossier,
    push,
    snap,
    submit,
    type_in,
)
from tests.snapshots.test_screen_snapshots import open_an_event
from tests.ui.pilot_keys import NO_CEP, PHASE_2, READ_ONLY, dossier_id, modify_cep_elsewhere


def someone_else_modifies_the_cep(app) -> None:
    modify_cep_elsewhere(app, app.services.cep.in_progress(app.actor, dossier_id(app, PHASE_2)))


def type_the_phase_2_entry_date():
    """Phase 3 on the very day phase 2 started: refused, phase 3 is the next day at best."""

    async def step(pilot) -> None:
        entry = pilot.app.screen.enrolment.current_phase_start
        await type_in("field-start_date", format_date(entry))(pilot)

    return step


def offre_cep(app) -> int:
    page = app.services.offers.search_catalogue(app.actor, "OFFRE CEP", CatalogueKind.INTERNAL)
    return page.items[0].id


def propose_offre_cep(search_text: str):
    """From the dossier, o: the catalogue; "offre cep", the first result, p: the proposal."""
    return (
        open_dossier(search_text),
        keys("o"),
        keys(*"offre cep"),
        keys("down", "p"),
        expect(ProposalFormModal),
    )


def cep_add_on(search_text: str):
    """The add form over a dossier (pushed: on a dossier with a CEP in progress, the `a`
    key refuses before any form opens)."""
    return (
        open_dossier(search_text),
        keys("2"),
        push(lambda app: CepAddModal(dossier_id(app, search_text))),
    )


# name: (login, steps). Blank or pre-filled first, then the same form refused.
FORMS = {
    "cep-add": (None, (open_dossier(NO_CEP), keys("2", "a"), expect(CepAddModal))),
    "cep-add-missing-fields": (
        None,
        (
            open_dossier(NO_CEP),
            keys("2", "a"),
            expect(CepAddModal),
            type_in("field-entry_date", ""),
            submit(),
        ),
    ),
    "cep-add-second-cep": (
        None,
        (
            *cep_add_on(PHASE_2),
            choose("field-referrer_id", "France Travail"),
            choose("field-solicitation_reason_id", "Reconversion"),
            submit(),
        ),
    ),
    "phase-3": (None, (open_dossier(PHASE_2), keys("2", "p"), expect(Phase3Modal))),
    "phase-3-same-day": (
        None,
        (
            open_dossier(PHASE_2),
            keys("2", "p"),
            expect(Phase3Modal),
            type_the_phase_2_entry_date(),
            submit(),
        ),
    ),
    "cep-modify": (None, (open_dossier(PHASE_2), keys("2", "m"), expect(CepModifyModal))),
    "cep-modify-conflict": (
        None,
        (
            open_dossier(PHASE_2),
            keys("2", "m"),
            expect(CepModifyModal),
            call(someone_else_modifies_the_cep),
            type_in("field-prescriber_name", "Moi"),
            submit(),
        ),
    ),
    "cep-close": (None, (open_dossier(PHASE_2), keys("2", "c"), expect(CepCloseModal))),
    "cep-close-tomorrow": (
        None,
        (
            open_dossier(PHASE_2),
            keys("2", "c"),
            expect(CepCloseModal),
            type_in("field-end_date", "30/11/2026"),
            choose("field-exit_reason", "Déménagement"),
            submit(),
        ),
    ),
    "event": (None, (open_dossier(NO_CEP), keys("5", "n"), expect(EventFormModal))),
    "event-same-context-twice": (
        None,
        (
            open_dossier(NO_CEP),
            keys("5", "n"),
            expect(EventFormModal),
            choose("field-primary_context_id", "CEP"),
            choose("field-secondary_context_id", "CEP"),
            choose("field-direction_id", "Jeune vers"),
            choose("field-nature_id", "Entretien individuel"),
            choose("field-reception_place_id", "Antenne"),
            submit(),
        ),
    ),
    "proposal-with-its-event": (None, propose_offre_cep(NO_CEP)),
    "proposal-without-reception-place": (None, (*propose_offre_cep(NO_CEP), submit())),
    "proposal-within-the-event-in-progress": (
        None,
        (call(open_an_event), *propose_offre_cep(NO_CEP)),
    ),
    "proposal-without-the-right": (
        READ_ONLY,
        (
            open_dossier(NO_CEP),
            push(
                lambda app: ProposalFormModal(
                    dossier_id(app, NO_CEP),
                    offre_cep(app),
                )
            ),
        ),
    ),
    "contact": (None, (open_dossier(PHASE_2), keys("8", "m"), expect(ContactFormModal))),
    "contact-invalid-phone": (
        None,
        (
            open_dossier(PHASE_2),
            keys("8", "m"),
            expect(ContactFormModal),
            type_in("field-phone", "abc"),
            submit(),
        ),
    ),
    "complements": (
        None,
        (open_dossier(PHASE_2), keys("9", "m"), expect(ComplementsFormModal)),
    ),
}


@SIZES
@pytest.mark.parametrize("form", FORMS)
def test_form(snap_compare, demo_db_url, size, form):
    login, actions = FORMS[form]
    assert snap(snap_compare, demo_db_url, size, *actions, login=login)

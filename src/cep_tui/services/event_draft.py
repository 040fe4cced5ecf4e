"""The pre-filled event: what the event form and the proposal form (for the event of its
interview) show before the counsellor types anything — the guide's complaint of double
entry. One rule for both:

- date: today; intervenant: the counsellor at the keyboard, in the « Conseiller » function;
- sens « Jeune vers Structure », nature « Entretien individuel » (the guide's screenshot);
- context CEP when the event is about the CEP: a proposal of a CEP offer, or an event on a
  dossier with a CEP in progress;
- lieu d'accueil: the counsellor's usual one, that of the last event they led.
"""

from __future__ import annotations

import datetime as dt

from cep_tui.db.models import Counsellor, DispositifType, Dossier, Enrolment, Event
from cep_tui.services.events import EventInput
from cep_tui.services.references import reference_id
from cep_tui.vocabulary import CEP_CODE, EnrolmentStatus, ReferenceKind

# What the guide's screenshot pre-selects in the event of a proposal.
DEFAULT_DIRECTION = "Jeune vers Structure"
DEFAULT_NATURE = "Entretien individuel"
DEFAULT_FUNCTION = "Conseiller"


def event_draft(counsellor: Counsellor, today: dt.date, *, cep_context: bool) -> EventInput:
    return EventInput(
        event_date=today,
        primary_context_id=reference_id(ReferenceKind.CONTEXT, code=CEP_CODE)
        if cep_context
        else None,
        direction_id=reference_id(ReferenceKind.DIRECTION, label=DEFAULT_DIRECTION),
        nature_id=reference_id(ReferenceKind.NATURE, label=DEFAULT_NATURE),
        reception_place_id=usual_reception_place(counsellor),
        function_id=reference_id(ReferenceKind.FUNCTION, label=DEFAULT_FUNCTION),
        intervenant_id=counsellor.id,
    )


def usual_reception_place(counsellor: Counsellor) -> int | None:
    """The lieu d'accueil of the last event the counsellor led, or None (a newcomer).

    Read newest first by id (the primary key's order: no scan of the table for a
    counsellor who led one lately)."""
    last = (
        Event.select(Event.reception_place)
        .where(Event.intervenant == counsellor)
        .order_by(Event.id.desc())
        .first()
    )
    return last.reception_place_id if last else None


def has_cep_in_progress(dossier: Dossier) -> bool:
    return (
        Enrolment.select(Enrolment.id)
        .join(DispositifType)
        .where(
            (Enrolment.dossier == dossier)
            & (Enrolment.status == EnrolmentStatus.IN_PROGRESS.value)
            & (DispositifType.code == CEP_CODE)
        )
        .exists()
    )

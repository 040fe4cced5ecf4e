"""Proposing an offer to a young person (Suivi > Services); CEP phase 1 when the offer's
Mesure nationale is CEP. The proposal is recorded within the event in progress, which the
form creates when there is none."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import JOIN

from cep_tui.db.models import Counsellor, Dossier, Event, Offer, Proposal, ReferenceValue
from cep_tui.services import audit
from cep_tui.services.base import ServiceBase
from cep_tui.services.converters import counsellor_name
from cep_tui.services.dates import format_date, read_date
from cep_tui.services.errors import FieldErrors, NotFound, RuleViolation
from cep_tui.services.event_draft import event_draft
from cep_tui.services.events import EventInput, EventService, add_action, current_event
from cep_tui.services.references import reference_id
from cep_tui.services.views import Actor, OfferView, Page, ProposalView
from cep_tui.text import clean_text
from cep_tui.vocabulary import CEP_CODE, COMMENT_MAX_LENGTH, ActionKind, ReferenceKind, Right


@dataclass(frozen=True)
class ProposalInput:
    proposed_on: dt.date | str | None = None
    comment: str = ""
    event: EventInput | None = None  # only read when no event is in progress


@dataclass(frozen=True)
class ProposalDraft:
    """The pre-filled proposal form."""

    offer: OfferView
    proposed_on: dt.date
    needs_event: bool
    event: EventInput


@dataclass(frozen=True)
class OfferProposalRow:
    """A young person an offer was proposed to (the offer's "Propositions")."""

    dossier_id: int
    dossier_number: str
    young_person: str
    proposed_on: dt.date
    counsellor_name: str


class ProposalService(ServiceBase):
    def __init__(self, clock, offers, events: EventService):
        super().__init__(clock)
        self.offers = offers
        self.events = events

    def draft(self, actor: Actor, dossier_id: int, offer_id: int) -> ProposalDraft:
        counsellor = self.authorize(actor, Right.PROPOSE_CEP, Right.VIEW_DOSSIER)
        dossier = self.dossier_of(counsellor, dossier_id)
        offer = self.offers.get(actor, offer_id)
        today = self.clock.today()
        return ProposalDraft(
            offer=offer,
            proposed_on=today,
            needs_event=current_event(dossier, Event.id) is None,
            event=event_draft(counsellor, today, cep_context=offer.is_cep),
        )

    def propose(
        self, actor: Actor, dossier_id: int, offer_id: int, form: ProposalInput
    ) -> ProposalView:
        with self.writing():
            counsellor = self.authorize(actor, Right.PROPOSE_CEP, Right.VIEW_DOSSIER)
            dossier = self.dossier_of(counsellor, dossier_id, lock=True)
            offer = _offer_with_measure(counsellor, offer_id)
            if offer is None:
                raise NotFound("Offre introuvable dans votre structure.")
            errors = FieldErrors()
            proposed_on, comment = self._validate(errors, dossier, offer, form)
            event = current_event(dossier, Event.id, Event.event_date)  # what the view shows
            if event is None:
                # The form asks for the event; creating one is the "Événements" right.
                self.check_rights(counsellor, Right.EVENTS)
                if form.event is None:
                    errors.add(
                        "event",
                        "Aucun évènement n'est en cours : renseignez l'évènement de cet entretien.",
                    )
                    errors.raise_if_any()
                event = self.events.create_event(
                    counsellor, dossier, form.event, require_cep=offer.is_cep, errors=errors
                )
                audit.record(
                    counsellor,
                    self.clock.now(),
                    "Ouverture d'évènement",
                    "event",
                    event.id,
                    None,
                    audit.snapshot(event),
                )
            errors.raise_if_any()
            now = self.clock.now()
            proposal = Proposal.create(
                dossier=dossier,
                offer=offer,
                event=event,
                counsellor=counsellor,
                proposed_on=proposed_on,
                comment=comment,
                created_at=now,
            )
            add_action(event, ActionKind.OFFER_PROPOSED, offer.name, counsellor, now)
            audit.record(
                counsellor,
                now,
                "Proposition d'offre",
                "proposal",
                proposal.id,
                None,
                audit.snapshot(proposal),
            )
        return _view(proposal, offer, counsellor, event, offer.is_cep)

    def list_for_dossier(
        self, actor: Actor, dossier_id: int, *, offset: int = 0, limit: int = 50
    ) -> Page[ProposalView]:
        counsellor = self.authorize(actor, Right.VIEW_DOSSIER)
        dossier = self.dossier_of(counsellor, dossier_id)
        rows = list(
            Proposal.select(Proposal, Offer, Counsellor, Event)
            .join(Offer)
            .switch(Proposal)
            .join(Counsellor, on=(Proposal.counsellor == Counsellor.id))
            .switch(Proposal)
            .join(Event)
            .where(Proposal.dossier == dossier)
            .order_by(Proposal.proposed_on.desc(), Proposal.id.desc())
            .offset(max(0, offset))
            .limit(limit + 1)
        )
        cep_measure = _cep_measure_id()
        items = tuple(
            _view(p, p.offer, p.counsellor, p.event, _is_measure(p.offer, cep_measure))
            for p in rows[:limit]
        )
        return Page(items=items, offset=offset, has_more=len(rows) > limit)

    def list_for_offer(
        self, actor: Actor, offer_id: int, *, offset: int = 0, limit: int = 50
    ) -> Page[OfferProposalRow]:
        counsellor = self.authorize(actor, Right.VIEW_DOSSIER)
        rows = list(
            Proposal.select(Proposal, Dossier, Counsellor)
            .join(Dossier)
            .switch(Proposal)
            .join(Counsellor, on=(Proposal.counsellor == Counsellor.id))
            .where((Proposal.offer == offer_id) & (Dossier.structure == counsellor.structure_id))
            .order_by(Proposal.proposed_on.desc(), Proposal.id.desc())
            .offset(max(0, offset))
            .limit(limit + 1)
        )
        items = tuple(
            OfferProposalRow(
                dossier_id=p.dossier.id,
                dossier_number=p.dossier.number,
                young_person=f"{p.dossier.last_name.upper()} {p.dossier.first_name}",
                proposed_on=p.proposed_on,
                counsellor_name=counsellor_name(p.counsellor),
            )
            for p in rows[:limit]
        )
        return Page(items=items, offset=offset, has_more=len(rows) > limit)

    def _validate(
        self, errors: FieldErrors, dossier: Dossier, offer: Offer, form: ProposalInput
    ) -> tuple[dt.date | None, str]:
        today = self.clock.today()
        proposed_on = read_date(
            errors, "proposed_on", form.proposed_on, "Date de proposition", required=True
        )
        if proposed_on and proposed_on > today:
            errors.add("proposed_on", "Date de proposition : ne peut pas être dans le futur.")
        if proposed_on and proposed_on < dossier.birth_date:
            errors.add("proposed_on", "Date de proposition : antérieure à la naissance du jeune.")
        if offer.end_date and offer.end_date < today:
            raise RuleViolation(
                f"Cette offre a pris fin le {format_date(offer.end_date)} : "
                "elle ne peut plus être proposée."
            )
        if proposed_on and proposed_on < offer.start_date:
            errors.add(
                "proposed_on",
                "Date de proposition : l'offre ne commence que le "
                f"{format_date(offer.start_date)}.",
            )
        comment = clean_text(form.comment if isinstance(form.comment, str) else "")
        if len(comment) > COMMENT_MAX_LENGTH:
            errors.add(
                "comment",
                f"Commentaire : {COMMENT_MAX_LENGTH} caractères au maximum "
                f"({len(comment)} saisis).",
            )
        return proposed_on, comment


def _cep_measure_id() -> int | None:
    return reference_id(ReferenceKind.NATIONAL_MEASURE, code=CEP_CODE)


def _is_measure(offer: Offer, measure_id: int | None) -> bool:
    return offer.national_measure_id is not None and offer.national_measure_id == measure_id


def _offer_with_measure(counsellor: Counsellor, offer_id: int) -> Offer | None:
    """The offer of the counsellor's structure, its `is_cep` read along (one query): its
    Mesure nationale is the national value CEP."""
    Measure = ReferenceValue.alias()
    offer = (
        Offer.select(Offer, Measure.code.alias("measure_code"))
        .join_from(
            Offer,
            Measure,
            JOIN.LEFT_OUTER,
            on=(
                (Offer.national_measure == Measure.id)
                & (Measure.kind == ReferenceKind.NATIONAL_MEASURE.value)
            ),
        )
        .where((Offer.id == offer_id) & (Offer.structure == counsellor.structure_id))
        .objects()
        .first()
    )
    if offer is not None:
        offer.is_cep = offer.measure_code == CEP_CODE
    return offer


def _view(
    proposal: Proposal,
    offer: Offer,
    counsellor: Counsellor,
    event: Event,
    is_cep: bool,
) -> ProposalView:
    return ProposalView(
        id=proposal.id,
        offer_id=offer.id,
        offer_name=offer.name,
        partner=offer.partner,
        is_cep=is_cep,
        proposed_on=proposal.proposed_on,
        counsellor_name=counsellor_name(counsellor),
        event_id=event.id,
        event_date=event.event_date,
        comment=proposal.comment,
    )

"""ORM rows to the views the screens get (callers prefetch what these touch), and typed
text to what is stored (`read_line`, `read_text`)."""

from __future__ import annotations

import datetime as dt

from cep_tui.db.models import Counsellor, Dossier, Enrolment, Event, Offer, ReferenceValue
from cep_tui.services.dates import age_on
from cep_tui.services.errors import FieldErrors
from cep_tui.services.views import (
    CounsellorOption,
    DossierView,
    EnrolmentView,
    EventActionView,
    EventView,
    OfferView,
    PhaseView,
    RefValue,
)
from cep_tui.text import clean_line, clean_text
from cep_tui.vocabulary import (
    CEP_CODE,
    PHASE_TITLES,
    ActionKind,
    DossierStatus,
    EnrolmentStatus,
    ExitReason,
)

LINE_MAX_LENGTH = 150
TEXT_MAX_LENGTH = 2000


def read_line(
    errors: FieldErrors, field: str, value, label: str, limit: int = LINE_MAX_LENGTH
) -> str:
    """A one-line text field as stored (cleaned: see `clean_line`); too long, its message
    is added to `errors`. Anything but text reads as empty."""
    text = clean_line(value if isinstance(value, str) else "")
    if len(text) > limit:
        errors.add(field, f"{label} : {limit} caractères au maximum.")
    return text


def read_text(
    errors: FieldErrors, field: str, value, label: str, limit: int = TEXT_MAX_LENGTH
) -> str:
    """A multi-line text field as stored (cleaned: see `clean_text`), like `read_line`."""
    text = clean_text(value if isinstance(value, str) else "")
    if len(text) > limit:
        errors.add(field, f"{label} : {limit} caractères au maximum.")
    return text


def ref(value: ReferenceValue | None) -> RefValue | None:
    if value is None:
        return None
    return RefValue(id=value.id, label=value.label, code=value.code, active=value.active)


def counsellor_name(counsellor: Counsellor | None) -> str:
    if counsellor is None:
        return ""
    return f"{counsellor.first_name} {counsellor.last_name.upper()}"


def counsellor_option(counsellor: Counsellor) -> CounsellorOption:
    return CounsellorOption(id=counsellor.id, display_name=counsellor_name(counsellor))


def dossier_view(dossier: Dossier, today: dt.date, *, anonymised: bool = False) -> DossierView:
    status = DossierStatus(dossier.status)
    return DossierView(
        id=dossier.id,
        number=dossier.number,
        last_name=dossier.last_name,
        first_name=dossier.first_name,
        birth_date=dossier.birth_date,
        age=age_on(dossier.birth_date, today),
        sex=dossier.sex,
        address=dossier.address,
        postal_code=dossier.postal_code,
        city=dossier.city,
        phone=dossier.phone,
        email=dossier.email,
        complementary_info=dossier.complementary_info,
        situation=dossier.situation,
        justified=status is DossierStatus.JUSTIFIED,
        status_label=status.label,
        referent_name=counsellor_name(dossier.referent),
        version=dossier.version,
        education_level=dossier.education_level,
        qpv=dossier.qpv,
        zrr=dossier.zrr,
        anonymised=anonymised,
    )


def enrolment_title(code: str, phase: int, in_progress: bool, name: str) -> str:
    """The card's title: the CEP is named by its phase, other dispositifs by their name."""
    base = PHASE_TITLES[phase] if code == CEP_CODE else name
    return f"{base} ({'EN COURS' if in_progress else 'CLÔTURÉ'})"


def enrolment_view(
    enrolment: Enrolment, phases, actions=(), today: dt.date | None = None
) -> EnrolmentView:
    """The view of an enrolment; on `today`, a phase 3 planned later shows as phase 2."""
    in_progress = enrolment.status == EnrolmentStatus.IN_PROGRESS.value
    phase_views = tuple(
        PhaseView(phase=p.phase, start_date=p.start_date, end_date=p.end_date)
        for p in sorted(phases, key=lambda p: p.phase)
    )
    recorded = next((p for p in phase_views if p.phase == enrolment.phase), None)
    is_planned = in_progress and today is not None and recorded is not None and recorded.phase == 3
    planned = recorded.start_date if is_planned and recorded.start_date > today else None
    phase_today = 2 if planned else enrolment.phase
    current = next((p for p in phase_views if p.phase == phase_today), recorded)
    return EnrolmentView(
        id=enrolment.id,
        dispositif_code=enrolment.dispositif.code,
        dispositif_name=enrolment.dispositif.name,
        in_progress=in_progress,
        phase=enrolment.phase,
        title=enrolment_title(
            enrolment.dispositif.code, phase_today, in_progress, enrolment.dispositif.name
        ),
        referrer=ref(enrolment.referrer),
        initial_interview_date=enrolment.initial_interview_date,
        entry_date=enrolment.entry_date,
        current_phase_start=current.start_date if current else enrolment.entry_date,
        phases=phase_views,
        solicitation_reason=ref(enrolment.solicitation_reason),
        prescriber_name=enrolment.prescriber_name,
        referent_name=enrolment.referent_name,
        project_type=ref(enrolment.project_type),
        end_date=enrolment.end_date,
        exit_reason_label=ExitReason(enrolment.exit_reason).label
        if enrolment.exit_reason
        else None,
        version=enrolment.version,
        updated_at=enrolment.updated_at,
        updated_by_name=counsellor_name(enrolment.updated_by),
        actions=tuple(actions),
        phase_3_planned_on=planned,
    )


def event_view(event: Event, actions=()) -> EventView:
    contexts = tuple(
        ref(c)
        for c in (event.primary_context, event.secondary_context, event.tertiary_context)
        if c is not None
    )
    return EventView(
        id=event.id,
        event_date=event.event_date,
        contexts=contexts,
        direction=ref(event.direction),
        nature=ref(event.nature),
        reception_place=ref(event.reception_place),
        function=ref(event.function),
        intervenant_name=counsellor_name(event.intervenant),
        comment=event.comment,
        walk_in=event.walk_in,
        in_progress=event.in_progress,
        actions=tuple(
            EventActionView(
                kind_label=ActionKind(a.kind).label,
                description=a.description,
                at=a.at,
                counsellor_name=counsellor_name(a.counsellor),
            )
            for a in actions
        ),
    )


def offer_view(offer: Offer, proposals_count: int = 0) -> OfferView:
    return OfferView(
        id=offer.id,
        origin=offer.origin,
        theme=ref(offer.theme),
        service_act=ref(offer.service_act),
        regional_service_act=offer.regional_service_act,
        offer_type=offer.offer_type,
        contract=offer.contract,
        name=offer.name,
        start_date=offer.start_date,
        end_date=offer.end_date,
        state=ref(offer.state),
        referent=counsellor_option(offer.referent),
        national_measure=ref(offer.national_measure),
        partner=offer.partner,
        public=offer.public,
        prerequisites=offer.prerequisites,
        places=offer.places,
        contact=offer.contact,
        version=offer.version,
        proposals_count=proposals_count,
    )

"""Plain functions that build test data, shared by every test folder.

`make_*` functions create rows directly with the models: no service, no rule, no audit
record. Valid defaults; keyword arguments override them. `*_input` functions build the
valid form a service expects, so that a test states only the field it is about.
Reference values are named by their label (or national code) and resolved with
`cep_tui.services.references.reference_id`, so these need an open, migrated database.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import replace
from types import SimpleNamespace

from cep_tui.db.models import (
    Counsellor,
    DispositifType,
    Dossier,
    Enrolment,
    Event,
    Offer,
    PhasePeriod,
    Structure,
)
from cep_tui.services.base import RIGHT_COLUMNS
from cep_tui.services.cep import CepAddInput, CepModifyInput
from cep_tui.services.dossiers import dossier_search_text
from cep_tui.services.events import EventInput
from cep_tui.services.offer_form import OfferInput
from cep_tui.services.offers import offer_search_text
from cep_tui.services.proposals import ProposalInput
from cep_tui.services.references import reference_id
from cep_tui.vocabulary import (
    CEP_CODE,
    DossierStatus,
    EnrolmentStatus,
    ExitReason,
    OfferOrigin,
    ReferenceKind,
    Right,
    is_local,
)

K = ReferenceKind

# The instant every test lives in (a Sunday morning).
NOW = dt.datetime(2026, 11, 29, 10, 0)
TODAY = NOW.date()
YESTERDAY = TODAY - dt.timedelta(days=1)
TOMORROW = TODAY + dt.timedelta(days=1)

ALL_RIGHTS: frozenset[Right] = frozenset(Right)
# Aged 20 on TODAY.
BIRTH_DATE_AGED_20 = dt.date(2006, 3, 14)
# The entry date the CEP factories and inputs use by default.
CEP_ENTRY_DATE = dt.date(2026, 10, 1)

_dossier_numbers = itertools.count(1)
_logins = itertools.count(1)


def ref_id(
    kind: ReferenceKind,
    label: str | None = None,
    *,
    code: str | None = None,
    structure_id: int | None = None,
) -> int:
    """The id of a reference value named by its label (or national code); never None. A
    local list's value is that of `structure_id`, by default of the tests' own structure
    (code "ML1", else the first one created)."""
    if structure_id is None and is_local(kind):
        structure_id = default_structure_id()
    ident = reference_id(kind, code=code, label=label, structure_id=structure_id)
    assert ident is not None, f"no {kind.value} value named {label or code!r}"
    return ident


def default_structure_id() -> int | None:
    own = Structure.get_or_none(Structure.code == "ML1") or (
        Structure.select().order_by(Structure.id).first()
    )
    return own.id if own else None


def viewer() -> SimpleNamespace:
    """Who reads the lists, for `references.choices`: the tests' own structure."""
    return SimpleNamespace(structure_id=default_structure_id())


def cep_context_id() -> int:
    return ref_id(K.CONTEXT, code=CEP_CODE)


# -- rows -----------------------------------------------------------------------------------
def make_structure(code: str = "ML1", name: str = "Mission Locale de Test") -> Structure:
    return Structure.create(code=code, name=name)


def make_counsellor(
    structure: Structure,
    login: str | None = None,
    *,
    rights: frozenset[Right] | set[Right] = ALL_RIGHTS,
    first_name: str = "Alice",
    last_name: str = "Martin",
    active: bool = True,
) -> Counsellor:
    return Counsellor.create(
        login=login or f"conseiller{next(_logins)}",
        first_name=first_name,
        last_name=last_name,
        structure=structure,
        active=active,
        **{column: right in rights for right, column in RIGHT_COLUMNS.items()},
    )


def make_dossier(
    structure: Structure,
    *,
    number: str | None = None,
    last_name: str = "Lefèvre",
    first_name: str = "Œdipe",
    birth_date: dt.date = BIRTH_DATE_AGED_20,
    sex: str = "M",
    status: DossierStatus | str = DossierStatus.JUSTIFIED,
    referent: Counsellor | None = None,
    updated_at: dt.datetime = NOW,
    **fields,
) -> Dossier:
    dossier = Dossier(
        structure=structure,
        number=number or f"{next(_dossier_numbers):07d}",
        last_name=last_name,
        first_name=first_name,
        birth_date=birth_date,
        sex=sex,
        status=str(status),
        referent=referent,
        created_at=updated_at,
        updated_at=updated_at,
        **fields,
    )
    dossier.search_text = dossier_search_text(dossier)
    dossier.save()
    return dossier


def make_offer(
    structure: Structure,
    referent: Counsellor,
    *,
    name: str = "Offre CEP",
    measure: str | None = CEP_CODE,
    theme: str = "Formation",
    service_act: str = "Info. Conseil sur les formations",
    state: str = "Permanente",
    start_date: dt.date = dt.date(2016, 4, 18),
    end_date: dt.date | None = None,
    **fields,
) -> Offer:
    """An offer; `measure` is the label of its Mesure nationale (CEP by default) or None."""
    offer = Offer(
        structure=structure,
        origin=OfferOrigin.ML.value,
        theme=ref_id(K.THEME, theme),
        service_act=ref_id(K.SERVICE_ACT, service_act),
        state=ref_id(K.OFFER_STATE, state),
        referent=referent,
        national_measure=ref_id(K.NATIONAL_MEASURE, measure) if measure else None,
        name=name,
        start_date=start_date,
        end_date=end_date,
        created_at=NOW,
        updated_at=NOW,
        **fields,
    )
    offer.search_text = offer_search_text(
        offer, theme, service_act, offer.national_measure.label if measure else ""
    )
    offer.save()
    return offer


def make_enrolment(
    dossier: Dossier,
    counsellor: Counsellor,
    *,
    dispositif: str = CEP_CODE,
    entry_date: dt.date = CEP_ENTRY_DATE,
    phase: int = 2,
    phase_3_start: dt.date | None = None,
    status: EnrolmentStatus | str = EnrolmentStatus.IN_PROGRESS,
    end_date: dt.date | None = None,
    exit_reason: ExitReason | str | None = None,
    referrer: str = "Mission Locale",
    solicitation_reason: str = "Reconversion",
    with_phases: bool = True,
    **fields,
) -> Enrolment:
    """A dispositif row with its phase periods. `phase_3_start` makes a CEP that went
    through phase 2 then phase 3 (phase 2 ending on the eve); `phase=3` alone is a direct
    entry in phase 3."""
    if phase_3_start is not None:
        phase = 3
    enrolment = Enrolment.create(
        dossier=dossier,
        dispositif=DispositifType.get(DispositifType.code == dispositif),
        status=str(status),
        phase=phase,
        referrer=ref_id(K.REFERRER, referrer, structure_id=dossier.structure_id),
        solicitation_reason=ref_id(
            K.SOLICITATION_REASON, solicitation_reason, structure_id=dossier.structure_id
        ),
        entry_date=entry_date,
        end_date=end_date,
        exit_reason=exit_reason,
        created_at=NOW,
        created_by=counsellor,
        updated_at=NOW,
        updated_by=counsellor,
        **fields,
    )
    if with_phases:
        if phase_3_start is not None:
            PhasePeriod.create(
                enrolment=enrolment,
                phase=2,
                start_date=entry_date,
                end_date=phase_3_start - dt.timedelta(days=1),
            )
            PhasePeriod.create(
                enrolment=enrolment, phase=3, start_date=phase_3_start, end_date=end_date
            )
        else:
            PhasePeriod.create(
                enrolment=enrolment, phase=phase, start_date=entry_date, end_date=end_date
            )
    return enrolment


def make_event(
    dossier: Dossier,
    counsellor: Counsellor,
    *,
    event_date: dt.date = TODAY,
    primary: str = "Événement général",
    secondary: str | None = None,
    tertiary: str | None = None,
    direction: str = "Jeune vers Structure",
    nature: str = "Entretien individuel",
    reception_place: str = "Siège",
    function: str = "Conseiller",
    in_progress: bool = True,
    comment: str = "",
    **fields,
) -> Event:
    """An event; contexts are labels of the Contexte list ("CEP" is the national one)."""
    return Event.create(
        dossier=dossier,
        event_date=event_date,
        primary_context=ref_id(K.CONTEXT, primary),
        secondary_context=ref_id(K.CONTEXT, secondary) if secondary else None,
        tertiary_context=ref_id(K.CONTEXT, tertiary) if tertiary else None,
        direction=ref_id(K.DIRECTION, direction),
        nature=ref_id(K.NATURE, nature),
        reception_place=ref_id(
            K.RECEPTION_PLACE, reception_place, structure_id=dossier.structure_id
        ),
        function=ref_id(K.FUNCTION, function),
        intervenant=counsellor,
        comment=comment,
        in_progress=in_progress,
        closed_at=None if in_progress else NOW,
        created_by=counsellor,
        created_at=NOW,
        **fields,
    )


# -- valid forms ----------------------------------------------------------------------------
def cep_add_input(*, structure_id: int | None = None, **overrides) -> CepAddInput:
    form = CepAddInput(
        referrer_id=ref_id(K.REFERRER, "Mission Locale", structure_id=structure_id),
        entry_date=CEP_ENTRY_DATE.strftime("%d/%m/%Y"),
        solicitation_reason_id=ref_id(
            K.SOLICITATION_REASON, "Reconversion", structure_id=structure_id
        ),
        phase=2,
    )
    return replace(form, **overrides)


def cep_modify_input(*, structure_id: int | None = None, **overrides) -> CepModifyInput:
    form = CepModifyInput(
        referrer_id=ref_id(K.REFERRER, "APEC", structure_id=structure_id),
        solicitation_reason_id=ref_id(
            K.SOLICITATION_REASON, "Rechercher une formation", structure_id=structure_id
        ),
        prescriber_name="Mme Prescriptrice",
        referent_name="M. Référent",
        project_type_id=ref_id(K.PROJECT_TYPE, "Qualification", structure_id=structure_id),
    )
    return replace(form, **overrides)


def event_input(
    intervenant_id: int, /, *, structure_id: int | None = None, **overrides
) -> EventInput:
    """A valid event form carrying the CEP context as primary context."""
    form = EventInput(
        event_date=TODAY,
        primary_context_id=cep_context_id(),
        direction_id=ref_id(K.DIRECTION, "Jeune vers Structure"),
        nature_id=ref_id(K.NATURE, "Entretien individuel"),
        reception_place_id=ref_id(K.RECEPTION_PLACE, "Siège", structure_id=structure_id),
        function_id=ref_id(K.FUNCTION, "Conseiller"),
        intervenant_id=intervenant_id,
    )
    return replace(form, **overrides)


def offer_input(referent_id: int, /, **overrides) -> OfferInput:
    """A valid offer form, attached to the Mesure nationale CEP."""
    form = OfferInput(
        origin=OfferOrigin.ML.value,
        theme_id=ref_id(K.THEME, "Formation"),
        service_act_id=ref_id(K.SERVICE_ACT, "Info. Conseil sur les formations"),
        name="Offre CEP",
        start_date="18/04/2016",
        state_id=ref_id(K.OFFER_STATE, "Permanente"),
        referent_id=referent_id,
        national_measure_id=ref_id(K.NATIONAL_MEASURE, code=CEP_CODE),
    )
    return replace(form, **overrides)


def proposal_input(event: EventInput | None = None, **overrides) -> ProposalInput:
    return replace(ProposalInput(proposed_on=TODAY, event=event), **overrides)

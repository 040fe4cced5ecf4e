"""What the services hand back: plain frozen dataclasses, never ORM objects, so that
screens never trigger lazy queries and tests can build them by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from cep_tui.services.actor import Actor  # noqa: F401 (re-exported: the views' actor)
from cep_tui.vocabulary import CEP_CODE, ActionState


@dataclass(frozen=True)
class RefValue:
    id: int
    label: str
    code: str | None = None
    active: bool = True


@dataclass(frozen=True)
class CounsellorOption:
    id: int
    display_name: str


@dataclass(frozen=True)
class DossierRow:
    """One line of a dossier search."""

    id: int
    number: str
    last_name: str
    first_name: str
    birth_date: dt.date
    status_label: str


@dataclass(frozen=True)
class DossierView:
    id: int
    number: str
    last_name: str
    first_name: str
    birth_date: dt.date
    age: int
    sex: str
    address: str
    postal_code: str
    city: str
    phone: str
    email: str
    complementary_info: str
    situation: str
    justified: bool
    status_label: str
    referent_name: str
    version: int
    # The profile (niveau de formation, résidant QPV, résidant ZRR): codes of
    # vocabulary.EducationLevel and vocabulary.Residence.
    education_level: str = "inconnu"
    qpv: str = "inconnu"
    zrr: str = "inconnu"
    anonymised: bool = False  # by the retention: no personal value left

    @property
    def full_name(self) -> str:
        return f"{self.last_name.upper()} {self.first_name}"


@dataclass(frozen=True)
class PhaseView:
    phase: int
    start_date: dt.date
    end_date: dt.date | None


class EnrolmentAction(StrEnum):
    MODIFY = "modify"
    CLOSE = "close"
    PHASE_3 = "phase_3"
    DELETE = "delete"

    @property
    def label(self) -> str:
        return {
            EnrolmentAction.MODIFY: "Modifier",
            EnrolmentAction.CLOSE: "Clôturer le dispositif",
            EnrolmentAction.PHASE_3: "Passer en phase 3",
            EnrolmentAction.DELETE: "Supprimer",
        }[self]


@dataclass(frozen=True)
class ActionOffer:
    """An action of a menu: offered by the state; `refusal` says why it cannot be done."""

    action: EnrolmentAction
    refusal: str | None = None

    @property
    def allowed(self) -> bool:
        return self.refusal is None


@dataclass(frozen=True)
class EnrolmentView:
    id: int
    dispositif_code: str
    dispositif_name: str
    in_progress: bool
    phase: int
    title: str
    referrer: RefValue
    initial_interview_date: dt.date | None
    entry_date: dt.date
    current_phase_start: dt.date
    phases: tuple[PhaseView, ...]
    solicitation_reason: RefValue
    prescriber_name: str
    referent_name: str
    project_type: RefValue | None
    end_date: dt.date | None
    exit_reason_label: str | None
    version: int
    updated_at: dt.datetime
    updated_by_name: str
    actions: tuple[ActionOffer, ...] = ()
    # A phase 3 recorded with a start still to come: today the CEP is in phase 2 (its
    # title, its « Date d'entrée »), and its card says when phase 3 begins.
    phase_3_planned_on: dt.date | None = None

    @property
    def is_cep(self) -> bool:
        return self.dispositif_code == CEP_CODE

    @property
    def phase_today(self) -> int:
        """The phase the CEP is in today (`phase` is the last recorded, maybe planned)."""
        return 2 if self.phase_3_planned_on is not None else self.phase

    @property
    def past_phases(self) -> tuple[PhaseView, ...]:
        """The phases before today's (those shown "du … au …" on the card)."""
        return tuple(p for p in self.phases if p.phase < self.phase_today)


@dataclass(frozen=True)
class ActionPlanItemView:
    """A line of a CEP's « Plan d'action »."""

    id: int
    enrolment_id: int
    text: str
    target_date: dt.date
    state: ActionState
    version: int

    @property
    def state_label(self) -> str:
        return self.state.label


@dataclass(frozen=True)
class EventActionView:
    kind_label: str
    description: str
    at: dt.datetime
    counsellor_name: str


@dataclass(frozen=True)
class EventView:
    id: int
    event_date: dt.date
    contexts: tuple[RefValue, ...]
    direction: RefValue
    nature: RefValue
    reception_place: RefValue
    function: RefValue
    intervenant_name: str
    comment: str
    walk_in: bool
    in_progress: bool
    actions: tuple[EventActionView, ...] = ()

    @property
    def has_cep_context(self) -> bool:
        return any(c.code == "CEP" for c in self.contexts)


@dataclass(frozen=True)
class ProposalView:
    id: int
    offer_id: int
    offer_name: str
    partner: str
    is_cep: bool
    proposed_on: dt.date
    counsellor_name: str
    event_id: int
    event_date: dt.date
    comment: str


@dataclass(frozen=True)
class RequestView:
    requested_on: dt.date
    subject: str
    status: str
    counsellor_name: str


@dataclass(frozen=True)
class AppointmentView:
    starts_at: dt.datetime
    subject: str
    place: str
    status: str
    counsellor_name: str


class CatalogueKind(StrEnum):
    """ "Type d'offre" of the search: the internal catalogue or the dispositifs."""

    INTERNAL = "O"
    DISPOSITIFS = "d"

    @property
    def label(self) -> str:
        return "Catalogue interne" if self is CatalogueKind.INTERNAL else "Dispositifs"


@dataclass(frozen=True)
class CatalogueItem:
    kind: CatalogueKind
    id: int
    name: str
    theme: str
    partner: str
    is_cep: bool


@dataclass(frozen=True)
class OfferRow:
    """One line of the offers screen: the columns it shows and the line under the table
    (the full `OfferView` is for the offer's own screen)."""

    id: int
    name: str
    theme: RefValue
    national_measure: RefValue | None
    state: RefValue
    start_date: dt.date
    end_date: dt.date | None
    partner: str

    @property
    def is_cep(self) -> bool:
        return self.national_measure is not None and self.national_measure.code == "CEP"


@dataclass(frozen=True)
class OfferView:
    id: int
    origin: str
    theme: RefValue
    service_act: RefValue
    regional_service_act: str
    offer_type: str
    contract: str
    name: str
    start_date: dt.date
    end_date: dt.date | None
    state: RefValue
    referent: CounsellorOption
    national_measure: RefValue | None
    partner: str
    public: str
    prerequisites: str
    places: int | None
    contact: str
    version: int
    proposals_count: int = 0

    @property
    def is_cep(self) -> bool:
        return self.national_measure is not None and self.national_measure.code == "CEP"


@dataclass(frozen=True)
class DispositifView:
    id: int
    code: str
    name: str
    description: str


@dataclass(frozen=True)
class DossierSynthesis:
    dossier: DossierView
    cep: EnrolmentView | None
    event_in_progress: EventView | None
    proposals_count: int
    events_count: int


T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """A page of results; `has_more` says whether another page follows."""

    items: tuple[T, ...]
    offset: int
    has_more: bool = False

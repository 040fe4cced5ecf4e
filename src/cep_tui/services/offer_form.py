"""The offer form ("Informations générales" then "Conditions MER"): what it carries, what
each field accepts, and the French message of each refusal (services/offers.py writes)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cep_tui.db.models import Counsellor, Offer
from cep_tui.services.base import References
from cep_tui.services.converters import read_line, read_text
from cep_tui.services.dates import read_date
from cep_tui.services.errors import FieldErrors
from cep_tui.services.views import OfferView
from cep_tui.vocabulary import OfferOrigin, ReferenceKind

NAME_MAX_LENGTH = 150
PLACES_MAX = 10_000
DEFAULT_STATE = "Permanente"
REFERENT_INACTIVE = "Conseiller référent : ce conseiller est désactivé, choisissez-en un autre."


@dataclass(frozen=True)
class OfferInput:
    """The offer form: "Informations générales" then "Conditions MER"."""

    origin: str | None = OfferOrigin.ML.value
    theme_id: int | None = None
    service_act_id: int | None = None
    regional_service_act: str = ""
    offer_type: str = ""
    contract: str = ""
    name: str = ""
    start_date: dt.date | str | None = None
    end_date: dt.date | str | None = None
    state_id: int | None = None
    referent_id: int | None = None
    national_measure_id: int | None = None
    partner: str = ""
    public: str = ""
    prerequisites: str = ""
    places: int | str | None = None
    contact: str = ""


def offer_input_of(offer: OfferView) -> OfferInput:
    """The form of an existing offer, as stored (to modify it)."""
    return OfferInput(
        origin=offer.origin,
        theme_id=offer.theme.id,
        service_act_id=offer.service_act.id,
        regional_service_act=offer.regional_service_act,
        offer_type=offer.offer_type,
        contract=offer.contract,
        name=offer.name,
        start_date=offer.start_date,
        end_date=offer.end_date,
        state_id=offer.state.id,
        referent_id=offer.referent.id,
        national_measure_id=offer.national_measure.id if offer.national_measure else None,
        partner=offer.partner,
        public=offer.public,
        prerequisites=offer.prerequisites,
        places=offer.places,
        contact=offer.contact,
    )


def validate_offer(counsellor: Counsellor, form: OfferInput, offer: Offer | None) -> dict:
    """The offer form's values, or every refusal of its fields at once."""
    errors = FieldErrors()

    def current(name: str) -> int | None:
        return getattr(offer, f"{name}_id") if offer else None

    if form.origin not in {o.value for o in OfferOrigin}:
        errors.add("origin", "Origine de l'offre : choisir ML ou Autre.")
    choices = References(
        counsellor.structure_id,
        form.theme_id,
        form.service_act_id,
        form.state_id,
        form.national_measure_id,
    )
    theme = choices.choice(
        errors,
        "theme_id",
        form.theme_id,
        ReferenceKind.THEME,
        "Thème",
        required=True,
        current_id=current("theme"),
    )
    act = choices.choice(
        errors,
        "service_act_id",
        form.service_act_id,
        ReferenceKind.SERVICE_ACT,
        "Acte de service",
        required=True,
        current_id=current("service_act"),
    )
    state = choices.choice(
        errors,
        "state_id",
        form.state_id,
        ReferenceKind.OFFER_STATE,
        "État",
        required=True,
        current_id=current("state"),
    )
    measure = choices.choice(
        errors,
        "national_measure_id",
        form.national_measure_id,
        ReferenceKind.NATIONAL_MEASURE,
        "Mesure nationale",
        required=False,
        current_id=current("national_measure"),
    )
    name = read_line(errors, "name", form.name, "Nom de l'offre", NAME_MAX_LENGTH)
    if not name and "name" not in errors:
        errors.add("name", "Nom de l'offre : ce champ est obligatoire.")
    start = read_date(errors, "start_date", form.start_date, "Date de début", required=True)
    end = read_date(errors, "end_date", form.end_date, "Date de fin", required=False)
    if start and end and end < start:
        errors.add("end_date", "Date de fin : ne peut pas précéder la date de début.")
    referent = _referent(errors, counsellor, form.referent_id, offer)
    places = _places(errors, form.places)
    values = {
        "origin": form.origin,
        "theme": theme,
        "service_act": act,
        "state": state,
        "national_measure": measure,
        "name": name,
        "start_date": start,
        "end_date": end,
        "referent": referent,
        "places": places,
        "regional_service_act": read_line(
            errors,
            "regional_service_act",
            form.regional_service_act,
            "Acte de service régional",
        ),
        "offer_type": read_line(errors, "offer_type", form.offer_type, "Type"),
        "contract": read_line(errors, "contract", form.contract, "Contrat"),
        "partner": read_line(errors, "partner", form.partner, "Partenaire"),
        "public": read_text(errors, "public", form.public, "Public"),
        "prerequisites": read_text(errors, "prerequisites", form.prerequisites, "Prérequis"),
        "contact": read_text(errors, "contact", form.contact, "Contact"),
    }
    errors.raise_if_any()
    return values


def _referent(
    errors: FieldErrors, counsellor: Counsellor, ident, offer: Offer | None = None
) -> Counsellor | None:
    """A counsellor of the structure; a deactivated one only where the offer has him.
    The writer and the offer's referent are already read (no query for them)."""
    if ident in (None, ""):
        errors.add("referent_id", "Conseiller référent : ce champ est obligatoire.")
        return None
    try:
        ident = int(ident)
    except (TypeError, ValueError):
        ident = -1
    current_id = offer.referent_id if offer else None
    if ident == counsellor.id:
        referent = counsellor
    elif ident == current_id and offer.referent.structure_id == counsellor.structure_id:
        referent = offer.referent  # read with the offer (`offers_query`)
    else:
        referent = Counsellor.get_or_none(
            (Counsellor.id == ident) & (Counsellor.structure == counsellor.structure_id)
        )
    if referent is None:
        errors.add("referent_id", "Conseiller référent : inconnu dans votre structure.")
    elif not referent.active and referent.id != current_id:
        errors.add("referent_id", REFERENT_INACTIVE)
        return None
    return referent


def _places(errors: FieldErrors, value) -> int | None:
    if value in (None, ""):
        return None
    try:
        places = int(str(value).strip())
    except ValueError:
        places = -1
    if not 0 <= places <= PLACES_MAX:
        errors.add("places", "Places : un nombre entier positif est attendu.")
        return None
    return places

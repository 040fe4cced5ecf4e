"""The offers of service: the fixed catalogue of each structure, plus, for the "large" size,
generated ones; written in bulk, and kept as the planner's `OfferRow`s for the proposals."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from types import SimpleNamespace

from cep_tui.db.models import Offer
from cep_tui.demo.chance import Chance, days
from cep_tui.demo.data.offers import (
    GENERATED_OFFERS,
    OFFERS_ML2A,
    OFFERS_MLBA,
    SECTORS,
    TOWNS,
    TRADES,
    OfferSpec,
)
from cep_tui.demo.data.people import STRUCTURES
from cep_tui.demo.data.sizes import Profile
from cep_tui.demo.plan import OfferRow
from cep_tui.demo.references import References
from cep_tui.demo.staff import Teams
from cep_tui.demo.writer import BATCH, BulkWriter
from cep_tui.services.offers import offer_search_text
from cep_tui.vocabulary import CEP_CODE, ReferenceKind

K = ReferenceKind


@dataclass
class Catalogue:
    """Per structure (by index into STRUCTURES): its offers, its CEP offers, and its
    permanent CEP offer (the fallback of phase-1 proposals)."""

    offers: list[list[OfferRow]]
    cep_offers: list[list[OfferRow]]
    main_cep_offer: list[OfferRow]


def write_offers(
    writer: BulkWriter, chance: Chance, refs: References, teams: Teams, profile: Profile
) -> Catalogue:
    offers: list[list[OfferRow]] = [[], []]
    cep_offers: list[list[OfferRow]] = [[], []]
    specs: list[tuple[int, OfferSpec]] = [(0, s) for s in OFFERS_ML2A]
    specs += [(1, s) for s in OFFERS_MLBA]
    if profile.offers_total:
        extra = profile.offers_total - len(specs)
        balagne = extra // 20
        specs += [(0, _generated_offer(chance.rng)) for _ in range(extra - balagne)]
        specs += [(1, _generated_offer(chance.rng)) for _ in range(balagne)]
    first = writer.first_id(Offer, len(specs))
    rows = []
    for offset, (index, spec) in enumerate(specs):
        oid = first + offset
        row, start, end = _offer_row(chance, refs, teams, oid, index, spec)
        rows.append(row)
        offer = OfferRow(oid, spec.name, spec.theme, start, end, spec.measure == CEP_CODE)
        offers[index].append(offer)
        if offer.is_cep:
            cep_offers[index].append(offer)
        if len(rows) >= BATCH:
            writer.insert(Offer, rows)
            rows = []
    writer.insert(Offer, rows)
    main_cep_offer = [
        next(o for o in cep_offers[i] if o.end is None) for i in range(len(STRUCTURES))
    ]
    return Catalogue(offers, cep_offers, main_cep_offer)


def _generated_offer(rng: random.Random) -> OfferSpec:
    name, theme, act, measure, partner = rng.choice(GENERATED_OFFERS)
    name = name.format(sector=rng.choice(SECTORS), trade=rng.choice(TRADES))
    name = f"{name} – {rng.choice(TOWNS)}"
    start = rng.randint(-1500, 60)
    ended = rng.random() < 0.6
    end = start + rng.randint(30, 400) if ended else None
    state = "Inactive" if rng.random() < 0.05 else ("Ponctuelle" if ended else "Permanente")
    return OfferSpec(
        name, theme, act, measure, partner, state, start, end=end,
        offer_type=rng.choice(("Atelier", "Formation", "Information collective",
                               "Accompagnement", "Mise en relation")),
        places=rng.choice((None, 6, 8, 10, 12, 15, 20)),
        prerequisites=rng.choice(("", "", "Entretien préalable avec le conseiller.",
                                  "Projet professionnel validé.")),
        contact=rng.choice(("", "Secrétariat de la Mission Locale")),
        referent=rng.randint(0, 5),
    )  # fmt: skip


def _offer_row(
    chance: Chance, refs: References, teams: Teams, oid: int, index: int, spec: OfferSpec
) -> tuple[tuple, dt.date, dt.date | None]:
    rng, today = chance.rng, chance.today
    if isinstance(spec.start, tuple):
        years, month, day = spec.start
        start = dt.date(today.year - years, month, day)
    else:
        start = today + days(spec.start)
    end = today + days(spec.end) if spec.end is not None else None
    if end is not None and end < start:
        end = start
    group = teams.staff[index]
    referent = group[spec.referent % len(group)].id
    created_on = min(start, today) - days(rng.randint(0, 20))
    created_at = chance.moment(created_on)
    managers = teams.offer_managers[index] or [referent]
    updated_by = rng.choice(managers)
    version = 1
    updated_at = created_at
    if rng.random() < 0.4 and created_on < today:
        version = rng.randint(2, 4)
        updated_at = chance.moment(chance.between(created_on + days(1), today))
    measure_id, measure_label = None, ""
    if spec.measure == CEP_CODE:
        measure_id, measure_label = refs.cep_measure, refs.cep_measure_label
    elif spec.measure:
        measure_id, measure_label = refs.ref(K.NATIONAL_MEASURE, spec.measure), spec.measure
    search = offer_search_text(
        SimpleNamespace(
            name=spec.name,
            offer_type=spec.offer_type,
            contract=spec.contract,
            regional_service_act=spec.regional_act,
            partner=spec.partner,
        ),
        spec.theme,
        spec.act,
        measure_label,
    )
    row = (
        oid, teams.structure_ids[index], spec.origin, refs.ref(K.THEME, spec.theme),
        refs.ref(K.SERVICE_ACT, spec.act), spec.regional_act, spec.offer_type,
        spec.contract, spec.name, start, end, refs.ref(K.OFFER_STATE, spec.state),
        referent, measure_id, spec.partner, spec.public, spec.prerequisites, spec.places,
        spec.contact, search, created_at, updated_at, updated_by, version,
    )  # fmt: skip
    return row, start, end

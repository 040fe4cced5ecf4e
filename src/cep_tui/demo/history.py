"""A young person's history, as days: the milestones of their dispositifs (added, modified,
phase 3, closed), the offers proposed, then ordinary contacts; one event per day at most,
each with what its comment says when a milestone decides it."""

from __future__ import annotations

import datetime as dt

from cep_tui.demo.chance import Chance, days
from cep_tui.demo.data.event_mix import THEME_CONTEXT
from cep_tui.demo.data.sizes import Profile
from cep_tui.demo.data.texts import MILESTONE_COMMENTS
from cep_tui.demo.offers import Catalogue
from cep_tui.demo.plan import EventSpec, OfferRow, Young
from cep_tui.demo.references import References
from cep_tui.services.dates import format_date
from cep_tui.vocabulary import CEP_CODE, ActionKind, DossierStatus, ExitReason

J = DossierStatus.JUSTIFIED.value


class History:
    """Decides the days of each young person's events and what each records."""

    def __init__(self, chance: Chance, refs: References, catalogue: Catalogue, profile: Profile):
        self.rng = chance.rng
        self.today = chance.today
        self.between = chance.between
        self.age = chance.age
        self.dispositif_names = refs.dispositif_names
        self.offers = catalogue.offers
        self.cep_offers = catalogue.cep_offers
        self.main_cep_offer = catalogue.main_cep_offer
        self.profile = profile

    def specs(self, young: Young) -> list[EventSpec]:
        """What happened on which day: the milestones of the dispositifs, the proposals,
        then ordinary contacts; one event per day at most."""
        rng, today = self.rng, self.today
        index = young.structure
        by_day: dict[dt.date, EventSpec] = {}

        def spec(day: dt.date) -> EventSpec:
            if day not in by_day:
                by_day[day] = EventSpec(day)
            return by_day[day]

        window_start = max(young.created_on, today - days(730))
        for enrol in young.enrolments:
            name = self.dispositif_names[enrol.code]
            is_cep = enrol.code == CEP_CODE
            if is_cep and rng.random() < 0.6:  # phase 1: a CEP offer first
                day = self.between(max(young.created_on, enrol.entry - days(45)), enrol.entry)
                offer = self._offer_on(self.cep_offers[index], day) or self.main_cep_offer[index]
                if offer.valid_on(day):
                    s = spec(day)
                    s.cep = True
                    s.proposals.append(offer)
            added = spec(enrol.entry)
            if is_cep:
                added.cep = True
                phase = 3 if enrol.direct_phase3 else 2
                text = f"CEP, entrée en phase {phase} le {format_date(enrol.entry)}"
            else:
                added.context = added.context or "Emploi"
                text = f"{name}, entrée le {format_date(enrol.entry)}"
            added.actions.append((ActionKind.DISPOSITIF_ADDED.value, text, enrol))
            if not is_cep:
                self._note(added, "eav_added")
            else:
                self._note(added, "cep_added_phase_3" if enrol.direct_phase3 else "cep_added")
            last_day = enrol.close_recorded or today
            if is_cep and rng.random() < 0.2 and last_day > enrol.entry:
                day = self.between(enrol.entry + days(1), last_day)
                s = spec(day)
                s.cep = True
                s.actions.append(
                    (ActionKind.DISPOSITIF_MODIFIED.value, "CEP, informations modifiées", enrol)
                )
                self._note(s, "modified")
            if enrol.phase3_recorded:
                s = spec(enrol.phase3_recorded)
                s.cep = True
                s.actions.append(
                    (
                        ActionKind.PHASE_3.value,
                        f"CEP, phase 3 à partir du {format_date(enrol.phase3)}",
                        enrol,
                    )
                )
                self._note(s, "phase_3")
            if enrol.close_recorded:
                label = ExitReason(enrol.reason).label
                s = spec(enrol.close_recorded)
                s.cep = s.cep or is_cep
                if not is_cep:
                    s.context = s.context or "Emploi"
                s.actions.append(
                    (
                        ActionKind.DISPOSITIF_CLOSED.value,
                        f"{'CEP' if is_cep else name} clôturé le {format_date(enrol.end)} : "
                        f"{label}",
                        enrol,
                    )
                )
                self._note(s, enrol.reason if is_cep else "eav_closed")
        if young.deleted_cep:
            s = spec(young.deleted_cep)
            s.cep = True
            s.comment = "CEP ajouté par erreur sur ce dossier, aussitôt supprimé."
            day = format_date(young.deleted_cep)
            s.actions.append(
                (ActionKind.DISPOSITIF_ADDED.value, f"CEP, entrée en phase 2 le {day}", None)
            )
            s.actions.append(
                (
                    ActionKind.DISPOSITIF_DELETED.value,
                    f"CEP (phase 2, entré le {day}) supprimé",
                    None,
                )
            )
        if not young.enrolments and young.status == J and rng.random() < 0.08:
            day = self.between(window_start, today)  # phase 1 only
            offer = self._offer_on(self.cep_offers[index], day)
            if offer:
                s = spec(day)
                s.cep = True
                s.proposals.append(offer)
        # Ordinary contacts.
        mean = self.profile.events_per_dossier
        wanted = rng.randint(1, 2 * mean - 1) if self.age(young.birth) >= 16 else rng.randint(1, 2)
        for _ in range(max(0, wanted - len(by_day))):
            s = spec(self.between(window_start, today))
            if not s.actions and not s.proposals and rng.random() < 0.12:
                s.walk_in = True
        # Offers proposed during ordinary contacts.
        if young.status == J or rng.random() < 0.3:
            ordinary = [s for s in by_day.values() if not s.actions and not s.walk_in]
            for _ in range(rng.choice((0, 0, 0, 1, 1, 2, 3))):
                if not ordinary:
                    break
                s = rng.choice(ordinary)
                offer = self._offer_on(self.offers[index], s.day)
                if offer and all(o.id != offer.id for o in s.proposals):
                    s.proposals.append(offer)
                    if offer.is_cep:
                        s.cep = True
                    else:
                        s.context = s.context or THEME_CONTEXT.get(offer.theme)
        return [by_day[day] for day in sorted(by_day)]

    def _note(self, s: EventSpec, topic: str) -> None:
        """The event's comment says what happened, unless something else already did."""
        if s.comment is None:
            choices = MILESTONE_COMMENTS[topic]
            s.comment = choices[int(self.rng.random() * len(choices))]

    def _offer_on(self, offers: list[OfferRow], day: dt.date) -> OfferRow | None:
        """One of `offers` valid on `day`, if a few draws find one."""
        if not offers:
            return None
        for _ in range(6):
            offer = self.rng.choice(offers)
            if offer.valid_on(day):
                return offer
        return None

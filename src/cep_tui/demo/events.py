"""The event rows of a young person's history, with their actions and proposals: who met
them, how, where, in which contexts, and what the counsellor wrote. The hot loop of the
large size: it binds what it reads often to locals and attributes."""

from __future__ import annotations

import datetime as dt

from cep_tui.db.models import Event, EventAction, Proposal
from cep_tui.demo.chance import MINUTE_STEPS, Chance, action_moment, days
from cep_tui.demo.data.event_mix import REMOTE_NATURES
from cep_tui.demo.data.texts import COMMENTS, PROPOSAL_COMMENTS, WALK_IN_COMMENTS
from cep_tui.demo.plan import EventSpec, Young
from cep_tui.demo.references import References
from cep_tui.demo.staff import Teams
from cep_tui.demo.timelines import Moments
from cep_tui.demo.writer import BulkWriter
from cep_tui.vocabulary import CEP_CODE, ActionKind


class EventRows:
    """Writes the events of a young person's history into the batch's rows."""

    def __init__(self, writer: BulkWriter, chance: Chance, refs: References, teams: Teams):
        self.writer = writer
        self.rng = chance.rng
        self.today = chance.today
        self.now = chance.now
        self.moment = chance.moment
        self.workers = teams.workers
        self.receptionists = teams.receptionists
        self.natures = refs.natures
        self.other_contexts = refs.other_contexts
        self.remote_directions = refs.remote_directions
        self.context_ids = refs.context_ids
        self.direction_ids = refs.direction_ids
        self.nature_ids = refs.nature_ids
        self.place_id = refs.place_id
        self.function_ids = refs.function_ids

    def add(self, did: int, young: Young, specs: list[EventSpec], rows: dict) -> Moments:
        """Event, action and proposal rows; returns, per enrolment (by id()), the moments
        and counsellors of its actions. The hot loop of the large size."""
        random, now = self.rng.random, self.now
        moments: Moments = {}
        if not specs:
            return moments
        w = self.writer
        first_event = w.first_id(Event, len(specs))
        action_count = sum(len(s.actions) + len(s.proposals) for s in specs)
        next_action = w.first_id(EventAction, action_count) if action_count else 0
        proposal_count = sum(len(s.proposals) for s in specs)
        next_proposal = w.first_id(Proposal, proposal_count) if proposal_count else 0
        workers = self.workers[young.structure]
        receptionists = self.receptionists[young.structure]
        structure, place_id = young.structure, self.place_id
        referent_works = young.referent in workers
        cep_periods = [
            (e.entry, e.end or self.today) for e in young.enrolments if e.code == CEP_CODE
        ]
        event_rows, action_rows, proposal_rows = rows[Event], rows[EventAction], rows[Proposal]
        last = len(specs) - 1
        open_last = specs[last].day >= self.today - days(45) and random() < 0.15
        previous_end: dt.datetime | None = None
        for position, s in enumerate(specs):
            eid = first_event + position
            if referent_works and random() < 0.75:
                creator = young.referent
            else:
                creator = workers[int(random() * len(workers))]
            busy = bool(s.actions or s.proposals)
            intervenant = creator
            at_desk = False
            if receptionists and not busy and (s.walk_in or random() < 0.05):
                intervenant = receptionists[int(random() * len(receptionists))]
                at_desk = True
            in_cep = s.cep or any(low <= s.day <= high for low, high in cep_periods)
            contexts = self._contexts(s.context, s.cep or (in_cep and random() < 0.85))
            if s.walk_in:
                nature, direction = "Entretien individuel", "Jeune vers Structure"
            elif busy:
                nature = "Entretien individuel" if random() < 0.85 else "Téléphone"
                direction = "Jeune vers Structure" if random() < 0.5 else "Structure vers Jeune"
            else:
                nature = self.natures.pick(random())
                direction = self._direction(nature)
            created_at = self.moment(s.day, previous_end)
            in_progress = position == last and open_last
            closed_at = None
            if not in_progress:
                closed_at = created_at + MINUTE_STEPS[15 + int(random() * 61)]
                if closed_at > now:
                    closed_at = now
                previous_end = closed_at
            limit = closed_at or now
            ids = [self.context_ids[label] for label in contexts] + [None, None]
            event_rows.append(
                (
                    eid, did, s.day, ids[0], ids[1], ids[2], self.direction_ids[direction],
                    self.nature_ids[nature], place_id(self._place(nature, s.walk_in), structure),
                    self.function_ids[self._function(at_desk, contexts[0])], intervenant,
                    s.comment if s.comment is not None else self._comment(s, contexts[0]),
                    s.walk_in, in_progress, closed_at, creator, created_at,
                )
            )  # fmt: skip
            step = 0
            for offer in s.proposals:
                step += 1
                moment = action_moment(created_at, limit, step)
                action_rows.append(
                    (next_action, eid, ActionKind.OFFER_PROPOSED.value, offer.name, moment,
                     creator)
                )  # fmt: skip
                comment = PROPOSAL_COMMENTS[int(random() * len(PROPOSAL_COMMENTS))]
                proposal_rows.append(
                    (next_proposal, did, offer.id, eid, creator, s.day, comment, moment)
                )
                next_action += 1
                next_proposal += 1
            for kind, description, enrol in s.actions:
                step += 1
                moment = action_moment(created_at, limit, step)
                action_rows.append((next_action, eid, kind, description, moment, creator))
                next_action += 1
                if enrol is not None:
                    moments.setdefault(id(enrol), []).append((moment, creator))
        return moments

    def _contexts(self, required: str | None, cep: bool) -> list[str]:
        """One to three distinct contexts; CEP among them when the event traces CEP work."""
        draw = self.rng.random()
        count = 1 if draw < 0.5 else (2 if draw < 0.85 else 3)
        chosen = [required] if required else []
        while len(chosen) < count - cep:
            label = self.other_contexts.pick(self.rng.random())
            if label not in chosen:
                chosen.append(label)
        if cep:
            draw = self.rng.random()
            position = 0 if draw < 0.7 else (1 if draw < 0.9 else 2)
            chosen.insert(min(position, len(chosen)), CEP_CODE)
        return chosen[:3]

    def _direction(self, nature: str) -> str:
        draw = self.rng.random()
        if nature == "Entretien individuel":
            return "Jeune vers Structure" if draw < 0.6 else "Structure vers Jeune"
        if nature in REMOTE_NATURES:
            return self.remote_directions.pick(draw)
        if nature in ("Atelier", "Information collective"):
            return "Structure vers Jeune"
        return "Structure vers Jeune" if draw < 0.5 else "Structure vers Partenaire"

    def _place(self, nature: str, walk_in: bool) -> str:
        if nature in REMOTE_NATURES:
            return "À distance"
        if nature in ("Visite", "Médiation"):
            return "Hors les murs"
        draw = self.rng.random()
        if walk_in:
            return "Siège" if draw < 0.8 else "Antenne"
        return "Siège" if draw < 0.65 else ("Antenne" if draw < 0.85 else "Permanence")

    def _function(self, at_desk: bool, context: str) -> str:
        if at_desk:
            return "Chargé d'accueil"
        draw = self.rng.random()
        if context == "Santé" and draw < 0.3:
            return "Psychologue"
        if context == "Emploi" and draw < 0.25:
            return "Chargé de relation entreprise"
        return "Direction" if draw > 0.98 else "Conseiller"

    def _comment(self, s: EventSpec, context: str) -> str:
        draw = self.rng.random()
        if s.walk_in:
            return WALK_IN_COMMENTS[int(draw * len(WALK_IN_COMMENTS))]
        if draw < 0.1:
            return ""
        choices = COMMENTS.get(context, COMMENTS["Événement général"])
        return choices[int((draw - 0.1) / 0.9 * len(choices))]

"""The whole run, in the order that fixes every random draw: the structures and their
counsellors, the offers, the plan of every young person, their dossier numbers, then the
dossiers batch by batch, reporting progress after each."""

from __future__ import annotations

import random
from collections.abc import Callable

from peewee import Database

from cep_tui.clock import Clock
from cep_tui.demo.chance import Chance
from cep_tui.demo.data.sizes import Profile
from cep_tui.demo.dossiers import DossierBatches
from cep_tui.demo.offers import write_offers
from cep_tui.demo.profiles import ProfileDraws
from cep_tui.demo.references import References
from cep_tui.demo.staff import write_teams
from cep_tui.demo.writer import BATCH, BulkWriter, DemoSummary
from cep_tui.demo.young_people import Planner

ProgressCallback = Callable[[int, int], None]


class Builder:
    """Writes one size of demonstration data from one seed."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        rng: random.Random,
        profile: Profile,
        progress: ProgressCallback | None,
        profile_draws: ProfileDraws,
    ):
        self.chance = Chance(rng, clock)
        self.profile_draws = profile_draws
        self.profile = profile
        self.progress = progress
        self.writer = BulkWriter(db)
        self.refs = References(rng)
        self.done = 0
        self.total = 0

    def run(self) -> None:
        rng, profile, writer = self.chance.rng, self.profile, self.writer
        sizes = profile.dossiers
        self.total = sum(sizes) + 1
        self._tick(0)
        teams = write_teams(writer, rng, profile)
        catalogue = write_offers(writer, self.chance, self.refs, teams, profile)
        planner = Planner(self.chance, teams, profile)
        plans = [planner.plan_structure(index, count) for index, count in enumerate(sizes)]
        # Dossier numbers: seven digits, unique.
        numbers = iter(rng.sample(range(1_000_000, 10_000_000), sum(sizes)))
        self._tick(1)
        batches = DossierBatches(
            writer, self.chance, self.refs, teams, catalogue, profile, numbers, self.profile_draws
        )
        for plan in plans:
            for start in range(0, len(plan), BATCH):
                batch = plan[start : start + BATCH]
                batches.write(batch)
                self._tick(len(batch))
        writer.finish()

    def _tick(self, count: int) -> None:
        self.done += count
        if self.progress is not None:
            self.progress(self.done, self.total)

    def summary(self) -> DemoSummary:
        return self.writer.summary()

"""Planning the young people of a structure: who they are (name, sex, age, référent), which
are not justified yet, who is in which CEP state by quota, and since when they are known."""

from __future__ import annotations

from cep_tui.demo.chance import Chance, add_years, days
from cep_tui.demo.data.people import FIRST_NAMES_F, FIRST_NAMES_M, LAST_NAMES, SHOWCASE_ML2A
from cep_tui.demo.data.sizes import Profile
from cep_tui.demo.plan import CEP_MARGINS, CLOSED, PHASE2, PHASE3, PLANNED, Young
from cep_tui.demo.staff import Teams
from cep_tui.demo.timelines import can_enter, cep_timeline, eav_timeline, previous_cep
from cep_tui.vocabulary import DossierStatus

J = DossierStatus.JUSTIFIED.value
NJ = DossierStatus.NOT_JUSTIFIED.value


class Planner:
    """Plans every young person of a structure, dispositifs included, before any row."""

    def __init__(self, chance: Chance, teams: Teams, profile: Profile):
        self.chance = chance
        self.rng = chance.rng
        self.today = chance.today
        self.teams = teams
        self.profile = profile

    def plan_structure(self, index: int, count: int) -> list[Young]:
        """`count` young people of the structure at `index`, the showcase ones first."""
        rng, today, age_of = self.rng, self.today, self.chance.age
        large = self.profile.extra_counsellors[index] > 0
        referents, weights = self.teams.referent_weights(index, large)
        plan: list[Young] = []
        showcase = SHOWCASE_ML2A if index == 0 else ()
        for last, first, sex, (years, since_birthday), status, login, state in showcase[:count]:
            birth = add_years(today - days(since_birthday), -years)
            young = Young(index, last, first, sex, birth, status, self.teams.counsellor_ids[login])
            young.cep_state = state
            young.showcase = True
            plan.append(young)
        age15 = max(0, count // 100 - sum(1 for y in plan if age_of(y.birth) == 15))
        ages = list(range(16, 26))
        age_weights = [6, 8, 10, 12, 13, 13, 12, 10, 9, 7]
        while len(plan) < count:
            sex = "F" if rng.random() < 0.5 else "M"
            first = rng.choice(FIRST_NAMES_F if sex == "F" else FIRST_NAMES_M)
            last = rng.choice(LAST_NAMES)
            if rng.random() < 0.04:
                last = f"{last}-{rng.choice(LAST_NAMES)}"
            if age15 > 0:
                age, age15 = 15, age15 - 1
            else:
                age = rng.choices(ages, age_weights)[0]
            upper = add_years(today, -age)
            lower = add_years(today, -age - 1) + days(1)
            birth = lower + days(rng.randint(0, (upper - lower).days))
            referent = rng.choices(referents, weights)[0]
            plan.append(Young(index, last, first, sex, birth, J, referent))
        # Exactly 15 % of the dossiers are not justified yet.
        unjustified = round(count * 0.15) - sum(y.status == NJ for y in plan)
        others = [y for y in plan if not y.showcase]
        for young in rng.sample(others, max(0, min(unjustified, len(others)))):
            young.status = NJ
        self._assign_dispositifs(plan, count)
        for young in plan:
            self._set_created_on(young)
        return plan

    def _assign_dispositifs(self, plan: list[Young], count: int) -> None:
        """CEP states by quota (20/15/2/15 per 200 young people), then a few EMPLOI
        D'AVENIR and CEPs deleted after being added by mistake."""
        chance, rng, today = self.chance, self.rng, self.today
        quotas = {
            CLOSED: round(count * 0.075),
            PHASE3: round(count * 0.075),
            PLANNED: round(count * 0.01),
            PHASE2: round(count * 0.10),
        }
        # Some young people come back for a second CEP after an interrupted one: that
        # earlier CEP is one of the closed ones.
        returns = round(count * 0.01)
        quotas[CLOSED] -= returns
        for young in plan:
            if young.cep_state:
                quotas[young.cep_state] -= 1
        pool = [
            y
            for y in plan
            if y.cep_state is None
            and not y.showcase
            and y.status == J
            and chance.age(y.birth) >= 16
        ]
        rng.shuffle(pool)
        free: list[Young] = []
        for young in pool:
            for state in (CLOSED, PHASE3, PLANNED, PHASE2):
                if quotas[state] > 0 and can_enter(chance, young, CEP_MARGINS[state]):
                    young.cep_state = state
                    quotas[state] -= 1
                    break
            else:
                free.append(young)
        for young in plan:
            if young.cep_state:
                young.enrolments.append(cep_timeline(chance, young, young.cep_state))
        for young in plan:
            if returns <= 0:
                break
            current = young.enrolments[0] if young.cep_state == PHASE2 else None
            if current and young.earliest_entry(today) <= current.entry - days(150):
                young.enrolments.insert(0, previous_cep(chance, young, current))
                returns -= 1
        for young in list(free):  # not enough returning young people: plain closed CEPs
            if returns <= 0:
                break
            if can_enter(chance, young, CEP_MARGINS[CLOSED]):
                young.cep_state = CLOSED
                young.enrolments.append(cep_timeline(chance, young, CLOSED))
                free.remove(young)
                returns -= 1
        eav = round(count * 0.015)
        deleted = round(count * 0.01)
        for young in free:
            if eav > 0 and can_enter(chance, young, 120):
                young.enrolments.append(eav_timeline(chance, young, in_progress=eav % 3 == 1))
                eav -= 1
            elif deleted > 0:
                young.deleted_cep = chance.between(
                    max(young.earliest_entry(today), today - days(400)), today
                )
                deleted -= 1
            else:
                break

    def _set_created_on(self, young: Young) -> None:
        """The dossier was opened before the first interview or entry it shows."""
        today, between = self.today, self.chance.between
        earliest = young.earliest_contact(today)
        firsts = [d for e in young.enrolments for d in (e.interview, e.entry) if d]
        if young.deleted_cep:
            firsts.append(young.deleted_cep)
        if firsts:
            first = min(firsts)
            young.created_on = between(max(earliest, first - days(365)), first)
        else:
            young.created_on = between(earliest, today - days(3))
        young.created_on = min(young.created_on, today)

"""Writing a batch of young people: each one's dossier, then their events, dispositifs,
requests and appointments, all gathered per table and inserted in bulk once per batch."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from types import SimpleNamespace

from cep_tui.db.models import (
    Appointment,
    BaseModel,
    Dossier,
    Enrolment,
    Event,
    EventAction,
    PhasePeriod,
    Proposal,
    Request,
)
from cep_tui.demo.chance import Chance, days
from cep_tui.demo.data.people import STRUCTURES
from cep_tui.demo.data.places import APPOINTMENT_PLACES, MAIL_DOMAINS, PLACES_ML2A, PLACES_MLBA
from cep_tui.demo.data.sizes import Profile
from cep_tui.demo.data.texts import (
    APPOINTMENT_SUBJECTS,
    CEP_APPOINTMENT_SUBJECTS,
    COMPLEMENTARY_INFO,
    REQUEST_SUBJECTS,
    SITUATIONS,
)
from cep_tui.demo.events import EventRows
from cep_tui.demo.history import History
from cep_tui.demo.offers import Catalogue
from cep_tui.demo.plan import Young
from cep_tui.demo.profiles import ProfileDraws
from cep_tui.demo.references import References
from cep_tui.demo.staff import Teams
from cep_tui.demo.timelines import EnrolmentRows
from cep_tui.demo.writer import TABLE_FIELDS, BulkWriter
from cep_tui.services.dossiers import dossier_search_text
from cep_tui.text import fold
from cep_tui.vocabulary import CEP_CODE


class DossierBatches:
    """Turns planned young people into rows, a batch at a time."""

    def __init__(
        self,
        writer: BulkWriter,
        chance: Chance,
        refs: References,
        teams: Teams,
        catalogue: Catalogue,
        profile: Profile,
        numbers: Iterator[int],
        profile_draws: ProfileDraws,
    ):
        self.writer = writer
        self.profile_draws = profile_draws
        self.chance = chance
        self.teams = teams
        self.numbers = numbers  # dossier numbers: seven digits, unique
        self.history = History(chance, refs, catalogue, profile)
        self.events = EventRows(writer, chance, refs, teams)
        self.enrolments = EnrolmentRows(writer, chance, refs, teams)
        self._search_cache: dict[tuple[str, str], str] = {}

    def write(self, batch: list[Young]) -> None:
        """Every row of `batch`'s young people, table by table."""
        w = self.writer
        rows: dict[type[BaseModel], list[tuple]] = {model: [] for model in TABLE_FIELDS}
        first = w.first_id(Dossier, len(batch))
        for offset, young in enumerate(batch):
            self._young_rows(first + offset, young, rows)
        for model in (
            Dossier,
            Enrolment,
            PhasePeriod,
            Event,
            EventAction,
            Proposal,
            Request,
            Appointment,
        ):
            w.insert(model, rows[model])

    def _search_text(self, last: str, first: str) -> str:
        key = (last, first)
        text = self._search_cache.get(key)
        if text is None:
            text = dossier_search_text(SimpleNamespace(last_name=last, first_name=first))
            self._search_cache[key] = text
        return text

    def _young_rows(self, did: int, young: Young, rows: dict) -> None:
        rng, today = self.chance.rng, self.chance.today
        index = young.structure
        code = STRUCTURES[index][0]
        places = PLACES_ML2A if index == 0 else PLACES_MLBA
        city, postal_code, _, streets = rng.choices(places, [p[2] for p in places])[0]
        address = f"{rng.randint(1, 48)} {rng.choice(streets)}"
        phone = ""
        if rng.random() < 0.95:
            phone = rng.choice(("06", "06", "06", "07")) + "".join(
                f" {rng.randint(0, 99):02d}" for _ in range(4)
            )
        email = ""
        if rng.random() < 0.85:
            first_word = fold(young.first_name).replace(" ", "")
            last_word = fold(young.last_name).replace(" ", "")
            local = rng.choice(
                (
                    f"{first_word}.{last_word}",
                    f"{first_word}{last_word}{young.birth.year % 100:02d}",
                    f"{first_word[0]}{last_word}",
                    f"{last_word}.{first_word}{rng.randint(1, 99)}",
                )
            )
            email = f"{local}@{rng.choice(MAIL_DOMAINS)}"
        created_at = self.chance.moment(young.created_on)
        updated_at, updated_by, version = created_at, None, 1
        editors = self.teams.editors[index]
        if rng.random() < 0.5 and young.created_on < today and editors:
            updated_at = self.chance.moment(self.chance.between(young.created_on + days(1), today))
            updated_by = young.referent if young.referent in editors else rng.choice(editors)
            version = rng.randint(2, 4)
        rows[Dossier].append(
            (
                did, self.teams.structure_ids[index], str(next(self.numbers)), young.last_name,
                young.first_name, young.birth, young.sex, address, postal_code, city, phone,
                email, rng.choice(COMPLEMENTARY_INFO), rng.choice(SITUATIONS), young.status,
                young.referent, self._search_text(young.last_name, young.first_name),
                created_at, updated_at, updated_by, version, *self.profile_draws.draw(),
            )
        )  # fmt: skip
        specs = self.history.specs(young)
        enrol_moments = self.events.add(did, young, specs, rows)
        self.enrolments.add(did, young, enrol_moments, rows)
        self._requests(did, young, rows)
        self._appointments(did, young, code, rows)

    def _requests(self, did: int, young: Young, rows: dict) -> None:
        rng, today = self.chance.rng, self.chance.today
        count = rng.choice((0, 0, 0, 1, 1, 2, 3))
        if not count:
            return
        first = self.writer.first_id(Request, count)
        staff = self.teams.workers[young.structure]
        for offset in range(count):
            day = self.chance.between(max(young.created_on, today - days(730)), today)
            if (today - day).days > 60:
                status = rng.choices(("Traitée", "Refusée", "En cours"), (70, 20, 10))[0]
            else:
                status = rng.choices(("En cours", "Traitée", "Refusée"), (60, 35, 5))[0]
            counsellor = young.referent if young.referent and rng.random() < 0.7 else None
            rows[Request].append(
                (first + offset, did, day, rng.choice(REQUEST_SUBJECTS), status,
                 counsellor or rng.choice(staff))
            )  # fmt: skip

    def _appointments(self, did: int, young: Young, code: str, rows: dict) -> None:
        rng, today = self.chance.rng, self.chance.today
        past = rng.choice((0, 0, 1, 1, 2, 3)) if young.created_on < today - days(1) else 0
        future = 1 if rng.random() < 0.25 else 0
        if not past + future:
            return
        first = self.writer.first_id(Appointment, past + future)
        staff = self.teams.workers[young.structure]
        in_cep = any(e.code == CEP_CODE and e.end is None for e in young.enrolments)
        subjects = APPOINTMENT_SUBJECTS + (CEP_APPOINTMENT_SUBJECTS if in_cep else ())
        for offset in range(past + future):
            if offset < past:
                day = self.chance.between(
                    max(young.created_on, today - days(730)) + days(1), today - days(1)
                )
                status = rng.choices(("Honoré", "Absent", "Annulé", "Excusé"), (70, 15, 8, 7))[0]
            else:
                day = today + days(rng.randint(1, 45))
                status = "Prévu"
            while day.weekday() >= 5:  # the Mission Locale is closed at weekends
                day += days(1) if offset >= past else -days(1)
            starts_at = dt.datetime.combine(day, dt.time(rng.randint(9, 16), rng.choice((0, 30))))
            counsellor = young.referent if young.referent in staff else rng.choice(staff)
            rows[Appointment].append(
                (first + offset, did, starts_at, rng.choice(subjects),
                 rng.choice(APPOINTMENT_PLACES[code]), status, counsellor)
            )  # fmt: skip

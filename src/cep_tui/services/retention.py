"""Personal data kept no longer than the i-milo decree allows (décret n° 2015-59 du
26 janvier 2015, as amended): a young person's data is kept until the upper age of the
Missions Locales' public (25 ans révolus, i.e. the 26th birthday) plus two years, longer
while they are followed, and afterwards only in anonymised form.

`due` lists the dossiers of a structure to anonymise on a date; `apply` anonymises them,
one transaction per dossier, and records the run. What is erased and what is kept, and why
the birth date becomes what it becomes: see `anonymise_dossier`."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from peewee import fn

from cep_tui.config import RetentionSettings, retention_settings
from cep_tui.db.models import (
    ActionPlanItem,
    Anonymisation,
    Appointment,
    AuditRecord,
    Counsellor,
    Dossier,
    Enrolment,
    Event,
    PhasePeriod,
    Proposal,
    Request,
)
from cep_tui.services import audit
from cep_tui.services.base import ServiceBase
from cep_tui.services.dates import age_on
from cep_tui.services.dossier_audit import OrphanIndex, dossier_records
from cep_tui.services.errors import RuleViolation
from cep_tui.services.views import Actor
from cep_tui.vocabulary import EnrolmentStatus, Right

# What replaces an erased value that cannot be empty, and in the audit journal.
ERASED = "(anonymisé)"
ANONYMOUS_NAME = "ANONYME"
ANONYMISED_LABEL = "Dossier anonymisé"
# The personal values of each audited entity: erased from the journal's before/after.
PERSONAL_KEYS: dict[str, frozenset[str]] = {
    "dossier": frozenset(
        {
            "number",
            "last_name",
            "first_name",
            "birth_date",
            "address",
            "postal_code",
            "city",
            "phone",
            "email",
            "complementary_info",
            "situation",
            "search_text",
            "file",  # the path of a document names the dossier
        }
    ),
    "enrolment": frozenset({"prescriber_name", "referent_name"}),
    "event": frozenset({"comment"}),
    "proposal": frozenset({"comment"}),
    "action_plan_item": frozenset({"text"}),
}


def anonymous_number(dossier_id: int) -> str:
    """The dossier's new number: no digit first, so that no number search finds it."""
    return f"ANON-{dossier_id:07d}"


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later; 29 February becomes 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def retention_limit(birth_date: dt.date, settings: RetentionSettings) -> dt.date:
    """The first day the data may no longer be kept: the birthday of the public's upper
    age (26) plus the years of the decree (2), i.e. the 28th birthday."""
    return add_years(birth_date, settings.upper_age + settings.extra_years)


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier (the last day of that month when it has fewer)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    for last in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def generalised_birth_date(birth_date: dt.date, facts: list[dt.date]) -> dt.date:
    """The earliest date of the birth year that gives the young person the same age on
    every dated fact the indicators count (each CEP entry and phase start, each offer
    proposed): usually 1 January of the birth year. The age (hence every age band) at each
    of those dates is unchanged; the day and month of birth are gone, except the bound a
    fact close to a birthday imposes (\"born after 10 March\")."""
    earliest = dt.date(birth_date.year, 1, 1)
    for fact in facts:
        if fact < birth_date:
            continue
        age = age_on(birth_date, fact)
        # The earliest birth that is still `age` (not `age` + 1) on `fact`.
        bound = add_years(fact, -(age + 1)) - dt.timedelta(days=2)
        while age_on(bound, fact) > age:
            bound += dt.timedelta(days=1)
        earliest = max(earliest, bound)
    assert all(age_on(earliest, f) == age_on(birth_date, f) for f in facts if f >= birth_date)
    return earliest


@dataclass(frozen=True)
class DueDossier:
    id: int
    number: str
    limit: dt.date


@dataclass(frozen=True)
class RetentionReport:
    structure_name: str
    on: dt.date
    dossiers: tuple[DueDossier, ...]
    applied: bool = False

    @property
    def count(self) -> int:
        return len(self.dossiers)


class RetentionService(ServiceBase):
    def __init__(self, clock, settings: RetentionSettings | None = None):
        super().__init__(clock)
        self.settings = settings or retention_settings()

    def due(self, actor: Actor, on: dt.date | None = None) -> RetentionReport:
        """The dossiers of the counsellor's structure to anonymise on `on` (default today):
        past the retention limit, no dispositif in progress, no event in progress nor
        dated within the last `quiet_months` months, not anonymised yet."""
        counsellor = self.authorize(actor, Right.ADMINISTER)
        on = on or self.clock.today()
        return RetentionReport(
            structure_name=actor.structure_name,
            on=on,
            dossiers=tuple(self._due(counsellor.structure_id, on)),
        )

    def apply(self, actor: Actor, on: dt.date | None = None) -> RetentionReport:
        """Anonymise every dossier `due` lists, one transaction each (the rule checked
        again inside it), then record the run."""
        report = self.due(actor, on)
        orphans = OrphanIndex()
        done = []
        for due in report.dossiers:
            with self.writing():
                counsellor = self.authorize(actor, Right.ADMINISTER)
                try:
                    dossier = self.dossier_of(counsellor, due.id, lock=True)
                except RuleViolation:
                    continue  # anonymised meanwhile, by another run
                if not self._due(dossier.structure_id, report.on, dossier.id):
                    continue  # followed again since the list was read
                anonymise_dossier(dossier, counsellor, self.clock.now(), orphans)
                done.append(due)
        with self.writing():
            counsellor = self.authorize(actor, Right.ADMINISTER)
            audit.record(
                counsellor,
                self.clock.now(),
                "Anonymisation des dossiers au-delà de la durée de conservation",
                "retention",
                None,
                None,
                {
                    "date": report.on.isoformat(),
                    "dossiers": len(done),
                    "upper_age": self.settings.upper_age,
                    "extra_years": self.settings.extra_years,
                    "quiet_months": self.settings.quiet_months,
                },
            )
        return RetentionReport(report.structure_name, report.on, tuple(done), applied=True)

    # -- the rule ------------------------------------------------------------------------
    def _due(self, structure_id: int, on: dt.date, only: int | None = None) -> list[DueDossier]:
        settings = self.settings
        years = settings.upper_age + settings.extra_years
        # A day of margin for those born on 29 February; the exact limit is checked below.
        born_by = add_years(on, -years) + dt.timedelta(days=1)
        quiet_since = months_before(on, settings.quiet_months)
        followed = Enrolment.select(Enrolment.id).where(
            (Enrolment.dossier == Dossier.id)
            & (Enrolment.status == EnrolmentStatus.IN_PROGRESS.value)
        )
        recent = Event.select(Event.id).where(
            (Event.dossier == Dossier.id)
            & ((Event.in_progress == True) | (Event.event_date > quiet_since))  # noqa: E712
        )
        done = Anonymisation.select(Anonymisation.id).where(Anonymisation.dossier == Dossier.id)
        query = Dossier.select(Dossier.id, Dossier.number, Dossier.birth_date).where(
            (Dossier.structure == structure_id)
            & (Dossier.birth_date <= born_by)
            & ~fn.EXISTS(followed)
            & ~fn.EXISTS(recent)
            & ~fn.EXISTS(done)
        )
        if only is not None:
            query = query.where(Dossier.id == only)
        rows = []
        for d in query.order_by(Dossier.birth_date, Dossier.id):
            limit = retention_limit(d.birth_date, settings)
            if on >= limit:
                rows.append(DueDossier(id=d.id, number=d.number, limit=limit))
        return rows


def _facts(dossier_id: int) -> list[dt.date]:
    """The dates at which the indicators take the young person's age."""
    enrolments = Enrolment.select(Enrolment.id).where(Enrolment.dossier == dossier_id)
    entries = Enrolment.select(Enrolment.entry_date).where(Enrolment.dossier == dossier_id)
    phases = PhasePeriod.select(PhasePeriod.start_date).where(PhasePeriod.enrolment.in_(enrolments))
    offers = Proposal.select(Proposal.proposed_on).where(Proposal.dossier == dossier_id)
    return (
        [e.entry_date for e in entries]
        + [p.start_date for p in phases]
        + [p.proposed_on for p in offers]
    )


def anonymise_dossier(
    dossier: Dossier, counsellor: Counsellor, now: dt.datetime, orphans: OrphanIndex
) -> None:
    """Erase the personal values of one young person, inside the caller's transaction.

    Erased (or replaced by a neutral token): names, dossier number, contact details,
    complements, event and proposal comments, prescriber and referent names, the text of
    the plan's lines, the subjects and places of requests and appointments, and the same
    values in the audit journal's before/after states (who, when and what stay).
    Kept: sex, statuses, the counsellors, every CEP with its phases, dates and exit reason,
    events with their contexts and dates, offers proposed and their dates: what the
    indicators count. The birth date becomes `generalised_birth_date`: the age at each CEP
    entry and proposal, hence every age band the indicators use, is unchanged.
    """
    ident = dossier.id
    Dossier.update(
        number=anonymous_number(ident),
        last_name=ANONYMOUS_NAME,
        first_name="",
        birth_date=generalised_birth_date(dossier.birth_date, _facts(ident)),
        address="",
        postal_code="",
        city="",
        phone="",
        email="",
        complementary_info="",
        situation="",
        search_text="",
        updated_at=now,
        updated_by=counsellor,
        version=Dossier.version + 1,
    ).where(Dossier.id == ident).execute()
    enrolments = Enrolment.select(Enrolment.id).where(Enrolment.dossier == ident)
    Enrolment.update(prescriber_name="", referent_name="").where(
        Enrolment.dossier == ident
    ).execute()
    ActionPlanItem.update(text=ERASED).where(ActionPlanItem.enrolment.in_(enrolments)).execute()
    Event.update(comment="").where(Event.dossier == ident).execute()
    Proposal.update(comment="").where(Proposal.dossier == ident).execute()
    Request.update(subject=ERASED).where(Request.dossier == ident).execute()
    Appointment.update(subject=ERASED, place="").where(Appointment.dossier == ident).execute()
    for record in dossier_records(ident, orphans):
        audit.erase_values(record, PERSONAL_KEYS.get(record.entity, frozenset()), ERASED)
    Anonymisation.create(dossier=ident, anonymised_at=now, counsellor=counsellor)
    audit.record(
        counsellor,
        now,
        "Anonymisation du dossier (durée de conservation dépassée)",
        "dossier",
        ident,
        None,
        {"anonymised": True},
    )


def is_anonymised(dossier_id: int) -> bool:
    return Anonymisation.select().where(Anonymisation.dossier == dossier_id).exists()


def personal_values_left(record: AuditRecord) -> dict[str, object]:
    """The personal values a record still holds (an anonymised dossier's hold none)."""
    left = {}
    keys = PERSONAL_KEYS.get(record.entity, frozenset())
    for state in (record.before, record.after):
        for key, value in (json.loads(state) if state else {}).items():
            if key in keys and value not in ("", None, ERASED):
                left[key] = value
    return left

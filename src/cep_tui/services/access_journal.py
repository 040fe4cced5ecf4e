"""The access journal (issue 13, point 2): opening a dossier, and each section of it,
records who, when, which dossier and which section, in its own table (cep_tui.db.models.
AccessRecord), apart from the audit of writes. The screen writes it in a thread worker,
never on the keys' path. Records older than the period (`[access_journal] months` of the
system configuration: six months by default, the CNIL's recommendation for access logs) are
purged by `cep-tui access-journal`, which the administrator schedules (cron): one DELETE by
date, through the index on `at`. (Not at the app's start: a start on a current schema takes
no write lock, issue 14.)"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from cep_tui.config import settings
from cep_tui.db.connection import write_transaction
from cep_tui.db.models import AccessRecord, Counsellor, Dossier
from cep_tui.services.base import ServiceBase
from cep_tui.services.views import Actor
from cep_tui.text import clean_line
from cep_tui.vocabulary import Right


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time `months` earlier (the month's last day when shorter)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


@dataclass(frozen=True)
class AccessEntry:
    at: dt.datetime
    counsellor_name: str  # "Claire DUPONT"
    dossier_number: str
    section: str  # as the dossier screen names it: "synthese", "evenements"…
    counsellor_short_name: str = ""  # "C. DUPONT", where the whole name has no room


class AccessJournalService(ServiceBase):
    @property
    def months_kept(self) -> int:
        """How many months the records are kept: the configured period."""
        return settings().access_journal.months

    def record(self, actor: Actor, dossier_id: int, section: str) -> None:
        """A consultation: written whatever the counsellor's rights on the dossier were
        (an attempt is worth a trace too), only for a dossier of their structure."""
        with write_transaction():
            known = Dossier.select(Dossier.id).where(
                (Dossier.id == dossier_id) & (Dossier.structure == actor.structure_id)
            )
            if known.exists():
                AccessRecord.create(
                    at=self.clock.now(),
                    counsellor=actor.id,
                    structure=actor.structure_id,
                    dossier=dossier_id,
                    section=section[:40],
                )

    def purge(self, months: int | None = None) -> int:
        """Delete the records older than `months` (default: the configured period); how
        many."""
        months = months or self.months_kept
        if months < 1:
            raise ValueError(months)
        limit = months_before(self.clock.now(), months)
        with write_transaction():
            return AccessRecord.delete().where(AccessRecord.at < limit).execute()

    def of_structure(
        self, actor: Actor, limit: int = 200, *, matching: str = ""
    ) -> tuple[AccessEntry, ...]:
        """The structure's journal, newest first: for its administrators only. With
        `matching`, only the consultations of the dossiers whose number begins with it, or
        by the counsellors whose last name, first name or login begins with it (case aside,
        in SQL)."""
        self.authorize(actor, Right.ADMINISTER)
        rows = (
            AccessRecord.select(AccessRecord, Counsellor, Dossier.number)
            .join(Counsellor)
            .switch(AccessRecord)
            .join(Dossier)
            .where(AccessRecord.structure == actor.structure_id)
            .order_by(AccessRecord.at.desc(), AccessRecord.id.desc())
            .limit(limit)
        )
        text = clean_line(matching)
        if text:
            rows = rows.where(
                Dossier.number.startswith(text)
                | Counsellor.last_name.startswith(text)
                | Counsellor.first_name.startswith(text)
                | Counsellor.login.startswith(text)
            )
        return tuple(_entry(r) for r in rows)


def _entry(record: AccessRecord) -> AccessEntry:
    first, last = record.counsellor.first_name, record.counsellor.last_name.upper()
    return AccessEntry(
        at=record.at,
        counsellor_name=f"{first} {last}",
        dossier_number=record.dossier.number,
        section=record.section,
        counsellor_short_name=f"{first[:1]}. {last}" if first else last,
    )

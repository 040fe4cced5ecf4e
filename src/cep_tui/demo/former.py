"""Former young people of the demonstration: past the retention limit (28 and over, their
CEP closed, no event for more than a year), so that `cep-tui retention --dry-run` has
something to show. Drawn from a random stream of their own and written after the rest of
the demonstration (the last step of `populate`), so the other rows of a seed do not move.
Like the rest of the demo, no audit record; its rows are counted in the summary."""

from __future__ import annotations

import datetime as dt
import random

from cep_tui.clock import Clock
from cep_tui.db.connection import write_transaction
from cep_tui.db.models import (
    Counsellor,
    DispositifType,
    Dossier,
    Enrolment,
    Event,
    PhasePeriod,
    ReferenceValue,
    Structure,
)
from cep_tui.services.dossiers import dossier_search_text
from cep_tui.vocabulary import CEP_CODE, DossierStatus, EnrolmentStatus, ExitReason, ReferenceKind

# Names no other demonstration young person bears (tests search the others by name).
FORMER = (
    ("Albertini", "Ghjulia", "F"),
    ("Bartoli", "Antone", "M"),
    ("Ceccaldi", "Maria", "F"),
    ("Filippi", "Lisandru", "M"),
    ("Guidicelli", "Ceccilia", "F"),
    ("Mariani", "Petru", "M"),
    ("Nicolai", "Letizia", "F"),
    ("Orsini", "Ghjacumu", "M"),
    ("Pietri", "Savéria", "F"),
    ("Rocca", "Matteu", "M"),
)
COMMENTS = (
    "Point d'étape : projet de formation confirmé.",
    "Le jeune a trouvé un emploi saisonnier.",
    "Bilan du CEP avec le jeune.",
)


def add_former_young_people(clock: Clock, seed: int = 2016) -> int:
    """Add the former young people to the first structure; return how many."""
    rng = random.Random(f"former-young-people-{seed}")
    today = clock.today()
    structure = Structure.select().order_by(Structure.id).first()
    if structure is None:
        return 0
    counsellors = list(
        Counsellor.select()
        .where((Counsellor.structure == structure) & Counsellor.right_propose_cep)
        .order_by(Counsellor.id)  # the draws below must not depend on the planner
    )
    cep = DispositifType.get(DispositifType.code == CEP_CODE)

    def first(kind: ReferenceKind, code: str | None = None) -> int:
        query = ReferenceValue.select().where(ReferenceValue.kind == kind.value)
        if code:
            query = query.where(ReferenceValue.code == code)
        return query.order_by(ReferenceValue.position, ReferenceValue.id).first().id

    with write_transaction():  # (the caller's, inside `populate`)
        for index, (last, given, sex) in enumerate(FORMER):
            born = today - dt.timedelta(days=rng.randint(28 * 365 + 8, 33 * 365))
            counsellor = rng.choice(counsellors)
            entry = born + dt.timedelta(days=rng.randint(18 * 365, 24 * 365))
            end = entry + dt.timedelta(days=rng.randint(60, 300))
            number = f"{9_000_000 + index * 7919 + rng.randrange(7000):07d}"
            # Met on the day their CEP began; every date of theirs is in the past.
            dossier = Dossier(
                structure=structure,
                number=number,
                last_name=last,
                first_name=given,
                birth_date=born,
                sex=sex,
                address=f"{rng.randint(1, 40)} cours Napoléon",
                postal_code="20000",
                city="Ajaccio",
                phone=f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
                f"{rng.randint(10, 99)}",
                email=f"{given.lower()}.{last.lower()}@example.fr",
                situation="Ancien jeune accompagné.",
                status=DossierStatus.JUSTIFIED.value,
                referent=counsellor,
                created_at=dt.datetime.combine(entry, dt.time(9)),
                updated_at=dt.datetime.combine(end, dt.time(11)),
            )
            dossier.search_text = dossier_search_text(dossier)
            dossier.save()
            enrolment = Enrolment.create(
                dossier=dossier,
                dispositif=cep,
                status=EnrolmentStatus.CLOSED.value,
                phase=2,
                referrer=first(ReferenceKind.REFERRER),
                entry_date=entry,
                solicitation_reason=first(ReferenceKind.SOLICITATION_REASON),
                prescriber_name="M. Leca (CIO d'Ajaccio)" if rng.random() < 0.5 else "",
                end_date=end,
                exit_reason=rng.choice(list(ExitReason)).value,
                version=2,  # added, then closed
                created_at=dt.datetime.combine(entry, dt.time(10)),
                created_by=counsellor,
                updated_at=dt.datetime.combine(end, dt.time(11)),
                updated_by=counsellor,
            )
            PhasePeriod.create(enrolment=enrolment, phase=2, start_date=entry, end_date=end)
            Event.create(
                dossier=dossier,
                event_date=end,
                primary_context=first(ReferenceKind.CONTEXT, CEP_CODE),
                direction=first(ReferenceKind.DIRECTION),
                nature=first(ReferenceKind.NATURE),
                reception_place=first(ReferenceKind.RECEPTION_PLACE),
                function=first(ReferenceKind.FUNCTION),
                intervenant=counsellor,
                comment=rng.choice(COMMENTS),
                in_progress=False,
                closed_at=dt.datetime.combine(end, dt.time(12)),
                created_by=counsellor,
                created_at=dt.datetime.combine(end, dt.time(10)),
            )
    return len(FORMER)

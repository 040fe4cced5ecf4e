"""Demonstration data: a realistic Mission Locale in Corsica, the same for a given seed.

`populate` fills an opened and migrated database with two structures (the Mission Locale du
Pays Ajaccien, where the guide's screenshots were taken, and its Balagne neighbour), their
counsellors, young people, offers of service, CEP enrolments in every state, events with
their actions, proposals, requests and appointments. Everything is drawn from one
`random.Random(seed)` and dated relative to the clock's today, so a seed and a day always
give the same rows. Rows go in with bulk inserts (explicit ids, batches of dossiers), so
that the "large" size (100,000 dossiers, about a million events) stays fast.

Demo generation is not a counsellor's action: it writes no audit record.

The package: `data/` holds the plain lists (names, places, words, offers, sizes);
`builder` runs the whole in order, with `staff` and `offers` (the structures' people and
catalogue), `young_people` and `timelines` (the plan of each young person and their
dispositifs), `history` and `events` (what happened on which day, as rows), `dossiers` (a
batch of young people as rows) and `writer` (the bulk inserts); `former` adds, last, the
former young people past the retention limit (issue 17). The app imports it only on a
first start, when the database is empty.
"""

from __future__ import annotations

import dataclasses
import random

from cep_tui.clock import Clock
from cep_tui.db import search_keys
from cep_tui.db.connection import database_proxy, write_transaction
from cep_tui.db.models import Counsellor, Structure
from cep_tui.demo.builder import Builder, ProgressCallback
from cep_tui.demo.data.people import DEFAULT_LOGIN, DEMO_LOGINS, STRUCTURES
from cep_tui.demo.data.sizes import PROFILES, SIZES
from cep_tui.demo.former import add_former_young_people
from cep_tui.demo.profiles import ProfileDraws
from cep_tui.demo.writer import TABLE_FIELDS, DemoSummary

__all__ = [
    "DEFAULT_LOGIN",
    "DEMO_LOGINS",
    "PROFILES",
    "SIZES",
    "TABLE_FIELDS",
    "DemoSummary",
    "ProgressCallback",
    "is_empty",
    "populate",
]


def is_empty() -> bool:
    """True when the database holds no structure yet (the first start seeds it)."""
    return not Structure.select().exists()


def populate(
    clock: Clock,
    *,
    seed: int = 2016,
    size: str = "small",
    progress: ProgressCallback | None = None,
) -> DemoSummary:
    """Write the demonstration data into the opened, migrated database; return the counts."""
    profile = PROFILES.get(size)
    if profile is None:
        raise ValueError(
            f"Taille de démonstration inconnue : « {size} ». Tailles possibles : "
            + ", ".join(SIZES)
            + "."
        )
    db = database_proxy.obj
    with write_transaction():
        _check_free()
        builder = Builder(db, clock, random.Random(seed), profile, progress, ProfileDraws(seed))
        with search_keys.bulk_loading(db):
            builder.run()
            # Last, from a random stream of their own: the other rows of a seed stay put.
            former = add_former_young_people(clock, seed)
    # Each former young person: a dossier, a closed CEP (one phase), one event.
    summary = builder.summary()
    return dataclasses.replace(
        summary,
        dossiers=summary.dossiers + former,
        enrolments=summary.enrolments + former,
        phase_periods=summary.phase_periods + former,
        events=summary.events + former,
    )


def _check_free() -> None:
    codes = [code for code, _ in STRUCTURES]
    taken = Structure.select(Structure.code).where(Structure.code.in_(codes)).first()
    if taken is not None:
        raise ValueError(
            f"La base contient déjà la structure {taken.code} : les données de "
            "démonstration y sont sans doute déjà."
        )
    login = (
        Counsellor.select(Counsellor.login).where(Counsellor.login.in_(list(DEMO_LOGINS))).first()
    )
    if login is not None:
        raise ValueError(f"L'identifiant « {login.login} » existe déjà dans la base.")

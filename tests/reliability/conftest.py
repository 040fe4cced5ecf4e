"""Fixtures of the reliability drills: a database shared by several processes (a SQLite
file, or a PostgreSQL database: the drills run on both engines), with one structure, eight
counsellors holding every right, ten justified dossiers and an offer attached to the
Mesure nationale CEP."""

from __future__ import annotations

import pytest

from tests.factories import make_counsellor, make_dossier, make_offer

WRITERS = 8
DOSSIERS = 10


@pytest.fixture
def database_url(db, db_url) -> str:
    """The URL of the test's database (the `db` fixture, open here), for other processes."""
    return db_url


@pytest.fixture
def drill_world(database_url, structure) -> dict:
    logins = [
        make_counsellor(structure, f"writer{n}", first_name=f"Writer{n}", last_name="Drill").login
        for n in range(WRITERS)
    ]
    dossiers = [
        make_dossier(structure, last_name=f"Jeune{n}", first_name="Camille")
        for n in range(DOSSIERS)
    ]
    offer = make_offer(structure, make_counsellor(structure, "referent"))
    return {
        "url": database_url,
        "logins": logins,
        "dossier_ids": [d.id for d in dossiers],
        "offer_id": offer.id,
    }

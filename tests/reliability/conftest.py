"""Fixtures of the reliability drills: a database file shared by several processes, with
one structure, eight counsellors holding every right, ten justified dossiers and an offer
attached to the Mesure nationale CEP."""

from __future__ import annotations

import pytest

from tests.factories import make_counsellor, make_dossier, make_offer

WRITERS = 8
DOSSIERS = 10


@pytest.fixture
def database_url(db, tmp_path) -> str:
    """The URL of the test's database file (the `db` fixture), for other processes."""
    return f"sqlite:///{tmp_path}/t.db"


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

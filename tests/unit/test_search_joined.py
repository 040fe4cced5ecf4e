"""Names typed without their apostrophes, hyphens or spaces (issue 11): « oconnor » finds
O'Connor, « jeanpierre » Jean-Pierre, on both engines, whichever way the search runs (the
key table alone, several words, or a birth date that narrows it first), and the offers'
compound words alike. The keys behind it: cep_tui.db.search.joined_runs."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cep_tui.db import search
from cep_tui.db.models import Dossier
from cep_tui.services.views import CatalogueKind
from tests.factories import make_dossier, make_offer

BIRTH = dt.date(2007, 5, 9)


@pytest.fixture
def people(structure, counsellor):
    for last, first in [
        ("O'Connor", "Siobhan"),
        ("O’Connorson", "Liam"),  # a typographic apostrophe
        ("O'Brien", "Connor"),
        ("Dupont", "Jean-Pierre"),
        ("Dupont", "Jean Pierre"),
        ("Le Gall-Dubois", "Maëlle"),
        ("Jeanpierre", "Zoé"),
    ]:
        make_dossier(structure, last_name=last, first_name=first, birth_date=BIRTH)


def found(services, actor, text) -> list[str]:
    page = services.dossiers.search(actor, text, limit=50)
    return [f"{row.last_name} {row.first_name}" for row in page.items]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The whole joined name first (it ranks as a whole word), then longer names.
        ("oconnor", ["O'Connor Siobhan", "O’Connorson Liam"]),
        ("OConnor", ["O'Connor Siobhan", "O’Connorson Liam"]),
        ("oconn", ["O'Connor Siobhan", "O’Connorson Liam"]),
        ("o'connor", ["O'Brien Connor", "O'Connor Siobhan", "O’Connorson Liam"]),
        ("oconnor siobhan", ["O'Connor Siobhan"]),
        ("siobhan oconnor", ["O'Connor Siobhan"]),
        # (The same folded text: in the order they were written.)
        ("jeanpierre", ["Dupont Jean-Pierre", "Dupont Jean Pierre", "Jeanpierre Zoé"]),
        ("dupont jeanpierre", ["Dupont Jean-Pierre", "Dupont Jean Pierre"]),
        ("jeanpierre zoe", ["Jeanpierre Zoé"]),
        ("legalldubois", ["Le Gall-Dubois Maëlle"]),
        ("galldubois", ["Le Gall-Dubois Maëlle"]),
        ("legall maelle", ["Le Gall-Dubois Maëlle"]),
        ("obrienconnor", ["O'Brien Connor"]),
        ("connoro", []),  # joined in the order written only
        ("oco", ["O'Connor Siobhan", "O’Connorson Liam"]),
    ],
)
def test_joined_words_find_names(services, actor, people, text, expected):
    assert found(services, actor, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("oconnor 09/05/2007", ["O'Connor Siobhan", "O’Connorson Liam"]),
        ("jeanpierre 09/05/2007", ["Dupont Jean-Pierre", "Dupont Jean Pierre", "Jeanpierre Zoé"]),
        ("legalld 09/05/2007", ["Le Gall-Dubois Maëlle"]),
        ("oconnor 10/05/2007", []),
    ],
)
def test_joined_words_filter_a_birth_date(services, actor, people, text, expected):
    """A birth date leads the search (few rows): the words filter those rows, joined
    ones included, with the same ranking."""
    assert found(services, actor, text) == expected


def test_offers_compound_words_typed_joined(services, actor, structure, counsellor):
    make_offer(structure, counsellor, name="Aide-soignant : préparation", measure=None)
    make_offer(structure, counsellor, name="E-learning bureautique", measure=None)
    make_offer(structure, counsellor, name="Aide à la mobilité", measure=None)

    def catalogue(text):
        page = services.offers.search_catalogue(actor, text, CatalogueKind.INTERNAL)
        return [item.name for item in page.items]

    def listed(text):
        return [o.name for o in services.offers.list(actor, text).items]

    assert catalogue("aidesoignant") == ["Aide-soignant : préparation"]
    assert catalogue("elearn") == ["E-learning bureautique"]
    assert listed("aidesoign") == ["Aide-soignant : préparation"]
    assert catalogue("aidealamobilite") == []  # an offer joins two words at most


# Names as counsellors meet them: up to four words (the most a joined key spans), each
# of letters, apostrophes and hyphens and spaces between them, in any case.
LETTERS = "abcdeéèêfghiïjklmnoôœpqrstuüvwxyzçæABCDÉÈŒÆZ"
SEPARATORS = [" ", "-", "'", "’", " - ", "-'"]
PART = st.text(alphabet=LETTERS, min_size=1, max_size=9)


@st.composite
def names(draw) -> tuple[list[str], str]:
    parts = draw(st.lists(PART, min_size=1, max_size=search.DOSSIERS.joined_words))
    name = parts[0]
    for part in parts[1:]:
        name += draw(st.sampled_from(SEPARATORS)) + part
    return parts, name


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(last=names(), first=names())
def test_any_name_is_found_joined_and_by_each_word(services, actor, structure, last, first):
    """Whatever apostrophes, hyphens and spaces a last name and a first name hold, each
    is found typed joined (as a counsellor types it without them), together or not, and
    by each of its words."""
    (last_parts, last_name), (first_parts, first_name) = last, first
    dossier = make_dossier(structure, last_name=last_name, first_name=first_name)
    try:
        typed = [
            "".join(last_parts),
            "".join(first_parts),
            "".join(last_parts) + " " + "".join(first_parts),
            "".join(first_parts) + " " + "".join(last_parts),
            *last_parts,
            *first_parts,
        ]
        for text in typed:
            ids = [row.id for row in services.dossiers.search(actor, text, limit=50).items]
            assert dossier.id in ids, text
    finally:
        Dossier.delete().where(Dossier.id == dossier.id).execute()

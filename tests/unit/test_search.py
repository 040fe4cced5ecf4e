"""Finding a dossier: name and first name (accent-, case- and ligature-insensitive, word
prefixes), birth date jj/mm/aaaa, dossier number prefix; an empty box lists one's own."""

from __future__ import annotations

import datetime as dt

import pytest

from cep_tui.vocabulary import DossierStatus
from tests.factories import NOW, make_dossier


@pytest.fixture
def dossiers(structure, counsellor, colleague):
    return {
        "lefevre": make_dossier(
            structure,
            number="0004217",
            last_name="Lefèvre",
            first_name="Œdipe",
            birth_date=dt.date(2006, 3, 14),
            referent=counsellor,
            updated_at=NOW - dt.timedelta(days=2),
        ),
        "coeur": make_dossier(
            structure,
            number="0004300",
            last_name="Sacré-Cœur",
            first_name="Ælis",
            birth_date=dt.date(2004, 7, 1),
            referent=counsellor,
            updated_at=NOW - dt.timedelta(days=1),
        ),
        "lefebvre": make_dossier(
            structure,
            number="0005100",
            last_name="LEFEBVRE",
            first_name="Jean-Noël",
            birth_date=dt.date(2006, 3, 14),
            status=DossierStatus.NOT_JUSTIFIED,
            referent=colleague,
        ),
    }


def found(services, actor, text, **paging):
    return [row.last_name for row in services.dossiers.search(actor, text, **paging).items]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lefevre", ["Lefèvre"]),
        ("LEFÈVRE", ["Lefèvre"]),
        ("Lefévre", ["Lefèvre"]),
        ("lef", ["LEFEBVRE", "Lefèvre"]),
        ("oedipe", ["Lefèvre"]),
        ("lef oed", ["Lefèvre"]),
        ("Œdipe Lefèvre", ["Lefèvre"]),
        ("coeur", ["Sacré-Cœur"]),
        ("sacre coeur", ["Sacré-Cœur"]),
        ("aelis", ["Sacré-Cœur"]),
        ("noel", ["LEFEBVRE"]),
        ("jean-noël", ["LEFEBVRE"]),
        ("edipe", []),  # a prefix of a word, not any substring
        ("dupont", []),
    ],
)
def test_names_fold_accents_case_and_ligatures(services, actor, dossiers, text, expected):
    assert found(services, actor, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14/03/2006", ["LEFEBVRE", "Lefèvre"]),
        ("14-03-2006", ["LEFEBVRE", "Lefèvre"]),
        ("lefevre 14/03/2006", ["Lefèvre"]),
        ("01/07/2004", ["Sacré-Cœur"]),
        ("15/03/2006", []),
    ],
)
def test_birth_date(services, actor, dossiers, text, expected):
    assert found(services, actor, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0004217", ["Lefèvre"]),
        ("00042", ["Lefèvre"]),
        ("0004", ["Lefèvre", "Sacré-Cœur"]),
        ("0004 coeur", ["Sacré-Cœur"]),
        ("4217", []),  # a prefix, not a substring
    ],
)
def test_dossier_number_prefix(services, actor, dossiers, text, expected):
    assert found(services, actor, text) == expected


@pytest.mark.parametrize("text", ["", "   ", None])
def test_empty_box_lists_own_dossiers_most_recently_changed_first(services, actor, dossiers, text):
    assert found(services, actor, text) == ["Sacré-Cœur", "Lefèvre"]


def test_rows_show_number_birth_date_and_status(services, actor, dossiers):
    (row,) = services.dossiers.search(actor, "lefebvre").items
    assert (row.number, row.first_name, row.birth_date, row.status_label) == (
        "0005100",
        "Jean-Noël",
        dt.date(2006, 3, 14),
        "Non justifié",
    )


@pytest.mark.parametrize(
    ("count", "first_has_more"), [(19, False), (20, False), (21, True), (45, True)]
)
def test_paging(services, actor, structure, counsellor, count, first_has_more):
    for i in range(count):
        make_dossier(structure, last_name="Martin", first_name=f"Prénom{i:02d}")

    first = services.dossiers.search(actor, "martin", limit=20)
    assert (len(first.items), first.has_more) == (min(count, 20), first_has_more)

    seen, offset, page = [], 0, first
    while True:
        seen += [row.id for row in page.items]
        if not page.has_more:
            break
        offset += 20
        page = services.dossiers.search(actor, "martin", offset=offset, limit=20)
    assert len(seen) == len(set(seen)) == count


def test_many_typed_words_do_not_break_the_search(services, actor, dossiers):
    """Only the first words count; a pasted wall of numbers or dates is no error."""
    assert found(services, actor, "0 " * 5000) == ["LEFEBVRE", "Lefèvre", "Sacré-Cœur"]
    assert found(services, actor, "14/03/2006 " * 1000) == ["LEFEBVRE", "Lefèvre"]
    assert found(services, actor, "lefevre " * 1000) == ["Lefèvre"]

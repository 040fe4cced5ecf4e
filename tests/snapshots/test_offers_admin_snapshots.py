"""Snapshots of the offers of service (the list, the four sections of an offer, its form
blank, pre-filled and refused) and of the administration (a reference list, the
counsellors, their forms; read-only without the right); at 80×24 and at 120×40."""

from __future__ import annotations

import pytest

from cep_tui.ui.modals.admin_forms import (
    CounsellorFormModal,
    ReferenceValueModal,
    RightsFormModal,
)
from cep_tui.ui.modals.offer_form import OfferFormModal
from cep_tui.ui.screens.admin import AdminScreen
from cep_tui.ui.screens.offer import OfferScreen
from cep_tui.ui.screens.offers import OffersScreen
from cep_tui.vocabulary import ReferenceKind
from tests.snapshots.helpers import SIZES, expect, keys, snap, submit, type_in

WITHOUT_THE_RIGHTS = "m.bernard"  # neither "Gérer des offres" nor "Administrer"

OFFERS = (keys("f2"), expect(OffersScreen))
OFFRE_CEP = (*OFFERS, keys("slash"), keys(*"offre cep"), keys("down"))
ADMIN = (keys("f3"), expect(AdminScreen))
COUNSELLORS = (*ADMIN, keys("end", "up", "enter"))  # above the journal, the last entry
# « Lieu d'accueil », a list of the structure's own (the first lists are national).
LOCAL_LIST = (keys(*["down"] * list(ReferenceKind).index(ReferenceKind.RECEPTION_PLACE), "enter"),)

# name: (login, steps)
SCREENS = {
    "offers": (None, OFFERS),
    "offers-searched": (None, OFFRE_CEP),
    "offers-read-only": (WITHOUT_THE_RIGHTS, OFFERS),
    **{
        f"offer-section-{digit}": (
            None,
            (*OFFRE_CEP, keys("enter"), expect(OfferScreen), keys(str(digit))),
        )
        for digit in range(1, 5)
    },
    "offer-form-new": (None, (*OFFERS, keys("n"), expect(OfferFormModal))),
    "offer-form-refused": (None, (*OFFERS, keys("n"), expect(OfferFormModal), submit())),
    "offer-form-modify": (None, (*OFFRE_CEP, keys("m"), expect(OfferFormModal))),
    "admin-reference-list": (None, (*ADMIN, keys("enter"))),
    "admin-read-only": (WITHOUT_THE_RIGHTS, (*ADMIN, keys("enter"))),
    "admin-value-form-refused": (
        None,
        (*ADMIN, *LOCAL_LIST, keys("n"), expect(ReferenceValueModal), submit()),
    ),
    "admin-counsellors": (None, COUNSELLORS),
    "admin-counsellor-form-refused": (
        None,
        (
            *COUNSELLORS,
            keys("n"),
            expect(CounsellorFormModal),
            type_in("field-login", "A Santoni"),
            submit(),
        ),
    ),
    "admin-rights-form": (None, (*COUNSELLORS, keys("m"), expect(RightsFormModal))),
}


@SIZES
@pytest.mark.parametrize("name", SCREENS)
def test_offers_and_administration(snap_compare, demo_db_url, size, name):
    login, actions = SCREENS[name]
    assert snap(snap_compare, demo_db_url, size, *actions, login=login)

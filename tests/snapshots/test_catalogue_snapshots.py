"""Snapshots of the catalogue search from a dossier (both "Type d'offre", a refusal) and of
the synthèses of an offer and of a dispositif; at 80×24 and at 120×40."""

from __future__ import annotations

import pytest

from cep_tui.ui.modals.catalogue import CatalogueSearchModal
from cep_tui.ui.modals.offer_synthesis import DispositifSynthesisModal, OfferSynthesisModal
from tests.snapshots.helpers import SIZES, choose, expect, keys, open_dossier, snap
from tests.ui.pilot_keys import NO_CEP

DISPOSITIFS = choose("", "Dispositifs", selector="#catalogue-kind")
CATALOGUE = (open_dossier(NO_CEP), keys("o"), expect(CatalogueSearchModal))

SEARCHES = {
    "offers": CATALOGUE,
    "offers-typed": (*CATALOGUE, keys(*"offre cep"), keys("down")),
    "dispositifs": (*CATALOGUE, DISPOSITIFS, keys("down")),
    # Another dispositif than the CEP: the catalogue says it cannot be proposed here.
    "dispositif-refused": (*CATALOGUE, DISPOSITIFS, keys("down", "down", "p")),
    "offer-synthesis": (*CATALOGUE, keys(*"offre cep"), keys("down", "s")),
    "dispositif-synthesis": (*CATALOGUE, DISPOSITIFS, keys("down", "s")),
}
OPENS = {"offer-synthesis": OfferSynthesisModal, "dispositif-synthesis": DispositifSynthesisModal}


@SIZES
@pytest.mark.parametrize("search", SEARCHES)
def test_catalogue(snap_compare, demo_db_url, size, search):
    actions = SEARCHES[search]
    if search in OPENS:
        actions = (*actions, expect(OPENS[search]))
    assert snap(snap_compare, demo_db_url, size, *actions)

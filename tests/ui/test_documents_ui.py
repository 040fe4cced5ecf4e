"""The young person's documents from the dossier screen, one key each: `s` writes the
« Synthèse de l'accompagnement CEP », `d` (after a confirmation) the « Copie des données »;
the path is shown; without the right to modify the dossier, `d` is greyed with why."""

from __future__ import annotations

import stat

from cep_tui.exports import EXPORT_DIR_ENV
from cep_tui.ui.modals.confirm import ConfirmModal
from tests.odt_text import odt_text
from tests.ui.pilot_keys import footer_keys, settle, until
from tests.ui.test_dossier_screen import (
    PHASE_2,
    READ_ONLY,
    SIZE,
    open_dossier,
    record_notifications,
)


async def test_both_documents_by_one_key_each(make_demo_app, monkeypatch, tmp_path):
    monkeypatch.setenv(EXPORT_DIR_ENV, str(tmp_path))
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        notes = record_notifications(app)
        screen = await open_dossier(app, pilot, PHASE_2)
        assert footer_keys(screen)["Synthèse CEP"] is True

        await pilot.press("s")
        await settle(pilot)
        (synthesis,) = tmp_path.glob("synthese-cep-*.odt")
        assert f"Document enregistré : {synthesis}" in [message for message, _ in notes]
        assert "CŒUR" in odt_text(synthesis)

        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("o")
        await until(pilot, lambda: app.screen is screen)
        await settle(pilot)
        (copy,) = tmp_path.glob("copie-donnees-*.odt")
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600
        assert "Conseillers ayant modifié le dossier" in odt_text(copy)
        assert f"Document enregistré : {copy}" in [message for message, _ in notes]


async def test_the_copy_key_is_greyed_without_the_right(make_demo_app, monkeypatch, tmp_path):
    monkeypatch.setenv(EXPORT_DIR_ENV, str(tmp_path))
    app = make_demo_app(READ_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dossier(app, pilot, PHASE_2)
        keys = footer_keys(screen)
        assert (keys["Synthèse CEP"], keys["Copie des données"]) == (True, False)
        assert screen.action_refusal("document_copy") == (
            "Il vous manque le droit « Modifier les informations d'un dossier »."
        )
        await pilot.press("d")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmModal)
        assert not list(tmp_path.glob("*.odt"))

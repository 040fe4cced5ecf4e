"""DOSSIER > Historique (issue 13): by the key 0, who changed what and when, the values
before and after as the forms say them; never another dossier's on the reused screen;
the service's refusal in place for a counsellor who may not consult the dossier."""

from __future__ import annotations

from cep_tui.db.models import Counsellor
from cep_tui.services.base import RIGHT_COLUMNS
from cep_tui.services.dossiers import ContactInput
from cep_tui.ui.widgets.history_section import HistorySection
from cep_tui.vocabulary import Right
from tests.ui.pilot_keys import (
    NO_CEP,
    PHASE_2,
    burst,
    dossier_id,
    open_dossier,
    search_home,
    texts_of,
    until,
)

SIZE = (80, 24)


def history_text(screen) -> str:
    """The lines of the screen, as the counsellor reads them, while the Historique is
    built ("" before)."""
    if not screen.query(HistorySection):
        return ""
    return "\n".join(strip.text for strip in screen._compositor.render_strips())


async def test_the_key_0_shows_who_changed_what(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        young = dossier_id(app, NO_CEP)
        before = app.services.dossiers.get(app.actor, young)
        app.services.dossiers.update_contact(
            app.actor,
            young,
            ContactInput(
                address=before.address,
                postal_code=before.postal_code,
                city="Corte",
                phone=before.phone,
                email=before.email,
            ),
        )
        screen = await open_dossier(app, pilot, NO_CEP)
        await burst(pilot, "0")
        await until(pilot, lambda: "Corte" in history_text(screen))
        text = history_text(screen)
        assert "1 modification" in text
        assert "Claire DUPONT" in text and "Modification des coordonnées" in text
        (line,) = [line for line in text.splitlines() if "Commune" in line]
        assert f"{before.city or '—'} → Corte" in line
        assert app.focused is not None and screen.current == "historique"


async def test_another_dossier_never_shows_the_last_one_s_history(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        young = dossier_id(app, NO_CEP)
        contact = app.services.dossiers.get(app.actor, young)
        form = ContactInput(city="Sartène", address=contact.address, phone=contact.phone)
        app.services.dossiers.update_contact(app.actor, young, form)
        first = await open_dossier(app, pilot, NO_CEP)
        await burst(pilot, "0")
        await until(pilot, lambda: "Sartène" in history_text(first))
        await burst(pilot, "escape")
        second = await open_dossier(app, pilot, PHASE_2)
        assert second is first  # the same screen, pointed at another young person
        await burst(pilot, "0")
        await until(pilot, lambda: "modification" in history_text(second).lower())
        assert "Sartène" not in history_text(second)


async def test_without_the_right_to_consult_the_refusal_shows(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dossier(app, pilot, NO_CEP)
        # The right withdrawn while the dossier is open: the service refuses the read.
        column = RIGHT_COLUMNS[Right.VIEW_DOSSIER]
        Counsellor.update({column: False}).where(Counsellor.id == app.actor.id).execute()
        await burst(pilot, "0")
        await until(pilot, lambda: "Consulter" in history_text(screen))
        assert "il vous manque le droit" in history_text(screen)


async def test_a_database_fault_shows_in_place_and_r_reads_again(make_demo_app, monkeypatch):
    from cep_tui.services.dossier_history import DossierHistoryService
    from cep_tui.services.errors import DatabaseUnavailable

    message = "La base de données est occupée par un autre poste."
    real = DossierHistoryService.history
    faults = [DatabaseUnavailable(message, fault=None)]

    def history(self, *args, **kwargs):
        if faults:
            raise faults.pop()
        return real(self, *args, **kwargs)

    monkeypatch.setattr(DossierHistoryService, "history", history)
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        young = dossier_id(app, NO_CEP)
        form = ContactInput(city="Propriano")
        app.services.dossiers.update_contact(app.actor, young, form)
        screen = await open_dossier(app, pilot, NO_CEP)
        await burst(pilot, "0")
        await until(pilot, lambda: message in fault_of(screen))
        assert fault_of(screen) == f"{message} Touche r : réessayer."
        assert "Propriano" not in history_text(screen)
        # The fault is over: r reads again, the fault gives way to the history.
        await burst(pilot, "r")
        await until(pilot, lambda: "Propriano" in history_text(screen))
        assert fault_of(screen) == ""


def fault_of(screen) -> str:
    return texts_of(screen, "#historique .section-fault")


async def test_enter_and_0_in_one_burst_show_the_opened_dossier_s_history(make_demo_app):
    """Over SSH the 0 arrives with the Entrée that opens the dossier: it acts on the
    dossier opened, whose history shows."""
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        young = dossier_id(app, NO_CEP)
        app.services.dossiers.update_contact(app.actor, young, ContactInput(city="Calvi"))
        await search_home(pilot, NO_CEP)
        await burst(pilot, "enter", "0")
        await until(pilot, lambda: "Calvi" in history_text(app.screen))
        assert app.screen.current == "historique"

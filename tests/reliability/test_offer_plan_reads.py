"""Issue 14, point 1, for the offer screen and the action-plan modal: their reads run off
the UI thread (ui/reads.py), as the dossier's sections do (test_section_reads.py). While a
read waits for a table a colleague holds, the keys act; a read that fails leaves the screen
open with the French message, and `r` reads again. On both engines.
"""

from __future__ import annotations

from textual.widgets import Static

from cep_tui.db.connection import WaitLimits
from cep_tui.ui.modals.action_item_form import ActionItemFormModal
from cep_tui.ui.modals.action_plan import EMPTY, ActionPlanModal
from cep_tui.ui.screens.offer import OfferScreen
from cep_tui.ui.widgets.dossier_sections import RETRY_HINT
from tests.factories import make_enrolment, make_offer
from tests.reliability.fault_injection import table_held
from tests.reliability.test_fault_harness import QUICK, SIZE, start_app
from tests.reliability.test_section_reads import BUSY
from tests.ui.pilot_keys import footer_keys, settle, until, until_outside

NO_PROPOSAL = "Cette offre n'a encore été proposée à aucun jeune."


def text(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def offer_screen(pilot, offer_id: int) -> OfferScreen:
    app = pilot.app
    app.animation_level = "none"
    await until(pilot, lambda: app.screen is not None and app.screen.is_mounted)
    screen = OfferScreen(offer_id)
    app.push_screen(screen)
    await until(pilot, lambda: app.screen is screen and screen.is_mounted)
    return screen


async def plan_modal(pilot, enrolment_id: int) -> ActionPlanModal:
    app = pilot.app
    app.animation_level = "none"
    await until(pilot, lambda: app.screen is not None and app.screen.is_mounted)
    modal = ActionPlanModal(app.services.cep.get(app.actor, enrolment_id))
    app.push_screen(modal)
    await until(pilot, lambda: app.screen is modal and modal.is_mounted)
    return modal


async def test_the_offer_screen_answers_keys_while_its_reads_wait(
    engine, db, db_url, structure, counsellor
):
    offer = make_offer(structure, counsellor)
    app = start_app(db_url, WaitLimits(lock_seconds=60))
    async with app.run_test(size=SIZE) as pilot:
        with table_held(db_url, "proposal") as held:
            screen = await offer_screen(pilot, offer.id)
            await until_outside(pilot, lambda: held.waiting() > 0)
            assert screen.reads.reading and screen.propositions.reads.reading
            # The keys act while the offer and its Propositions wait.
            await pilot.press("3")
            assert screen.current == "informations"
            await pilot.press("2")
            assert screen.current == "propositions"
            assert held.waiting() > 0 and app.screen is screen
        await settle(pilot)
        assert screen.offer is not None and screen.fault is None
        assert text(screen, "#offer-title").startswith(offer.name)
        assert text(screen, "#propositions .section-caption") == NO_PROPOSAL


async def test_an_offer_whose_read_fails_says_why_and_r_reads_it_again(
    engine, db, db_url, structure, counsellor
):
    offer = make_offer(structure, counsellor)
    app = start_app(db_url, QUICK)
    async with app.run_test(size=SIZE) as pilot:
        with table_held(db_url, "proposal", failing=True):
            screen = await offer_screen(pilot, offer.id)
            await settle(pilot)  # on PostgreSQL the reads end at the lock's bound
            assert app.is_running and app.screen is screen
            assert text(screen, "#offer-title") == f"{BUSY} {RETRY_HINT}"
            caption = text(screen, "#propositions .section-caption")
            assert caption == f"{BUSY} {RETRY_HINT}"
            assert footer_keys(screen).get("Réessayer") is True
        await pilot.press("r")
        await settle(pilot)
        assert screen.fault is None and screen.propositions.fault is None
        assert text(screen, "#offer-title").startswith(offer.name)
        assert text(screen, "#propositions .section-caption") == NO_PROPOSAL
        assert "Réessayer" not in footer_keys(screen)


async def test_the_action_plan_answers_keys_while_its_list_waits(
    engine, db, db_url, dossier, counsellor
):
    enrolment = make_enrolment(dossier, counsellor)
    app = start_app(db_url, WaitLimits(lock_seconds=60))
    async with app.run_test(size=SIZE) as pilot:
        with table_held(db_url, "action_plan_item") as held:
            modal = await plan_modal(pilot, enrolment.id)
            await until_outside(pilot, lambda: held.waiting() > 0)
            assert modal.reads.reading
            # The keys act while the list waits: a new action's form opens and closes.
            await pilot.press("n")
            await until(pilot, lambda: isinstance(app.screen, ActionItemFormModal))
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is modal)
            assert held.waiting() > 0 and modal.reads.reading
        await settle(pilot)
        assert modal.fault is None
        assert text(modal, "#plan-status") == EMPTY


async def test_an_action_plan_whose_read_fails_says_why_and_r_reads_it_again(
    engine, db, db_url, dossier, counsellor
):
    enrolment = make_enrolment(dossier, counsellor)
    app = start_app(db_url, QUICK)
    async with app.run_test(size=SIZE) as pilot:
        with table_held(db_url, "action_plan_item", failing=True):
            modal = await plan_modal(pilot, enrolment.id)
            await settle(pilot)
            assert app.is_running and app.screen is modal
            assert text(modal, "#plan-status") == f"{BUSY} {RETRY_HINT}"
            assert footer_keys(modal).get("Réessayer") is True
        await pilot.press("r")
        await settle(pilot)
        assert modal.fault is None
        assert text(modal, "#plan-status") == EMPTY
        assert "Réessayer" not in footer_keys(modal)

"""The « Plan d'action » of a CEP from the Dispositifs section, by the keyboard alone: `l` on
the card opens it, `n` writes an action, Entrée modifies one, Suppr deletes it; a closed CEP
or a counsellor without the right only reads it."""

from __future__ import annotations

from textual.widgets import OptionList, RadioSet

from cep_tui.ui.modals.action_item_form import ActionItemFormModal
from cep_tui.ui.modals.action_plan import ActionPlanModal
from cep_tui.ui.modals.confirm import ConfirmModal
from cep_tui.ui.widgets.dispositif_card import DispositifCard
from cep_tui.vocabulary import ActionState
from tests.ui.pilot_keys import footer_keys, settle, tab_to, type_into, until, widget_of
from tests.ui.test_dossier_screen import CLOSED, PHASE_2, READ_ONLY, SIZE, open_dossier


def card_text(screen) -> str:
    return str(screen.query(DispositifCard).first(DispositifCard).render())


async def open_plan(app, pilot, search: str) -> ActionPlanModal:
    screen = await open_dossier(app, pilot, search)
    await pilot.press("2")
    await until(pilot, lambda: screen.query(DispositifCard))
    await pilot.press("l")
    await until(pilot, lambda: isinstance(app.screen, ActionPlanModal))
    await settle(pilot)
    return app.screen


async def write_action(app, pilot, text: str, date: str) -> None:
    await pilot.press("n")
    await until(pilot, lambda: isinstance(app.screen, ActionItemFormModal))
    form = app.screen
    await type_into(pilot, form, "text", text)
    await type_into(pilot, form, "target_date", date)
    await pilot.press("ctrl+s")
    await until(pilot, lambda: isinstance(app.screen, ActionPlanModal))
    await settle(pilot)


async def test_write_modify_and_delete_actions_by_keyboard(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        plan = await open_plan(app, pilot, PHASE_2)
        assert footer_keys(plan)["Nouvelle action"] is True

        await write_action(app, pilot, "Visiter le salon de l'apprentissage", "20/01/2027")
        await write_action(app, pilot, "Prendre rendez-vous au CIO", "15/12/2026")
        lines = plan.query_one("#plan-lines", OptionList)
        assert [item.text for item in plan.items] == [
            "Prendre rendez-vous au CIO",
            "Visiter le salon de l'apprentissage",
        ]
        assert lines.highlighted == 0  # the line just written

        # Entrée on the first line: mark it done.
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ActionItemFormModal))
        form = app.screen
        states = widget_of(form, "state")
        assert isinstance(states, RadioSet)
        await tab_to(pilot, states)
        await pilot.press("down", "enter")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ActionPlanModal))
        await settle(pilot)
        assert plan.items[0].state is ActionState.DONE

        # Suppr on the second line, confirmed.
        await pilot.press("down", "delete")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, ActionPlanModal))
        await settle(pilot)
        assert [item.text for item in plan.items] == ["Prendre rendez-vous au CIO"]

        # Closing shows the plan on the card.
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, ActionPlanModal))
        await settle(pilot)
        text = card_text(app.screen)
        assert "Plan d'action" in text
        assert "☑ 15/12/2026  Prendre rendez-vous au CIO (fait)" in text


async def test_a_refused_action_stays_in_the_form(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(app, pilot, PHASE_2)
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, ActionItemFormModal))
        form = app.screen
        await type_into(pilot, form, "text", "Sans date")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "Échéance : ce champ est obligatoire." in str(
            form.query_one("#field-target_date .field-error").render()
        )
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ActionPlanModal))
        assert app.screen.items == ()


async def test_a_closed_cep_plan_is_read_only(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dossier(app, pilot, CLOSED)
        await pilot.press("2")
        await until(pilot, lambda: screen.query(DispositifCard))
        await pilot.press("l")
        await until(pilot, lambda: isinstance(app.screen, ActionPlanModal))
        await settle(pilot)
        plan = app.screen
        assert footer_keys(plan)["Nouvelle action"] is False  # greyed, with why
        assert plan.action_refusal("new") == (
            "Ce dispositif est clôturé : son plan d'action ne peut plus être modifié."
        )
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is plan


async def test_without_the_right_the_plan_is_only_read(make_demo_app):
    app = make_demo_app(READ_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        plan = await open_plan(app, pilot, PHASE_2)
        assert footer_keys(plan)["Nouvelle action"] is False
        assert plan.action_refusal("new") == "Il vous manque le droit « Proposer CEP »."

"""Écrire ou modifier une action du « Plan d'action » d'un CEP: what, by when, its state."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, RadioButton, RadioSet

from cep_tui.services.action_plan import ActionPlanInput
from cep_tui.services.views import ActionPlanItemView, EnrolmentView
from cep_tui.ui.modals.form import FormModal
from cep_tui.ui.widgets.fields import DateInput, FormField, ReadOnlyField
from cep_tui.vocabulary import ActionState


def state_choice(selected: ActionState) -> RadioSet:
    """The three states; `name` carries the value the service receives."""
    return RadioSet(
        *(
            RadioButton(Text(state.label), value=state is selected, name=state.value)
            for state in ActionState
        ),
        classes="state-choice",
    )


class ActionItemFormModal(FormModal[ActionPlanItemView | None]):
    SUBMIT_LABEL = "Enregistrer"

    def __init__(self, enrolment: EnrolmentView, item: ActionPlanItemView | None = None) -> None:
        super().__init__()
        self.enrolment = enrolment
        self.item = item
        self.TITLE_TEXT = "MODIFIER UNE ACTION" if item else "NOUVELLE ACTION DU PLAN"

    def compose_fields(self) -> ComposeResult:
        item = self.item
        yield ReadOnlyField("Dispositif", self.enrolment.title)
        yield FormField(
            "Action", Input(item.text if item else ""), field_name="text", required=True
        )
        yield FormField(
            "Échéance (jj/mm/aaaa)",
            DateInput(item.target_date if item else None),
            field_name="target_date",
            required=True,
        )
        yield FormField(
            "État",
            state_choice(item.state if item else ActionState.TO_DO),
            field_name="state",
            required=True,
        )

    def gather(self) -> Callable[[], ActionPlanItemView]:
        app = self.app
        form = ActionPlanInput(
            text=self.value_of("text"),
            target_date=self.value_of("target_date"),
            state=self.value_of("state"),
        )
        if self.item is None:
            return lambda: app.services.action_plan.add(app.actor, self.enrolment.id, form)
        return lambda: app.services.action_plan.modify(
            app.actor, self.item.id, form, expected_version=self.item.version
        )

"""A dispositif's card, as the guide draws it: the title by phase, "Date d'entrée",
each past phase "du … au …", the fields, and the action menu the service allows.

The card only offers `enrolment.actions` (decided by the service from the state and the
counsellor's rights); an action refused for a reason is greyed, and says why.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from cep_tui.services.dates import format_date
from cep_tui.services.views import (
    ActionOffer,
    ActionPlanItemView,
    EnrolmentAction,
    EnrolmentView,
)
from cep_tui.ui.inert import inert
from cep_tui.vocabulary import CEP_CODE, ActionState

CARD_ACTIONS = {action.value: action for action in EnrolmentAction}
# The keys of a card's actions, on a closed dispositif (which offers none).
CLOSED_REFUSAL = "Ce dispositif est clôturé (le {date}) : il ne se modifie plus."


def field(label: str, value: str | None) -> Text:
    """ "Label : value" on one line; the value is plain text, never markup."""
    return Text.assemble((f"{label} : ", "dim"), inert(value or "—", multiline=True))


# The mark before a line of the plan: what remains, what is done, what was dropped.
STATE_MARKS = {ActionState.TO_DO: "☐", ActionState.DONE: "☑", ActionState.ABANDONED: "☒"}


def plan_line(item: ActionPlanItemView) -> Text:
    """ "☐ 15/12/2026  Prendre rendez-vous au CIO (à faire)"; the text is plain, never markup."""
    line = Text(f"{STATE_MARKS[item.state]} {format_date(item.target_date)}  ")
    line.append(inert(item.text, "strike" if item.state is ActionState.ABANDONED else ""))
    line.append(f" ({item.state_label})", style="dim")
    return line


def plan_text(enrolment: EnrolmentView, plan: tuple[ActionPlanItemView, ...]) -> list[Text]:
    """The « Plan d'action » block of a CEP card."""
    if not plan:
        hint = " (touche l)" if enrolment.in_progress else ""
        return [Text.assemble(("Plan d'action : ", "dim"), "aucune action", (hint, "dim"))]
    return [Text("Plan d'action :", style="dim"), *(plan_line(item) for item in plan)]


def card_text(enrolment: EnrolmentView, plan: tuple[ActionPlanItemView, ...] = ()) -> Text:
    lines = [inert(enrolment.title, style="bold")]
    lines.append(field("Date d'entrée", format_date(enrolment.current_phase_start)))
    if enrolment.phase_3_planned_on is not None:
        lines.append(
            Text(f"Passage en phase 3 prévu le {format_date(enrolment.phase_3_planned_on)}")
        )
    for past in enrolment.past_phases:
        lines.append(
            Text(
                f"Phase {past.phase} : du {format_date(past.start_date)} "
                f"au {format_date(past.end_date)}"
            )
        )
    if enrolment.initial_interview_date:
        lines.append(
            field(
                "Date d'entretien d'initialisation", format_date(enrolment.initial_interview_date)
            )
        )
    lines.append(field("Aiguilleur", enrolment.referrer.label if enrolment.referrer else ""))
    lines.append(
        field(
            "Motif de la sollicitation",
            enrolment.solicitation_reason.label if enrolment.solicitation_reason else "",
        )
    )
    lines.append(field("Nom du prescripteur", enrolment.prescriber_name))
    lines.append(field("Nom du référent", enrolment.referent_name))
    lines.append(
        field("Type de projet", enrolment.project_type.label if enrolment.project_type else "")
    )
    if not enrolment.in_progress:
        lines.append(field("Date de fin", format_date(enrolment.end_date)))
        lines.append(field("Motif de sortie", enrolment.exit_reason_label))
    if enrolment.dispositif_code == CEP_CODE:
        lines.extend(plan_text(enrolment, plan))
    return Text("\n").join(lines)


class DispositifCard(Static, can_focus=True):
    """Keys act on this dispositif; Enter opens its action menu."""

    BINDINGS = [
        # Short words for the footer at 80 columns; the menu says them in full.
        Binding("enter", "menu", "Actions", key_display="Entrée"),
        Binding("m", "modify", "Modifier", tooltip=EnrolmentAction.MODIFY.label),
        Binding("c", "close", "Clôturer", tooltip=EnrolmentAction.CLOSE.label),
        Binding("p", "phase_3", "Phase 3", tooltip=EnrolmentAction.PHASE_3.label),
        Binding("l", "plan", "Plan", tooltip="Plan d'action"),
        Binding("delete", "delete", "Supprimer", key_display="Suppr"),
        Binding("down", "move(1)", "Dispositif suivant", show=False),
        Binding("up", "move(-1)", "Dispositif précédent", show=False),
    ]

    class ActionRequested(Message):
        """The counsellor chose an action of the card's menu (or pressed its key)."""

        def __init__(self, enrolment: EnrolmentView, action: EnrolmentAction | None) -> None:
            super().__init__()
            self.enrolment = enrolment
            self.action = action  # None: open the menu

    class PlanRequested(Message):
        """The counsellor asked for the CEP's « Plan d'action »."""

        def __init__(self, enrolment: EnrolmentView) -> None:
            super().__init__()
            self.enrolment = enrolment

    def __init__(
        self, enrolment: EnrolmentView, plan: tuple[ActionPlanItemView, ...] = (), **kwargs
    ) -> None:
        super().__init__(card_text(enrolment, plan), **kwargs)
        self.enrolment = enrolment
        self.plan = plan
        self.set_class(not enrolment.in_progress, "-closed")
        if enrolment.in_progress and enrolment.actions:
            self.border_subtitle = "Entrée : actions"

    def offer(self, action: str) -> ActionOffer | None:
        wanted = CARD_ACTIONS.get(action)
        return next((o for o in self.enrolment.actions if o.action is wanted), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "menu":
            return bool(self.enrolment.actions) or False
        if action == "plan":
            return self.enrolment.dispositif_code == CEP_CODE or False
        if action in CARD_ACTIONS:
            offer = self.offer(action)
            if offer is None:
                return False  # the state does not offer it: not shown at all
            return True if offer.allowed else None
        return True

    def action_refusal(self, action: str) -> str | None:
        """Why a greyed key cannot be used (the keys help; a notification when pressed)."""
        offer = self.offer(action)
        if offer is None and action in CARD_ACTIONS and not self.enrolment.in_progress:
            return CLOSED_REFUSAL.format(date=format_date(self.enrolment.end_date))
        return offer.refusal if offer else None

    def _request(self, action: str) -> None:
        offer = self.offer(action)
        if offer is not None and offer.allowed:
            self.post_message(self.ActionRequested(self.enrolment, offer.action))

    def action_menu(self) -> None:
        self.post_message(self.ActionRequested(self.enrolment, None))

    def action_plan(self) -> None:
        if self.enrolment.dispositif_code == CEP_CODE:
            self.post_message(self.PlanRequested(self.enrolment))

    def action_modify(self) -> None:
        self._request("modify")

    def action_close(self) -> None:
        self._request("close")

    def action_phase_3(self) -> None:
        self._request("phase_3")

    def action_delete(self) -> None:
        self._request("delete")

    def action_move(self, step: int) -> None:
        """Up/Down go from card to card; past the first or last, they scroll the list."""
        parent = self.parent
        if parent is None:
            return
        cards = list(parent.query_children(DispositifCard))
        index = cards.index(self) + step
        if 0 <= index < len(cards):
            cards[index].focus()
        elif isinstance(parent, Widget):
            parent.scroll_relative(y=step * 2)

"""The base of every form: Escape cancels, Ctrl+S validates, the service judges.

A subclass composes its FormFields in `compose_fields`, and implements `submit`, which calls
a service and returns the result; a DomainError raised there is shown (under its fields when
it has field errors, at the top otherwise) and the form stays open with what was typed.
A DomainError raised while composing (a pre-filled draft the service refuses) is shown at the
top of an otherwise empty form, which then only cancels.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, RadioSet, Select, Static, TextArea

from cep_tui.services.errors import DomainError
from cep_tui.ui.widgets.fields import FormField

ResultT = TypeVar("ResultT")


class FormModal(ModalScreen[ResultT], Generic[ResultT]):
    BINDINGS = [
        Binding("escape", "cancel", "Annuler"),
        Binding("ctrl+s", "submit", "Valider", priority=True),
    ]
    DEFAULT_CLASSES = "form-modal"
    # From 110 columns the screen gets "-wide" (forms.tcss lays some fields side by side).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    TITLE_TEXT = ""
    SUBMIT_LABEL = "Valider"

    load_error: DomainError | None = None

    def __init_subclass__(cls, **kwargs) -> None:
        # The footer names Ctrl+S as the button does ("Ajouter", "Clôturer", …).
        if "SUBMIT_LABEL" in cls.__dict__ and "BINDINGS" not in cls.__dict__:
            cls.BINDINGS = [Binding("ctrl+s", "submit", cls.SUBMIT_LABEL, priority=True)]
        super().__init_subclass__(**kwargs)

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="form-body") as body:
            body.border_title = self.TITLE_TEXT
            body.can_focus = False  # focus moves field to field; the body follows it
            yield Static("", id="form-error", classes="form-error")
            try:
                yield from self.compose_fields()
            except DomainError as error:
                self.load_error = error
            with Horizontal(classes="form-buttons"):
                yield Button(f"{self.SUBMIT_LABEL} (Ctrl+S)", id="submit", variant="primary")
                yield Button("Annuler (Échap)", id="cancel")
        yield Footer()  # this form's keys, not those of the screen below

    def compose_fields(self) -> ComposeResult:
        raise NotImplementedError
        yield

    def on_mount(self) -> None:
        if self.load_error is not None:
            self.show_errors(self.load_error)
            self.query_one("#submit", Button).disabled = True
            self.query_one("#cancel", Button).focus()
            return
        self.focus_first_empty_required()

    def focus_first_empty_required(self) -> None:
        """Focus goes to the first required field still empty, else the first field."""
        fields = list(self.query(FormField))
        target = next(
            (f for f in fields if f.label_text.startswith("*") and _is_empty(f.widget)),
            fields[0] if fields else None,
        )
        if target is None:
            return
        target.widget.focus()
        if target is fields[0]:
            # The first field: show the form from its top (title, notes) rather than
            # scrolling its label out of sight.
            self.call_after_refresh(self.query_one(".form-body").scroll_home, animate=False)
        else:
            self.call_after_refresh(target.scroll_visible, animate=False)

    def submit(self) -> ResultT:
        raise NotImplementedError

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A form the service refused to prepare can only be cancelled: its key is greyed.
        if action == "submit" and self.load_error is not None:
            return None
        return True

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_submit(self) -> None:
        if self.load_error is not None:
            return
        self.clear_errors()
        try:
            result = self.submit()
        except DomainError as error:
            self.show_errors(error)
            return
        self.dismiss(result)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "submit":
            self.action_submit()
        elif event.button.id == "cancel":
            self.action_cancel()

    def clear_errors(self) -> None:
        self.query_one("#form-error", Static).update("")
        self.query_one("#form-error").remove_class("-shown")
        for field in self.query(FormField):
            field.show_error(None)

    def error_fields(self, field_name: str) -> list[FormField]:
        """The fields under which an error keyed `field_name` is shown (all of that name;
        a form holding two fields of one name may choose)."""
        return [f for f in self.query(FormField) if f.field_name == field_name]

    def show_errors(self, error: DomainError) -> None:
        placed = False
        first_invalid = None
        unplaced = []
        for name, message in error.field_errors.items():
            targets = self.error_fields(name)
            if not targets:
                unplaced.append(message)
            for field in targets:
                field.show_error(message)
                placed = True
        for field in self.query(FormField):  # the first invalid field in screen order
            if field.has_class("-invalid"):
                first_invalid = field
                break
        if not placed or unplaced:
            top = self.query_one("#form-error", Static)
            top.update(Text("\n".join(unplaced) or error.message))
            top.add_class("-shown")
        if first_invalid is not None:
            first_invalid.widget.focus()
            first_invalid.scroll_visible()
        else:
            self.query_one(".form-body").scroll_home()

    def value_of(self, field_name: str):
        """The typed value of a field: text for inputs, the chosen id for selects."""
        widget = self.query_one(f"#field-{field_name}", FormField).widget
        if isinstance(widget, Select):
            return None if widget.is_blank() else widget.value
        if isinstance(widget, Input):
            return widget.value
        if isinstance(widget, TextArea):
            return widget.text
        if isinstance(widget, RadioSet):
            button = widget.pressed_button
            return button.name if button is not None else None
        return getattr(widget, "value", None)


def _is_empty(widget) -> bool:
    if isinstance(widget, Select):
        return widget.is_blank()
    if isinstance(widget, Input):
        return not widget.value.strip()
    if isinstance(widget, TextArea):
        return not widget.text.strip()
    if isinstance(widget, RadioSet):
        return widget.pressed_button is None
    return False

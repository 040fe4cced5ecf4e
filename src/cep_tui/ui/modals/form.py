"""The base of every form: Escape cancels, Ctrl+S validates, the service judges.

A subclass composes its FormFields in `compose_fields`, and implements `gather`, which reads
what was typed (on the UI thread, where the widgets live) and returns the service call that
saves it. That call runs in a thread worker (see "Saving" below), so that the interface
never waits for the database: the form says « Enregistrement… » meanwhile. A DomainError
from the service — a refusal, or a database fault said in French (db/faults.py) — is shown
(under its fields when it has field errors, at the top otherwise) and the form stays open
with what was typed; Ctrl+S tries again. A DomainError raised while composing (a pre-filled
draft the service refuses) is shown at the top of an otherwise empty form, which then only
cancels.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, RadioSet, Select, Static, TextArea
from textual.worker import Worker, WorkerState

from cep_tui.services.errors import DomainError
from cep_tui.services.guard import retry_notices
from cep_tui.ui.inert import inert
from cep_tui.ui.widgets.fields import FormField, is_blank

ResultT = TypeVar("ResultT")
# The thread workers that save a form (one at a time per form).
SAVE_GROUP = "form-save"
SAVING = "Enregistrement…"


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
    # A form of many fields lays them in two columns from 110 columns (forms.tcss).
    TWO_COLUMNS = False

    load_error: DomainError | None = None
    saving = False  # a save runs in its worker: no second one, no leaving

    class SaveNotice(Message):
        """A word from the save's worker while it runs (« nouvelle tentative… »)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init_subclass__(cls, **kwargs) -> None:
        # The footer names Ctrl+S as the button does ("Ajouter", "Clôturer", …).
        if "SUBMIT_LABEL" in cls.__dict__ and "BINDINGS" not in cls.__dict__:
            cls.BINDINGS = [Binding("ctrl+s", "submit", cls.SUBMIT_LABEL, priority=True)]
        super().__init_subclass__(**kwargs)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.set_class(self.TWO_COLUMNS, "-two-columns")

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
                yield Static("", id="form-status", classes="form-status")
                yield Button(
                    f"{self.SUBMIT_LABEL} (Ctrl+S)", id="submit", variant="primary", compact=True
                )
                yield Button("Annuler (Échap)", id="cancel", compact=True)
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
            (f for f in fields if f.label_text.startswith("*") and is_blank(f.widget)),
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

    def gather(self) -> Callable[[], ResultT]:
        """Read what was typed and return the service call that saves it (run off the UI
        thread). A form written the earlier way, with a `submit` that reads and saves at
        once, is run whole here, on the UI thread."""
        result = self.submit()
        return lambda: result

    def submit(self) -> ResultT:
        raise NotImplementedError

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A form the service refused to prepare can only be cancelled: its key is greyed.
        if action == "submit" and self.load_error is not None:
            return None
        # While it saves, the form neither saves again nor closes: greyed.
        if action in ("submit", "cancel") and self.saving:
            return None
        return True

    def action_cancel(self) -> None:
        if not self.saving:
            self.dismiss(None)

    def action_submit(self) -> None:
        if self.load_error is not None or self.saving:
            return
        self.clear_errors()
        try:
            save = self.gather()
        except DomainError as error:
            self.show_errors(error)
            return
        self.save_in_worker(save)

    # -- saving, off the UI thread ------------------------------------------------------
    def save_in_worker(self, save: Callable[[], ResultT]) -> None:
        """Run the service call `save` in a thread worker; the form closes with its result,
        or shows its error and stays open. Meanwhile the form says « Enregistrement… »,
        takes no second Ctrl+S and no Échap (the keys typed go on acting on the form, never
        on the screen below)."""
        self.saving = True
        self.show_status(SAVING)
        self.refresh_bindings()
        self._save(save)

    @work(thread=True, exclusive=True, group=SAVE_GROUP, exit_on_error=False)
    def _save(self, save: Callable[[], ResultT]) -> ResultT | _Refused:
        notices = retry_notices.set(lambda text: self.post_message(self.SaveNotice(text)))
        try:
            return save()
        except DomainError as error:  # an answer, not a failure of the worker
            return _Refused(error)
        finally:
            retry_notices.reset(notices)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != SAVE_GROUP or not worker.is_finished:
            return
        event.stop()
        self.saving = False
        self.show_status("")
        self.refresh_bindings()
        if event.state is WorkerState.ERROR:
            self.save_failed(worker.error)
        elif isinstance(worker.result, _Refused):
            self.show_errors(worker.result.error)
        elif event.state is WorkerState.SUCCESS:
            self.saved(worker.result)

    def save_failed(self, error: BaseException) -> None:
        """An unexpected error (a bug) in the save: its transaction was rolled back, so the
        form stays open with what was typed, and says where the details went."""
        if self.app.shows_bugs:
            raise error
        from cep_tui.crash import log_unexpected, unexpected_in_save

        self.show_errors(DomainError(unexpected_in_save(log_unexpected(error))))

    def on_form_modal_save_notice(self, message: SaveNotice) -> None:
        if self.saving:
            self.show_status(message.text)

    def saved(self, result: ResultT) -> None:
        # Keys typed during the save may have opened the help above the form: closed too.
        if not self.is_current:
            self.pop_until_active()
        self.dismiss(result)

    def show_status(self, text: str) -> None:
        status = self.query_one("#form-status", Static)
        status.update(inert(text))
        status.set_class(bool(text), "-shown")

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
            top.update(inert("\n".join(unplaced) or error.message, multiline=True))
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


class _Refused:
    """The DomainError a save ended with (a refusal, a database fault)."""

    __slots__ = ("error",)

    def __init__(self, error: DomainError) -> None:
        self.error = error

"""Form fields: a label, the input, and the service's error under it.

Each field carries the identifier of the service input it feeds (`field_name`), so that a
ValidationError's `field_errors` land under the right field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, RadioSet, Select, Static, TextArea
from textual.widgets._select import SelectCurrent, SelectOverlay

from cep_tui.services.dates import date_problem, format_date
from cep_tui.services.events import comment_counter
from cep_tui.services.views import CounsellorOption, RefValue
from cep_tui.ui.inert import inert


class DateInput(Input):
    """A date typed as jj/mm/aaaa; the service parses and judges it."""

    DEFAULT_CLASSES = "date-input"

    def __init__(self, value: dt.date | str | None = None, **kwargs) -> None:
        text = value if isinstance(value, str) else format_date(value)
        super().__init__(
            value=text,
            placeholder="jj/mm/aaaa",
            restrict=r"[0-9/.\-]*",
            max_length=10,
            **kwargs,
        )


class FrenchSelectOverlay(SelectOverlay):
    """The open list of a choice; its key in the footer in French (Textual's: « Dismiss
    menu »)."""

    BINDINGS = [Binding("escape", "dismiss", "Fermer la liste")]


class FrenchSelect(Select):
    """Textual's Select, its open list speaking French (every choice of the app is one)."""

    def compose(self) -> ComposeResult:
        # Select.compose (textual 8.2.8, pinned), with the French overlay.
        yield SelectCurrent(self.prompt)
        yield FrenchSelectOverlay(type_to_search=self._type_to_search).data_bind(
            compact=Select.compact
        )


class RefSelect(FrenchSelect):
    """A choice from a reference list (values are reference ids)."""

    def __init__(self, values: Iterable[RefValue], value: int | None = None, **kwargs) -> None:
        options = [(inert(v.label if v.active else f"{v.label} (désactivé)"), v.id) for v in values]
        known = {ident for _, ident in options}
        super().__init__(
            options, prompt="—", value=value if value in known else Select.NULL, **kwargs
        )

    @property
    def chosen(self) -> int | None:
        return None if self.is_blank() else self.value


class CounsellorSelect(FrenchSelect):
    def __init__(
        self, counsellors: Iterable[CounsellorOption], value: int | None = None, **kwargs
    ) -> None:
        options = [(inert(c.display_name), c.id) for c in counsellors]
        known = {ident for _, ident in options}
        super().__init__(
            options, prompt="—", value=value if value in known else Select.NULL, **kwargs
        )

    @property
    def chosen(self) -> int | None:
        return None if self.is_blank() else self.value


class FormField(Vertical):
    """Label (with * when required), the input widget, and an error line."""

    DEFAULT_CLASSES = "form-field"

    def __init__(
        self,
        label: str,
        widget: Widget,
        *,
        field_name: str,
        required: bool = False,
        hint: str = "",
        id: str | None = None,
        stacked: bool = False,
    ) -> None:
        # `id` only when a form holds two fields of the same name (a proposal's comment
        # and its event's comment): errors are matched by `field_name`, not by id.
        super().__init__(id=id or f"field-{field_name}")
        self.label_text = f"* {label}" if required else label
        self.widget = widget
        self.field_name = field_name
        self.hint = hint
        # One row per input and choice (issue 11: every field of a CEP form in sight at
        # 80×24), the label beside it; the focus and errors are marked by colour.
        if hasattr(widget, "compact"):
            widget.compact = True
        # A choice of long labels or a text of several lines: the whole width of a form in
        # two columns (forms.tcss).
        self.set_class(isinstance(widget, RadioSet | TextArea), "-full-width")
        # Lines too long to sit beside a label (a list of rights): the label above.
        self.set_class(stacked, "-stacked")

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field-line"):
            yield Label(Text(self.label_text), classes="field-label")
            yield self.widget
        if self.hint:
            yield Label(Text(self.hint), classes="field-hint")
        yield Static("", classes="field-error")

    def show_error(self, message: str | None) -> None:
        error = self.query_one(".field-error", Static)
        error.update(Text(message or ""))
        self.set_class(bool(message), "-invalid")

    @on(Input.Changed)
    @on(Select.Changed)
    @on(RadioSet.Changed)
    def _recheck(self) -> None:
        """A field marked invalid, once changed, loses its error unless what it now holds
        is still wrong in a way the form can see (empty though required, a date that is
        none): a fixed error does not stay on screen. The service judges again at Ctrl+S."""
        if self.has_class("-invalid") and not self.still_invalid():
            self.show_error(None)

    def still_invalid(self) -> bool:
        widget = self.widget
        if is_blank(widget):
            return self.label_text.startswith("*")
        if isinstance(widget, DateInput):
            return date_problem(widget.value) is not None
        return False

    def set_hint(self, text: str, *, warning: bool = False) -> None:
        """Change the line under the input (a live counter, for instance)."""
        self.hint = text
        hint = self.query_one(".field-hint", Label)
        hint.update(Text(text))
        hint.set_class(warning, "-warning")


class CommentField(FormField):
    """A free comment with the guide's live "n/255" counter under it (the service counts
    and judges; the counter turns red past the limit it reports)."""

    def __init__(
        self,
        label: str = "Commentaire",
        value: str = "",
        *,
        field_name: str = "comment",
        id: str | None = None,
    ) -> None:
        area = TextArea(value, soft_wrap=True, tab_behavior="focus", classes="comment-input")
        super().__init__(label, area, field_name=field_name, hint=comment_counter(value), id=id)

    @property
    def text(self) -> str:
        return self.widget.text

    @property
    def over_limit(self) -> bool:
        count, _, limit = comment_counter(self.text).partition("/")
        return int(count) > int(limit)

    @on(TextArea.Changed)
    def _count(self, event: TextArea.Changed) -> None:
        event.stop()
        self.set_hint(comment_counter(event.text_area.text), warning=self.over_limit)
        if self.has_class("-invalid") and not self.over_limit:
            self.show_error(None)


def is_blank(widget: Widget) -> bool:
    """Whether a field's widget holds nothing (no text, no choice)."""
    if isinstance(widget, Select):
        return widget.is_blank()
    if isinstance(widget, Input):
        return not widget.value.strip()
    if isinstance(widget, TextArea):
        return not widget.text.strip()
    if isinstance(widget, RadioSet):
        return widget.pressed_button is None
    return False


class ReadOnlyField(Vertical):
    """A value shown in a form but not editable (the guide's fixed dates)."""

    DEFAULT_CLASSES = "form-field read-only"

    def __init__(self, label: str, value: str) -> None:
        super().__init__()
        self.label_text = label
        self.value = value

    def compose(self) -> ComposeResult:
        yield Label(Text(self.label_text), classes="field-label")
        yield Static(inert(self.value or "—"), classes="read-only-value")


class FieldRow(Horizontal):
    """Two fields: one above the other on a narrow screen, side by side on a wide one.

    Its last field is marked `field-end` (no gap after it, forms.tcss): a `*:last-child`
    rule would make Textual re-style every widget of the app on each mount (a rule on
    `*` with an order pseudo-class applies to all and defeats its style cache)."""

    DEFAULT_CLASSES = "field-row"

    def __init__(self, *fields: Widget, **options) -> None:
        super().__init__(*fields, **options)
        if fields:
            fields[-1].add_class("field-end")

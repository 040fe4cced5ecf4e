"""Keyboard helpers of the offers and administration Pilot tests (not fixtures)."""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import Input, Select, Static, TextArea

from cep_tui.ui.widgets.fields import FormField


async def until(pilot, condition, tries: int = 200) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause()
    assert condition()


async def settle(pilot) -> None:
    """Let the search workers finish and their results show."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def tab_to(pilot, widget: Widget) -> None:
    """Tab (or Shift+Tab, whichever is shorter) until `widget` has the focus."""
    chain = pilot.app.screen.focus_chain
    assert widget in chain, f"{widget!r} cannot be reached with Tab"
    here = chain.index(pilot.app.focused) if pilot.app.focused in chain else 0
    steps = chain.index(widget) - here
    await pilot.press(*(["tab"] * steps if steps >= 0 else ["shift+tab"] * -steps))
    assert pilot.app.focused is widget, f"{widget!r} never got the focus"


def widget_of(screen, field_name: str) -> Widget:
    return screen.query_one(f"#field-{field_name}", FormField).widget


async def type_into(pilot, screen, field_name: str, text: str) -> None:
    """Replace what a field holds: Input (End, Ctrl+U) or TextArea (F7 selects all)."""
    widget = widget_of(screen, field_name)
    await tab_to(pilot, widget)
    if isinstance(widget, TextArea):
        await pilot.press("f7", "backspace")
    else:
        await pilot.press("end", "ctrl+u")
    if text:
        await pilot.press(*text)


def selected_label(select: Select) -> str:
    return next((str(prompt) for prompt, value in select._options if value == select.value), "")


async def choose(pilot, select: Select, label: str) -> None:
    """Open the list, type the start of the label (type-to-search), validate."""
    await tab_to(pilot, select)
    await pilot.press("enter", *label, "enter")
    await pilot.pause()
    assert label.lower() in selected_label(select).lower(), selected_label(select)


async def clear_choice(pilot, select: Select) -> None:
    """Back to the blank first line of the list."""
    await tab_to(pilot, select)
    await pilot.press("enter", "home", "enter")
    await pilot.pause()
    assert select.is_blank()


async def pick(pilot, screen, field_name: str, label: str) -> None:
    await choose(pilot, widget_of(screen, field_name), label)


def error_under(screen, field_name: str) -> str:
    field = screen.query_one(f"#field-{field_name}", FormField)
    if not field.has_class("-invalid"):
        return ""
    return str(field.query_one(".field-error", Static).render())


def top_error(screen) -> str:
    widget = screen.query_one("#form-error", Static)
    return str(widget.render()) if widget.has_class("-shown") else ""


def footer_keys(screen) -> dict[str, bool]:
    """The footer's keys of the screen: description -> enabled (False when greyed)."""
    return {
        active.binding.description: active.enabled
        for active in screen.active_bindings.values()
        if active.binding.show and active.binding.description
    }


def text_of(widget) -> str:
    return str(widget.render()) if isinstance(widget, Static | Input) else ""

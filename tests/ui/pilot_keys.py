"""The one home of the Pilot and snapshot tests' helpers (not fixtures): reach a screen, a
field, a choice; type, choose, submit; read what a screen says; the demonstration dossiers
the tests open. tests/snapshots/helpers.py builds its steps on these.

Fields are named as the forms name them: "phone" is the field `#field-phone`; a field with
an id of its own (the proposal form's "event-field-comment", "proposal-comment") is named by
that id (a field name never holds a hyphen, an id always does).

Which helpers wait, and which do not:
- They wait for the app to catch up: `until` (polls a condition), `until_outside` (the
  same, for what happens outside the app: a lock granted), `settle` (the workers
  finished and the screen refreshed), and every helper that presses keys through
  `pilot.press` — `tab_to`, `type_into`, `choose`, `clear_choice`, `pick`, `submit`,
  `submit_refused`, `go_to`, `open_modal`, `search_home`, `open_dossier`, `open_section`,
  `open_dispositifs`, `open_from_home`. `pilot.press` is the gentle pace: Textual lets the
  app go idle after each key, then waits for the screen.
- They do not wait: `burst` queues a whole key sequence before the app handles the first
  key (as a paste, lag or a fast typist over SSH delivers keys) and returns at once;
  `burst_into` moves the focus to a field (that set-up waits), then sends the keys that
  empty it, the text, and any keys after it (such as "ctrl+s") as one burst, and returns
  at once. Follow them with `until(...)` or `settle(...)` and assert the state that every
  key sent must leave, whatever the pace (the lesson "keys arrive in bursts").
- They press nothing: `field_of`, `widget_of`, `selected_label`, `set_choice`,
  `error_under`, `top_error`, `footer_keys`, `text_of`, `texts_of`, `all_text`,
  `record_notifications`, `dossier_id`, `ref_id`, `open_event`, `modify_cep_elsewhere`.
"""

from __future__ import annotations

import datetime as dt
import time
import unicodedata
from collections.abc import Callable
from typing import TypeVar

from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Select, Static, TextArea

from cep_tui.services.cep import CepModifyInput
from cep_tui.services.events import EventInput
from cep_tui.services.references import reference_id
from cep_tui.ui.screens.dossier import DossierScreen
from cep_tui.ui.screens.home import HomeScreen
from cep_tui.ui.widgets.dispositif_card import DispositifCard
from cep_tui.ui.widgets.fields import FormField
from cep_tui.vocabulary import CEP_CODE, ReferenceKind

S = TypeVar("S", bound=Screen)

# Demonstration dossiers whose state is known, as typed in the home search box.
PHASE_2 = "coeur elodie"  # a CEP in phase 2, and a closed one
PHASE_3 = "lefevre anais"
CLOSED = "saint exupery"
PLANNED_PHASE_3 = "oeuvray maelys"
NOT_JUSTIFIED = "n diaye moussa"
NO_CEP = "santoni ghjuvan"
READ_ONLY = "l.petit"  # a counsellor who may only read


# -- waiting ---------------------------------------------------------------------------
# `until_outside` gives up after this long: a hang, not a slow machine (seconds).
OUTSIDE_BOUND = 120.0


async def until(pilot, condition: Callable[[], bool], tries: int = 200) -> None:
    """Let the app run until `condition()` holds: first `tries` times one `pilot.pause()`
    (the app idle again: enough when all happens on the UI thread), then, for what a
    worker thread still has to do on a loaded machine, as `until_outside` does — so a
    busy machine makes a test slower, never red."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause()
    await until_outside(pilot, condition)


async def until_outside(pilot, condition: Callable[[], bool]) -> None:
    """Let the app run until `condition()` holds, when what it waits for happens outside
    the app (a worker thread reaches a lock, the server grants it): however long the
    machine takes, up to a safety bound that only a hang reaches — never a measure of
    speed. (`until` counts pauses, which pass faster than a loaded machine's threads.)"""
    deadline = time.monotonic() + OUTSIDE_BOUND
    while not condition():
        assert time.monotonic() < deadline, "the app never reached the expected state"
        await pilot.pause(0.01)


async def settle(pilot, rounds: int = 2) -> None:
    """Let the workers (searches) finish and their results show, `rounds` times over."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


# -- keys, all at once -----------------------------------------------------------------
def _key_event(key: str) -> events.Key:
    """The Key event Textual's own key presses send for `key` (a name or one character)."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        character = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        character = key if len(key) == 1 else None
    return events.Key(key, character)


async def burst(pilot, *keys: str) -> None:
    """Queue every key before the app handles the first; return without waiting."""
    app = pilot.app
    for key in keys:
        event = _key_event(key)
        event.set_sender(app)
        app.post_message(event)


def clearing_keys(widget: Widget) -> tuple[str, ...]:
    """The keys that empty a field: F7 selects all of a TextArea; End, Ctrl+U an Input."""
    return ("f7", "backspace") if isinstance(widget, TextArea) else ("end", "ctrl+u")


async def burst_into(pilot, screen, field: str, text: str, *then: str) -> None:
    """Tab to the field, then empty it, type `text` and press `then` in one burst; return
    without waiting."""
    widget = widget_of(screen, field)
    await tab_to(pilot, widget)
    await burst(pilot, *clearing_keys(widget), *text, *then)


# -- moving around ---------------------------------------------------------------------
async def tab_to(pilot, widget: Widget) -> None:
    """Tab (or Shift+Tab, whichever is shorter) until `widget` has the focus."""
    chain = pilot.app.screen.focus_chain
    assert widget in chain, f"{widget!r} cannot be reached with Tab"
    here = chain.index(pilot.app.focused) if pilot.app.focused in chain else 0
    steps = chain.index(widget) - here
    await pilot.press(*(["tab"] * steps if steps >= 0 else ["shift+tab"] * -steps))
    assert pilot.app.focused is widget, f"{widget!r} never got the focus"


async def go_to(pilot, key: str, screen_type: type[S]) -> S:
    """Press `key` and wait for the screen (or modal) it opens."""
    await pilot.press(key)
    await until(pilot, lambda: isinstance(pilot.app.screen, screen_type))
    return pilot.app.screen


async def open_modal(pilot, modal: S, results: list | None = None) -> S:
    """Push `modal` over the current screen (its result appended to `results`)."""
    app = pilot.app
    app.animation_level = "none"  # no smooth scrolling for Pilot to wait for
    await until(pilot, lambda: app.screen is not None and len(app.screen_stack) >= 1)
    app.push_screen(modal, callback=results.append if results is not None else None)
    await until(pilot, lambda: app.screen is modal)
    await pilot.pause()
    return modal


async def search_home(pilot, text: str) -> None:
    """On the home screen, type `text` in the search box (`/` reaches it); results shown."""
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, HomeScreen))
    if app.focused is not app.screen.query_one("#dossier-search", Input):
        await pilot.press("slash")
    await pilot.press("home", "ctrl+k", *text)  # empty what an earlier search left
    await settle(pilot, rounds=1)


async def open_dossier(app, pilot, search: str) -> DossierScreen:
    """Type a name on the home screen, Enter: the single result opens, on its SYNTHÈSE."""
    await search_home(pilot, search)
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, DossierScreen))
    screen = app.screen
    await until(pilot, lambda: screen.dossier is not None)
    await settle(pilot)  # its SYNTHÈSE too
    return screen


async def open_section(app, pilot, search: str, key: str) -> DossierScreen:
    """The dossier opened on the section of `key` (a digit, 1 to 9, then 0)."""
    screen = await open_dossier(app, pilot, search)
    await pilot.press(key)
    await settle(pilot)  # the section is read off the UI thread
    return screen


async def open_dispositifs(app, pilot, search: str) -> tuple[DossierScreen, DispositifCard]:
    """The dossier opened on its DISPOSITIFS section (key 2): the screen, its first card."""
    screen = await open_section(app, pilot, search, "2")
    return screen, screen.query(DispositifCard).first(DispositifCard)


async def open_from_home(pilot, key: str, screen_type: type[S], focused: str) -> S:
    """From the home screen, the screen that `key` opens, once `focused` (a selector) has
    the focus."""
    app = pilot.app
    app.animation_level = "none"
    await until(pilot, lambda: isinstance(app.screen, HomeScreen))
    screen = await go_to(pilot, key, screen_type)
    await until(pilot, lambda: app.focused is screen.query_one(focused))
    return screen


# -- forms -----------------------------------------------------------------------------
def field_of(screen, field: str) -> FormField:
    return screen.query_one(f"#{field}" if "-" in field else f"#field-{field}", FormField)


def widget_of(screen, field: str) -> Widget:
    return field_of(screen, field).widget


async def type_into(pilot, screen, field: str, text: str) -> None:
    """Tab to the field and replace what it holds with `text`, typed."""
    widget = widget_of(screen, field)
    await tab_to(pilot, widget)
    await pilot.press(*clearing_keys(widget))
    if text:
        await pilot.press(*text)


def selected_label(select: Select) -> str:
    return next((str(prompt) for prompt, value in select._options if value == select.value), "")


async def choose(pilot, select: Select, label: str) -> None:
    """Open the list, go to the first option whose label holds `label` (Home, then Down
    as many times as needed), validate. Not by typing the label: the list's type-to-search
    forgets what was typed after 0.7 s without a key, which a loaded machine may take
    between two keys (the option then found depends on the pace)."""
    labels = [str(prompt).lower() for prompt, _ in select._options]
    wanted = label.lower()
    index = next(
        (i for i, text in enumerate(labels) if text.startswith(wanted)),
        next((i for i, text in enumerate(labels) if wanted in text), None),
    )
    assert index is not None, f"no option {label!r} in {labels}"
    await tab_to(pilot, select)
    await pilot.press("enter")
    await pilot.press("home", *["down"] * index)
    await pilot.press("enter")
    await pilot.pause()
    assert label.lower() in selected_label(select).lower(), selected_label(select)


def set_choice(select: Select, label: str) -> None:
    """Set the option whose label starts with `label`, without keys or focus."""
    select.value = next(value for prompt, value in select._options if str(prompt).startswith(label))


async def clear_choice(pilot, select: Select) -> None:
    """Back to the blank first line of the list."""
    await tab_to(pilot, select)
    await pilot.press("enter", "home", "enter")
    await pilot.pause()
    assert select.is_blank()


async def pick(pilot, screen, field: str, label: str) -> None:
    await choose(pilot, widget_of(screen, field), label)


async def submit(pilot) -> None:
    """Ctrl+S, as every form is validated."""
    await pilot.press("ctrl+s")
    await pilot.pause()


async def submit_refused(pilot, form) -> None:
    """Ctrl+S on a form the service refuses: the form stays open, its messages shown."""
    await submit(pilot)
    assert pilot.app.screen is form, "the form closed: it was accepted"


def error_under(screen, field: str) -> str:
    """The message under the field, if it is marked invalid."""
    form_field = field_of(screen, field)
    if not form_field.has_class("-invalid"):
        return ""
    return str(form_field.query_one(".field-error", Static).render())


def top_error(screen) -> str:
    widget = screen.query_one("#form-error", Static)
    return str(widget.render()) if widget.has_class("-shown") else ""


# -- reading the screen ----------------------------------------------------------------
def footer_keys(screen) -> dict[str, bool]:
    """The footer's keys of the screen: description -> enabled (False when greyed)."""
    return {
        active.binding.description: active.enabled
        for active in screen.active_bindings.values()
        if active.binding.show and active.binding.description
    }


def text_of(widget) -> str:
    return str(widget.render()) if isinstance(widget, Static | Input) else ""


def texts_of(screen, selector: str) -> str:
    """The text of every Static that `selector` matches, one a line."""
    return "\n".join(str(w.content) for w in screen.query(selector).results(Static))


def all_text(screen) -> str:
    """What every Static of the screen shows, one after the other."""
    return " ".join(str(s.render()) for s in screen.query(Static))


def record_notifications(app) -> list[tuple[str, str]]:
    """From now on, every notification of the app as (message, severity); each must be
    shown without markup (messages may quote the data)."""
    notes: list[tuple[str, str]] = []
    original = app.notify

    def notify(message, *, severity="information", **kwargs):
        assert kwargs.get("markup") is False
        notes.append((str(message), severity))
        return original(message, severity=severity, **kwargs)

    app.notify = notify
    return notes


# -- the data, through the services ----------------------------------------------------
def dossier_id(app, text: str) -> int:
    """The id of the one dossier that `text` finds."""
    (row,) = app.services.dossiers.search(app.actor, text).items
    return row.id


def ref_id(app, kind: ReferenceKind, label: str | None = None, *, code: str | None = None):
    """The id of the reference value of `kind` with this label (or this code)."""
    return next(
        v.id
        for v in app.services.references.choices(app.actor, kind)
        if (code and v.code == code) or (label and v.label == label)
    )


def open_event(app, dossier: int, comment: str = ""):
    """An event in progress today (a CEP interview at the seat), as a colleague opens it."""
    return app.services.events.open(
        app.actor,
        dossier,
        EventInput(
            event_date=dt.date(2026, 11, 29),
            primary_context_id=reference_id(ReferenceKind.CONTEXT, code=CEP_CODE),
            direction_id=reference_id(ReferenceKind.DIRECTION, label="Jeune vers Structure"),
            nature_id=reference_id(ReferenceKind.NATURE, label="Entretien individuel"),
            reception_place_id=reference_id(
                ReferenceKind.RECEPTION_PLACE, label="Siège", structure_id=app.actor.structure_id
            ),
            function_id=reference_id(ReferenceKind.FUNCTION, label="Conseiller"),
            intervenant_id=app.actor.id,
            comment=comment,
        ),
    )


def modify_cep_elsewhere(app, cep) -> None:
    """The CEP saved meanwhile from elsewhere (the prescriber changed): the version moves."""
    app.services.cep.modify(
        app.actor,
        cep.id,
        CepModifyInput(
            referrer_id=cep.referrer.id,
            solicitation_reason_id=cep.solicitation_reason.id,
            prescriber_name="Quelqu'un d'autre",
        ),
        expected_version=cep.version,
    )

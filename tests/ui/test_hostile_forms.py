"""Hostile input through the forms (issue 6, item 5): whatever lands in a form's text
fields — nothing, 10,000 characters, control characters, ANSI escapes, Rich markup, emoji,
right-to-left text — submitting it with Ctrl+S either saves or shows French errors in the
form; it never raises, and the app stays up."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.widgets import Input, TextArea

from cep_tui.ui.modals.cep_add import CepAddModal
from cep_tui.ui.modals.dossier_forms import ComplementsFormModal, ContactFormModal
from cep_tui.ui.modals.event_form import EventFormModal
from cep_tui.ui.modals.form import FormModal
from cep_tui.ui.widgets.fields import FormField

SPECIMENS = [
    "",
    "x" * 10_000,
    "\x00\x07\x1b[31mrouge\x1b[0m\r\n\t",
    "[bold red]x[/]",
    "[b]Dupont[/b] [link=https://example.org]ici[/link]",
    "🎉👩‍👩‍👧 Zoé",
    "مرحبا בעולם",
    "31/02/2026",
    "'; DROP TABLE dossier; --",
]
HOSTILE = st.one_of(
    st.sampled_from(SPECIMENS),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=300),
)
FORMS = {
    "event": lambda app, dossier: EventFormModal(dossier.id),
    "cep_add": lambda app, dossier: CepAddModal(dossier.id),
    "contact": lambda app, dossier: ContactFormModal(dossier),
    "complements": lambda app, dossier: ComplementsFormModal(dossier),
}
HOSTILE_SETTINGS = settings(max_examples=6)


async def fill_and_submit(app, build, text: str) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        dossier = app.services.dossiers.get(
            app.actor, app.services.dossiers.search(app.actor, "santoni ghjuvan").items[0].id
        )
        form = build(app, dossier)
        app.push_screen(form)
        for _ in range(100):
            if app.screen is form:
                break
            await pilot.pause()
        for field in form.query(FormField):
            widget = field.widget
            if isinstance(widget, TextArea):
                widget.text = text
            elif isinstance(widget, Input):
                widget.value = text
        await pilot.pause()
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        # Either saved (the form is gone) or refused with its French messages shown.
        assert app.screen is not form or isinstance(app.screen, FormModal)


@pytest.mark.parametrize("form", FORMS)
@HOSTILE_SETTINGS
@given(text=HOSTILE)
def test_a_form_takes_any_text(make_demo_app, form, text):
    asyncio.run(fill_and_submit(make_demo_app(), FORMS[form], text))

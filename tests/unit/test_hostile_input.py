"""Whatever is typed or pasted into a date or free-text field, a service either succeeds or
refuses with a DomainError (a French message), never another exception; and what it hands
back holds no control character, whatever was typed.

Each example runs in a transaction rolled back at its end, so that the examples of one
test share the function-scoped fixtures without seeing each other's writes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cep_tui.services.dossiers import ComplementsInput, ContactInput
from cep_tui.services.errors import DomainError
from cep_tui.services.events import EventFilter
from cep_tui.services.views import CatalogueKind
from tests.factories import (
    TODAY,
    TOMORROW,
    cep_add_input,
    cep_modify_input,
    event_input,
    offer_input,
    proposal_input,
)
from tests.unit.support import rolled_back

HOSTILE_SAMPLES = (
    "",
    "   ",
    "x" * 10_000,
    "é" * 10_000,
    "\x00",
    "nul\x00au milieu",
    "\x1b[31mrouge\x1b[0m",
    "\x1b]0;titre\x07",
    "\x1b[2J\x1b[H",
    "[bold red]x[/]",
    "[link=file:///etc/passwd]clic[/link]",
    "[/]",
    "😀👩‍👩‍👧‍👦🇫🇷",
    "مرحبا بالعالم",
    "שלום עולם",
    "\u202eevil\u202c",
    "\u200b\ufeff\u00ad",
    "a\r\nb\tc\vd\fe\x85f\u2028g",
    "Robert'); DROP TABLE dossier;--",
    "% _ \\ * ? [a-z]",
    "ﬁ İ ß Œ Æ",
    "\ud800",
    "\udfff lone surrogate",
)

hostile_text = st.one_of(
    st.sampled_from(HOSTILE_SAMPLES),
    st.text(max_size=300),
    st.text(
        alphabet=st.characters(categories=["Cc", "Cf", "Cs", "Zl", "Zp", "Mn", "So"]),
        max_size=40,
    ),
)

DATE_TEXTS = (
    "29/11/2026",
    " 29/11/2026 ",
    "29/11/2026\n",
    "30/11/2026",
    "31/02/2026",
    "29/02/2025",
    "29/02/2024",
    "00/00/0000",
    "01/01/1899",
    "1/1/2026",
    "01-01-2026",
    "01.01.2026",
    "2026-11-29",
    "٢٩/١١/٢٠٢٦",
    "31/12/9999",
    "99/99/9999",
    "-1/-1/-1",
)
EXTREME_DATES = (
    dt.date.min,
    dt.date.max,
    dt.date(1899, 12, 31),
    dt.date(1900, 1, 1),
    dt.datetime.min,
    dt.datetime.max,
    TODAY,
    TOMORROW,
)

hostile_date = st.one_of(
    st.none(),
    st.sampled_from(EXTREME_DATES),
    st.sampled_from(DATE_TEXTS),
    st.dates(),
    st.datetimes(),
    st.dates(min_value=dt.date(1900, 1, 1)).map(lambda d: d.strftime("%d/%m/%Y")),
    hostile_text,
)

# Stored or returned text never carries these (tab and newline are kept in free text).
UNCLEAN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def assert_clean(value) -> None:
    """Every string reachable from a returned view is free of control characters."""
    if isinstance(value, str):
        assert not UNCLEAN.search(value), repr(value)
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            assert_clean(getattr(value, field.name))
    elif isinstance(value, tuple | list | frozenset):
        for item in value:
            assert_clean(item)


def succeeds_or_refuses(db, call) -> None:
    with rolled_back(db):
        try:
            result = call()
        except DomainError as refusal:
            assert isinstance(refusal.message, str) and refusal.message
            assert all(isinstance(m, str) and m for m in refusal.field_errors.values())
            return
        assert_clean(result)


PROPERTY = settings(max_examples=40)


DATE_SITES = {
    "cep.add entry_date": lambda s, a, w, v: s.cep.add(
        a, w.fresh_dossier.id, cep_add_input(entry_date=v)
    ),
    "cep.add initial_interview_date": lambda s, a, w, v: s.cep.add(
        a, w.fresh_dossier.id, cep_add_input(initial_interview_date=v)
    ),
    "cep.pass_to_phase_3": lambda s, a, w, v: s.cep.pass_to_phase_3(a, w.enrolment_id, v),
    "cep.close": lambda s, a, w, v: s.cep.close(a, w.enrolment_id, v, "deces"),
    "events.open": lambda s, a, w, v: s.events.open(
        a, w.fresh_dossier.id, event_input(w.counsellor.id, event_date=v)
    ),
    "events.list": lambda s, a, w, v: s.events.list(
        a, w.followed_dossier.id, EventFilter(date_from=v, date_to=v)
    ),
    "proposals.propose": lambda s, a, w, v: s.proposals.propose(
        a, w.followed_dossier.id, w.offer_id, proposal_input(proposed_on=v)
    ),
    "proposals.propose event_date": lambda s, a, w, v: s.proposals.propose(
        a, w.fresh_dossier.id, w.offer_id, proposal_input(event_input(a.id, event_date=v))
    ),
    "offers.create start_date": lambda s, a, w, v: s.offers.create(
        a, offer_input(w.counsellor.id, start_date=v)
    ),
    "offers.create end_date": lambda s, a, w, v: s.offers.create(
        a, offer_input(w.counsellor.id, end_date=v)
    ),
}


@pytest.mark.parametrize("site", DATE_SITES.values(), ids=list(DATE_SITES))
@PROPERTY
@given(value=hostile_date)
def test_any_date_is_accepted_or_refused(db, services, actor, world, site, value):
    succeeds_or_refuses(db, lambda: site(services, actor, world, value))


def offer_text(v):
    return {
        "name": v,
        "regional_service_act": v,
        "offer_type": v,
        "contract": v,
        "partner": v,
        "public": v,
        "prerequisites": v,
        "contact": v,
    }


TEXT_SITES = {
    "cep.add names": lambda s, a, w, v: s.cep.add(
        a, w.fresh_dossier.id, cep_add_input(prescriber_name=v, referent_name=v)
    ),
    "cep.add phase": lambda s, a, w, v: s.cep.add(a, w.fresh_dossier.id, cep_add_input(phase=v)),
    "cep.modify names": lambda s, a, w, v: s.cep.modify(
        a, w.enrolment_id, cep_modify_input(prescriber_name=v, referent_name=v)
    ),
    "cep.close exit_reason": lambda s, a, w, v: s.cep.close(a, w.enrolment_id, TODAY, v),
    "events.open comment": lambda s, a, w, v: s.events.open(
        a, w.fresh_dossier.id, event_input(w.counsellor.id, comment=v)
    ),
    "proposals.propose comment": lambda s, a, w, v: s.proposals.propose(
        a, w.followed_dossier.id, w.offer_id, proposal_input(comment=v)
    ),
    "offers.create texts": lambda s, a, w, v: s.offers.create(
        a, offer_input(w.counsellor.id, **offer_text(v))
    ),
    "offers.modify texts": lambda s, a, w, v: s.offers.modify(
        a, w.offer_id, offer_input(w.counsellor.id, **offer_text(v))
    ),
    "offers.create places and origin": lambda s, a, w, v: s.offers.create(
        a, offer_input(w.counsellor.id, places=v, origin=v)
    ),
    "dossiers.update_contact": lambda s, a, w, v: s.dossiers.update_contact(
        a, w.fresh_dossier.id, ContactInput(address=v, postal_code=v, city=v, phone=v, email=v)
    ),
    "dossiers.update_complements": lambda s, a, w, v: s.dossiers.update_complements(
        a, w.fresh_dossier.id, ComplementsInput(complementary_info=v, situation=v)
    ),
    "dossiers.search": lambda s, a, w, v: s.dossiers.search(a, v),
    "offers.search_catalogue internal": lambda s, a, w, v: s.offers.search_catalogue(
        a, v, CatalogueKind.INTERNAL
    ),
    "offers.search_catalogue dispositifs": lambda s, a, w, v: s.offers.search_catalogue(
        a, v, CatalogueKind.DISPOSITIFS
    ),
    "offers.list": lambda s, a, w, v: s.offers.list(a, v),
    "counsellors.sign_in": lambda s, a, w, v: s.counsellors.sign_in(v),
}


@pytest.mark.parametrize("site", TEXT_SITES.values(), ids=list(TEXT_SITES))
@PROPERTY
@given(value=hostile_text)
def test_any_text_is_accepted_or_refused(db, services, actor, world, site, value):
    succeeds_or_refuses(db, lambda: site(services, actor, world, value))


@pytest.mark.parametrize("text", HOSTILE_SAMPLES)
def test_stored_comment_is_the_cleaned_text(services, actor, world, text):
    """Control characters (ANSI escapes included) are dropped; markup stays plain text."""
    try:
        view = services.events.open(
            actor, world.fresh_dossier.id, event_input(world.counsellor.id, comment=text)
        )
    except DomainError as refusal:
        assert set(refusal.field_errors) == {"comment"}
        return
    assert not UNCLEAN.search(view.comment)
    assert len(view.comment) <= 255
    if text == "[bold red]x[/]":
        assert view.comment == "[bold red]x[/]"
    if text.startswith("\x1b[31m"):
        assert view.comment == "[31mrouge[0m"

"""The « Historique » of a dossier (issue 13, point 2), on both engines: who changed what,
when, before and after, newest first; within the counsellor's rights and structure."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cep_tui.services.dossiers import ContactInput
from cep_tui.services.errors import NotFound, PermissionDenied
from cep_tui.services.history_values import EMPTY, moment_text
from tests.factories import K, cep_add_input, cep_modify_input, event_input, ref_id


def test_the_history_says_who_changed_what_and_when(services, actor, dossier, counsellor, clock):
    services.events.open(actor, dossier.id, event_input(counsellor.id, comment="Premier"))
    services.dossiers.update_contact(actor, dossier.id, ContactInput(city="Ajaccio"))

    contact, event = services.dossier_history.history(actor, dossier.id).entries

    assert (contact.counsellor_name, contact.entity, contact.at) == (
        "Alice MARTIN",
        "dossier",
        clock.now(),
    )
    assert [(c.field, c.before, c.after) for c in contact.changes] == [("city", "", "Ajaccio")]
    assert event.action == "Ouverture d'évènement" and not event.erased
    assert ("comment", None, "Premier") in [(c.field, c.before, c.after) for c in event.changes]


def test_the_history_is_for_who_may_consult_the_dossier(
    services, actor, dossier, outsider_actor, actor_with
):
    services.dossiers.update_contact(actor, dossier.id, ContactInput(city="Bastia"))
    # Another structure's dossier reads as a missing one (no existence oracle).
    with pytest.raises(NotFound, match=r"^Dossier introuvable dans votre structure\."):
        services.dossier_history.history(outsider_actor, dossier.id)
    with pytest.raises(NotFound, match=r"^Dossier introuvable dans votre structure\."):
        services.dossier_history.history(actor, 10**9)
    with pytest.raises(
        PermissionDenied,
        match="il vous manque le droit « Consulter les informations d'un dossier »",
    ):
        services.dossier_history.history(actor_with(frozenset()), dossier.id)


def changes_by_label(entry) -> dict[str, tuple[str, str]]:
    return {c.label: (c.before_text, c.after_text) for c in entry.changes}


def test_each_change_reads_as_its_form_says_it(services, actor, dossier):
    """Labels of the forms, reference values by their label, dates in French, the empty
    value as a dash; the row's ids and bookkeeping left out."""
    added = services.cep.add(
        actor, dossier.id, cep_add_input(entry_date="02/11/2026", prescriber_name="")
    )
    services.cep.modify(actor, added.id, cep_modify_input(), added.version)

    modified, creation = services.dossier_history.history(actor, dossier.id).entries

    assert modified.action == "Modification du dispositif CEP"
    assert changes_by_label(modified) == {
        "Aiguilleur": ("Mission Locale", "APEC"),
        "Motif de la sollicitation": ("Reconversion", "Rechercher une formation"),
        "Nom du prescripteur": (EMPTY, "Mme Prescriptrice"),
        "Nom du référent": (EMPTY, "M. Référent"),
        "Type de projet": (EMPTY, "Qualification"),
    }
    created = changes_by_label(creation)
    assert created["Date d'entrée"] == (EMPTY, "02/11/2026")
    assert created["Statut"] == (EMPTY, "En cours")
    assert created["Phases"] == (EMPTY, "phase 2 depuis le 02/11/2026")
    assert {c.field for c in creation.changes}.isdisjoint(
        {"id", "dossier", "dispositif", "version", "created_by", "updated_at"}
    )


def test_an_event_names_its_values(services, actor, dossier, counsellor):
    services.events.open(actor, dossier.id, event_input(counsellor.id, comment="Premier"))
    (opened,) = services.dossier_history.history(actor, dossier.id).entries
    changes = changes_by_label(opened)
    assert changes["Intervenant"] == (EMPTY, "Alice MARTIN")
    assert changes["Nature"] == (EMPTY, "Entretien individuel")
    assert changes["Venu sans rendez-vous"] == (EMPTY, "non")
    assert ref_id(K.NATURE, "Entretien individuel") in {c.after for c in opened.changes}


def test_the_most_recent_first_and_how_many_there_are(services, actor, dossier):
    for city in ("Ajaccio", "Bastia", "Corte"):
        services.dossiers.update_contact(actor, dossier.id, ContactInput(city=city))
    history = services.dossier_history.history(actor, dossier.id, limit=2)
    assert history.total == 3
    assert [changes_by_label(e)["Commune"] for e in history.entries] == [
        ("Bastia", "Corte"),
        ("Ajaccio", "Bastia"),
    ]


@given(st.dates(min_value=dt.date(1900, 1, 1)))
def test_an_iso_date_reads_in_french(day):
    assert moment_text(day.isoformat()) == day.strftime("%d/%m/%Y")


@given(st.text(max_size=30))
def test_any_other_text_is_shown_as_it_is_or_as_a_date(text):
    shown = moment_text(text)
    assert shown == text or shown.count("/") == 2


def test_an_entry_erased_by_the_retention_says_so_and_keeps_no_value(services, actor, dossier):
    """The retention replaces a record's personal values (services/audit.erase_values):
    the entry keeps who, when and what, says its values were erased, and the section
    shows that sentence in place of « avant → après »."""
    from rich.console import Console

    from cep_tui.db.models import AuditRecord
    from cep_tui.services import audit
    from cep_tui.services.retention import ERASED
    from cep_tui.ui.widgets.history_section import ERASED as ERASED_SENTENCE
    from cep_tui.ui.widgets.history_section import entry_view

    services.dossiers.update_contact(actor, dossier.id, ContactInput(city="Porto-Vecchio"))
    record = AuditRecord.select().order_by(AuditRecord.id.desc()).get()
    audit.erase_values(record, frozenset({"city"}), ERASED, dt.datetime(2040, 1, 1))

    (entry, *_) = services.dossier_history.history(actor, dossier.id).entries
    assert entry.erased and entry.counsellor_name == "Alice MARTIN"
    console = Console(width=80, record=True, file=io.StringIO())
    console.print(entry_view(entry))
    shown = console.export_text()
    assert ERASED_SENTENCE.split(" :")[0] in shown and "Porto-Vecchio" not in shown

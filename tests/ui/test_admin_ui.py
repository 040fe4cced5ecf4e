"""The administration, keyboard only at 80×24 on the demonstration data: the reference
lists (add, rename, deactivate, reactivate, delete an unused value; national values fixed;
a deactivated value leaves the forms and stays on records) and the counsellors (create,
rights, deactivate, reactivate; never oneself); read-only without the right."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Static

from cep_tui.db.models import Event, ReferenceValue
from cep_tui.services.administration import (
    LOGIN_FORMAT,
    NOT_ONESELF_ADMINISTER,
    NOT_ONESELF_DEACTIVATE,
    national_list_refusal,
    national_refusal,
)
from cep_tui.services.errors import NotFound
from cep_tui.ui.modals.admin_forms import (
    CounsellorFormModal,
    ReferenceValueModal,
    RightCheckbox,
    RightsFormModal,
)
from cep_tui.ui.modals.confirm import ConfirmModal
from cep_tui.ui.screens.admin import AdminScreen
from cep_tui.ui.widgets.admin_panels import CounsellorPanel, ReferencePanel
from cep_tui.vocabulary import ReferenceKind, Right
from tests.ui.pilot_keys import (
    error_under,
    footer_keys,
    open_from_home,
    submit,
    submit_refused,
    top_error,
    type_into,
    until,
    widget_of,
)

SIZE = (80, 24)
ADMIN_REFUSAL = "Action refusée : il vous manque le droit « Administrer la structure »."
KINDS = list(ReferenceKind)


async def open_admin(pilot) -> AdminScreen:
    return await open_from_home(pilot, "f3", AdminScreen, "#admin-nav")


async def focus_nav(pilot, screen: AdminScreen) -> None:
    nav = screen.query_one("#admin-nav")
    nav.focus()
    await until(pilot, lambda: pilot.app.focused is nav)


async def open_list(pilot, screen: AdminScreen, kind: ReferenceKind) -> ReferencePanel:
    """From the navigation: Home, down to the list, Enter puts the focus in its table."""
    await focus_nav(pilot, screen)
    await pilot.press("home", *["down"] * KINDS.index(kind), "enter")
    await pilot.pause()
    panel = screen.query_one(ReferencePanel)
    assert panel.kind is kind
    assert pilot.app.focused is panel.query_one(DataTable)
    return panel


async def open_counsellors(pilot, screen: AdminScreen) -> CounsellorPanel:
    await focus_nav(pilot, screen)
    await pilot.press("end", "up", "enter")  # just above the last entry, the journal
    await pilot.pause()
    panel = screen.query_one(CounsellorPanel)
    assert pilot.app.focused is panel.query_one(DataTable)
    return panel


async def move_to(pilot, panel, predicate) -> None:
    """Arrows until the highlighted row is the one wanted."""
    await pilot.press("ctrl+home")
    for _ in range(len(panel.entries)):
        if predicate(panel.current):
            return
        await pilot.press("down")
    assert predicate(panel.current)


def labels(app, kind: ReferenceKind) -> list[str]:
    return [v.label for v in app.services.references.choices(app.actor, kind)]


# -- reference lists -------------------------------------------------------------------
async def test_add_rename_deactivate_reactivate_delete_a_value(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_admin(pilot)
        panel = await open_list(pilot, screen, ReferenceKind.RECEPTION_PLACE)
        title = str(screen.query_one("#reference-title", Static).render())
        assert title == "LISTE : LIEU D'ACCUEIL"
        assert footer_keys(screen)["Ajouter une valeur"] is True

        # Add: an existing label (accents and case aside) is refused under the field.
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, ReferenceValueModal))
        form = app.screen
        await submit(pilot)
        assert error_under(form, "label") == "Libellé : ce champ est obligatoire."
        await type_into(pilot, form, "label", "SIÈGE")
        await submit(pilot)
        assert error_under(form, "label") == (
            "Libellé : « Siège » existe déjà dans la liste « Lieu d'accueil »."
        )
        await type_into(pilot, form, "label", "Visio")
        await submit(pilot)
        await until(pilot, lambda: app.screen is screen)
        assert panel.current.label == "Visio" and panel.current.usage == 0
        assert labels(app, ReferenceKind.RECEPTION_PLACE)[-1] == "Visio"

        # Rename.
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, ReferenceValueModal))
        form = app.screen
        assert widget_of(form, "label").value == "Visio"
        await type_into(pilot, form, "label", "Visioconférence")
        await submit(pilot)
        await until(pilot, lambda: app.screen is screen)
        assert panel.current.label == "Visioconférence"

        # Deactivate: out of the forms; "d" now reactivates.
        assert footer_keys(screen)["Désactiver"] is True
        await pilot.press("d")
        await pilot.pause()
        assert not panel.current.active
        assert "Visioconférence" not in labels(app, ReferenceKind.RECEPTION_PLACE)
        assert "Réactiver" in footer_keys(screen) and "Désactiver" not in footer_keys(screen)
        table = panel.query_one(DataTable)
        assert str(table.get_row_at(table.cursor_row)[1]) == "Désactivée"
        await pilot.press("d")
        await pilot.pause()
        assert panel.current.active
        assert "Visioconférence" in labels(app, ReferenceKind.RECEPTION_PLACE)

        # Delete the unused value, after confirmation.
        assert footer_keys(screen)["Supprimer"] is True
        await pilot.press("delete")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("o")
        await until(pilot, lambda: app.screen is screen)
        await pilot.pause()
        assert "Visioconférence" not in [e.label for e in panel.entries]

        # A used value cannot be deleted: the key is greyed and says why.
        await move_to(pilot, panel, lambda e: e.label == "Siège")
        assert panel.current.in_use
        assert footer_keys(screen)["Supprimer"] is False
        assert screen.action_refusal("delete_value").startswith(
            f"« Siège » est utilisée par {panel.current.usage} enregistrements"
        )
        await pilot.press("delete")
        await pilot.pause()
        assert app.screen is screen


async def test_national_values_are_fixed(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_admin(pilot)
        panel = await open_list(pilot, screen, ReferenceKind.CONTEXT)
        assert (panel.current.label, panel.current.code) == ("CEP", "CEP")
        table = panel.query_one(DataTable)
        assert str(table.get_row_at(0)[1]) == "Nationale"
        keys = footer_keys(screen)
        assert (keys["Renommer"], keys["Désactiver"], keys["Supprimer"]) == (False,) * 3
        assert screen.action_refusal("rename_value") == national_refusal(panel.current)
        await pilot.press("m", "d", "delete")
        await pilot.pause()
        assert app.screen is screen and panel.current.active
        assert labels(app, ReferenceKind.CONTEXT)[0] == "CEP"


async def test_a_value_held_a_thousand_times_reads_at_least_1_000(make_demo_app):
    """The count stops at 1 000: the list reads "≥ 1 000" (whole, its column widened), the
    refusal to delete it and the rename form "au moins 1 000"."""
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_admin(pilot)
        antenne = ReferenceValue.get(
            (ReferenceValue.kind == ReferenceKind.RECEPTION_PLACE.value)
            & (ReferenceValue.structure == app.actor.structure_id)
            & (ReferenceValue.label == "Antenne")
        )
        event = Event.select().where(Event.reception_place == antenne).first()
        row = {name: value for name, value in event.__data__.items() if name != "id"}
        for _ in range(10):
            Event.insert_many([row] * 100).execute()

        panel = await open_list(pilot, screen, ReferenceKind.RECEPTION_PLACE)
        await move_to(pilot, panel, lambda e: e.label == "Antenne")
        table = panel.query_one(DataTable)
        assert str(table.get_row_at(table.cursor_row)[2]) == "≥ 1\u202f000"
        shown = [table.render_line(y).text for y in range(table.size.height)]
        (line,) = [text for text in shown if "Antenne" in text]
        other = next(text for text in shown if "Siège" in text)
        assert line.rstrip().endswith("Active      ≥ 1\u202f000")
        # Whole, and right-aligned with the other counts and the column's title.
        assert shown[0].rstrip().endswith(" Usages")
        assert len(shown[0].rstrip()) == len(line.rstrip()) == len(other.rstrip())
        assert screen.action_refusal("delete_value").startswith(
            "« Antenne » est utilisée par au moins 1\u202f000 enregistrements : elle ne peut "
            "pas être supprimée."
        )

        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, ReferenceValueModal))
        note = str(app.screen.query_one(".form-note", Static).render())
        assert note == (
            "Utilisée par au moins 1\u202f000 enregistrements : le nouveau libellé s'y affichera."
        )


async def test_a_national_list_is_read_only_here(make_demo_app):
    """No structure changes a national list (issue 13): its keys are greyed and say why;
    its values show their uses in the structure."""
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_admin(pilot)
        panel = await open_list(pilot, screen, ReferenceKind.THEME)
        keys = footer_keys(screen)
        assert (keys["Ajouter une valeur"], keys["Renommer"], keys["Désactiver"]) == (False,) * 3
        assert screen.action_refusal("add_value") == national_list_refusal(ReferenceKind.THEME)
        before = labels(app, ReferenceKind.THEME)
        await pilot.press("n", "u", "d", "delete")
        await pilot.pause()
        assert app.screen is screen and labels(app, ReferenceKind.THEME) == before
        assert any(entry.in_use for entry in panel.entries)


# -- counsellors -----------------------------------------------------------------------
async def test_create_a_counsellor_and_grant_rights(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        services = app.services
        screen = await open_admin(pilot)
        panel = await open_counsellors(pilot, screen)
        assert [e.login for e in panel.entries] == ["m.bernard", "c.dupont", "l.petit"]
        rights = str(screen.query_one("#counsellor-rights", Static).render())
        assert rights.startswith("Droits de Marc BERNARD (m.bernard)")
        assert "✗ Gérer des offres de service" in rights

        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, CounsellorFormModal))
        form = app.screen
        await type_into(pilot, form, "login", "A Santoni")
        await type_into(pilot, form, "first_name", "Anna")
        await type_into(pilot, form, "last_name", "Santoni")
        await submit(pilot)
        assert error_under(form, "login") == LOGIN_FORMAT
        await type_into(pilot, form, "login", "l.petit")
        await submit(pilot)
        assert error_under(form, "login") == "Identifiant : « l.petit » est déjà utilisé."
        await type_into(pilot, form, "login", "a.santoni")
        # The follow-up rights come ticked; tick "Gérer des offres de service" too.
        offers_box = form.query_one(f"#right-{Right.MANAGE_OFFERS.value}", RightCheckbox)
        first_box = form.query(RightCheckbox).first()
        first_box.focus()
        await pilot.press("down", "down", "down", "down")
        assert app.focused is offers_box
        await pilot.press("space")
        await submit(pilot)
        await until(pilot, lambda: app.screen is screen)
        assert panel.current.login == "a.santoni"
        created = services.counsellors.sign_in("a.santoni")
        assert created.rights == {
            Right.VIEW_DOSSIER,
            Right.EDIT_DOSSIER,
            Right.EVENTS,
            Right.PROPOSE_CEP,
            Right.MANAGE_OFFERS,
        }

        # Withdraw a right from Marc BERNARD.
        await move_to(pilot, panel, lambda e: e.login == "m.bernard")
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, RightsFormModal))
        form = app.screen
        assert app.focused is form.query(RightCheckbox).first()
        await pilot.press("down", "down", "space")  # Événements
        await submit(pilot)
        await until(pilot, lambda: app.screen is screen)
        marc = services.counsellors.sign_in("m.bernard")
        assert Right.EVENTS not in marc.rights and Right.VIEW_DOSSIER in marc.rights
        assert (
            str(panel.query_one(DataTable).get_row_at(panel.query_one(DataTable).cursor_row)[3])
            == "CM·P···"
        )


async def test_never_ones_own_administer_right_nor_account(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_admin(pilot)
        panel = await open_counsellors(pilot, screen)
        await move_to(pilot, panel, lambda e: e.login == "c.dupont")
        assert footer_keys(screen)["Désactiver"] is False
        assert screen.action_refusal("deactivate_counsellor") == NOT_ONESELF_DEACTIVATE
        await pilot.press("d")
        await pilot.pause()
        assert app.screen is screen

        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, RightsFormModal))
        form = app.screen
        await pilot.press(*["down"] * 5, "space")  # Administrer la structure
        await submit_refused(pilot, form)
        assert error_under(form, "rights") == NOT_ONESELF_ADMINISTER
        # One's own other rights may change, and the keys follow at once.
        assert app.focused is form.query(RightCheckbox).first()  # the invalid field
        await pilot.press(*["down"] * 5, "space", "up", "space")  # admin back, offers off
        await submit(pilot)
        await until(pilot, lambda: app.screen is screen)
        assert not app.actor.can(Right.MANAGE_OFFERS) and app.actor.can(Right.ADMINISTER)


async def test_deactivate_then_reactivate_a_counsellor(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        services = app.services
        screen = await open_admin(pilot)
        panel = await open_counsellors(pilot, screen)
        await move_to(pilot, panel, lambda e: e.login == "l.petit")
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("n")  # changed one's mind
        await until(pilot, lambda: app.screen is screen)
        assert panel.current.active
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("o")
        await until(pilot, lambda: app.screen is screen)
        await pilot.pause()
        assert not panel.current.active
        with pytest.raises(NotFound):
            services.counsellors.sign_in("l.petit")
        assert "Laure PETIT" not in [
            c.display_name for c in services.references.counsellors(app.actor)
        ]
        assert "Réactiver" in footer_keys(screen)
        await pilot.press("d")
        await pilot.pause()
        assert panel.current.active
        assert services.counsellors.sign_in("l.petit").login == "l.petit"


# -- without the right ----------------------------------------------------------------
async def test_without_the_right_the_administration_only_reads(make_demo_app):
    app = make_demo_app("m.bernard")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_admin(pilot)
        title = str(screen.query_one("#admin-title", Static).render())
        assert title.endswith("— consultation seule")
        panel = await open_list(pilot, screen, ReferenceKind.NATURE)
        assert panel.entries
        keys = footer_keys(screen)
        assert not any(keys[k] for k in ("Ajouter une valeur", "Renommer", "Désactiver"))
        reason = "Il vous manque le droit « Administrer la structure »."
        assert screen.action_refusal("add_value") == reason
        await pilot.press("n", "m", "d", "delete")
        await pilot.pause()
        assert app.screen is screen

        counsellors = await open_counsellors(pilot, screen)
        assert counsellors.entries
        assert footer_keys(screen)["Nouveau conseiller"] is False
        assert screen.action_refusal("edit_rights") == reason

        # A form reached anyway: the service refuses, naming the right.
        form = ReferenceValueModal(ReferenceKind.NATURE)
        app.push_screen(form)
        await until(pilot, lambda: app.screen is form)
        await pilot.pause()
        await pilot.press(*"Visio")
        await submit(pilot)
        assert top_error(form) == ADMIN_REFUSAL
        assert "Visio" not in labels(app, ReferenceKind.NATURE)

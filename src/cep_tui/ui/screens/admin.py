"""Administration of the structure: on the left the reference lists, the counsellors and the
access journal, on the right the chosen one. With the right "Administrer la structure" a
value is added, renamed, deactivated, reactivated or (unused) deleted, a counsellor
created, deactivated, reactivated or given rights, and the journal of the dossiers'
consultations read; without it the lists show read-only, the greyed keys say why (`?`),
and the journal says the service's refusal. The services check everything again."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import ContentSwitcher, DataTable, Header, Input, OptionList, Static

from cep_tui.services.administration import (
    NOT_ONESELF_DEACTIVATE,
    CounsellorEntry,
    ReferenceEntry,
    in_use_refusal,
    national_list_refusal,
    national_refusal,
)
from cep_tui.services.errors import DomainError
from cep_tui.ui.inert import inert
from cep_tui.ui.refusals import refusal_for
from cep_tui.ui.widgets.access_journal_panel import AccessJournalPanel
from cep_tui.ui.widgets.admin_panels import AdminPanel, CounsellorPanel, ReferencePanel
from cep_tui.ui.widgets.footer import KeysFooter
from cep_tui.ui.widgets.section_nav import NavSection, SectionNav
from cep_tui.ui.writes import write_off_thread
from cep_tui.vocabulary import ReferenceKind, Right, is_local

COUNSELLORS, JOURNAL = "counsellors", "access-journal"  # the sections that are no list
ADMIN_SECTIONS: tuple[NavSection, ...] = (
    *(NavSection(kind.value, kind.label, "LISTES DE RÉFÉRENCE") for kind in ReferenceKind),
    NavSection(COUNSELLORS, "Conseillers", "STRUCTURE"),
    NavSection(JOURNAL, "Journal des accès", "STRUCTURE"),
)
REFERENCE_ACTIONS = {
    "add_value",
    "rename_value",
    "deactivate_value",
    "reactivate_value",
    "delete_value",
}
COUNSELLOR_ACTIONS = {
    "new_counsellor",
    "edit_rights",
    "deactivate_counsellor",
    "reactivate_counsellor",
}
JOURNAL_ACTIONS = {"filter"}
PANEL_ACTIONS = REFERENCE_ACTIONS | COUNSELLOR_ACTIONS | JOURNAL_ACTIONS  # greyed with a reason


class AdminScreen(Screen[None]):
    # Keys of both panels; check_action hides those of the panel not shown.
    BINDINGS = [
        Binding("n", "add_value", "Ajouter une valeur"),
        Binding("m", "rename_value", "Renommer"),
        Binding("d", "deactivate_value", "Désactiver"),
        Binding("d", "reactivate_value", "Réactiver"),
        Binding("delete", "delete_value", "Supprimer", key_display="Suppr"),
        Binding("n", "new_counsellor", "Nouveau conseiller"),
        Binding("m", "edit_rights", "Modifier les droits"),
        Binding("d", "deactivate_counsellor", "Désactiver"),
        Binding("d", "reactivate_counsellor", "Réactiver"),
        Binding("slash", "filter", "Filtrer", key_display="/"),
        Binding("r", "retry", "Réessayer"),
        Binding("escape", "back", "Retour", key_display="Échap", show=False),
    ]
    AUTO_FOCUS = "#admin-nav"

    def __init__(self) -> None:
        super().__init__()
        self.current = ReferenceKind.THEME.value

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        yield Static("", id="admin-title")
        with Horizontal(id="admin-body"):
            yield SectionNav(ADMIN_SECTIONS, digits=False, id="admin-nav")
            with ContentSwitcher(initial="references", id="admin-panels"):
                yield ReferencePanel(id="references")
                yield CounsellorPanel(id=COUNSELLORS)
                yield AccessJournalPanel(id=JOURNAL)
        yield KeysFooter(compact=True)

    def on_mount(self) -> None:
        actor = self.app.actor
        title = Text.assemble(("ADMINISTRATION", "bold"), inert(f" — {actor.structure_name}"))
        if not actor.can(Right.ADMINISTER):
            title.append(" — consultation seule", style="italic")
        self.query_one("#admin-title", Static).update(title)
        self.show_section(self.current, focus=False)

    @property
    def references(self) -> ReferencePanel:
        return self.query_one(ReferencePanel)

    @property
    def counsellors(self) -> CounsellorPanel:
        return self.query_one(CounsellorPanel)

    @property
    def journal(self) -> AccessJournalPanel:
        return self.query_one(AccessJournalPanel)

    @property
    def on_a_list(self) -> bool:
        return self.current not in (COUNSELLORS, JOURNAL)

    def panel_of(self, section_id: str) -> AdminPanel:
        if section_id == COUNSELLORS:
            return self.counsellors
        return self.journal if section_id == JOURNAL else self.references

    # -- navigation ----------------------------------------------------------------------
    def show_section(self, section_id: str, *, focus: bool) -> None:
        self.current = section_id
        self.query_one(SectionNav).highlight_section(section_id)
        panel = self.panel_of(section_id)
        self.query_one(ContentSwitcher).current = panel.id
        try:
            if panel is self.counsellors:
                self.counsellors.load()
            elif panel is self.journal:
                self.journal.load()  # off the UI thread: shown when read
            else:
                self.references.load(ReferenceKind(section_id))
        except DomainError as error:
            self.app.notify(error.message, severity="error", markup=False)
        self.refresh_bindings()
        if focus:
            panel.focus_content()

    @on(OptionList.OptionHighlighted, "#admin-nav")
    def on_nav_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_id and event.option_id != self.current:
            self.show_section(event.option_id, focus=False)

    @on(OptionList.OptionSelected, "#admin-nav")
    def on_nav_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_id:
            self.show_section(event.option_id, focus=True)

    @on(DataTable.RowHighlighted)
    def on_row_highlighted(self) -> None:
        if self.current == COUNSELLORS:
            self.counsellors.show_rights()
        self.refresh_bindings()

    def action_retry(self) -> None:
        if self.current == JOURNAL and self.journal.fault is not None:
            self.journal.load()

    def action_filter(self) -> None:
        self.journal.focus_filter()

    def action_back(self) -> None:
        if isinstance(self.focused, DataTable | Input):
            self.query_one(SectionNav).focus()
            return
        self.app.pop_screen()

    # -- keys: offered by the panel shown, greyed with the reason -----------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":  # offered only after the journal's read failed
            return self.current == JOURNAL and self.journal.fault is not None
        if not self.offered_here(action):
            return False
        value, person = self.references.current, self.counsellors.current
        if action == "deactivate_value" and value is not None and not value.active:
            return False
        if action == "reactivate_value" and (value is None or value.active):
            return False
        if action == "deactivate_counsellor" and person is not None and not person.active:
            return False
        if action == "reactivate_counsellor" and (person is None or person.active):
            return False
        if action in PANEL_ACTIONS and self.action_refusal(action):
            return None
        return True

    def offered_here(self, action: str) -> bool:
        """Whether the panel shown offers `action` (each panel has its own keys)."""
        if action in REFERENCE_ACTIONS:
            return self.on_a_list
        if action in COUNSELLOR_ACTIONS:
            return self.current == COUNSELLORS
        if action in JOURNAL_ACTIONS:
            return self.current == JOURNAL
        return True

    def action_refusal(self, action: str) -> str | None:
        """Why a greyed key cannot be used (read by the keys help)."""
        if action in JOURNAL_ACTIONS and self.offered_here(action):
            return refusal_for(self.app.actor, Right.ADMINISTER) or self.journal.refusal
        if action not in REFERENCE_ACTIONS | COUNSELLOR_ACTIONS or not self.offered_here(action):
            return None
        missing = refusal_for(self.app.actor, Right.ADMINISTER)
        if missing:
            return missing
        if action in REFERENCE_ACTIONS:
            kind = ReferenceKind(self.current)
            if not is_local(kind):
                return national_list_refusal(kind)
        if action in REFERENCE_ACTIONS - {"add_value"}:
            value = self.references.current
            if value is None:
                return "Aucune valeur dans cette liste."
            if value.national:
                return national_refusal(value)
            if action == "delete_value" and value.in_use:
                return in_use_refusal(value.label, value.usage)
        if action in COUNSELLOR_ACTIONS - {"new_counsellor"}:
            person = self.counsellors.current
            if person is None:
                return "Aucun conseiller."
            if action == "deactivate_counsellor" and person.id == self.app.actor.id:
                return NOT_ONESELF_DEACTIVATE
        return None

    # -- reference lists -----------------------------------------------------------------
    def _value_saved(self, message: str):
        def done(entry: ReferenceEntry | None) -> None:
            if entry is not None:
                self._reload(lambda: self.references.load(entry.kind, keep_id=entry.id))
                self.refresh_bindings()
                self.app.notify(message.format(label=entry.label), markup=False)

        return done

    def action_add_value(self) -> None:
        from cep_tui.ui.modals.admin_forms import ReferenceValueModal

        kind = self.references.kind
        self.app.push_screen(ReferenceValueModal(kind), self._value_saved("« {label} » ajoutée."))

    def action_rename_value(self) -> None:
        from cep_tui.ui.modals.admin_forms import ReferenceValueModal

        value = self.references.current
        if value is not None:
            self.app.push_screen(
                ReferenceValueModal(value.kind, value), self._value_saved("Renommée « {label} ».")
            )

    def _set_value_active(self, active: bool) -> None:
        value = self.references.current
        if value is None:
            return
        self.write(
            lambda: self.app.services.administration.set_reference_active(
                self.app.actor, value.id, active
            ),
            f"« {value.label} » {'réactivée' if active else 'désactivée'}.",
        )

    def action_deactivate_value(self) -> None:
        self._set_value_active(False)

    def action_reactivate_value(self) -> None:
        self._set_value_active(True)

    def action_delete_value(self) -> None:
        from cep_tui.ui.modals.confirm import ConfirmModal

        value = self.references.current
        if value is None:
            return

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.write(
                    lambda: self.app.services.administration.delete_reference(
                        self.app.actor, value.id
                    ),
                    f"« {value.label} » supprimée.",
                )

        question = (
            f"Supprimer définitivement « {value.label} » de la liste « {value.kind.label} » ? "
            "Aucun enregistrement ne l'utilise."
        )
        self.app.push_screen(
            ConfirmModal("Supprimer une valeur", question, confirm_label="Supprimer"), answered
        )

    # -- counsellors ------------------------------------------------------------------------
    def _counsellor_saved(self, message: str):
        def done(entry: CounsellorEntry | None) -> None:
            if entry is not None:
                self._reload(lambda: self.counsellors.load(keep_id=entry.id))
                self._reload(lambda: self._refresh_actor(entry))
                self.refresh_bindings()
                self.app.notify(message.format(name=entry.display_name), markup=False)

        return done

    def _refresh_actor(self, entry: CounsellorEntry) -> None:
        """One's own rights changed: the keys of every screen follow at once."""
        app = self.app
        if entry.id == app.actor.id:
            app.actor = app.services.counsellors.sign_in(app.actor.login)

    def action_new_counsellor(self) -> None:
        from cep_tui.ui.modals.admin_forms import CounsellorFormModal

        self.app.push_screen(CounsellorFormModal(), self._counsellor_saved("{name} créé(e)."))

    def action_edit_rights(self) -> None:
        from cep_tui.ui.modals.admin_forms import RightsFormModal

        person = self.counsellors.current
        if person is not None:
            self.app.push_screen(
                RightsFormModal(person), self._counsellor_saved("Droits de {name} enregistrés.")
            )

    def _set_counsellor_active(self, active: bool) -> None:
        from cep_tui.ui.modals.confirm import ConfirmModal

        person = self.counsellors.current
        if person is None:
            return

        def run() -> None:
            self.write(
                lambda: self.app.services.administration.set_counsellor_active(
                    self.app.actor, person.id, active
                ),
                f"Compte de {person.display_name} {'réactivé' if active else 'désactivé'}.",
            )

        if active:
            run()
            return
        question = (
            f"Désactiver le compte de {person.display_name} ({person.login}) ? Il ne pourra "
            "plus se connecter ni être choisi dans les formulaires ; ses enregistrements restent."
        )
        self.app.push_screen(
            ConfirmModal("Désactiver un conseiller", question, confirm_label="Désactiver"),
            lambda confirmed: run() if confirmed else None,
        )

    def action_deactivate_counsellor(self) -> None:
        self._set_counsellor_active(False)

    def action_reactivate_counsellor(self) -> None:
        self._set_counsellor_active(True)

    # -- one write, its confirmation or its refusal ---------------------------------------
    def write(self, call, confirmation: str) -> None:
        write_off_thread(
            self,
            call,
            lambda result: self._written(result, confirmation),
            lambda error: self.app.notify(error.message, severity="error", markup=False),
        )

    def _written(self, result, confirmation: str) -> None:
        keep_id = getattr(result, "id", None)
        if self.current == COUNSELLORS:
            self._reload(lambda: self.counsellors.load(keep_id=keep_id))
        else:
            self._reload(lambda: self.references.load(self.references.kind, keep_id=keep_id))
        self.refresh_bindings()
        self.app.notify(confirmation, markup=False)

    def _reload(self, load) -> None:
        """Read a list again after a write: a database fault then is told (the write is
        done, only the list is not yet up to date)."""
        try:
            load()
        except DomainError as error:
            self.app.notify(error.message, severity="error", markup=False)

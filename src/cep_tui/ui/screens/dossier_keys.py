"""The keys of a young person's dossier (DossierScreen's): offered in the sections where
they make sense, greyed with the reason when a right is missing or the dossier is
anonymised, and what each opens — the CEP, an event, the edit forms, the catalogue, the
young person's documents. The rules stay the services': a key only asks them, then shows
their view or their refusal."""

from __future__ import annotations

from textual import work

from cep_tui.services.dates import format_date
from cep_tui.services.errors import DomainError
from cep_tui.services.events import EVENT_ALREADY_OPEN
from cep_tui.services.retention import ANONYMISED_LABEL
from cep_tui.ui.refusals import missing_right
from cep_tui.ui.widgets.dispositifs_section import CEP_ADDED
from cep_tui.ui.widgets.dossier_sections import DossierChanged
from cep_tui.ui.writes import write_off_thread
from cep_tui.vocabulary import Right

# Where the dossier's keys are offered (hidden elsewhere, to keep the footer short).
ACTION_SECTIONS = {
    "add_cep": {"dispositifs"},
    "new_event": {"evenements"},
    "close_event": {"evenements"},
    "edit": {"identite", "coordonnees", "complements"},
    "document_synthesis": {"synthese"},
    "document_copy": {"synthese"},
}
# The right each of those keys needs (the services check it again).
ACTION_RIGHTS = {
    "add_cep": Right.PROPOSE_CEP,
    "new_event": Right.EVENTS,
    "close_event": Right.EVENTS,
    "edit": Right.EDIT_DOSSIER,
    "document_copy": Right.EDIT_DOSSIER,
}
NO_EVENT_IN_PROGRESS = "Aucun évènement n'est en cours sur ce dossier."


class DossierKeys:
    """The dossier's key actions, mixed into DossierScreen (which gives `services`,
    `actor`, `dossier`, `dossier_id`, `current`, `fault`, `built_section` and `after`)."""

    # -- keys: offered where they make sense, greyed with the missing right -----------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":  # offered only after a read failed
            section = self.built_section(self.current)
            return self.fault is not None or (section is not None and section.fault is not None)
        sections = ACTION_SECTIONS.get(action)
        if sections is not None and self.current not in sections:
            return False
        return None if self.action_refusal(action) else True

    def action_refusal(self, action: str) -> str | None:
        """Why a greyed key cannot be used (read by the keys help)."""
        if self.dossier is not None and self.dossier.anonymised and action in ACTION_SECTIONS:
            return f"{ANONYMISED_LABEL} : plus rien n'y est ajouté ni produit."
        right = ACTION_RIGHTS.get(action)
        if right is not None and not self.actor.can(right):
            return missing_right(right)
        return None

    def refuse(self, error: DomainError) -> None:
        self.app.notify(error.message, severity="warning", markup=False)

    def action_add_cep(self) -> None:
        try:
            self.services.cep.check_can_add(self.actor, self.dossier_id)
        except DomainError as error:
            self.refuse(error)
            return
        from cep_tui.ui.modals.cep_add import CepAddModal

        self.app.push_screen(CepAddModal(self.dossier_id), self.after(CEP_ADDED))

    def action_new_event(self) -> None:
        try:
            current = self.services.events.in_progress(self.actor, self.dossier_id)
        except DomainError as error:
            self.refuse(error)
            return
        if current is not None:
            self.app.notify(EVENT_ALREADY_OPEN, severity="warning", markup=False)
            return
        from cep_tui.ui.modals.event_form import EventFormModal

        self.app.push_screen(EventFormModal(self.dossier_id), self.after("Évènement créé."))

    def action_close_event(self) -> None:
        from cep_tui.ui.modals.confirm import ConfirmModal

        try:
            current = self.services.events.in_progress(self.actor, self.dossier_id)
        except DomainError as error:
            self.refuse(error)
            return
        if current is None:
            self.app.notify(NO_EVENT_IN_PROGRESS, severity="warning", markup=False)
            return

        def answered(confirmed: bool | None) -> None:
            if not confirmed:
                return
            write_off_thread(
                self,
                lambda: self.services.events.close(self.actor, current.id),
                lambda _: self.post_message(DossierChanged("Évènement clôturé.")),
                lambda error: self.app.notify(error.message, severity="error", markup=False),
            )

        question = (
            f"Clôturer l'évènement en cours du {format_date(current.event_date)} ? "
            "Les actions suivantes ne lui seront plus rattachées."
        )
        self.app.push_screen(
            ConfirmModal("Clôturer l'évènement", question, confirm_label="Clôturer"), answered
        )

    def action_edit(self) -> None:
        if self.dossier is None:
            return
        from cep_tui.ui.modals.dossier_forms import (
            ComplementsFormModal,
            ContactFormModal,
            ProfileFormModal,
        )

        if self.current == "identite":
            modal, message = ProfileFormModal(self.dossier), "Profil enregistré."
        elif self.current == "coordonnees":
            modal, message = ContactFormModal(self.dossier), "Coordonnées enregistrées."
        elif self.current == "complements":
            modal, message = ComplementsFormModal(self.dossier), "Compléments enregistrés."
        else:
            return
        self.app.push_screen(modal, self.after(message))

    def action_search_offer(self) -> None:
        from cep_tui.ui.modals.catalogue import CatalogueSearchModal

        self.app.push_screen(CatalogueSearchModal(self.dossier_id), self.after(None))

    # -- the young person's documents ------------------------------------------------------
    def action_document_synthesis(self) -> None:
        self.produce_document("synthese")

    def action_document_copy(self) -> None:
        from cep_tui.ui.modals.confirm import ConfirmModal

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.produce_document("copie")

        question = (
            "Produire la copie de toutes les données du jeune (droit d'accès), commentaires "
            "compris ? Sa production est enregistrée dans l'historique du dossier."
        )
        self.app.push_screen(
            ConfirmModal("Copie des données", question, confirm_label="Produire"), answered
        )

    @work(thread=True, exclusive=True, group="documents")
    def produce_document(self, kind: str) -> None:
        """Write the document off the UI thread; say where it is, or why it is not."""
        from cep_tui.exports import ExportError

        try:
            path = self.services.documents.produce(self.actor, self.dossier_id, kind)
        except (DomainError, ExportError) as error:
            message = error.message if isinstance(error, DomainError) else str(error)
            self.app.call_from_thread(self.app.notify, message, severity="error", markup=False)
            return
        self.app.call_from_thread(
            self.app.notify,
            f"Document enregistré : {path}",
            title="Document pour le jeune",
            markup=False,
            timeout=20,
        )

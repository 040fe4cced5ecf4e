"""The administration's forms: a value of a reference list (add, rename), a new counsellor,
and a counsellor's rights (each right of the guide ticked or not)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, Static

from cep_tui.services.administration import (
    FOLLOW_UP_RIGHTS,
    NOT_ONESELF_ADMINISTER,
    CounsellorEntry,
    CounsellorInput,
    ReferenceEntry,
)
from cep_tui.ui.inert import inert
from cep_tui.ui.modals.form import FormModal
from cep_tui.ui.widgets.fields import FormField, ReadOnlyField
from cep_tui.vocabulary import ReferenceKind, Right


class RightCheckbox(Checkbox):
    """A box that shows ✓ only when ticked (Textual's draws an X either way, told apart by
    colour alone); the arrows move from box to box."""

    BINDINGS = [
        Binding("down", "app.focus_next", "Suivant", show=False),
        Binding("up", "app.focus_previous", "Précédent", show=False),
    ]

    @property
    def BUTTON_INNER(self) -> str:
        return "✓" if self.value else " "


class RightsChecks(Vertical):
    """One box per right of the guide; space ticks or unticks the focused one."""

    DEFAULT_CLASSES = "rights-checks"

    def __init__(self, rights: Iterable[Right], **kwargs) -> None:
        super().__init__(**kwargs)
        self.initial = frozenset(rights)

    def compose(self) -> ComposeResult:
        for right in Right:
            yield RightCheckbox(
                Text(right.label), right in self.initial, id=f"right-{right.value}", compact=True
            )

    def focus(self, scroll_visible: bool = True):
        self.query(Checkbox).first().focus(scroll_visible)
        return self

    @property
    def chosen(self) -> frozenset[Right]:
        return frozenset(
            right for right in Right if self.query_one(f"#right-{right.value}", Checkbox).value
        )


def usage_note(entry: ReferenceEntry) -> str:
    """What renaming a value in use changes ("au moins 1 000" once the count stops)."""
    number = entry.usage_label.removeprefix("≥ ")
    count = f"au moins {number}" if entry.usage_at_least else number
    records = "enregistrements" if entry.usage > 1 else "enregistrement"
    return f"Utilisée par {count} {records} : le nouveau libellé s'y affichera."


class ReferenceValueModal(FormModal[ReferenceEntry]):
    """Ajouter une valeur to a list, or rename one."""

    SUBMIT_LABEL = "Enregistrer"

    def __init__(self, kind: ReferenceKind, entry: ReferenceEntry | None = None) -> None:
        super().__init__()
        self.kind = kind
        self.entry = entry
        self.TITLE_TEXT = "RENOMMER UNE VALEUR" if entry else "AJOUTER UNE VALEUR"

    def compose_fields(self) -> ComposeResult:
        yield ReadOnlyField("Liste", self.kind.label)
        if self.entry is not None:
            yield ReadOnlyField("Libellé actuel", self.entry.label)
            if self.entry.in_use:
                yield Static(inert(usage_note(self.entry)), classes="form-note")
        label = self.entry.label if self.entry else ""
        yield FormField("Libellé", Input(label), field_name="label", required=True)

    def gather(self) -> Callable[[], ReferenceEntry]:
        app = self.app
        label = self.value_of("label")
        if self.entry is None:
            return lambda: app.services.administration.add_reference(app.actor, self.kind, label)
        return lambda: app.services.administration.rename_reference(app.actor, self.entry.id, label)


class CounsellorFormModal(FormModal[CounsellorEntry]):
    """Nouveau conseiller of the structure, with the rights of the day-to-day follow-up
    ticked to start with."""

    TITLE_TEXT = "NOUVEAU CONSEILLER"
    SUBMIT_LABEL = "Créer"

    def compose_fields(self) -> ComposeResult:
        yield FormField(
            "Identifiant",
            Input(max_length=40),
            field_name="login",
            required=True,
            hint="Minuscules, chiffres, point, tiret : ex. c.dupont",
        )
        yield FormField("Prénom", Input(), field_name="first_name", required=True)
        yield FormField("Nom", Input(), field_name="last_name", required=True)
        yield Static(Text("DROITS"), classes="form-section")
        yield FormField(
            "Droits accordés", RightsChecks(FOLLOW_UP_RIGHTS), field_name="rights", stacked=True
        )

    def gather(self) -> Callable[[], CounsellorEntry]:
        app = self.app
        form = CounsellorInput(
            login=self.value_of("login"),
            first_name=self.value_of("first_name"),
            last_name=self.value_of("last_name"),
            rights=self.query_one(RightsChecks).chosen,
        )
        return lambda: app.services.administration.create_counsellor(app.actor, form)


class RightsFormModal(FormModal[CounsellorEntry]):
    """Grant or withdraw each right of the guide to a counsellor."""

    TITLE_TEXT = "MODIFIER LES DROITS"
    SUBMIT_LABEL = "Enregistrer"

    def __init__(self, entry: CounsellorEntry) -> None:
        super().__init__()
        self.entry = entry

    def compose_fields(self) -> ComposeResult:
        yield ReadOnlyField("Conseiller", f"{self.entry.display_name} ({self.entry.login})")
        if self.entry.id == self.app.actor.id:
            yield Static(Text(NOT_ONESELF_ADMINISTER), classes="form-note")
        yield FormField(
            "Droits accordés", RightsChecks(self.entry.rights), field_name="rights", stacked=True
        )

    def gather(self) -> Callable[[], CounsellorEntry]:
        app = self.app
        rights = self.query_one(RightsChecks).chosen
        return lambda: app.services.administration.set_rights(app.actor, self.entry.id, rights)

"""The two panels of the administration screen: the values of one reference list, and the
structure's counsellors with their rights. Each reads the services when it is shown; the
screen holds the keys (what may be done depends on the highlighted row)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from cep_tui.services.administration import CounsellorEntry, ReferenceEntry
from cep_tui.ui.inert import inert
from cep_tui.vocabulary import ReferenceKind, Right

# One letter per right, in the guide's order, for the counsellors' table.
RIGHT_LETTERS = {
    Right.VIEW_DOSSIER: "C",
    Right.EDIT_DOSSIER: "M",
    Right.EVENTS: "É",
    Right.PROPOSE_CEP: "P",
    Right.MANAGE_OFFERS: "O",
    Right.ADMINISTER: "A",
    Right.VIEW_INDICATORS: "I",
}
NAV_WIDTH = 29  # the administration's navigation (admin.tcss)
USAGE_WIDTH = 6  # "Usages"; wider for a list with a count at its limit ("≥ 1 000")
RIGHTS_LEGEND = (
    "Droits : C consulter, M modifier, É évènements, P proposer CEP, O offres, A admin, "
    "I indicateurs."
)


def state_label(entry: ReferenceEntry) -> str:
    if entry.national:
        return "Nationale"
    return "Active" if entry.active else "Désactivée"


def rights_code(rights: frozenset[Right]) -> str:
    return "".join(letter if r in rights else "·" for r, letter in RIGHT_LETTERS.items())


def rights_text(entry: CounsellorEntry) -> Text:
    text = Text.assemble(
        inert(f"Droits de {entry.display_name}", style="bold"), inert(f" ({entry.login})")
    )
    for right in Right:
        held = right in entry.rights
        text.append("\n")
        text.append("✓ " if held else "✗ ", style="green" if held else "red")
        text.append(right.label, style="" if held else "dim")
    return text


class AdminPanel(Vertical):
    DEFAULT_CLASSES = "admin-panel"

    def focus_content(self) -> bool:
        table = self.query_one(DataTable)
        table.focus()
        return True

    def cursor(self) -> int:
        return self.query_one(DataTable).cursor_row


class ReferencePanel(AdminPanel):
    """The values of the list chosen in the navigation, active or not, with their use."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.kind: ReferenceKind = ReferenceKind.THEME
        self.entries: tuple[ReferenceEntry, ...] = ()
        self.label_width = 16  # as set on mount, for a usage column USAGE_WIDTH wide

    def compose(self) -> ComposeResult:
        yield Static("", classes="section-title", id="reference-title")
        yield Static(
            Text(
                "Une valeur désactivée quitte les formulaires mais reste sur les "
                "enregistrements qui l'utilisent. Les valeurs nationales sont fixes."
            ),
            classes="caption admin-note",
        )
        yield DataTable(cursor_type="row", zebra_stripes=True, id="reference-values")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        self.label_width = max(16, self.app.size.width - NAV_WIDTH - 2 - 6 - 1 - 10 - USAGE_WIDTH)
        table.add_column("Libellé", width=self.label_width, key="label")
        table.add_column("État", width=10, key="state")
        table.add_column(Text("Usages", justify="right"), width=USAGE_WIDTH, key="usage")

    def load(self, kind: ReferenceKind, *, keep_id: int | None = None) -> None:
        """Read the list again; the cursor stays on `keep_id` (or on its row)."""
        app = self.app
        row = self.cursor()
        if kind is not self.kind:
            row = 0
        self.kind = kind
        self.entries = app.services.administration.reference_values(app.actor, kind)
        self.query_one("#reference-title", Static).update(Text(f"LISTE : {kind.label.upper()}"))
        table = self.query_one(DataTable)
        table.clear()
        # A count at its limit ("≥ 1 000") takes its room from the labels.
        usage_width = max([USAGE_WIDTH, *(cell_len(e.usage_label) for e in self.entries)])
        table.columns["usage"].width = usage_width
        table.columns["label"].width = max(8, self.label_width - (usage_width - USAGE_WIDTH))
        for entry in self.entries:
            style = "" if entry.active else "dim"
            table.add_row(
                inert(entry.label, style=style, no_wrap=True, overflow="ellipsis"),
                Text(state_label(entry), style="bold" if entry.national else style),
                Text(entry.usage_label, justify="right", style=style),
                key=str(entry.id),
            )
        if keep_id is not None:
            row = next((i for i, e in enumerate(self.entries) if e.id == keep_id), row)
        if self.entries:
            table.move_cursor(row=min(row, len(self.entries) - 1))

    @property
    def current(self) -> ReferenceEntry | None:
        row = self.cursor()
        return self.entries[row] if self.entries and 0 <= row < len(self.entries) else None


class CounsellorPanel(AdminPanel):
    """The structure's counsellors, and the rights of the highlighted one in words."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.entries: tuple[CounsellorEntry, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static(Text("CONSEILLERS DE LA STRUCTURE"), classes="section-title")
        yield Static(Text(RIGHTS_LEGEND), classes="caption admin-note")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="counsellor-list")
        yield Static("", id="counsellor-rights")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        width = max(14, self.app.size.width - NAV_WIDTH - 2 - 8 - 1 - 11 - 9 - 7)
        table.add_column("Identifiant", width=11)
        table.add_column("Nom", width=width)
        table.add_column("État", width=9)
        table.add_column("Droits", width=7)

    def load(self, *, keep_id: int | None = None) -> None:
        app = self.app
        row = self.cursor()
        self.entries = app.services.administration.counsellors(app.actor)
        table = self.query_one(DataTable)
        table.clear()
        for entry in self.entries:
            style = "" if entry.active else "dim"
            table.add_row(
                inert(entry.login, style=style, no_wrap=True, overflow="ellipsis"),
                inert(entry.display_name, style=style, no_wrap=True, overflow="ellipsis"),
                Text("Actif" if entry.active else "Désactivé", style=style),
                Text(rights_code(entry.rights), style=style),
                key=str(entry.id),
            )
        if keep_id is not None:
            row = next((i for i, e in enumerate(self.entries) if e.id == keep_id), row)
        if self.entries:
            table.move_cursor(row=min(row, len(self.entries) - 1))
        self.show_rights()

    def show_rights(self) -> None:
        entry = self.current
        self.query_one("#counsellor-rights", Static).update(
            rights_text(entry) if entry else Text("")
        )

    @property
    def current(self) -> CounsellorEntry | None:
        row = self.cursor()
        return self.entries[row] if self.entries and 0 <= row < len(self.entries) else None

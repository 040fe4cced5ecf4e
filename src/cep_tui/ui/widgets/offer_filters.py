"""The filters of the offers screen on one line: Thème, Mesure nationale, État, and the
period (Toutes / En cours / Terminées). Deactivated values are offered too: old offers
still hold them."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Select

from cep_tui.services.views import RefValue
from cep_tui.ui.inert import inert
from cep_tui.vocabulary import ReferenceKind

PERIODS: tuple[tuple[str, bool | None], ...] = (
    ("Toutes", None),
    ("En cours", True),
    ("Terminées", False),
)
# Select values cannot be None: the period is chosen by its index.
FILTERS = (
    ("filter-theme", ReferenceKind.THEME, "Thème : tous"),
    ("filter-measure", ReferenceKind.NATIONAL_MEASURE, "Mesure : toutes"),
    ("filter-state", ReferenceKind.OFFER_STATE, "État : tous"),
)


def _options(values: tuple[RefValue, ...]) -> list[tuple[Text, int]]:
    return [(inert(v.label if v.active else f"{v.label} (désactivé)"), v.id) for v in values]


class OfferFilters(Horizontal):
    class Changed(Message):
        """A filter changed."""

    def compose(self) -> ComposeResult:
        references = self.app.services.references
        for ident, kind, prompt in FILTERS:
            yield Select(
                _options(references.choices(kind, include_inactive=True)),
                prompt=prompt,
                id=ident,
                compact=True,
                classes="offer-filter",
            )
        yield Select(
            [
                (Text(f"Offres : {label.lower()}"), index)
                for index, (label, _) in enumerate(PERIODS)
            ],
            value=0,
            allow_blank=False,
            id="filter-period",
            compact=True,
            classes="offer-filter",
        )

    def _chosen(self, ident: str) -> int | None:
        select = self.query_one(f"#{ident}", Select)
        return None if select.is_blank() else select.value

    def criteria(self) -> dict:
        """The keyword arguments of OfferService.list."""
        period = self._chosen("filter-period") or 0
        return {
            "theme_id": self._chosen("filter-theme"),
            "national_measure_id": self._chosen("filter-measure"),
            "state_id": self._chosen("filter-state"),
            "current_only": PERIODS[period][1],
        }

    @on(Select.Changed)
    def _changed(self, event: Select.Changed) -> None:
        event.stop()
        self.post_message(self.Changed())

"""The sizes of the demonstration: how many dossiers, offers, events and counsellors."""

from dataclasses import dataclass

SIZES = ("small", "large")


@dataclass(frozen=True)
class Profile:
    """One size: what `populate` writes for it."""

    dossiers: tuple[int, int]  # ML2A, MLBA
    offers_total: int | None  # None: only the fixed catalogue
    events_per_dossier: int  # on average, all events included
    extra_counsellors: tuple[int, int]


PROFILES = {
    "small": Profile(dossiers=(200, 12), offers_total=None, events_per_dossier=5,
                     extra_counsellors=(0, 0)),
    "large": Profile(dossiers=(99_000, 1_000), offers_total=10_000, events_per_dossier=10,
                     extra_counsellors=(36, 4)),
}  # fmt: skip

"""The young people's profile for the indicators (niveau de formation, résidant QPV,
résidant ZRR), in the shares of a Mission Locale's public: most without the bac, a fifth
in a QPV of Ajaccio, some in rural zones, a few not yet known.

Drawn from a random stream of their own (`ProfileDraws(seed)`), so that every other row of a
seed and a day is the same as before the profile existed."""

from __future__ import annotations

import random

from cep_tui.demo.chance import Weighted

SHARES = {
    "education_level": {"infra3": 26, "niveau3": 30, "niveau4": 28, "niveau5": 7,
                        "niveau6": 2, "inconnu": 7},
    "qpv": {"oui": 19, "non": 71, "inconnu": 10},
    "zrr": {"oui": 13, "non": 77, "inconnu": 10},
}  # fmt: skip

_LEVELS = Weighted(SHARES["education_level"])
_QPV = Weighted(SHARES["qpv"])
_ZRR = Weighted(SHARES["zrr"])


class ProfileDraws:
    def __init__(self, seed: int):
        self._draw = random.Random(f"{seed}:profils").random

    def draw(self) -> tuple[str, str, str]:
        """(education_level, qpv, zrr) of the next young person."""
        draw = self._draw
        return _LEVELS.pick(draw()), _QPV.pick(draw()), _ZRR.pick(draw())

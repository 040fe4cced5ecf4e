"""Settings of one run, from the command line and the environment: the database's URL
(the rest, the clock and the cursor's blink, are arguments of `make_app`)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "cep-tui"
DATABASE_ENV = "CEP_TUI_DATABASE"


# "scheme://user:password@": the password part of any URL in a text, up to the last "@"
# before the host (a password may itself hold "@" or ":"); "//user@" (no password) and
# "//host" are left as they are.
_URL_PASSWORD = re.compile(r"(\b[A-Za-z][A-Za-z0-9+.-]*://[^\s/:@]*:)[^\s/]*@")
MASK = "***"


def masked(text: object) -> str:
    """`text` with the password of every URL in it masked: "postgresql://u:***@host/db".
    Every message that may quote a database URL goes through it (issue 13, point 5)."""
    return _URL_PASSWORD.sub(lambda m: f"{m.group(1)}{MASK}@", str(text))


def default_database_url() -> str:
    from platformdirs import user_data_dir  # on demand: --database spares its import

    data_dir = Path(user_data_dir(APP_NAME))
    return f"sqlite:///{data_dir / 'cep-tui.db'}"


def database_url_from(cli_value: str | None) -> str:
    return cli_value or os.environ.get(DATABASE_ENV) or default_database_url()


def log_dir() -> Path:
    from platformdirs import user_state_dir

    return Path(user_state_dir(APP_NAME))


@dataclass(frozen=True)
class RetentionSettings:
    """How long a young person's data is kept (`cep-tui retention`).

    - `upper_age`, `extra_years`: the décret n° 2015-59 du 26 janvier 2015 (i-milo), as
      amended, keeps the data until the upper age of the Missions Locales' public — 25 ans
      révolus, i.e. the 26th birthday (article L. 5314-2 of the Code du travail: young
      people of 16 to 25) — plus two years; afterwards only in anonymised form.
    - `quiet_months`: the decree keeps the data longer while the young person is in a
      programme with regular follow-up; we read "followed" as a dispositif in progress, an
      event in progress, or an event in the last `quiet_months` months (our choice: 12).

    Each can be set by the environment (CEP_TUI_RETENTION_UPPER_AGE, …_EXTRA_YEARS,
    …_QUIET_MONTHS), for a structure whose rules differ."""

    upper_age: int = 26
    extra_years: int = 2
    quiet_months: int = 12


def retention_settings() -> RetentionSettings:
    defaults = RetentionSettings()

    def number(name: str, default: int) -> int:
        raw = os.environ.get(f"CEP_TUI_RETENTION_{name}", "").strip()
        return int(raw) if raw.isdigit() else default

    return RetentionSettings(
        upper_age=number("UPPER_AGE", defaults.upper_age),
        extra_years=number("EXTRA_YEARS", defaults.extra_years),
        quiet_months=number("QUIET_MONTHS", defaults.quiet_months),
    )


@dataclass(frozen=True)
class CaseloadThresholds:
    """When « Mes jeunes » raises an alert: no event for `quiet_days` days, phase 2 open
    for more than `phase_2_months` months, the 26th birthday (the end of the Missions
    Locales' public) within `birthday_months` months."""

    quiet_days: int = 60
    phase_2_months: int = 6
    birthday_months: int = 3


CASELOAD_THRESHOLDS = CaseloadThresholds()

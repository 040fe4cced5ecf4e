"""Settings of one run, built from the command line and the environment, then injected."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from cep_tui.clock import Clock, SystemClock

APP_NAME = "cep-tui"
DATABASE_ENV = "CEP_TUI_DATABASE"


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
class Settings:
    database_url: str
    login: str
    clock: Clock = field(default_factory=SystemClock)
    # Snapshots need a still cursor; people prefer a blinking one.
    cursor_blink: bool = True

"""Settings of one run, from the command line and the environment: the database's URL
(the rest, the clock and the cursor's blink, are arguments of `make_app`)."""

from __future__ import annotations

import os
from pathlib import Path

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

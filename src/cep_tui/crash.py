"""Unexpected errors: the details go to a log file, the counsellor reads one French sentence."""

from __future__ import annotations

import datetime as dt
import traceback
from pathlib import Path

from cep_tui.config import log_dir


def log_unexpected(error: BaseException, directory: Path | None = None) -> Path:
    """Append the traceback to the error log and return its path."""
    directory = directory or log_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "errors.log"
    with path.open("a", encoding="utf-8") as log:
        log.write(f"--- {dt.datetime.now().isoformat(timespec='seconds')}\n")
        log.write("".join(traceback.format_exception(error)))
    return path


def unexpected_message(path: Path) -> str:
    return (
        "cep-tui : une erreur inattendue est survenue et l'application s'est arrêtée. "
        f"Aucune saisie validée n'est perdue. Détails pour l'assistance : {path}"
    )

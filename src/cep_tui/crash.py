"""Unexpected errors: the details go to a log file, the counsellor reads one French sentence.

Writing the log can fail too (a read-only or full state folder): the details then go to the
next place that takes them (`log_paths`), and the sentence comes all the same — never a
traceback on the screen, whatever happens here.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import tempfile
import traceback
from pathlib import Path

from cep_tui.config import log_dir
from cep_tui.private_files import create_private, private_folder

LOG_NAME = "errors.log"


def log_paths(directory: Path | None = None) -> list[Path]:
    """Where the error log may go, best first: the user's state folder (or `directory`),
    then a private folder of the user's in the temporary folder."""
    first = directory if directory is not None else _state_folder()
    fallback = Path(tempfile.gettempdir()) / f"cep-tui-{os.getuid()}"
    return [path / LOG_NAME for path in (first, fallback) if path is not None]


def log_unexpected(error: BaseException, directory: Path | None = None) -> Path | None:
    """Append the traceback to the first error log that can be written, and return its
    path; None when none could be (the sentence then says so)."""
    entry = f"--- {dt.datetime.now().isoformat(timespec='seconds')}\n" + "".join(
        traceback.format_exception(error)
    )
    for path in log_paths(directory):
        try:
            _append(path, entry)
        except OSError:
            continue
        return path
    return None


def unexpected_message(path: Path | None) -> str:
    return (
        "cep-tui : une erreur inattendue est survenue et l'application s'est arrêtée. "
        f"Aucune saisie validée n'est perdue. {_details(path)}"
    )


def unexpected_in_save(path: Path | None) -> str:
    """An unexpected error in a form's save, whose transaction was rolled back."""
    return (
        "Erreur inattendue : rien n'a été enregistré. Votre saisie reste à l'écran : "
        f"réessayez (Ctrl+S) ou annulez (Échap). {_details(path)}"
    )


def _details(path: Path | None) -> str:
    if path is None:
        return "Le journal d'erreurs n'a pas pu être écrit (dossier en lecture seule ou plein)."
    return f"Détails pour l'assistance : {path}"


def _state_folder() -> Path | None:
    try:
        return log_dir()
    except Exception:  # no home folder to find: the next place will do
        return None


def _append(path: Path, entry: str) -> None:
    append_private(path, entry, check_owner=True)


def append_private(path: Path, entry: str, *, check_owner: bool = False) -> None:
    """Append `entry` to the log `path`, created private (cep_tui.private_files) in a
    private folder. `check_owner`: the folder must be the user's own (a folder of the
    shared temporary folder is only ours if we made it, and not a link)."""
    folder = path.parent
    private_folder(folder)
    info = folder.lstat()
    if not stat.S_ISDIR(info.st_mode) or (check_owner and info.st_uid != os.getuid()):
        raise PermissionError(f"{folder} n'est pas un dossier de l'utilisateur")
    create_private(path)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_NOFOLLOW)
    with os.fdopen(descriptor, "a", encoding="utf-8") as log:
        log.write(entry)

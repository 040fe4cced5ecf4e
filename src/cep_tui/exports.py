"""Where the documents for a young person go, and how they are written: private files
(0600, in a folder only their owner can open), never replacing an existing file.

The folder: $CEP_TUI_EXPORT_DIR, else `exports` in the user's data folder (for example
~/.local/share/cep-tui/exports)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from pathlib import Path

from cep_tui.config import APP_NAME
from cep_tui.private_files import modes, private_folder

EXPORT_DIR_ENV = "CEP_TUI_EXPORT_DIR"


class ExportError(Exception):
    """The file could not be written; the message is the counsellor's (French)."""


def export_dir() -> Path:
    """The export folder (created, owner only, on first use)."""
    from cep_tui.config import settings

    configured = os.environ.get(EXPORT_DIR_ENV)
    if configured:
        folder = Path(configured).expanduser()
    elif settings().export_folder is not None:
        folder = settings().export_folder
    else:
        from platformdirs import user_data_dir

        folder = Path(user_data_dir(APP_NAME)) / "exports"
    try:
        private_folder(folder)
    except OSError as error:
        raise ExportError(
            f"Dossier d'export inaccessible : {folder} ({error.strerror})."
        ) from error
    return folder


def document_path(kind: str, number: str, at: dt.datetime, folder: Path | None = None) -> Path:
    """A new file name in the export folder: `synthese-cep-0001234-20261129-100000.odt`."""
    safe_number = re.sub(r"[^0-9A-Za-z-]", "_", number)
    stem = f"{kind}-{safe_number}-{at:%Y%m%d-%H%M%S}"
    folder = folder or export_dir()
    path = folder / f"{stem}.odt"
    suffix = 2
    while path.exists():
        path = folder / f"{stem}-{suffix}.odt"
        suffix += 1
    return path


def write_private(path: Path, data: bytes) -> Path:
    """Write `data` to the new file `path`, readable by its owner only (created 0600, never
    through a symbolic link, never over an existing file)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, modes()[0])
    except FileExistsError as error:
        raise ExportError(f"Le fichier existe déjà : {path}.") from error
    except OSError as error:
        raise ExportError(f"Écriture impossible : {path} ({error.strerror}).") from error
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
    except OSError as error:
        with contextlib.suppress(OSError):
            path.unlink()
        raise ExportError(f"Écriture impossible : {path} ({error.strerror}).") from error
    return path

"""Files that hold young people's data (the database, its WAL and shared-memory files,
backups, logs, exports) are private, whatever the umask: files 0600 and folders 0700, or
0660/0770 for the group the configuration names (`file_group`: a service account and its
administrators sharing the files).

Each file is created with its final mode (never created readable then narrowed), and the
group is given at creation, before any data is written.
"""

from __future__ import annotations

import grp
import os
import stat
from pathlib import Path

FILE_MODE, GROUP_FILE_MODE = 0o600, 0o660
# A group's folder is setgid: what is created in it (SQLite's WAL and shared-memory
# files among others) takes the folder's group rather than the creator's own.
FOLDER_MODE, GROUP_FOLDER_MODE = 0o700, 0o2770


def _group() -> int | None:
    """The configured group's id, None when there is none (or it does not exist: a
    configuration error said by `check_group`)."""
    from cep_tui.config import settings

    name = settings().file_group
    if not name:
        return None
    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        return None


def modes() -> tuple[int, int]:
    """(file mode, folder mode) for this deployment."""
    if _group() is None:
        return FILE_MODE, FOLDER_MODE
    return GROUP_FILE_MODE, GROUP_FOLDER_MODE


def _own(path: Path | int, mode: int) -> None:
    """Give `path` (or an open descriptor) its mode and the configured group."""
    gid = _group()
    if isinstance(path, int):
        if gid is not None:
            os.fchown(path, -1, gid)
        os.fchmod(path, mode)
        return
    if gid is not None:
        os.chown(path, -1, gid, follow_symlinks=False)
    os.chmod(path, mode)


def private_folder(folder: Path) -> Path:
    """Create `folder` (and its missing parents) private; an existing one is left as it is
    (it may be a shared place the administrator chose)."""
    if folder.is_dir():
        return folder
    _, folder_mode = modes()
    missing = []
    for parent in [folder, *folder.parents]:
        if parent.exists():
            break
        missing.append(parent)
    for path in reversed(missing):
        try:
            path.mkdir(mode=folder_mode)
        except FileExistsError:
            continue  # made by another process meanwhile
        _own(path, folder_mode)  # mkdir's mode goes through the umask
    return folder


def create_private(path: Path) -> bool:
    """Create the empty file `path` with the private mode, unless it exists; True when
    created. Never through a symbolic link."""
    file_mode, _ = modes()
    try:
        descriptor = os.open(
            path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), file_mode
        )
    except FileExistsError:
        return False
    try:
        _own(descriptor, file_mode)
    finally:
        os.close(descriptor)
    return True


def make_private(path: Path) -> None:
    """Narrow an existing file of ours to the private mode."""
    file_mode, _ = modes()
    _own(path, file_mode)


def readable_by_others(path: Path) -> bool:
    """Whether users other than the owner (and the configured group) may read `path`."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    if mode & stat.S_IROTH:
        return True
    return bool(mode & stat.S_IRGRP) and _group() is None

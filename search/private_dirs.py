"""Refuse a cache folder another user could write: Whoosh index files are pickles.

Loading a planted pickle runs the planter's code, so before margin opens an index it checks
that every folder from the cache root down to the index is owned by the current user and not
writable by group or others, and that no folder above the cache root lets another user swap
it out (writable by others without the sticky bit, or owned by someone other than the user or
root). The check is a handful of ``stat`` calls, cheap enough to repeat before every open: a
:class:`~margin.search.library.Library` kept open for hours must notice a folder changed under it.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

log = logging.getLogger("margin.private_dirs")

_OTHERS_WRITE = stat.S_IWGRP | stat.S_IWOTH


class UnsafeFolderError(PermissionError):
    """A cache folder margin will not use; the message says which and why."""


def check(folder: Path, *, cache_root: Path) -> None:
    """Raise :class:`UnsafeFolderError` unless ``folder`` (at or below ``cache_root``) is safe.

    Folders that do not exist yet are skipped: margin creates them itself, privately.
    """
    folder = Path(os.path.realpath(folder))
    root = Path(os.path.realpath(cache_root))
    if folder != root and not folder.is_relative_to(root):
        raise UnsafeFolderError(f"{folder} is not inside margin's cache folder {root}")
    for ancestor in reversed(root.parents):
        _check_ancestor(ancestor)
    current = root
    _check_owned(current)
    for part in folder.relative_to(root).parts:
        current = current / part
        _check_owned(current)


def _stat(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None


def _check_owned(path: Path) -> None:
    info = _stat(path)
    if info is None:
        return
    uid = os.getuid()
    if info.st_uid != uid:
        _refuse(path, f"it belongs to user id {info.st_uid}, not to you ({uid})")
    if info.st_mode & _OTHERS_WRITE:
        _refuse(path, f"other users can write to it (mode {stat.filemode(info.st_mode)})")


def _check_ancestor(path: Path) -> None:
    info = _stat(path)
    if info is None:
        return
    if info.st_uid not in (os.getuid(), 0):
        _refuse(path, f"a folder above the cache belongs to user id {info.st_uid}")
    if info.st_mode & _OTHERS_WRITE and not info.st_mode & stat.S_ISVTX:
        _refuse(
            path,
            "a folder above the cache is writable by other users "
            f"(mode {stat.filemode(info.st_mode)}) without the sticky bit",
        )


def _refuse(path: Path, why: str) -> None:
    message = (
        f"refusing to use the cache folder {path}: {why}. The index holds data that runs code "
        "when loaded, so margin only uses private folders; fix the permissions "
        "(chmod go-w, chown) or point MARGIN_CACHE_DIR at a private folder"
    )
    log.error(message)
    raise UnsafeFolderError(message)

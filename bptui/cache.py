"""Work done on an earlier run, kept so that the tutor's first frame can already show step 1.

Two things are kept: a lesson file as parsed and validated, and a lesson's built steps. Building
the steps needs numpy and the whole bug library, a few hundred milliseconds from a cold start;
parsing needs tomllib. Each result depends only on its inputs (the file's text; the lesson, its
scaffold level and the language of the step texts) and on bptui's own code, so it is kept under
a hash of those in the user's cache folder (platformdirs; files 0600, and only such a file of the
user's own is read back). A cache entry that is missing, unreadable or stale is ignored, never an
error: the work is then done as usual, from the numpy engine, and the entry written again.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import sys
from pathlib import Path

MAX_BYTES = 8 * 1024 * 1024
PACKAGE = Path(__file__).resolve().parent


def folder() -> Path:
    import platformdirs  # honours XDG_CACHE_HOME

    return platformdirs.user_cache_path("bptui", appauthor=False)


@functools.cache
def code_fingerprint() -> str:
    """bptui's own code, as the files are now: a change of code is a new cache."""
    parts = [sys.version]
    for folder_path, folders, files in os.walk(PACKAGE):
        folders[:] = sorted(name for name in folders if name != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                with contextlib.suppress(OSError):
                    info = os.stat(os.path.join(folder_path, name))
                    parts.append(f"{folder_path}/{name}:{info.st_size}:{info.st_mtime_ns}")
    return "\n".join(parts)


def path_for(*inputs: str) -> Path:
    text = "\0".join((code_fingerprint(), *inputs))
    return folder() / f"{hashlib.sha256(text.encode('utf-8')).hexdigest()}.pickle"


def steps_inputs(lesson) -> tuple[str, ...]:
    from bptui.i18n import language

    return ("steps", language(), lesson.scaffold, lesson.text)


def get(*inputs: str):
    """What was kept for these inputs, or None."""
    path = path_for(*inputs)
    try:
        info = path.stat()
        if info.st_size > MAX_BYTES or not private(info):
            return None
        return pickle.loads(path.read_bytes())
    except Exception:  # noqa: BLE001 - anything wrong with a cache only means working it out again
        return None


def private(info: os.stat_result) -> bool:
    """Only a file of this user's that nobody else may write is unpickled."""
    mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return mine and not info.st_mode & 0o022


def put(value, *inputs: str) -> None:
    """Keep the value for the next start (quietly not, if the cache folder cannot be written)."""
    path = path_for(*inputs)
    with contextlib.suppress(OSError, pickle.PicklingError):
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
        with open(os.open(temporary, flags, 0o600), "wb") as out:
            out.write(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, path)


def load(lesson) -> list | None:
    """The lesson's steps as built before, or None."""
    steps = get(*steps_inputs(lesson))
    return steps if isinstance(steps, list) else None


def save(lesson, steps: list) -> None:
    put(steps, *steps_inputs(lesson))

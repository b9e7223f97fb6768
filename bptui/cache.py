"""Built steps kept between runs, so that the tutor's first frame can already show step 1.

Building a lesson's steps needs numpy and the whole bug library: a few hundred milliseconds from
a cold start. The result depends only on the lesson's text, its scaffold level, the language the
step texts are written in, and bptui's own code, so it is kept under that key in the user's cache
folder (platformdirs; files 0600, and only such a file of the user's own is read back). A cache
that is missing, unreadable or stale is ignored, never an error: the steps are then built as
usual, from the numpy engine, and the cache written again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from pathlib import Path

from bptui.i18n import language

MAX_BYTES = 8 * 1024 * 1024
PACKAGE = Path(__file__).resolve().parent


def folder() -> Path:
    import platformdirs  # honours XDG_CACHE_HOME

    return platformdirs.user_cache_path("bptui", appauthor=False) / "steps"


def code_fingerprint() -> str:
    """bptui's own code, as the files are now: a change of code is a new cache."""
    parts = [sys.version]
    for path in sorted(PACKAGE.rglob("*.py")):
        with contextlib.suppress(OSError):
            info = path.stat()
            parts.append(f"{path.relative_to(PACKAGE)}:{info.st_size}:{info.st_mtime_ns}")
    return "\n".join(parts)


def key(lesson) -> str:
    text = "\0".join((code_fingerprint(), language(), lesson.scaffold, lesson.text))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load(lesson) -> list | None:
    """The lesson's steps as built before, or None."""
    path = folder() / f"{key(lesson)}.pickle"
    try:
        info = path.stat()
        if info.st_size > MAX_BYTES or not private(info):
            return None
        steps = pickle.loads(path.read_bytes())
    except Exception:  # noqa: BLE001 - anything wrong with a cache only means building again
        return None
    return steps if isinstance(steps, list) else None


def private(info: os.stat_result) -> bool:
    """Only a file of this user's that nobody else may write is unpickled."""
    mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return mine and not info.st_mode & 0o022


def save(lesson, steps: list) -> None:
    """Keep the steps for the next start (quietly not, if the cache folder cannot be written)."""
    path = folder() / f"{key(lesson)}.pickle"
    with contextlib.suppress(OSError, pickle.PicklingError):
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
        with open(os.open(temporary, flags, 0o600), "wb") as out:
            out.write(pickle.dumps(steps, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, path)

"""One reader for every untrusted file: lessons, answers files, progress.

Regular files only: a FIFO, a device, a socket or a directory gets a clear message and is never
read (opening does not block: O_NONBLOCK). The size limit is enforced while reading, never taken
from `st_size` (0 for /dev/zero). The text must be UTF-8; a leading byte-order mark is dropped.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class FileProblem(Exception):
    """Why a file cannot be read, in a few words; `line` when the problem is at a line."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


def read_text(path: Path | str, limit: int, what: str = "a file") -> str:
    """The text of a regular file of at most `limit` bytes, or FileProblem saying why not."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise FileProblem("no such file") from None
    except IsADirectoryError:
        raise FileProblem(f"is a directory, not {what}") from None
    except OSError as error:
        with contextlib.suppress(OSError):
            _refuse_kind(os.stat(path).st_mode, what)  # a socket cannot even be opened
        raise FileProblem(f"cannot be read ({error.strerror})") from None
    try:
        _refuse_kind(os.fstat(fd).st_mode, what)
        os.set_blocking(fd, True)
        raw = _read_at_most(fd, limit, what)
    except OSError as error:
        raise FileProblem(f"cannot be read ({error.strerror})") from None
    finally:
        os.close(fd)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise FileProblem("is not UTF-8 text", line=line) from None
    return text.removeprefix("\ufeff")  # a byte-order mark, as some editors write


def _refuse_kind(mode: int, what: str) -> None:
    for test, kind in _KINDS:
        if test(mode):
            raise FileProblem(f"is {kind}, not {what}")
    if not stat.S_ISREG(mode):
        raise FileProblem(f"is not a regular file, so not {what}")


def _read_at_most(fd: int, limit: int, what: str) -> bytes:
    chunks, size = [], 0
    while True:
        chunk = os.read(fd, 64 * 1024)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise FileProblem(f"is larger than {limit // 1024} KiB, the most {what} may be")
        chunks.append(chunk)

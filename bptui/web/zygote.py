"""Tutors forked ready-made: a process that has imported Textual and the tutor once, and forks a
tutor for each learner, so that a class starting together does not import them thirty times.

`bptui serve` starts it (`python -m bptui.web.zygote FD`, FD one end of a SOCK_SEQPACKET socket
pair) with Textual's web-driver settings in its environment, which Textual reads at import. Each
request is a JSON message `{"argv": [...], "env": {...}}` carrying three file descriptors (the
tutor's stdin, stdout and stderr); the answer is `{"pid": N}`. The child, in a session of its
own, takes those descriptors and that environment (the learner's own XDG_DATA_HOME), and runs
`bptui.cli.main(argv)` as `python -m bptui` would. Children are reaped by the kernel (SIGCHLD
ignored); the server follows each through a pidfd. When the server goes, the socket closes and
this process ends; tutors still running end when their stdin closes.

Only the standard library, Textual and bptui: never aiohttp or textual-serve.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sys

PRELOAD = (
    "ctypes",
    "bptui.cli",
    "bptui.tui.run",
    "bptui.tui.app",
    "bptui.tui.lesson_screen",
    "bptui.tui.picker",
    "bptui.tui.dialogs",
    "bptui.session",
    "bptui.progress",
    "bptui.cache",
    "bptui.answers",
    "bptui.expr",
    "textual.drivers.web_driver",
    "textual.widgets",
    "textual.widgets._footer",
    "textual.widgets._input",
    "textual.widgets._option_list",
    "textual.widgets._static",
    "platformdirs",
)
MAX_MESSAGE = 256 * 1024


def preload() -> None:
    import importlib

    for name in PRELOAD:
        with contextlib.suppress(ImportError):  # a module renamed: the tutor imports it itself
            importlib.import_module(name)


def serve_forks(control: socket.socket) -> None:
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # no zombies: the kernel reaps the tutors
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server says when to stop
    zygote = os.getpid()
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(control, MAX_MESSAGE, 3)
        except OSError:
            return
        if not message:
            return
        try:
            request = json.loads(message)
            argv = [str(word) for word in request["argv"]]
            environment = {str(k): str(v) for k, v in request["env"].items()}
            if len(fds) != 3:
                raise ValueError("three descriptors expected")
            pid = os.fork()
        except (ValueError, KeyError, TypeError, AttributeError, OSError) as error:
            for fd in fds:
                os.close(fd)
            control.send(json.dumps({"error": str(error)}).encode())
            continue
        if pid == 0:
            die_with_parent(zygote)
            child(control, fds, argv, environment)  # never returns
        for fd in fds:
            os.close(fd)
        control.send(json.dumps({"pid": pid}).encode())


def die_with_parent(parent: int) -> None:
    """SIGTERM when the parent goes, even by SIGKILL (Linux): a tutor whose server is gone has
    nobody to talk to (its work is saved after every action)."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(1)  # it went already


def child(control: socket.socket, fds: list[int], argv: list[str], environment: dict) -> None:
    code = 1
    try:
        control.close()
        os.setsid()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        for fd in fds:
            if fd > 2:
                os.close(fd)
        os.environ.clear()
        os.environ.update(environment)
        sys.argv = ["bptui", *argv]
        from bptui.cli import main

        code = main(argv)
    except SystemExit as exit:
        code = exit.code if isinstance(exit.code, int) else 1
    except BaseException:  # noqa: BLE001 - said on the tutor's stderr, which the server shows
        import traceback

        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):  # a closed pipe: nothing more to say
                stream.flush()
        os._exit(code or 0)


def main() -> None:
    import gc

    control = socket.socket(fileno=int(sys.argv[1]))
    die_with_parent(os.getppid())
    preload()
    gc.freeze()  # what is imported stays shared with the tutors: their collector never touches it
    serve_forks(control)


if __name__ == "__main__":
    main()

"""Cold start until step 1 can be answered, and keypress-to-verdict latency, beside a minimal app.

Each program runs in a real pseudo-terminal (100×30), in a fresh interpreter, and is timed from
spawn until given text appears in what it writes to the terminal. The runs alternate between the
two programs so that both see the same machine. Run it from the repository root:

    python benchmarks/startup.py --runs 15
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TUTOR = ["lessons/lecture-example.toml", "--restart"]  # step 1/67 on every start


class Terminal:
    """A program in a pseudo-terminal, whose output can be waited on."""

    def __init__(self, argv: list[str], env: dict[str, str], size=(100, 30)):
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        self.start = time.perf_counter()
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True, cwd=ROOT
        )
        os.close(slave)
        self.output = b""

    def wait_for(self, text: str, timeout: float = 20.0) -> float:
        """Seconds from `mark` until `text` has appeared in the output."""
        needle = text.encode()
        seen = len(self.output)
        deadline = time.perf_counter() + timeout
        while needle not in self.output[max(seen - len(needle), 0) :]:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"{text!r} never appeared")
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    self.output += os.read(self.master, 65536)
                except OSError:
                    raise TimeoutError(f"the program ended before {text!r}") from None
        return time.perf_counter()

    def type(self, keys: str) -> float:
        self.drain()
        now = time.perf_counter()
        os.write(self.master, keys.encode())
        return now

    def drain(self) -> None:
        while select.select([self.master], [], [], 0.05)[0]:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output += chunk

    def close(self) -> None:
        with __import__("contextlib").suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        os.close(self.master)


def measure_tutor(env, first_run: bool = False) -> tuple[float, float, float]:
    """First frame, step 1 ready for an answer, and keypress → verdict, in seconds.

    `first_run`: an empty steps cache, as on the very first start of a lesson (or after bptui
    itself changed); otherwise the steps built by an earlier start are read back.
    """
    if first_run:
        env = dict(env, XDG_CACHE_HOME=tempfile.mkdtemp(prefix="bptui-bench-cache-"))
    term = Terminal([sys.executable, "-m", "bptui", *TUTOR], env)
    try:
        first = term.wait_for("The lecture") - term.start
        ready = term.wait_for("step 1/67") - term.start
        time.sleep(0.3)
        typed = term.type("4\r")
        latency = term.wait_for("Right") - typed
        return first, ready, latency
    finally:
        term.close()


def measure_minimal(env) -> tuple[float, float]:
    term = Terminal([sys.executable, str(HERE / "minimal_app.py")], env)
    try:
        first = term.wait_for("minimal app ready") - term.start
        time.sleep(0.3)
        typed = term.type("4\r")
        latency = term.wait_for("got 4") - typed
        return first, latency
    finally:
        term.close()


def first_frame_cpu(env, marker: str, *program: str) -> float:
    """CPU seconds until the first frame holding `marker` is written (steadier than wall time)."""
    report = Path(tempfile.mkdtemp(prefix="bptui-bench-")) / "cpu"
    term = Terminal([sys.executable, str(HERE / "first_frame_cpu.py"), marker, *program],
                    dict(env, FIRST_FRAME_REPORT=str(report)))  # fmt: skip
    try:
        while term.process.poll() is None:
            term.drain()
        return float(report.read_text())
    finally:
        term.close()


def first_frame_instructions(env, marker: str, *program: str) -> int:
    """Instructions until the first frame, under valgrind: steadier than time, not exact."""
    out = Path(tempfile.mkdtemp(prefix="bptui-bench-")) / "callgrind.out"
    report = out.with_name("cpu")
    argv = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable,
            str(HERE / "first_frame_cpu.py"), marker, *program]  # fmt: skip
    # A fixed hash seed: dict and set order, and so the work done, the same on every run.
    term = Terminal(argv, dict(env, FIRST_FRAME_REPORT=str(report), PYTHONHASHSEED="0"))
    try:
        while term.process.poll() is None:
            term.drain()
    finally:
        term.close()
    for line in out.read_text().splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    raise RuntimeError("callgrind wrote no total")


def measure_answer_work(env, runs: int = 60) -> float:
    """The tutor's own work for one answer, in process: grade, save, move on, redraw the text."""
    os.environ["XDG_DATA_HOME"] = env["XDG_DATA_HOME"]
    sys.path.insert(0, str(ROOT))
    from bptui import lesson, steps
    from bptui.diagram import draw
    from bptui.progress import Store
    from bptui.session import Session
    from bptui.tui import texts

    loaded = lesson.load("lecture-example")
    session = Session(loaded, steps.build(loaded), Store.of(loaded))
    times = []
    for _ in range(runs):
        session.restart()
        start = time.perf_counter()
        session.answer(session.step.shown)
        session.go(session.position + 1)
        draw(session, session.step, 96)
        texts.card(session)
        texts.status(session)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count instructions to the first frame under valgrind (slow, but exact)",
    )
    args = parser.parse_args()
    env = dict(
        os.environ, TERM="xterm-256color", COLUMNS="100", LINES="30", TEXTUAL_ANIMATIONS="none"
    )
    # As a user's Python: bytecode written once and reused (pip compiles it on install). Without
    # this, a machine that sets PYTHONDONTWRITEBYTECODE compiles bptui afresh on every start.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "bptui")], check=True)
    env["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="bptui-bench-")
    env["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="bptui-bench-cache-")
    tutor, first_runs, minimal = [], [], []
    measure_tutor(env), measure_minimal(env)  # warm the file cache: "cold" means a new process
    cpu_tutor, cpu_minimal = [], []
    for _ in range(args.runs):
        tutor.append(measure_tutor(env))
        first_runs.append(measure_tutor(env, first_run=True))
        minimal.append(measure_minimal(env))
        cpu_tutor.append(first_frame_cpu(env, "step 1/67", "-m", "bptui", *TUTOR))
        cpu_minimal.append(first_frame_cpu(env, "minimal app ready", str(HERE / "minimal_app.py")))

    def ms(values):
        values = list(values)
        return f"{1000 * statistics.median(values):6.1f} ms (min {1000 * min(values):5.1f})"

    first_tutor = statistics.median(t[0] for t in tutor)
    first_minimal = statistics.median(m[0] for m in minimal)
    ratio = first_tutor / first_minimal
    print(f"median of {args.runs} runs, 100×30 pseudo-terminal, Python {sys.version.split()[0]}")
    print(f"first frame   minimal Textual app    {ms([m[0] for m in minimal])}")
    print(f"first frame   bptui lecture-example  {ms([t[0] for t in tutor])}   ratio {ratio:.2f}×")
    cpu_ratio = statistics.median(cpu_tutor) / statistics.median(cpu_minimal)
    print(f"first frame, CPU time   minimal app  {ms(cpu_minimal)}")
    print(f"step 1, CPU time         bptui        {ms(cpu_tutor)}   ratio {cpu_ratio:.2f}×")
    if args.instructions:
        mine = first_frame_instructions(env, "step 1/67", "-m", "bptui", *TUTOR)
        theirs = first_frame_instructions(env, "minimal app ready", str(HERE / "minimal_app.py"))
        print(f"first frame, instructions  minimal {theirs / 1e6:.0f} M  bptui {mine / 1e6:.0f} M"
              f"   ratio {mine / theirs:.2f}×")  # fmt: skip
    answerable = statistics.median(t[1] for t in tutor)
    print(f"step 1 ready for an answer           {ms([t[1] for t in tutor])}   "
          f"ratio {answerable / first_minimal:.2f}× (the goal: at most 1.25×)")  # fmt: skip
    first_answerable = statistics.median(t[1] for t in first_runs)
    print(f"  the same, first run (no steps cache){ms([t[1] for t in first_runs])}   "
          f"ratio {first_answerable / first_minimal:.2f}×")  # fmt: skip
    print(f"keypress → render  minimal app       {ms([m[1] for m in minimal])}")
    print(f"keypress → render  bptui answer      {ms([t[2] for t in tutor])}")
    work = 1000 * measure_answer_work(env)
    print(f"bptui work per answer (grade, save, redraw text) {work:.2f} ms; a 60 Hz frame: 16.7 ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

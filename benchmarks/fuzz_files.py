"""Fuzz the commands with mutated lesson and answers files.

    python benchmarks/fuzz_files.py [--cases 2000] [--seed 1] [--jobs 2]

Each case mutates a shipped lesson (numbers made extreme, lines dropped, doubled or cut short,
strings filled with control characters and markup, brackets nested, bytes made invalid) or an
answers file made from a lesson's key (junk answers, wrong types, unknown ids, hostile `lesson`
paths, hostile tries, hints and reveals), then runs `bptui check` and, if the lesson passes,
`bptui key --json` (or `bptui replay --json` for an answers file), in-process, each with a
one-second alarm. It counts: exit statuses other than 0 or 2, tracebacks (an exception escaping,
or the CLI's "internal error" last resort), timeouts, lessons that `check` accepts but `key` does
not handle, and key output that is not strict JSON. All must be 0.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import random
import signal
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NUMBERS = ["1e308", "-1e308", "1e-300", "800", "-800", "710", "-710", "0", "-0.0", "1e6", "-1e6",
           "1000001", "9" * 400, "nan", "inf", "-inf", "0.5", "1e12", "3.3e-7", "-2"]  # fmt: skip
STRINGS = ["", " ", "\x1b[2J", "\x1b]0;owned\x07", "[b]bold[/b]", "[/]", "\\", "x\\", "[$accent]",
           "a" * 5000, "σ", "\u202e", "z₁", "x1", "\x00", "\ud7ff"]  # fmt: skip
WORDS = ["sigmoid", "softmax", "tanh", "relu", "linear", "cross_entropy", "squared_error",
         "forward", "update", "chain", "values", "local", "bogus"]  # fmt: skip


class Alarm(Exception):
    pass


def _alarm(*_):
    raise Alarm


def mutate_lesson(text: str, rng: random.Random) -> bytes:
    lines = text.splitlines()
    for _ in range(rng.randint(1, 4)):
        if not lines:  # every line deleted already: an empty file is a case too
            break
        kind = rng.randrange(10)
        i = rng.randrange(len(lines))
        if kind == 0:
            del lines[i]
        elif kind == 1:
            lines.insert(i, lines[rng.randrange(len(lines))])
        elif kind in (2, 3, 4):  # a number made extreme
            import re

            found = list(re.finditer(r"-?\d+(\.\d+)?(e-?\d+)?", lines[i]))
            if found:
                m = rng.choice(found)
                lines[i] = lines[i][: m.start()] + rng.choice(NUMBERS) + lines[i][m.end() :]
        elif kind == 5:  # a string made hostile
            if '"' in lines[i]:
                head, _, rest = lines[i].partition('"')
                value = json.dumps(rng.choice(STRINGS))
                lines[i] = head + value + rest.partition('"')[2]
        elif kind == 6:
            lines[i] = lines[i].replace(rng.choice(WORDS), rng.choice(WORDS))
        elif kind == 7:
            depth = rng.choice([3, 50, 600])
            lines.insert(i, f"deep = {'[' * depth}{']' * depth}")
        elif kind == 8:
            lines = lines[: rng.randrange(len(lines))]
            if not lines:
                lines = [""]
        else:
            lines[i] = lines[i][: rng.randrange(len(lines[i]) + 1)]
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    if rng.random() < 0.05:
        data = data[: rng.randrange(len(data) + 1)] + bytes([rng.randrange(128, 256)])
    if rng.random() < 0.03:
        data = b"\xef\xbb\xbf" + data
    return data


def answers_text(ids: list[str], rng: random.Random) -> str:
    junk = ["4", "0.98", "-0.5", "1/0", "9^9^9", "[/]", "\x1b[2J", "(" * 50, "e", "0.9⁸",
            "1e999", "", " ", "a" * 300, "σ(1)", "0,5", "−2", "nan"]  # fmt: skip
    lines = []
    lesson = (
        None
        if rng.random() < 0.8
        else rng.choice(
            [
                "lecture-example",
                "/dev/zero",
                "../../etc/passwd",
                "",
                "01-chain-rule-case-1",
                "\x1b[2J",
            ]
        )
    )
    if lesson is not None:
        lines.append(f"lesson = {json.dumps(lesson)}")
    if rng.random() < 0.2:
        pick = rng.sample(ids, k=min(3, len(ids)))
        if rng.random() < 0.05:
            pick.append("no.such.step")
        lines.append(f"revealed = {json.dumps(pick)}")
    lines.append("[answers]")
    for step_id in rng.sample(ids, k=rng.randint(0, len(ids))):
        value = (
            json.dumps(rng.choice(junk))
            if rng.random() < 0.97
            else rng.choice(["1", "1.5e308", "true", "[1, 2]", "{a = 1}", "-7"])
        )
        lines.append(f"{json.dumps(step_id)} = {value}")
    if rng.random() < 0.05:
        lines.append('"unknown.step" = "4"')
    if rng.random() < 0.3:
        lines.append("[tries]")
        for step_id in rng.sample(ids, k=min(3, len(ids))):
            lines.append(f"{json.dumps(step_id)} = {json.dumps(rng.sample(junk, 3))}")
    if rng.random() < 0.3:
        lines.append("[hints]")
        step_id = rng.choice(ids)
        count = rng.choice(["2", "1", "3", "-5", "1e9", '"x"', "1000"])
        lines.append(f"{json.dumps(step_id)} = {count}")
    return "\n".join(lines) + "\n"


def run_cli(argv: list[str]) -> tuple[int | None, str, float, str]:
    """(exit status or None if it raised, output, seconds, what escaped)."""
    from bptui.cli import main

    out, err = io.StringIO(), io.StringIO()
    started = time.monotonic()
    escaped = ""
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, 1.0)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    except Alarm:
        code, escaped = None, "timeout"
    except SystemExit as exit_:  # argparse
        code = exit_.code if isinstance(exit_.code, int) else 2
    except BaseException as error:  # noqa: BLE001 - this is what the fuzz looks for
        code, escaped = None, f"{type(error).__name__}: {error}"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return code, out.getvalue() + err.getvalue(), time.monotonic() - started, escaped


def strict_json(text: str) -> bool:
    def refuse(name):
        raise ValueError(name)

    try:
        json.loads(text, parse_constant=refuse)
    except ValueError:
        return False
    return True


def one_case(args: tuple[int, int]) -> dict:
    seed, index = args
    from bptui.i18n import set_language
    from bptui.lesson import shipped_lessons

    set_language("en")
    rng = random.Random(seed * 1_000_003 + index)
    lessons = shipped_lessons()
    base = rng.choice(lessons)
    problems = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "case.toml"
        if index % 2 == 0:
            path.write_bytes(mutate_lesson(base.read_text(encoding="utf-8"), rng))
            code, out, seconds, escaped = run_cli(["check", str(path)])
            runs = [("check", code, out, seconds, escaped)]
            if code == 0:
                code, out, seconds, escaped = run_cli(["key", str(path), "--json"])
                runs.append(("key", code, out, seconds, escaped))
                if code != 0:
                    problems.append("check accepted a lesson key did not handle")
                elif not strict_json(out):
                    problems.append("key output is not strict JSON")
        else:
            from bptui import steps
            from bptui.lesson import load

            ids = [s.id for s in steps.asked(steps.build(load(str(base))))]
            path.write_text(answers_text(ids, rng), encoding="utf-8")
            code, out, seconds, escaped = run_cli(["replay", str(base), str(path), "--json"])
            runs = [("replay", code, out, seconds, escaped)]
    for command, code, out, seconds, escaped in runs:
        if escaped == "timeout" or seconds > 1.0:
            problems.append(f"{command}: timeout ({seconds:.2f} s)")
        elif escaped or "internal error" in out or "Traceback" in out:
            problems.append(f"{command}: traceback: {escaped or out.strip()[:300]}")
        elif code not in (0, 2):
            problems.append(f"{command}: exit {code}")
    accepted = runs[0][1] == 0
    return {"index": index, "base": base.name, "problems": problems, "accepted": accepted}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    started = time.monotonic()
    with ProcessPoolExecutor(args.jobs) as pool:
        results = list(pool.map(one_case, [(args.seed, i) for i in range(args.cases)], chunksize=8))
    bad = [r for r in results if r["problems"]]
    kinds = {"traceback": 0, "timeout": 0}
    for result in bad:
        for problem in result["problems"]:
            for kind in kinds:
                if kind in problem:
                    kinds[kind] += 1
            print(f"case {result['index']} ({result['base']}): {problem}")
    lessons = sum(1 for r in results if r["index"] % 2 == 0)
    passed = sum(1 for r in results if r["index"] % 2 == 0 and r["accepted"])
    graded = sum(1 for r in results if r["index"] % 2 == 1 and r["accepted"])
    print(f"{args.cases} cases ({lessons} lessons, {passed} of them accepted by check and keyed; "
          f"{args.cases - lessons} answers files, {graded} of them graded), "
          f"seed {args.seed}, {time.monotonic() - started:.0f} s: "
          f"{kinds['traceback']} tracebacks, {kinds['timeout']} timeouts, "
          f"{len(bad)} cases with a problem")  # fmt: skip
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

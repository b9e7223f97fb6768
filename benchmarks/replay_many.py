"""How long `bptui replay` takes to grade a class: N answers files, 3 of them broken.

    python benchmarks/replay_many.py [--files 1000] [--runs 5] [--lesson lecture-example]

Makes N answers files in a temporary folder, as a class would hand them in: most steps right,
typical named mistakes (a few common ones more often than the rest, worked out by the engine),
some answers unreadable, some steps left out, some right after a wrong try or a hint; and 3
broken files (malformed TOML, an unknown step id, bytes that are not UTF-8). Then times, each in
a fresh interpreter (the median of --runs runs, wall and CPU time): `bptui key LESSON --json`
(the fixed cost: start-up, the lesson, its steps), and `bptui replay LESSON FOLDER` with
--json, as text, and with --report --csv --html. The cost per file is (replay − key) / N.
Every replay must exit 3 (some files graded, some not) and grade N − 3 files.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BROKEN = {
    "zz-broken-toml.toml": b'[answers\n"s1.loss" = 1\n',
    "zz-broken-id.toml": b'[answers]\n"s9.nowhere" = 1\n',
    "zz-broken-bytes.toml": b'[answers]\n"s1.loss" = "\xff"\n',
}


def make_class(lesson_spec: str, count: int, folder: Path, seed: int) -> None:
    import math

    from bptui import lesson, steps
    from bptui.notation import shown_at

    loaded = lesson.load(lesson_spec)
    asked = steps.asked(steps.build(loaded))
    rng = random.Random(seed)
    slips = {}
    for step in asked:  # each step's mistakes, the first ones the most common
        values = [(m.name, m.value(step.values("exact"))) for m in step.mistakes]
        slips[step.id] = [shown_at(v, step.places) for _, v in values if math.isfinite(v)]
    for i in range(count - len(BROKEN)):
        answers, tries, hints = {}, {}, {}
        for step in asked:
            roll = rng.random()
            common = slips[step.id]
            slip = common[min(int(rng.expovariate(1.0)), len(common) - 1)] if common else None
            if roll < 0.08 and slip:
                answers[step.id] = slip
            elif roll < 0.12 and slip:
                tries[step.id] = [slip, step.shown]
            elif roll < 0.15:
                hints[step.id] = 1
                answers[step.id] = step.shown
            elif roll < 0.17:
                answers[step.id] = rng.choice(["0.4.2", "x", "1,,2"])
            elif roll < 0.21:
                continue  # left out
            else:
                answers[step.id] = step.shown
        lines = [f"lesson = {json.dumps(loaded.source)}", "[answers]"]
        lines += [
            f"{json.dumps(k)} = {json.dumps(v, ensure_ascii=False)}" for k, v in answers.items()
        ]
        if tries:
            lines.append("[tries]")
            lines += [
                f"{json.dumps(k)} = {json.dumps(v, ensure_ascii=False)}" for k, v in tries.items()
            ]
        if hints:
            lines.append("[hints]")
            lines += [f"{json.dumps(k)} = {n}" for k, n in hints.items()]
        (folder / f"learner-{i:05d}.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for name, raw in BROKEN.items():
        (folder / name).write_bytes(raw)


def timed(argv: list[str], env: dict, expect: int) -> tuple[float, float, bytes]:
    """Wall and CPU seconds of one run in a fresh interpreter, and its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(argv, env=env, capture_output=True, timeout=600)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if result.returncode != expect:
        sys.exit(f"{' '.join(argv)}: exit {result.returncode}, not {expect}\n"
                 + result.stderr.decode(errors="replace")[-2000:])  # fmt: skip
    return wall, cpu, result.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--lesson", default="lecture-example")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bptui-replay-") as tmp:
        tmp = Path(tmp)
        folder = tmp / "class"
        folder.mkdir()
        env = {**os.environ, "XDG_CACHE_HOME": str(tmp / "cache"), "COLUMNS": "100",
               "XDG_DATA_HOME": str(tmp / "data"), "PYTHONPATH": str(ROOT)}  # fmt: skip
        os.environ.update({k: env[k] for k in ("XDG_CACHE_HOME", "XDG_DATA_HOME")})
        make_class(args.lesson, args.files, folder, args.seed)
        bptui = [sys.executable, "-m", "bptui"]
        replay = [*bptui, "replay", args.lesson, str(folder)]
        cases = {
            "key --json": ([*bptui, "key", args.lesson, "--json"], 0),
            "replay --json": ([*replay, "--json"], 3),
            "replay (text)": (replay, 3),
            "replay --report --csv --html": (
                [*replay, "--report", "--csv", str(tmp / "r.csv"), "--html", str(tmp / "r.html")],
                3,
            ),
        }
        timed(cases["key --json"][0], env, 0)  # the lesson's steps into the cache, as usual
        _, _, out = timed(cases["replay --json"][0], env, 3)
        data = json.loads(out)
        graded, unusable = len(data["files"]), len(data["unusable"])
        assert (graded, unusable) == (args.files - len(BROKEN), len(BROKEN)), (graded, unusable)
        results = {name: [] for name in cases}
        for _ in range(args.runs):  # interleaved, so each case sees the same machine
            for name, (argv, expect) in cases.items():
                wall, cpu, _ = timed(argv, env, expect)
                results[name].append((wall, cpu))
    python = sys.version.split()[0]
    print(f"{args.files} answers files ({graded} graded, {unusable} broken), lesson "
          f"{args.lesson}; median of {args.runs} runs, Python {python}")  # fmt: skip
    key_wall = statistics.median(w for w, _ in results["key --json"])
    key_cpu = statistics.median(c for _, c in results["key --json"])
    for name, runs in results.items():
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        line = f"{name:30} wall {wall * 1000:7.0f} ms   CPU {cpu * 1000:7.0f} ms"
        if name != "key --json":
            per_wall = (wall - key_wall) / args.files * 1000
            per_cpu = (cpu - key_cpu) / args.files * 1000
            line += f"   per file: {per_wall:.2f} ms wall, {per_cpu:.2f} ms CPU"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())

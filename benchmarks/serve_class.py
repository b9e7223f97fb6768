"""A class at once: N learners open `bptui serve` together; how long until each can answer, and
how much memory the server and its tutors take.

    python benchmarks/serve_class.py [--learners 30] [--spread 0] [--lesson lecture-example]

Starts `bptui serve` on a free port of 127.0.0.1 (its own data and cache folders, in a temporary
folder), then N learners connect at the same moment (or one after another, evenly over --spread
seconds), each as a browser does: the page (for its
cookie), then the websocket, the terminal's size, the focus once the first screen has come.
Each learner types step 1's answer (worked out by the engine) as soon as it connects: the tutor
keeps what is typed while the lesson loads. Reported, over the learners:

- step 1 shown: from connecting until the screen shows `step 1/N`;
- answer judged: until the screen shows `step 2/N` (the answer typed at once, then checked);
- memory with every tutor open: RSS (resident, counting shared pages in each process) and PSS
  (each shared page divided among the processes sharing it: the real total), of the server and of
  the tutors, read from /proc; and the CPU seconds the tutors used;
- how long until every tutor has ended once the pages close, and until ctrl+c stops the server.

Nothing but 127.0.0.1 is contacted; the learners stop by themselves (bounded by --timeout).
The browser's own work (xterm drawing the screen) is on each learner's machine and not counted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ANSI = re.compile(rb"\x1b(\[[0-9;?<>=!]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|.)")


def first_step(lesson: str) -> tuple[str, int]:
    from bptui import steps
    from bptui.key import key_data, trace_of
    from bptui.lesson import load

    loaded = load(lesson)
    trace = trace_of(loaded)
    built = steps.build(loaded, trace)
    return key_data(loaded, trace, built)["steps"][0]["shown"], len(built)


def start_server(lesson: str, folder: Path) -> tuple[subprocess.Popen, str]:
    environment = dict(os.environ)
    environment["XDG_DATA_HOME"] = str(folder / "data")
    environment["XDG_CACHE_HOME"] = str(folder / "cache")
    command = [sys.executable, "-m", "bptui", "serve", lesson, "--lang", "en"]
    command += ["--host", "127.0.0.1", "--port", "0", "--data", str(folder / "class")]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environment
    )
    for line in process.stdout:
        found = re.search(r" at (http://\S+)", line)
        if found:
            threading.Thread(target=drain, args=(process,), daemon=True).start()
            return process, found.group(1)
    raise SystemExit("the server did not start")


LOG: list[str] = []


def drain(process: subprocess.Popen) -> None:
    for line in process.stdout:
        LOG.append(line)


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def tutors_of(server: int) -> list[int]:
    """The server's tutors: its children, or (forked from the zygote) the zygote's."""
    found = []
    for pid in children(server):
        if is_zygote(pid):
            found += children(pid)
        else:
            found.append(pid)
    return found


def is_zygote(pid: int) -> bool:
    try:
        return b"bptui.web.zygote" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def memory(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of a process, in KiB."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def learner(
    url: str, answer: str, total: int, timeout: float, start: asyncio.Event, delay: float
):
    """One browser: (seconds until step 1 is shown, until the typed answer is judged), and the
    open websocket (closed by the caller)."""
    import aiohttp

    session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))  # 127.0.0.1's
    async with session.get(url + "/") as page:
        await page.read()
    await start.wait()
    await asyncio.sleep(delay)
    began = time.perf_counter()
    origin = url
    websocket = await session.ws_connect(
        url.replace("http://", "ws://") + "/ws/en?width=120&height=36", origin=origin
    )
    await websocket.send_json(["resize", {"width": 120, "height": 36}])
    await websocket.send_json(["stdin", answer + "\r"])  # typed at once, kept until it is ready
    seen = b""
    shown = judged = None
    focused = False
    deadline = began + timeout
    while judged is None and time.perf_counter() < deadline:
        try:
            message = await websocket.receive(timeout=max(0.01, deadline - time.perf_counter()))
        except TimeoutError:
            break
        if message.type != aiohttp.WSMsgType.BINARY:
            if message.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                break
            continue
        if not focused:
            await websocket.send_json(["focus"])
            focused = True
        seen = (seen + ANSI.sub(b"", message.data))[-20000:]
        if shown is None and f"step 1/{total}".encode() in seen:
            shown = time.perf_counter() - began
        if f"step 2/{total}".encode() in seen:
            judged = time.perf_counter() - began
    return shown, judged, websocket, session


async def keep_reading(websocket) -> None:
    with contextlib.suppress(Exception):
        while not websocket.closed:
            await websocket.receive()


def spread(values: list[float]) -> str:
    if not values:
        return "none"
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]
    return (
        f"median {statistics.median(ordered):.2f} s, 90% {p90:.2f} s, slowest {ordered[-1]:.2f} s"
    )


async def one_round(url: str, server: subprocess.Popen, learners: int, answer, total, args):
    start = asyncio.Event()
    tasks = [
        asyncio.create_task(
            learner(url, answer, total, args.timeout, start, args.spread * i / learners)
        )
        for i in range(learners)
    ]
    await asyncio.sleep(0.5)  # every page loaded: now all open their tutors at once
    began = time.perf_counter()
    start.set()
    results = await asyncio.gather(*tasks)
    everyone = time.perf_counter() - began
    tutors = tutors_of(server.pid)
    helpers = [server.pid, *(pid for pid in children(server.pid) if is_zygote(pid))]
    server_rss = sum(memory(pid)[0] for pid in helpers)
    server_pss = sum(memory(pid)[1] for pid in helpers)
    tutor_memory = [memory(pid) for pid in tutors]
    tutor_cpu = [cpu_seconds(pid) for pid in tutors]
    # Then everyone reads the card: the tutors sit idle (a cursor blinks), the pages stay open.
    # Each learner's output keeps being read, as a browser does.
    readers = [asyncio.create_task(keep_reading(r[2])) for r in results]
    idle_before = sum(cpu_seconds(pid) for pid in [*helpers, *tutors])
    await asyncio.sleep(args.idle)
    idle_cpu = sum(cpu_seconds(pid) for pid in [*helpers, *tutors]) - idle_before
    for reader in readers:
        reader.cancel()
    closing = time.perf_counter()
    for _, _, websocket, session in results:
        await websocket.close()
        await session.close()
    while tutors_of(server.pid) and time.perf_counter() - closing < 30:
        await asyncio.sleep(0.05)
    ended = time.perf_counter() - closing
    return {
        "learners": learners,
        "spread": args.spread,
        "step 1 shown": [r[0] for r in results if r[0] is not None],
        "answer judged": [r[1] for r in results if r[1] is not None],
        "all judged after": everyone,
        "tutors": len(tutors),
        "server KiB": (server_rss, server_pss),
        "tutor RSS KiB": [m[0] for m in tutor_memory],
        "tutor PSS KiB": [m[1] for m in tutor_memory],
        "tutor CPU s": tutor_cpu,
        "idle CPU share": idle_cpu / args.idle if args.idle else None,
        "tutors ended after": ended,
        "left": len(tutors_of(server.pid)),
        "stopped": sum("did not quit" in line for line in LOG),
    }


def report(result: dict) -> None:
    n = result["learners"]
    mib = 1024
    rss, pss = result["tutor RSS KiB"], result["tutor PSS KiB"]
    server_rss, server_pss = result["server KiB"]
    when = f"over {result['spread']:g} s" if result["spread"] else "at once"
    print(f"{n} learners {when} ({os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}):")
    print(f"  step 1 shown:   {spread(result['step 1 shown'])} ({len(result['step 1 shown'])}/{n})")
    print(
        f"  answer judged:  {spread(result['answer judged'])} ({len(result['answer judged'])}/{n})"
    )
    if rss:
        print(
            f"  memory: server (and zygote) {server_rss / mib:.0f} MiB RSS; each tutor "
            f"{statistics.median(rss) / mib:.0f} MiB RSS, {statistics.median(pss) / mib:.0f} MiB "
            f"PSS; all {result['tutors']} tutors and the server: "
            f"{(sum(rss) + server_rss) / mib:.0f} MiB RSS, "
            f"{(sum(pss) + server_pss) / mib:.0f} MiB PSS"
        )
        print(
            f"  CPU per tutor to get there: median {statistics.median(result['tutor CPU s']):.2f} s"
        )
    if result["idle CPU share"] is not None:
        print(
            f"  all open and idle: the server and tutors use {result['idle CPU share']:.2f} "
            "of a core"
        )
    print(
        f"  pages closed: every tutor ended within {result['tutors ended after']:.2f} s "
        f"({result['left']} left; {result['stopped']} had to be stopped)"
    )
    LOG.clear()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--lesson", default="lecture-example")
    parser.add_argument("--rounds", type=int, default=1, help="classes one after the other")
    parser.add_argument("--timeout", type=float, default=120, help="seconds a learner waits")
    parser.add_argument("--idle", type=float, default=10, help="seconds all sit idle, measured")
    parser.add_argument(
        "--spread", type=float, default=0, help="learners arrive evenly over these seconds"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args()
    if not 1 <= args.learners <= 200:
        parser.error("--learners: 1 to 200")
    answer, total = first_step(args.lesson)
    with tempfile.TemporaryDirectory(prefix="bptui-serve-class-") as folder:
        server, url = start_server(args.lesson, Path(folder))
        try:
            for number in range(args.rounds):
                result = asyncio.run(one_round(url, server, args.learners, answer, total, args))
                if args.rounds > 1:
                    print(f"round {number + 1}", end=": ")
                report(result)
                if args.json:
                    print(json.dumps(result))
        finally:
            began = time.perf_counter()
            server.send_signal(signal.SIGINT)
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
            print(f"  ctrl+c: the server stopped in {time.perf_counter() - began:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

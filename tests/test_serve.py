"""`bptui serve`: the tutor in the browser, a learner per browser, personal links for a class.

The browser tests drive Debian's `chromium` through Playwright from PyPI (launched with
`executable_path`; never `playwright install`). The page draws into a canvas: bptui's copy of
textual-serve's `textual.js` leaves its xterm Terminal at `window.bptuiTerminal`, whose buffer is
the screen as text. They skip where chromium or Playwright is missing, except in CI (BPTUI_CI=1,
set by .ci/run), where that is a failure.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from argparse import Namespace
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bptui import serve, steps
from bptui.cli import main
from bptui.key import key_data, trace_of
from bptui.lesson import load

from .conftest import LECTURE

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("BPTUI_CI") == "1"
CHROMIUM = os.environ.get("BPTUI_CHROMIUM") or shutil.which("chromium")
SCREEN_JS = """() => {
  const terminal = window.bptuiTerminal;
  if (!terminal) return "";
  const buffer = terminal.buffer.active, lines = [];
  for (let i = 0; i < buffer.length; i++) {
    const line = buffer.getLine(i);
    lines.push(line ? line.translateToString(true) : "");
  }
  return lines.join("\\n");
}"""


def unavailable(*modules: str) -> None:
    """Skip (fail in CI) when what a test needs is not installed."""
    missing = []
    for module in modules:
        try:
            __import__(module)
        except ImportError:
            missing.append(f"the Python package {module}")
    if "playwright" in modules and not (CHROMIUM and Path(CHROMIUM).exists()):
        missing.append("chromium (apt-get install chromium)")
    if missing:
        message = "not installed: " + ", ".join(missing)
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


# ---------------------------------------------------------------------------------------------
# A server, started as a teacher would, stopped with ctrl+c


class Served:
    def __init__(self, *options: str, data: Path, host: str = "127.0.0.1"):
        unavailable("textual_serve")
        self.data = data
        command = [sys.executable, "-m", "bptui", "serve", *options]
        command += ["--host", host, "--port", "0", "--data", str(data)]
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT
        )
        self.lines: list[str] = []
        started = threading.Event()

        def read() -> None:
            for line in self.process.stdout:
                self.lines.append(line)
                if line.startswith("bptui serve: "):
                    started.set()
            started.set()

        threading.Thread(target=read, daemon=True).start()
        if not started.wait(60) or self.process.poll() is not None:
            self.process.kill()
            raise AssertionError("the server did not start:\n" + "".join(self.lines))
        said = "".join(self.lines)
        port = re.search(r"listening on \S+:(\d+)\)", said) or re.search(
            r" at http://\S+:(\d+)", said
        )
        port = int(port.group(1))
        self.url = f"http://127.0.0.1:{port}"  # bound to 0.0.0.0 too, the page is reached here

    def tutors(self) -> list[int]:
        """The tutor processes the server runs now (one per open page): its children, or those
        of the zygote they are forked from."""
        found = []
        for pid in children(self.process.pid):
            try:
                zygote = b"bptui.web.zygote" in Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            found += children(pid) if zygote else [pid]
        return found

    def until_tutors(self, count: int, seconds: float = 10) -> None:
        end = time.monotonic() + seconds
        while len(self.tutors()) != count and time.monotonic() < end:
            time.sleep(0.1)
        assert len(self.tutors()) == count, "".join(self.lines)

    def stop(self) -> float:
        """ctrl+c; how long the server took to stop."""
        start = time.monotonic()
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
        return time.monotonic() - start


def children(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                found.append(int(entry.name))
    return found


@pytest.fixture(params=["forked", "plain"])
def lecture_server(tmp_path, monkeypatch, request):
    if request.param == "plain":  # tutors started as processes of their own, not forked
        monkeypatch.setenv("BPTUI_SERVE_FORK", "0")
    server = Served(str(LECTURE), "--lang", "en", data=tmp_path / "class")
    yield server
    if server.process.poll() is None:
        server.stop()


def get(url: str, cookie: str | None = None):
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return (
                response.status,
                dict(response.headers),
                response.read().decode("utf-8", "replace"),
            )
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8", "replace")


def first_step():
    """What step 1 of the lecture asks, worked out by the engine: (value as shown, steps in all)."""
    lesson = load(str(LECTURE))
    trace = trace_of(lesson)
    built = steps.build(lesson, trace)
    return key_data(lesson, trace, built)["steps"][0]["shown"], len(built)


# ---------------------------------------------------------------------------------------------
# In a real browser


@pytest.fixture
def browser():
    unavailable("playwright", "textual_serve")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


class Tab:
    """A page in a browser context of its own; requests to any other host are blocked, and
    counted."""

    def __init__(self, browser, elsewhere: list[str]):
        self.context = browser.new_context(viewport={"width": 1100, "height": 700})

        def only_here(route) -> None:
            if urlsplit(route.request.url).hostname in ("127.0.0.1", "localhost"):
                route.continue_()
            else:
                elsewhere.append(route.request.url)
                route.abort()

        self.context.route("**/*", only_here)
        self.page = self.context.new_page()

    def screen(self) -> str:
        return self.page.evaluate(SCREEN_JS)

    def until(self, text: str, seconds: float = 30) -> str:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen:\n{self.screen()}")

    def type(self, text: str) -> None:
        self.page.focus(".xterm-helper-textarea")
        self.page.keyboard.type(text)
        self.page.keyboard.press("Enter")


def test_each_browser_is_its_own_learner_and_resumes(lecture_server, browser, tmp_path):
    shown, total = first_step()
    elsewhere: list[str] = []
    a = Tab(browser, elsewhere)
    response = a.page.goto(lecture_server.url)
    assert response.status == 200
    assert a.page.title() == "bptui · The lecture's example network"
    a.until(f"step 1/{total}")
    a.until("f1 Help")  # the key bar: the tutor knows it has the focus, without a click
    a.type(shown)
    a.until(f"step 2/{total}")
    assert "✓ 1 first try" in a.screen()

    b = Tab(browser, elsewhere)  # another browser: another learner, untouched by A
    b.page.goto(lecture_server.url)
    top = b.until(f"step 1/{total}").splitlines()[0]
    assert "✓ 0 first try" in top

    a.page.reload()  # the same browser comes back: on step 2, with its score
    top = a.until(f"step 2/{total}").splitlines()[0]
    assert "✓ 1 first try" in top
    assert elsewhere == []  # no font, script or anything else from the internet

    folders = sorted(p.name for p in lecture_server.data.iterdir())
    assert len(folders) == 2 and all(f.startswith("browser-") for f in folders)
    [record] = lecture_server.data.glob("browser-*/bptui/attempts/*.toml")
    assert shown in record.read_text(encoding="utf-8")  # A's answer, in A's folder only

    class_folder = tmp_path / "collected"
    assert serve.collect(lecture_server.data, class_folder, str(LECTURE)) == (1, 1)
    [copied] = class_folder.iterdir()
    assert copied.name == f"{record.parents[2].name}--{record.name}"

    lecture_server.until_tutors(2)
    a.context.close()  # a tab closed: its tutor ends
    lecture_server.until_tutors(1)
    assert lecture_server.stop() < 5  # ctrl+c with a learner still there
    assert lecture_server.process.returncode == 0
    log = "".join(lecture_server.lines)
    assert "Traceback" not in log and "Unknown child" not in log and "did not quit" not in log


def test_personal_links_work_from_any_browser_and_refuse_wrong_keys(browser, tmp_path):
    students = tmp_path / "students.txt"
    students.write_text("# class 3B\nAda Lovelace\n\n<b>Bob</b> & Co\n", encoding="utf-8")
    data = tmp_path / "class"
    links = subprocess.run(
        [sys.executable, "-m", "bptui", "serve", "--students", str(students), "--links"]
        + ["--data", str(data), "--public-url", "http://127.0.0.1:1"],
        capture_output=True, text=True, timeout=60, cwd=ROOT,
    )  # fmt: skip
    assert links.returncode == 0, links.stderr
    names_links = [line.split("\t") for line in links.stdout.splitlines()]
    assert [name for name, _ in names_links] == ["Ada Lovelace", "<b>Bob</b> & Co"]
    keys = {name: link.rsplit("/s/", 1)[1] for name, link in names_links}

    # Bound to every address: the page finds its websocket under whatever name it was opened by.
    server = Served(
        str(LECTURE), "--students", str(students), "--lang", "en", data=data, host="0.0.0.0"
    )
    try:
        shown, total = first_step()
        elsewhere: list[str] = []
        first = Tab(browser, elsewhere)
        first.page.goto(f"{server.url}/s/{keys['Ada Lovelace']}")
        first.until(f"step 1/{total}")
        first.type(shown)
        first.until(f"step 2/{total}")

        other = Tab(browser, elsewhere)  # Ada's link in another browser: Ada's progress
        other.page.goto(f"{server.url}/s/{keys['Ada Lovelace']}")
        other.until(f"step 2/{total}")
        bob = Tab(browser, elsewhere)
        localhost = server.url.replace("127.0.0.1", "localhost")
        bob.page.goto(f"{localhost}/s/{keys['<b>Bob</b> & Co']}")
        assert bob.page.title().endswith(" · <b>Bob</b> & Co")  # shown as text, never as HTML
        bob.until(f"step 1/{total}")

        wrong = keys["Ada Lovelace"][:-1] + ("A" if keys["Ada Lovelace"][-1] != "A" else "B")
        response = other.page.goto(f"{server.url}/s/{wrong}")
        assert response.status == 403
        assert "This link is not valid" in other.page.inner_text("body")
        response = other.page.goto(server.url)  # no anonymous learners in a class
        assert response.status == 403
        assert "personal links" in other.page.inner_text("body")
        for websocket in (f"/s/{wrong}/ws/en", "/ws/en"):  # and no tutor behind the page either
            assert other.page.request.get(server.url + websocket).status == 403
        assert elsewhere == []
        assert (data / "Ada_Lovelace" / "bptui" / "attempts").is_dir()
        assert not any(p.name.startswith("browser-") for p in data.iterdir())
    finally:
        assert server.stop() < 5


# ---------------------------------------------------------------------------------------------
# Over plain HTTP


def test_the_page_is_bptuis_own(lecture_server):
    status, headers, text = get(lecture_server.url + "/")
    assert status == 200
    assert "<title>bptui · The lecture&#x27;s example network</title>" in text
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert re.search(r"HttpOnly", headers["Set-Cookie"]) and "SameSite=Lax" in headers["Set-Cookie"]
    # Nothing from elsewhere, and no address baked in: the websocket is found from the page's own.
    assert not re.search(r"(src|href)=\"(https?:)?//", text)
    assert 'data-session-websocket-url="/ws/en"' in text
    for name in ("textual.js", "page.js", "page.css", "xterm.css", "RobotoMono.ttf"):
        assert get(f"{lecture_server.url}/static/{name}")[0] == 200
    assert "window.bptuiTerminal=" in get(lecture_server.url + "/static/textual.js")[2]
    assert get(lecture_server.url + "/static/../serve.py")[0] == 404
    # A websocket without a learner's cookie gets no tutor.
    assert get(lecture_server.url + "/ws/en")[0] == 403
    assert lecture_server.tutors() == []


def test_without_its_zygote_the_server_starts_tutors_itself(lecture_server):
    """The zygote gone (killed): each tutor is started as a process of its own instead."""
    import asyncio

    import aiohttp

    for pid in children(lecture_server.process.pid):
        if b"bptui.web.zygote" in Path(f"/proc/{pid}/cmdline").read_bytes():
            os.kill(pid, signal.SIGKILL)
    _, total = first_step()

    async def learner() -> str:
        jar = aiohttp.CookieJar(unsafe=True)
        async with aiohttp.ClientSession(cookie_jar=jar) as session:
            async with session.get(lecture_server.url + "/") as page:
                assert page.status == 200
            url = lecture_server.url.replace("http", "ws") + "/ws/en?width=100&height=30"
            async with session.ws_connect(url, origin=lecture_server.url) as websocket:
                seen = b""
                while f"step 1/{total}".encode() not in seen:
                    message = await websocket.receive(timeout=30)
                    assert message.type == aiohttp.WSMsgType.BINARY, message
                    seen += message.data
                return seen.decode("utf-8", "replace")

    assert "The lecture's example network" in asyncio.run(learner())
    lecture_server.until_tutors(0)


def test_the_page_speaks_the_browsers_language_at_the_public_address(tmp_path):
    public = "https://class.example/bptui"  # behind a proxy: the address learners use
    server = Served(str(LECTURE), "--public-url", public, data=tmp_path / "class")  # no --lang
    try:
        request = urllib.request.Request(server.url, headers={"Accept-Language": "zh-CN,zh;q=0.9"})
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read().decode("utf-8")
        assert '<html lang="zh">' in text and "重新开始" in text
        assert 'data-session-websocket-url="wss://class.example/bptui/ws/zh"' in text
        assert 'src="/bptui/static/textual.js"' in text
        assert "Secure" in response.headers["Set-Cookie"]
        assert f"at {public} (listening on 127.0.0.1:" in "".join(server.lines)
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("header", "language"),
    [("zh-CN,zh;q=0.9,en;q=0.8", "zh"), ("en-GB,zh;q=0.5", "en"), ("fr, zh-TW;q=0.3", "zh"),
     ("", "en"), ("de", "en"), ("en;q=0.2, zh;q=0.7", "zh"), ("zh;q=abc", "zh")],
)  # fmt: skip
def test_choose_language(header, language):
    unavailable("textual_serve")
    from bptui.web.server import choose_language

    assert choose_language(header) == language


# ---------------------------------------------------------------------------------------------
# Bad input: a short message, exit status 2


def serve_args(**options) -> list[str]:
    words = ["serve"]
    for name, value in options.items():
        flag = "--" + name.replace("_", "-")
        words += [flag] if value is True else [flag, str(value)]
    return words


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Ada\nBob\nada\n", "students.txt:3: ada is listed twice (line 1)"),
        ("Ada\nB\x1b[31mob\n", "students.txt:2: a name cannot hold control characters"),
        ("# nobody\n\n", "students.txt: has no names"),
        ("x" * 101 + "\n", "students.txt:1: a name may be at most 100 characters"),
        (b"Ada\n\xff\n", "students.txt:2: is not UTF-8 text"),
    ],
)
def test_a_bad_students_file_is_refused(tmp_path, capsys, text, message):
    path = tmp_path / "students.txt"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    assert main(serve_args(students=path, links=True, data=tmp_path / "d", port=8000)) == 2
    error = capsys.readouterr().err
    assert message in error and "Traceback" not in error and "\x1b" not in error


def test_a_fifo_or_a_huge_students_file_is_refused(tmp_path, capsys):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    assert main(serve_args(students=fifo, links=True, data=tmp_path / "d")) == 2
    assert "is a FIFO (named pipe), not a students file" in capsys.readouterr().err
    huge = tmp_path / "huge"
    huge.write_text("name\n" * 100_000, encoding="utf-8")
    assert main(serve_args(students=huge, links=True, data=tmp_path / "d")) == 2
    assert "is larger than 256 KiB" in capsys.readouterr().err


def test_links_keep_their_keys_across_runs(tmp_path, capsys):
    students = tmp_path / "students.txt"
    students.write_text("Ada\n王小明\n", encoding="utf-8")
    args = serve_args(students=students, links=True, data=tmp_path / "d", public_url="http://h:1/")
    assert main(args) == 0
    before = capsys.readouterr().out
    students.write_text("Ada\n王小明\nCarl\n", encoding="utf-8")
    assert main(args) == 0
    after = capsys.readouterr().out
    assert after.startswith(before)  # the same links; Carl's added
    assert re.fullmatch(r"Carl\thttp://h:1/s/[A-Za-z0-9_-]{24}", after.splitlines()[2])
    keys = tmp_path / "d" / "students.json"
    assert keys.stat().st_mode & 0o777 == 0o600
    folders = [s["folder"] for s in json.loads(keys.read_text(encoding="utf-8"))["students"]]
    assert folders == ["Ada", "王小明", "Carl"]
    keys.write_text("{not json", encoding="utf-8")
    assert main(args) == 2
    assert "is not bptui's list of students' keys" in capsys.readouterr().err


def test_a_folder_for_every_name():
    taken = {"ada"}
    assert serve.folder_for("Ada", taken) == "Ada-2"
    assert serve.folder_for("../../etc", set()) == "etc"
    assert serve.folder_for("...", set()) == "student"
    assert serve.folder_for("browser-1234", set()) == "student-browser-1234"
    assert serve.folder_for("Zoë O'Neil", set()) == "Zoë_O_Neil"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"links": True}, "--links prints the students' links: give --students FILE"),
        ({"public_url": "ftp://x"}, "--public-url 'ftp://x': give a full address"),
        ({"public_url": "http://x/?a=1"}, "without ?query"),
        ({"port": 70000}, "--port 70000: a port is a number from 1 to 65535"),
    ],
)
def test_bad_options_are_refused(tmp_path, capsys, options, message):
    assert main(serve_args(data=tmp_path / "d", **options)) == 2
    assert message in capsys.readouterr().err


def test_a_bad_lesson_is_refused(tmp_path, capsys):
    assert main([*serve_args(data=tmp_path / "d"), "no-such-lesson"]) == 2
    assert "no shipped lesson of that name" in capsys.readouterr().err


def test_a_port_in_use_is_refused(tmp_path):
    unavailable("textual_serve")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "bptui", "serve", "--host", "127.0.0.1", "--port", str(port)]
            + ["--data", str(tmp_path / "d")],
            capture_output=True, text=True, timeout=60, cwd=ROOT,
        )  # fmt: skip
    assert result.returncode == 2
    assert f"bptui: cannot listen on 127.0.0.1:{port}: " in result.stderr
    assert "Traceback" not in result.stderr


def test_without_the_web_extra_serve_says_how_to_get_it(tmp_path):
    code = (
        "import sys; sys.modules['textual_serve'] = None; from bptui.cli import main;"
        f"sys.exit(main(['serve', '--data', {str(tmp_path / 'd')!r}]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert result.returncode == 2
    assert "bptui serve needs the web extra" in result.stderr
    assert "pip install 'bptui[web]'" in result.stderr and "Traceback" not in result.stderr


def test_collect_gathers_every_learners_records(tmp_path, capsys):
    data = tmp_path / "class"
    for learner, names in {"Ada": ["a-1.toml", "a-2.toml"], "browser-0f": ["b.toml"]}.items():
        folder = data / learner / "bptui" / "attempts"
        folder.mkdir(parents=True)
        for name in names:
            (folder / name).write_text(f"# {learner} {name}\n", encoding="utf-8")
    (data / "empty").mkdir()
    args = Namespace(
        data=str(data), collect=str(tmp_path / "out"), lesson=None, public_url=None,
        students=None, links=False, port=8000, host="localhost", lang=None,
    )  # fmt: skip
    assert serve.main(args) == 0
    assert "3 attempt records of 2 learners copied to" in capsys.readouterr().out
    out = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert out == ["Ada--a-1.toml", "Ada--a-2.toml", "browser-0f--b.toml"]
    assert (tmp_path / "out" / "Ada--a-2.toml").read_text(encoding="utf-8") == "# Ada a-2.toml\n"


# ---------------------------------------------------------------------------------------------
# The web extra is `serve`'s alone


def test_only_serve_imports_the_web_extra():
    web = ("aiohttp", "textual_serve", "jinja2", "aiohttp_jinja2")
    importers = set()
    for path in (ROOT / "bptui").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(name.split(".")[0] in web for name in names):
                importers.add(path.relative_to(ROOT).as_posix())
    assert importers == {"bptui/web/server.py"}


def test_the_tutor_and_the_headless_commands_never_load_it():
    code = (
        "import sys; from bptui.cli import main; import bptui.tui.app, bptui.serve;"
        "main(['key', 'lecture-example', '--json']);"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('aiohttp', 'textual_serve')"
        " or m.startswith('bptui.web')), file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "[]"

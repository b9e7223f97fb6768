"""The web server of `bptui serve`: bptui's own page, and a tutor per websocket (textual-serve).

textual-serve's `AppService` runs each tutor and carries its screen to the browser; its `Server`
is not used, since it bakes its host into the page, loads a font from the internet and titles the
page with the command line. The page here is bptui's (`page.html`, `page.css`, `page.js`): no font
or script from elsewhere, the websocket's address taken from the page's own, and textual-serve's
`textual.js` with two changes: it starts when the page says, and its session and the xterm
Terminal it draws into are `window.bptuiSession` and `window.bptuiTerminal` (the page tells the
tutor it has the focus once connected; a test reads the screen from the Terminal's buffer).

Each tutor is `bptui [LESSON] --lang L` with XDG_DATA_HOME set to its learner's folder, forked
from `bptui.web.zygote` (Textual and the tutor imported once: a class starting together costs a
third of the CPU and memory), or, where that cannot run (or BPTUI_SERVE_FORK=0), started as
`python -m bptui ...`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import html
import json
import os
import re
import secrets
import signal
import socket
import sys
import time
from dataclasses import dataclass
from importlib import resources
from importlib.metadata import version
from pathlib import Path
from string import Template
from types import SimpleNamespace
from urllib.parse import urlsplit

from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from bptui.notation import clean

TEXTUAL_SERVE = "1.1.3"  # textual.js is patched: the version pinned in the `web` extra
COOKIE = "bptui_learner"
YEAR = 365 * 24 * 3600
MAX_SESSIONS = 150  # tutors at once, over all learners (each is a process of ~50 MiB)
MAX_PER_LEARNER = 4  # tabs at once of one learner
STOP_SECONDS = 3  # a tutor asked to quit that has not is killed after this
PAGE_WORDS = {
    "en": {
        "starting": "Starting your tutor…",
        "ended": "This session has ended. Your work is saved: start again to go on from where "
        "you were.",
        "again": "Start again",
        "students_only": "This class uses personal links: open the link your teacher gave you.",
        "bad_link": "This link is not valid. Check it, or ask your teacher for yours.",
        "busy": "The tutor is busy",
    },
    "zh": {
        "starting": "正在启动 bptui……",
        "ended": "这次的会话已经结束。你的进度已保存：重新开始，就能从上次停下的地方继续。",
        "again": "重新开始",
        "students_only": "这个班使用个人链接：请打开老师发给你的链接。",
        "bad_link": "这个链接无效。请检查一下，或者向老师要你自己的链接。",
        "busy": "bptui 正忙",
    },
}
PATCHES = (  # (what textual.js says, what bptui's copy says): each must be found exactly once
    ("window.onload=e=>{", "window.bptuiStart=e=>{"),
    (
        "const t=new w(e,{ping:r});",
        "const t=new w(e,{ping:r});window.bptuiSession=t;window.bptuiTerminal=t.terminal;",
    ),
)
STATIC_TYPES = {
    "xterm.css": "text/css",
    "page.css": "text/css",
    "page.js": "application/javascript",
    "textual.js": "application/javascript",
    "RobotoMono.ttf": "font/ttf",
}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; "
    "connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


@dataclass
class Setup:
    host: str
    port: int
    public_url: str | None
    lang: str | None  # None: each browser's own language (Accept-Language)
    lesson: object | None  # bptui.serve.ServedLesson, or None for the picker
    data: Path
    roster: object | None  # bptui.serve.Roster with --students


@dataclass
class Learner:
    folder: str  # under the data folder
    label: str  # for the teacher's console
    lang: str


@dataclass(eq=False)
class Session:
    learner: Learner
    websocket: web.WebSocketResponse
    service: LearnerService | None = None


class LearnerService(AppService):
    """textual-serve's AppService, starting the tutor with its learner's own folder and without
    a shell, in a session of its own (ctrl+c at the teacher's terminal reaches the server, which
    then asks each tutor to quit)."""

    def __init__(self, argv: list[str], environment: dict[str, str], **options):
        super().__init__(" ".join(argv), **options)
        self.argv, self.environment = argv, environment
        self._ending: asyncio.Future | None = None
        self.killed = False  # it did not quit when asked, and was stopped

    zygote: Zygote | None = None  # set by the server: tutors are forked from it when it can

    async def _open_app_process(self, width: int = 80, height: int = 24):
        environment = self._build_environment(width=width, height=height)
        environment.update(self.environment)
        if self.zygote is not None:
            forked = await self.zygote.fork(self.argv[3:], environment)
            if forked is not None:
                self._process, self._stdin = forked, forked.stdin
                return forked
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=environment,
            start_new_session=True,
        )
        self._stdin = process.stdin
        return process

    async def end(self) -> None:
        """Ask the tutor to quit (its progress is saved after every action anyway); kill it if
        it has not quit within a few seconds. Once, however often it is called."""
        if self._ending is None:
            self._ending = asyncio.ensure_future(self._end())
        await asyncio.shield(self._ending)

    async def _end(self) -> None:
        with contextlib.suppress(TimeoutError, OSError):
            await asyncio.wait_for(asyncio.shield(self.stop()), STOP_SECONDS)
        process = self._process
        if process is not None:
            # Its screen goes nowhere now, but is read on, so that writing it never holds the
            # tutor up while it quits.
            drain = asyncio.ensure_future(self._drain(process))
            try:
                await asyncio.wait_for(process.wait(), STOP_SECONDS)
            except TimeoutError:
                self.killed = True
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(process.wait(), STOP_SECONDS)
            drain.cancel()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(BaseException):
                await self._task
            self._task = None

    @staticmethod
    async def _drain(process) -> None:
        with contextlib.suppress(Exception):
            while await process.stdout.read(65536):
                pass


class Zygote:
    """`bptui.web.zygote`, the process tutors are forked from (Textual and the tutor imported
    once, not once per learner). Where it cannot run, tutors are started the plain way."""

    def __init__(self) -> None:
        self.process: asyncio.subprocess.Process | None = None
        self.control: socket.socket | None = None
        self.lock = asyncio.Lock()

    async def start(self) -> None:
        if not (hasattr(os, "pidfd_open") and hasattr(socket, "send_fds")):
            return  # not Linux (or too old a kernel): plain processes
        if os.environ.get("BPTUI_SERVE_FORK") == "0":
            return  # asked for plain processes
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        environment = AppService._build_environment(SimpleNamespace(debug=False))  # Textual's
        try:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bptui.web.zygote", str(theirs.fileno()),
                pass_fds=(theirs.fileno(),), stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL, env=environment, start_new_session=True,
            )  # fmt: skip
        except OSError:
            ours.close()
            return
        finally:
            theirs.close()
        ours.settimeout(15)  # a zygote that does not answer: plain processes instead
        self.control = ours

    def _ask(self, request: bytes, fds: list[int]) -> dict:
        assert self.control is not None
        socket.send_fds(self.control, [request], fds)
        return json.loads(self.control.recv(4096) or b"{}")

    async def fork(self, argv: list[str], environment: dict[str, str]) -> Forked | None:
        """A tutor forked with this command line and environment, or None (then the caller
        starts it the plain way)."""
        if self.control is None:
            return None
        loop = asyncio.get_running_loop()
        stdin_r, stdin_w = os.pipe()
        stdout_r, stdout_w = os.pipe()
        stderr_r, stderr_w = os.pipe()
        request = json.dumps({"argv": argv, "env": environment}).encode()
        try:
            async with self.lock:
                answer = await loop.run_in_executor(
                    None, self._ask, request, [stdin_r, stdout_w, stderr_w]
                )
        except (OSError, ValueError):
            answer = {}
        finally:
            for fd in (stdin_r, stdout_w, stderr_w):
                os.close(fd)
        pid = answer.get("pid") if isinstance(answer, dict) else None
        if not isinstance(pid, int) or pid <= 0:
            for fd in (stdin_w, stdout_r, stderr_r):
                os.close(fd)
            self.control.close()
            self.control = None  # it is not working: plain processes from now on
            return None
        return await Forked.open(pid, stdin_w, stdout_r, stderr_r)

    async def stop(self) -> None:
        if self.control is not None:
            self.control.close()  # it ends when its socket does
            self.control = None
        if self.process is not None and self.process.returncode is None:
            try:
                await asyncio.wait_for(self.process.wait(), STOP_SECONDS)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    self.process.kill()
                await self.process.wait()


class Forked:
    """A forked tutor, shaped as asyncio's Process for textual-serve: its pipes as streams, its
    end seen through a pidfd (the zygote reaps it, so its exit status is not known here)."""

    def __init__(self, pid: int, pidfd: int | None, stdin, stdout, stderr):
        self.pid, self.pidfd = pid, pidfd
        self.stdin, self.stdout, self.stderr = stdin, stdout, stderr
        self.returncode: int | None = None
        self.loop = asyncio.get_running_loop()
        self.exited = self.loop.create_future()
        if pidfd is None:
            self.ended()
        else:
            self.loop.add_reader(pidfd, self.ended)

    @classmethod
    async def open(cls, pid: int, stdin_w: int, stdout_r: int, stderr_r: int) -> Forked:
        loop = asyncio.get_running_loop()
        try:
            pidfd = os.pidfd_open(pid)
        except ProcessLookupError:
            pidfd = None  # ended already
        streams = []
        for fd in (stdout_r, stderr_r):
            reader = asyncio.StreamReader(limit=2**16)
            await loop.connect_read_pipe(
                lambda reader=reader: asyncio.StreamReaderProtocol(reader), os.fdopen(fd, "rb", 0)
            )
            streams.append(reader)
        transport, protocol = await loop.connect_write_pipe(
            asyncio.streams.FlowControlMixin, os.fdopen(stdin_w, "wb", 0)
        )
        stdin = asyncio.StreamWriter(transport, protocol, None, loop)
        return cls(pid, pidfd, stdin, *streams)

    def ended(self) -> None:
        if self.pidfd is not None:
            self.loop.remove_reader(self.pidfd)
            os.close(self.pidfd)
            self.pidfd = None
        if self.returncode is None:
            self.returncode = 0
        with contextlib.suppress(Exception):
            self.stdin.close()
        if not self.exited.done():
            self.exited.set_result(0)

    async def wait(self) -> int:
        return await asyncio.shield(self.exited)

    def kill(self) -> None:
        if self.pidfd is None:
            raise ProcessLookupError(self.pid)
        signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)


def patched_textual_js() -> bytes:
    text = static_file("js/textual.js").decode("utf-8")
    for old, new in PATCHES:
        if text.count(old) != 1:
            installed = version("textual-serve")
            raise RuntimeError(
                f"textual-serve {installed} is not the version bptui knows ({TEXTUAL_SERVE}): "
                "pip install 'bptui[web]'"
            )
        text = text.replace(old, new)
    return text.encode("utf-8")


def static_file(name: str) -> bytes:
    return (resources.files("textual_serve") / "static" / name).read_bytes()


def own_file(name: str) -> bytes:
    return (resources.files("bptui.web") / name).read_bytes()


def choose_language(header: str) -> str:
    """en or zh, whichever the browser ranks higher (Accept-Language); English if neither."""
    best, best_q = "en", -1.0
    for part in header.split(",")[:20]:
        tag, _, params = part.strip().partition(";")
        q = 1.0
        match = re.search(r"q=([0-9.]{1,5})", params)
        if match:
            with contextlib.suppress(ValueError):
                q = float(match.group(1))
        code = tag.strip().lower()[:2]
        if code in ("en", "zh") and q > best_q:
            best, best_q = code, q
    return best


class Server:
    def __init__(self, setup: Setup):
        self.setup = setup
        self.sessions: set[Session] = set()
        self.files = {
            "xterm.css": static_file("css/xterm.css"),
            "RobotoMono.ttf": static_file("fonts/RobotoMono-VariableFont_wght.ttf"),
            "textual.js": patched_textual_js(),
            "page.css": own_file("page.css"),
            "page.js": own_file("page.js"),
        }
        self.page = Template(own_file("page.html").decode("utf-8"))
        self.refused = Template(own_file("refused.html").decode("utf-8"))
        public = urlsplit(setup.public_url) if setup.public_url else None
        self.prefix = public.path if public else ""
        self.public_host = public.netloc if public else None
        self.downloads = DownloadManager()
        self.zygote = Zygote()
        self.command = [sys.executable, "-m", "bptui"]
        if setup.lesson is not None:
            self.command.append(setup.lesson.argument)

    def application(self) -> web.Application:
        app = web.Application(middlewares=[self.headers])
        app.add_routes(
            [
                web.get("/", self.index),
                web.get("/ws/{lang}", self.websocket),
                web.get("/s/{key}", self.student_page),
                web.get("/s/{key}/ws/{lang}", self.websocket),
                web.get("/static/{name}", self.static),
            ]
        )
        return app

    @web.middleware
    async def headers(self, request: web.Request, handler):
        response = await handler(request)
        response.headers.update(SECURITY_HEADERS)
        return response

    # --- who is asking ----------------------------------------------------------------------

    def language(self, request: web.Request) -> str:
        wanted = request.match_info.get("lang")
        if wanted in PAGE_WORDS:
            return self.setup.lang or wanted
        return self.setup.lang or choose_language(request.headers.get("Accept-Language", ""))

    def title(self, lang: str, student: str | None = None) -> str:
        lesson = self.setup.lesson
        parts = ["bptui"]
        if lesson is not None:
            parts.append(lesson.titles.get(lang) or next(iter(lesson.titles.values())))
        if student:
            parts.append(student)
        return " · ".join(clean(p).replace("\n", " ") for p in parts)

    def student(self, request: web.Request):
        roster = self.setup.roster
        key = request.match_info.get("key", "")
        return roster.find(key) if roster is not None and len(key) <= 64 else None

    def refuse(self, request: web.Request, status: int, what: str) -> web.Response:
        lang = self.language(request)
        words = PAGE_WORDS[lang]
        text = self.refused.substitute(
            lang=lang,
            title=html.escape(self.title(lang)),
            static=html.escape(f"{self.prefix}/static"),
            message=html.escape(words[what]),
        )
        return web.Response(
            text=text,
            status=status,
            content_type="text/html",
            headers={"Cache-Control": "no-store"},
        )

    def page_for(self, request: web.Request, websocket: str, student: str | None) -> web.Response:
        lang = self.language(request)
        words = PAGE_WORDS[lang]
        path = f"{self.prefix}{websocket}/ws/{lang}"
        if self.setup.public_url:  # an address given by the teacher, e.g. behind a proxy
            scheme = "wss" if self.setup.public_url.startswith("https") else "ws"
            path = f"{scheme}://{self.public_host}{path}"
        text = self.page.substitute(
            lang=lang,
            title=html.escape(self.title(lang, student)),
            static=html.escape(f"{self.prefix}/static"),
            websocket=html.escape(path),
            starting=html.escape(words["starting"]),
            ended=html.escape(words["ended"]),
            again=html.escape(words["again"]),
        )
        return web.Response(
            text=text, content_type="text/html", headers={"Cache-Control": "no-store"}
        )

    async def index(self, request: web.Request) -> web.Response:
        if self.setup.roster is not None:
            return self.refuse(request, 403, "students_only")
        browser_id = request.cookies.get(COOKIE, "")
        response = self.page_for(request, "", None)
        if not re.fullmatch(r"[0-9a-f]{32}", browser_id):  # a new browser: a new learner
            response.set_cookie(
                COOKIE,
                secrets.token_hex(16),
                max_age=YEAR,
                path="/",
                httponly=True,
                samesite="Lax",
                secure=request.secure or (self.setup.public_url or "").startswith("https"),
            )
        return response

    async def student_page(self, request: web.Request) -> web.Response:
        student = self.student(request)
        if student is None:
            return self.refuse(request, 403, "bad_link")
        key = request.match_info["key"]
        return self.page_for(request, f"/s/{key}", student.name)

    async def static(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in self.files:
            raise web.HTTPNotFound()
        return web.Response(
            body=self.files[name],
            content_type=STATIC_TYPES[name],
            headers={"Cache-Control": "no-cache"},
        )

    def learner(self, request: web.Request) -> Learner | None:
        lang = self.language(request)
        if "key" in request.match_info:
            student = self.student(request)
            if student is None:
                return None
            return Learner(student.folder, clean(student.name), lang)
        if self.setup.roster is not None:
            return None
        browser_id = request.cookies.get(COOKIE, "")
        if not re.fullmatch(r"[0-9a-f]{32}", browser_id):
            return None
        folder = browser_folder(browser_id)
        return Learner(folder, folder, lang)

    def same_origin(self, request: web.Request) -> bool:
        """A page of another site may not open a learner's tutor with the learner's cookie."""
        origin = request.headers.get("Origin")
        if origin is None:
            return True  # not a browser (a browser always sends Origin with a websocket)
        netloc = urlsplit(origin).netloc
        return netloc in (request.headers.get("Host"), self.public_host)

    # --- a tutor per websocket --------------------------------------------------------------

    async def websocket(self, request: web.Request) -> web.StreamResponse:
        learner = self.learner(request)
        if learner is None or not self.same_origin(request):
            raise web.HTTPForbidden(text="not a learner of this class")
        mine = [s for s in self.sessions if s.learner.folder == learner.folder]
        if len(self.sessions) >= MAX_SESSIONS or len(mine) >= MAX_PER_LEARNER:
            raise web.HTTPServiceUnavailable(text=PAGE_WORDS["en"]["busy"])
        width = bounded(request.query.get("width"), 80, 20, 500)
        height = bounded(request.query.get("height"), 24, 10, 300)
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=1024 * 1024)
        await websocket.prepare(request)
        session = Session(learner, websocket)
        self.sessions.add(session)
        folder = self.setup.data / learner.folder
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            service = LearnerService(
                [*self.command, "--lang", learner.lang],
                {"XDG_DATA_HOME": str(folder), "BPTUI_SERVE": "1"},  # served: a learner's own
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.downloads,
            )
            service.zygote = self.zygote
            session.service = service
            await service.start(width, height)
            say(f"{learner.label} opened a tutor ({len(self.sessions)} open)")
            # A tutor that ends by itself (ctrl+q, or it could not start) closes its page.
            service._task.add_done_callback(lambda _: asyncio.ensure_future(websocket.close()))
            await self.relay(websocket, service)
        except (ConnectionError, OSError) as error:
            say(f"{learner.label}: {clean(str(error))}")
        finally:
            self.sessions.discard(session)
            if session.service is not None:
                await session.service.end()
                how = " that did not quit: stopped it" if session.service.killed else ""
                say(f"{learner.label} closed a tutor{how} ({len(self.sessions)} open)")
            with contextlib.suppress(Exception):
                await websocket.close()
        return websocket

    async def relay(self, websocket: web.WebSocketResponse, service: LearnerService) -> None:
        """The browser's keys, size, focus and pings, to the tutor; anything malformed ignored."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except ValueError:
                continue
            if not isinstance(envelope, list) or not envelope:
                continue
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                await service.send_bytes(data.encode("utf-8", "replace"))
            elif kind == "resize" and isinstance(data, dict):
                width = bounded(data.get("width"), 80, 20, 500)
                height = bounded(data.get("height"), 24, 10, 300)
                await service.set_terminal_size(width, height)
            elif kind == "ping" and isinstance(data, str) and len(data) < 100:
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await service.blur()
            elif kind == "focus":
                await service.focus()

    async def close_all(self) -> None:
        """Every page told the session ended; every tutor asked to quit, killed if it will not."""
        sessions = list(self.sessions)
        await asyncio.gather(
            *(s.websocket.close(code=1001) for s in sessions), return_exceptions=True
        )
        await asyncio.gather(
            *(s.service.end() for s in sessions if s.service is not None), return_exceptions=True
        )
        for _ in range(50):  # each page's handler says goodbye to its learner
            if not self.sessions:
                break
            await asyncio.sleep(0.02)


def bounded(value, default: int, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return max(low, min(high, number))


def say(text: str) -> None:
    print(time.strftime("%H:%M:%S"), text, flush=True)


def shown_address(setup: Setup, port: int) -> str:
    if setup.public_url:
        return f"{setup.public_url} (listening on {setup.host or '*'}:{port})"
    host = setup.host
    if host in ("0.0.0.0", "::", ""):
        host = socket.gethostname()
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


class CannotServe(Exception):
    """Why the server cannot start, in one line."""


async def serve(setup: Setup, ready=None) -> int:
    try:
        server = Server(setup)
    except RuntimeError as error:
        raise CannotServe(str(error)) from None
    await server.zygote.start()
    runner = web.AppRunner(
        server.application(), access_log=None, handle_signals=False, shutdown_timeout=1
    )
    await runner.setup()
    site = web.TCPSite(runner, setup.host or None, setup.port)
    try:
        await site.start()
    except OSError as error:
        await runner.cleanup()
        await server.zygote.stop()
        why = clean(error.strerror or str(error))
        raise CannotServe(f"cannot listen on {setup.host}:{setup.port}: {why}") from None
    port = runner.addresses[0][1] if runner.addresses else setup.port
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signal_number, stop.set)
    what = "the lesson list" if setup.lesson is None else next(iter(setup.lesson.titles.values()))
    print(f"bptui serve: {clean(what)} at {shown_address(setup, port)}", flush=True)
    if setup.roster is not None:
        count = len(setup.roster.students)
        print(f"{count} students, each with a personal link (bptui serve --students FILE --links)")
    else:
        print("every browser is a learner of its own")
    print(f"learners' folders: {setup.data}", flush=True)
    print("ctrl+c stops", flush=True)
    if ready is not None:
        ready(port)
    await stop.wait()
    print(f"stopping: closing {len(server.sessions)} tutors", flush=True)
    await server.close_all()
    await runner.cleanup()
    await server.zygote.stop()
    return 0


def run(setup: Setup) -> int:
    os.environ.pop("TEXTUAL_DRIVER", None)  # each tutor gets the web driver from AppService
    return asyncio.run(serve(setup))


def browser_folder(browser_id: str) -> str:
    """A browser's folder: named by a hash of its id, so a folder's name never opens it."""
    return "browser-" + hashlib.sha256(browser_id.encode()).hexdigest()[:16]

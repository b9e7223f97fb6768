"""`bptui serve`: the tutor in the browser for a class, a learner per browser.

Every learner has a folder of their own under the data folder (`--data`, else `serve/` in bptui's
user data folder), and the tutor each learner's browser talks to runs with XDG_DATA_HOME set to
it: its progress and attempt records are that learner's alone, resumed whenever that learner
comes back. A browser is known by a random id in an HttpOnly cookie (folder `browser-<hash>`);
with `--students FILE`, each student instead has a personal link with a secret key (folder named
after the student), kept in `students.json` in the data folder so links stay valid across
restarts, and nobody without a link gets a tutor.

This module is the command: students, keys, links, collecting attempt records. The web server
itself (aiohttp and textual-serve, the `web` extra) is `bptui.web.server`, imported only to serve.
"""

from __future__ import annotations

import hmac
import json
import os
import re
import secrets
import shutil
import socket
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

STUDENTS_BYTES = 256 * 1024
KEYS_FILE = "students.json"
KEYS_BYTES = 4 * 1024 * 1024
MAX_NAME = 100
KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
BROWSER_ID = re.compile(r"[0-9a-f]{32}")
ANY_ADDRESS = ("0.0.0.0", "::", "")


class ServeError(Exception):
    """Bad input to `bptui serve`, said in one line (exit status 2)."""


@dataclass(frozen=True)
class Student:
    name: str
    key: str
    folder: str


def main(args) -> int:
    from bptui.notation import clean

    try:
        return serve(args)
    except ServeError as error:
        print(f"bptui: {clean(str(error))}", file=sys.stderr)
        return 2


def serve(args) -> int:
    data = Path(args.data) if args.data else default_data()
    port = getattr(args, "port", 8000)
    if not 0 <= port <= 65535:
        raise ServeError(f"--port {port}: a port is a number from 1 to 65535 (0: any free one)")
    public = public_url(args.public_url) if args.public_url else None
    students = read_students(args.students) if args.students else None
    if getattr(args, "collect", None):
        return collect_command(data, Path(args.collect), args.lesson)
    if args.links and students is None:
        raise ServeError("--links prints the students' links: give --students FILE")
    roster = Roster.open(data, students) if students is not None else None
    if args.links:
        base = public or link_base(args.host, port)
        for student in roster.students:
            print(f"{clean_name(student.name)}\t{base}/s/{student.key}")
        if not public and args.host in ("localhost", "127.0.0.1", "::1"):
            sys.stdout.flush()
            print(
                "bptui: these links work on this machine only: give --public-url (or --host "
                "0.0.0.0) for the address learners use",
                file=sys.stderr,
            )
        return 0
    lesson = prepare_lesson(args.lesson, args.lang) if args.lesson else None
    data.mkdir(parents=True, exist_ok=True, mode=0o700)  # OSError: said by the command line
    try:
        from bptui.web import server
    except ImportError as error:
        raise ServeError(
            f"bptui serve needs the web extra ({error.name or error} is missing): "
            "pip install 'bptui[web]'"
        ) from None
    setup = server.Setup(
        host=args.host,
        port=port,
        public_url=public,
        lang=args.lang,
        lesson=lesson,
        data=data,
        roster=roster,
    )
    try:
        return server.run(setup)
    except server.CannotServe as error:
        raise ServeError(str(error)) from None


def default_data() -> Path:
    from bptui.progress import data_dir

    return data_dir() / "serve"


def public_url(url: str) -> str:
    """The address learners use, checked: http(s)://host[:port][/prefix], no trailing slash."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ServeError(f"--public-url {url!r}: give a full address, like http://10.0.0.5:8000")
    if parts.query or parts.fragment or any(c.isspace() for c in url.strip()):
        raise ServeError(f"--public-url {url!r}: an address without ?query, #fragment or spaces")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def link_base(host: str, port: int) -> str:
    """Where learners reach this machine, for printed links (--public-url says it better)."""
    if port == 0:
        raise ServeError("--links needs the port learners will use: give --port (or --public-url)")
    if host in ANY_ADDRESS:
        host = socket.gethostname()
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}" + ("" if port == 80 else f":{port}")


# ---------------------------------------------------------------------------------------------
# Students: the names in the teacher's file, a key and a folder for each


def read_students(path: str) -> list[str]:
    """The names in a students file: one a line; blank lines and lines starting with # skipped."""
    from bptui.files import FileProblem, read_text

    try:
        text = read_text(path, STUDENTS_BYTES, "a students file")
    except FileProblem as problem:
        where = f"{path}:{problem.line}" if problem.line else path
        raise ServeError(f"{where}: {problem.message}") from None
    names: list[str] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        name = unicodedata.normalize("NFC", line.strip())
        if not name or name.startswith("#"):
            continue
        if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in name):
            raise ServeError(f"{path}:{number}: a name cannot hold control characters")
        if len(name) > MAX_NAME:
            raise ServeError(f"{path}:{number}: a name may be at most {MAX_NAME} characters")
        if name.casefold() in seen:
            raise ServeError(
                f"{path}:{number}: {name} is listed twice (line {seen[name.casefold()]})"
            )
        seen[name.casefold()] = number
        names.append(name)
    if not names:
        raise ServeError(f"{path}: has no names (one student a line)")
    return names


def clean_name(name: str) -> str:
    from bptui.notation import clean

    return clean(name).replace("\t", " ").replace("\n", " ")


def folder_for(name: str, taken: set[str]) -> str:
    """A folder name for a student: the letters and digits of the name (never a browser's)."""
    text = unicodedata.normalize("NFKC", name)
    base = "".join(c if c.isalnum() or c in "-_" else "_" for c in text).strip("_-")[:40]
    base = base or "student"
    if base.startswith("browser-"):
        base = f"student-{base}"
    candidate, number = base, 2
    while candidate.casefold() in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


class Roster:
    """The students of this class with their keys and folders, as kept in the data folder."""

    def __init__(self, students: list[Student]):
        self.students = students

    @classmethod
    def open(cls, data: Path, names: list[str]) -> Roster:
        """The students named, with the key and folder each had before; new ones get theirs.
        Students no longer named keep their entry (and folder), but their links stop working."""
        path = data / KEYS_FILE
        known = read_keys(path)
        by_name = {s.name: s for s in known}
        taken = {s.folder.casefold() for s in known}
        if data.is_dir():
            taken |= {entry.name.casefold() for entry in data.iterdir()}
        added = []
        for name in names:
            if name not in by_name:
                folder = folder_for(name, taken)
                taken.add(folder.casefold())
                by_name[name] = Student(name, secrets.token_urlsafe(18), folder)
                added.append(by_name[name])
        if added:
            write_keys(path, [*known, *added])
        return cls([by_name[name] for name in names])

    def find(self, key: str) -> Student | None:
        """The student whose link has this key (compared in constant time), or None."""
        found = None
        for student in self.students:
            if hmac.compare_digest(student.key.encode(), key.encode()):
                found = student
        return found


def read_keys(path: Path) -> list[Student]:
    from bptui.files import FileProblem, read_text

    if not os.path.lexists(path):
        return []
    broken = f"{path}: is not bptui's list of students' keys"
    try:
        data = json.loads(read_text(path, KEYS_BYTES, "a keys file"))
    except FileProblem as problem:
        raise ServeError(f"{path}: {problem.message}") from None
    except (ValueError, RecursionError):
        raise ServeError(f"{broken} (not JSON); move it aside for new links") from None
    entries = data.get("students") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("format") != 1 or not isinstance(entries, list):
        raise ServeError(f"{broken}; move it aside for new links")
    students = []
    for entry in entries:
        fields = entry if isinstance(entry, dict) else {}
        name, key, folder = (fields.get(k) for k in ("name", "key", "folder"))
        if not (
            isinstance(name, str)
            and isinstance(key, str)
            and KEY.fullmatch(key)
            and isinstance(folder, str)
            and folder_for(folder, set()) == folder
        ):
            raise ServeError(f"{broken} (an entry is not a name, key and folder)")
        students.append(Student(name, key, folder))
    for attribute in ("name", "key", "folder"):
        values = [getattr(s, attribute).casefold() for s in students]
        if len(set(values)) != len(values):
            raise ServeError(f"{broken} (a {attribute} is there twice)")
    return students


def write_keys(path: Path, students: list[Student]) -> None:
    """The keys, written atomically and readable by the teacher alone (0600, folder 0700)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    entries = [{"name": s.name, "key": s.key, "folder": s.folder} for s in students]
    text = json.dumps({"format": 1, "students": entries}, ensure_ascii=False, indent=1)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    with open(os.open(temporary, flags, 0o600), "w", encoding="utf-8") as out:
        out.write(text + "\n")
    os.replace(temporary, path)


# ---------------------------------------------------------------------------------------------
# The lesson, and the attempt records collected for `bptui replay`


@dataclass(frozen=True)
class ServedLesson:
    argument: str  # what each learner's tutor is started with: a shipped name or a full path
    titles: dict  # language → title


def prepare_lesson(spec: str, lang: str | None) -> ServedLesson:
    """The lesson checked as `bptui check` does, its steps worked out once for every language
    learners may get (kept in the shared cache, so each learner's tutor opens on step 1 at once)."""
    from bptui import cache, i18n, lesson, steps

    loaded = lesson.load(spec)  # LessonError → exit 2, said by the command line
    before = i18n.language()
    titles = {}
    try:
        for code in [lang] if lang else list(i18n.LANGUAGES):
            i18n.set_language(code)
            cache.save(loaded, steps.build(loaded))
            titles[code] = i18n.lesson_text(loaded, "title")
    finally:
        i18n.set_language(before)
    path = Path(spec)
    argument = str(path.resolve()) if path.exists() else spec
    return ServedLesson(argument, titles)


def collect(data: Path, dest: Path, lesson_spec: str | None = None) -> tuple[int, int]:
    """Copy every learner's attempt records (of one lesson, if given) into one folder, named
    `<learner>--<record>.toml`; return (records, learners)."""
    prefix = ""
    if lesson_spec:
        from bptui import lesson
        from bptui.progress import Store

        loaded = lesson.load(lesson_spec)
        prefix = Store.of(loaded, root=data).slug + "-"
    if not data.is_dir():
        raise ServeError(f"{data}: no such folder of learners (give --data)")
    records, learners = 0, 0
    for learner in sorted(data.iterdir()):
        attempts = learner / "bptui" / "attempts"
        if learner.is_symlink() or not attempts.is_dir() or attempts.is_symlink():
            continue
        found = [
            f
            for f in sorted(attempts.glob(f"{glob_escape(prefix)}*.toml"))
            if f.is_file() and not f.is_symlink()
        ]
        if found:
            dest.mkdir(parents=True, exist_ok=True)
            learners += 1
        for record in found:
            shutil.copyfile(record, dest / f"{learner.name}--{record.name}")
            records += 1
    return records, learners


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def collect_command(data: Path, dest: Path, lesson_spec: str | None) -> int:
    records, learners = collect(data, dest, lesson_spec)
    print(f"{records} attempt records of {learners} learners copied to {dest}")
    if records:
        print(f"grade them with: bptui replay {lesson_spec or 'LESSON'} {dest}")
    return 0

"""Progress on disk: one JSON file per lesson, written atomically after every change, and the
attempt record made from it (every answer, hint and reveal), in the answers-file format `bptui
replay` reads. Private to the learner: files 0600, folders 0700.

A progress file that cannot be read, fails its schema check, or belongs to an earlier version of
the lesson, is set aside (renamed, never deleted) with a notice; the learner never meets a
traceback. Two tutors on one lesson merge their work step by step under a lock.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
import os
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bptui.i18n import t

FORMAT = 1
OUTCOMES = ("first_try", "after_wrong", "after_hint", "revealed")
FREE = ("invalid", "precision")  # a typo that does not parse, or a right answer too coarse: no try
UNREADABLE = (OSError, ValueError, KeyError, TypeError, AttributeError)
MAX_BYTES = 4 * 1024 * 1024  # a progress file is never near this; larger is not one of ours
MAX_STEPS, MAX_TRIES, MAX_ANSWER = 100_000, 10_000, 1_000
RECORD_KEYS = {"answers", "verdicts", "hints", "revealed", "correct", "filled"}


def data_dir() -> Path:
    import platformdirs  # honours XDG_DATA_HOME

    return platformdirs.user_data_path("bptui", appauthor=False)


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class StepRecord:
    answers: list[str] = field(default_factory=list)  # every answer typed, in order
    # "right", "wrong", "invalid", "precision" or a mistake's key, one for each answer
    verdicts: list[str] = field(default_factory=list)
    hints: int = 0
    revealed: bool = False
    correct: bool = False
    filled: bool = False  # filled in by the tutor: a mastered skill's remaining step

    @property
    def done(self) -> bool:
        return self.correct or self.revealed or self.filled

    @property
    def outcome(self) -> str | None:
        """first_try, after_wrong, after_hint, revealed, filled, or None while not done."""
        if self.revealed and not self.correct:
            return "revealed"
        if self.filled and not self.correct:
            return "filled"
        if not self.correct:
            return None
        if self.hints:
            return "after_hint"
        tries = [v for v in self.verdicts if v not in FREE]
        return "first_try" if tries[:1] == ["right"] else "after_wrong"

    @property
    def graded_answer(self) -> str | None:
        """The first answer that was graded (not unreadable, not merely too coarse)."""
        for answer, verdict in zip(self.answers, self.verdicts, strict=False):
            if verdict not in FREE:
                return answer
        return self.answers[0] if self.answers else None

    @property
    def accepted(self) -> str | None:
        """The answer that was graded right, as typed."""
        for answer, verdict in zip(self.answers, self.verdicts, strict=False):
            if verdict == "right":
                return answer
        return None


@dataclass
class Progress:
    lesson: str  # the lesson's file, as given
    fingerprint: str
    position: int = 0
    records: dict[str, StepRecord] = field(default_factory=dict)
    attempt: str = ""  # the attempt record's path
    total: int = (
        0  # how many steps the lesson asks, so the picker can say "12/67" without the engine
    )
    started: str = field(default_factory=lambda: _stamp())  # names the attempt, orders restarts
    offered: list[str] = field(default_factory=list)  # skills offered to be filled in (once)

    def record(self, step_id: str) -> StepRecord:
        return self.records.setdefault(step_id, StepRecord())


class Store:
    """Where one lesson's progress and attempt records live."""

    def __init__(
        self, lesson_source: str, lesson_name: str, lesson_text: str, root: Path | None = None
    ):
        from bptui.lesson import lessons_dir

        self.root = root or data_dir()
        resolved = Path(lesson_source).resolve()
        # How the attempt record names its lesson: a shipped lesson by name, any other by full path.
        shipped = resolved.parent == lessons_dir().resolve()
        self.lesson_source = lesson_name if shipped else str(resolved)
        where = hashlib.sha1(str(resolved).encode()).hexdigest()[:8]
        self.slug = f"{lesson_name}-{where}"
        self.path = self.root / "progress" / f"{self.slug}.json"
        self.fingerprint = fingerprint(lesson_text)
        self.also: tuple[str, ...] = ()  # earlier fingerprints of the same lesson, still valid

    @classmethod
    def of(cls, lesson, root: Path | None = None) -> Store:
        """A lesson's store, fingerprinted by what its steps depend on: a lesson whose words
        change (a narration, a translation) keeps its learners' progress; one whose numbers or
        questions change sets it aside. (Progress fingerprinted by the whole text, as before,
        is still recognised.)"""
        from bptui.lesson import content

        store = cls(lesson.source, lesson.name, content(lesson), root)
        store.also = (fingerprint(lesson.text),)
        return store

    def ours(self, progress: Progress) -> bool:
        """Whether saved progress belongs to this lesson as it is now."""
        return progress.fingerprint in (self.fingerprint, *self.also)

    def fresh(self) -> Progress:
        return Progress(lesson=self.lesson_source, fingerprint=self.fingerprint)

    def read(self) -> Progress:
        """The saved progress as it is on disk; raises what `UNREADABLE` lists if it is not:
        read through the one reader of untrusted files, then every field checked before use."""
        from bptui.files import FileProblem, read_text

        try:
            text = read_text(self.path, MAX_BYTES, "a progress file")
        except FileProblem as problem:
            if problem.message == "no such file":
                raise FileNotFoundError(self.path) from None
            raise ValueError(problem.message) from None
        try:
            raw = json.loads(text)
        except RecursionError:
            raise ValueError("nested too deeply") from None
        return checked(raw)

    def load(self) -> tuple[Progress, str | None]:
        """The saved progress, or a fresh one and a notice saying why the old one was set aside."""
        if not os.path.lexists(self.path):
            return self.fresh(), None
        try:
            progress = self.read()
        except FileNotFoundError:
            return self.fresh(), None
        except UNREADABLE as error:
            aside = self.set_aside("unreadable")
            key = (
                "progress.not_json"
                if isinstance(error, json.JSONDecodeError)
                else "progress.unreadable"
            )
            return self.fresh(), t(key, aside=aside.name)
        if not self.ours(progress):
            aside = self.set_aside("lesson-changed")
            return self.fresh(), t("progress.changed", aside=aside.name)
        progress.fingerprint = self.fingerprint
        return progress, None

    def peek(self) -> tuple[int, int] | None:
        """(steps done, steps in all) from the saved progress, without changing anything on disk."""
        try:
            progress = self.read()
        except UNREADABLE:
            return None
        if not self.ours(progress):
            return None
        return sum(r.done for r in progress.records.values()), progress.total

    def set_aside(self, why: str) -> Path:
        aside = self.path.with_name(f"{self.path.stem}.{why}-{time.strftime('%Y%m%d-%H%M%S')}.json")
        with contextlib.suppress(OSError):
            os.replace(self.path, aside)
        return aside

    def save(self, progress: Progress, base: dict[str, StepRecord]) -> dict[str, StepRecord]:
        """Write the progress and the attempt record made from it, each atomically, under a lock.

        Another tutor may have saved this lesson meanwhile (a learner with two terminals): what is
        on disk is merged in step by step, so neither loses an answer. `base` holds the records as
        last saved or loaded here; the return value is the new base. `progress` gets the merged
        records, so this tutor sees the other's work too.
        """
        private_folder(self.path.parent, self.root)
        with locked(self.path.with_suffix(".lock")):
            try:
                disk = self.read()
            except UNREADABLE:
                disk = None
            if disk is not None and self.ours(disk):
                if disk.started > progress.started:  # the other tutor started afresh since:
                    progress.started = disk.started  # what this one added goes on from there
                if disk.started == progress.started:
                    progress.records = merge(base, progress.records, disk.records)
                    progress.offered = list(dict.fromkeys([*disk.offered, *progress.offered]))
            data = {"format": FORMAT, **asdict(progress)}
            data["attempt"] = str(self.attempt_path(progress))
            write_atomically(self.path, json.dumps(data, ensure_ascii=False, indent=1))
            if progress.records:
                attempt = self.attempt_path(progress)
                private_folder(attempt.parent, self.root)
                write_atomically(attempt, self.attempt_record(progress))
        return copy.deepcopy(progress.records)

    def attempt_path(self, progress: Progress) -> Path:
        """Where this attempt's record goes: named from the lesson and when the attempt began
        (never a path read from the progress file)."""
        started = progress.started if _STAMP.fullmatch(progress.started) else "unknown"
        return self.root / "attempts" / f"{self.slug}-{started}.toml"

    def attempt_record(self, progress: Progress) -> str:
        """The attempt as an answers file: `bptui replay` grades it as the tutor did."""
        records = progress.records
        answers = {i: r.graded_answer for i, r in records.items() if r.graded_answer is not None}
        tries = {i: r.answers for i, r in records.items() if len(r.answers) > 1}
        hints = {i: r.hints for i, r in records.items() if r.hints}
        revealed = [i for i, r in records.items() if r.revealed]
        filled = [i for i, r in records.items() if r.filled and not r.correct]
        path = self.attempt_path(progress)
        lines = [
            "# bptui attempt record: every answer typed, every hint taken, every value revealed",
            "# (and every step the tutor filled in, a skill being mastered).",
            f"# Grade it with: bptui replay {self.lesson_source} {path}",
            f"lesson = {toml_string(self.lesson_source)}",
        ]
        if revealed:
            lines.append("revealed = [" + ", ".join(map(toml_string, revealed)) + "]")
        if filled:
            lines.append("filled = [" + ", ".join(map(toml_string, filled)) + "]")
        lines += ["", "[answers]  # each step's first graded answer"]
        lines += [f"{toml_string(i)} = {toml_string(a)}" for i, a in answers.items()]
        if tries:
            lines += ["", "[tries]  # every answer typed, in order"]
            lines += [
                f"{toml_string(i)} = [{', '.join(map(toml_string, a))}]" for i, a in tries.items()
            ]  # noqa: E501
        if hints:
            lines += ["", "[hints]"] + [f"{toml_string(i)} = {n}" for i, n in hints.items()]
        return "\n".join(lines) + "\n"


_STAMP = re.compile(r"[0-9A-Za-z-]{1,40}")


def _stamp() -> str:
    """When an attempt began, to the microsecond: later restarts sort after earlier ones."""
    now = time.time()
    return time.strftime("%Y%m%d-%H%M%S", time.localtime(now)) + f"-{int(now % 1 * 1e6):06d}"


def merge(base: dict, ours: dict, theirs: dict) -> dict:
    """Three-way merge of step records: what this tutor added since `base`, put on top of what is
    on disk (`theirs`). Answers and verdicts only ever grow, so nothing either tutor did is lost."""
    merged = dict(theirs)
    for step_id, mine in ours.items():
        before = base.get(step_id) or StepRecord()
        other = theirs.get(step_id)
        if other is None:
            merged[step_id] = mine
            continue
        merged[step_id] = StepRecord(
            answers=other.answers + mine.answers[len(before.answers) :],
            verdicts=other.verdicts + mine.verdicts[len(before.verdicts) :],
            hints=other.hints + max(mine.hints - before.hints, 0),
            revealed=other.revealed or mine.revealed,
            correct=other.correct or mine.correct,
            filled=other.filled or mine.filled,
        )
    return merged


def checked(raw: object) -> Progress:
    """A progress file's JSON, every field checked (type, finite, range); ValueError otherwise."""

    def need(ok: bool, what: str) -> None:
        if not ok:
            raise ValueError(what)

    def whole(value: object, top: int) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= top

    need(isinstance(raw, dict) and raw.get("format") == FORMAT, "unknown format")
    need(isinstance(raw.get("lesson"), str), "lesson")
    need(isinstance(raw.get("fingerprint"), str), "fingerprint")
    need(whole(raw.get("position"), MAX_STEPS), "position")
    need(whole(raw.get("total", 0), MAX_STEPS), "total")
    started = raw.get("started", "")
    need(isinstance(started, str) and (not started or _STAMP.fullmatch(started)), "started")
    records = raw.get("records")
    need(isinstance(records, dict) and len(records) <= MAX_STEPS, "records")
    out = {}
    for step_id, record in records.items():
        need(isinstance(record, dict) and set(record) <= RECORD_KEYS, f"record {step_id}")
        answers, verdicts = record.get("answers", []), record.get("verdicts", [])
        for texts in (answers, verdicts):
            need(isinstance(texts, list) and len(texts) <= MAX_TRIES, "answers")
            need(all(isinstance(x, str) and len(x) <= MAX_ANSWER for x in texts), "answers")
        need(len(answers) == len(verdicts), "verdicts")
        need(whole(record.get("hints", 0), MAX_TRIES), "hints")
        flags = ("revealed", "correct", "filled")
        need(all(isinstance(record.get(k, False), bool) for k in flags), "flags")
        out[step_id] = StepRecord(**record)
    offered = raw.get("offered", [])
    need(isinstance(offered, list) and len(offered) <= 100, "offered")
    need(all(isinstance(x, str) and _STAMP.fullmatch(x.replace("_", "-")) for x in offered),
         "offered")  # fmt: skip
    return Progress(
        lesson=raw["lesson"], fingerprint=raw["fingerprint"], position=raw["position"],
        records=out, total=raw.get("total", 0), started=started or "unknown", offered=offered,
    )  # fmt: skip


def toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are valid TOML)."""
    return json.dumps(text, ensure_ascii=False)


def write_atomically(path: Path, text: str) -> None:
    """Write a private file (0600) atomically: a new temporary file, then a rename over the old."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    with open(os.open(temporary, flags, 0o600), "w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)


def private_folder(folder: Path, root: Path) -> None:
    """The folder, and the data folder above it, readable by the learner alone (0700)."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    for path in {folder, root}:
        with contextlib.suppress(OSError):
            if path.stat().st_mode & 0o077:
                path.chmod(0o700)


@contextlib.contextmanager
def locked(path: Path):
    """An exclusive lock on `path` for the duration (where the platform has flock)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no second terminal merge
        yield
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)

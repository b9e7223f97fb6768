"""Progress on disk: one JSON file per lesson, written atomically after every change, and an
append-only attempt record of every answer typed, in the answers-file format `bptui replay` reads.

A progress file that cannot be read, or that belongs to an earlier version of the lesson, is set
aside (renamed, never deleted) with a notice; the learner never meets a traceback.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bptui.i18n import t

FORMAT = 1
UNREADABLE = (OSError, ValueError, KeyError, TypeError, AttributeError)


def data_dir() -> Path:
    import platformdirs  # honours XDG_DATA_HOME

    return platformdirs.user_data_path("bptui", appauthor=False)


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class StepRecord:
    answers: list[str] = field(default_factory=list)  # every answer typed, in order
    verdicts: list[str] = field(
        default_factory=list
    )  # "right", "wrong", "invalid" or a mistake key
    hints: int = 0
    revealed: bool = False
    correct: bool = False

    @property
    def done(self) -> bool:
        return self.correct or self.revealed

    @property
    def outcome(self) -> str | None:
        """first_try, after_help (hints or wrong tries first), revealed, or None when not done."""
        if self.revealed and not self.correct:
            return "revealed"
        if not self.correct:
            return None
        graded = [v for v in self.verdicts if v != "invalid"]  # a typo that does not parse is free
        return "first_try" if self.hints == 0 and graded[:1] == ["right"] else "after_help"


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
    started: str = field(default_factory=lambda: time.strftime("%Y%m%d-%H%M%S"))

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

    def fresh(self) -> Progress:
        return Progress(lesson=self.lesson_source, fingerprint=self.fingerprint)

    def read(self) -> Progress:
        """The saved progress as it is on disk; raises what `UNREADABLE` lists if it is not."""
        raw = json.loads(self.path.read_text(encoding="utf-8"))
        if raw.get("format") != FORMAT:
            raise ValueError("unknown format")
        records = {k: StepRecord(**v) for k, v in raw["records"].items()}
        if not all(
            isinstance(r.answers, list) and isinstance(r.hints, int) for r in records.values()
        ):
            raise ValueError("bad records")
        return Progress(
            lesson=str(raw["lesson"]),
            fingerprint=str(raw["fingerprint"]),
            position=int(raw["position"]),
            records=records,
            attempt=str(raw.get("attempt", "")),
            total=int(raw.get("total", 0)),
            started=str(raw.get("started", "")),
        )

    def load(self) -> tuple[Progress, str | None]:
        """The saved progress, or a fresh one and a notice saying why the old one was set aside."""
        if not self.path.exists():
            return self.fresh(), None
        try:
            progress = self.read()
        except UNREADABLE as error:
            aside = self.set_aside("unreadable")
            key = (
                "progress.not_json"
                if isinstance(error, json.JSONDecodeError)
                else "progress.unreadable"
            )
            return self.fresh(), t(key, aside=aside.name)
        if progress.fingerprint != self.fingerprint:
            aside = self.set_aside("lesson-changed")
            return self.fresh(), t("progress.changed", aside=aside.name)
        return progress, None

    def peek(self) -> tuple[int, int] | None:
        """(steps done, steps in all) from the saved progress, without changing anything on disk."""
        try:
            progress = self.read()
        except UNREADABLE:
            return None
        if progress.fingerprint != self.fingerprint:
            return None
        return sum(r.done for r in progress.records.values()), progress.total

    def set_aside(self, why: str) -> Path:
        aside = self.path.with_name(f"{self.path.stem}.{why}-{time.strftime('%Y%m%d-%H%M%S')}.json")
        with contextlib.suppress(OSError):
            os.replace(self.path, aside)
        return aside

    def save(self, progress: Progress) -> None:
        data = {"format": FORMAT, **asdict(progress)}
        _write_atomically(self.path, json.dumps(data, ensure_ascii=False, indent=1))

    def attempt_path(self, progress: Progress) -> Path:
        if not progress.attempt:
            progress.attempt = str(self.root / "attempts" / f"{self.slug}-{progress.started}.toml")
        return Path(progress.attempt)

    def append_answer(self, progress: Progress, step_id: str, answer: str, first: bool) -> None:
        """Append one answer to the attempt record (a step's first answer is the graded one)."""
        path = self.attempt_path(progress)
        path.parent.mkdir(parents=True, exist_ok=True)
        new = not path.exists()
        with path.open("a", encoding="utf-8") as out:
            if new:
                out.write(
                    "# bptui attempt record: each step's first answer; later ones as comments.\n"
                    f"# Grade it with: bptui replay {self.lesson_source} {path}\n"
                    f"lesson = {toml_string(self.lesson_source)}\n\n[answers]\n"
                )
            line = f"{toml_string(step_id)} = {toml_string(answer)}"
            out.write(line + "\n" if first else f"# also typed: {line}\n")
            out.flush()
            os.fsync(out.fileno())


def toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are valid TOML)."""
    return json.dumps(text, ensure_ascii=False)


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with temporary.open("w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)

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
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bptui.i18n import t

FORMAT = 1
OUTCOMES = ("first_try", "after_wrong", "after_hint", "revealed")
FREE = ("invalid", "precision")  # a typo that does not parse, or a right answer too coarse: no try
UNREADABLE = (OSError, ValueError, KeyError, TypeError, AttributeError)


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

    @property
    def done(self) -> bool:
        return self.correct or self.revealed

    @property
    def outcome(self) -> str | None:
        """first_try, after_wrong, after_hint, revealed, or None while the step is not done."""
        if self.revealed and not self.correct:
            return "revealed"
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
        """The progress, and the attempt record made from it, each written atomically."""
        data = {"format": FORMAT, **asdict(progress)}
        data["attempt"] = str(self.attempt_path(progress))
        _write_atomically(self.path, json.dumps(data, ensure_ascii=False, indent=1))
        if progress.records:
            _write_atomically(self.attempt_path(progress), self.attempt_record(progress))

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
        path = self.attempt_path(progress)
        lines = [
            "# bptui attempt record: every answer typed, every hint taken, every value revealed.",
            f"# Grade it with: bptui replay {self.lesson_source} {path}",
            f"lesson = {toml_string(self.lesson_source)}",
        ]
        if revealed:
            lines.append("revealed = [" + ", ".join(map(toml_string, revealed)) + "]")
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

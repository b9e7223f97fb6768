"""Answer files: one answer per step id, as the tutor's attempt records are written.

    lesson = "lecture-example"      # optional
    revealed = ["s1.loss"]          # optional: steps whose value was revealed
    [answers]                       # each step's first graded answer
    "s1.forward.L1.n1.z" = 4
    "s1.forward.L1.n1.a" = "0.98"
    [tries]                         # optional: every answer typed, in order, where more than one
    "s1.forward.L1.n1.a" = ["4", "0.98"]
    [hints]                         # optional: how many hints were taken
    "s1.forward.L1.n1.a" = 1

Untrusted data like lessons: size-limited, parsed by tomllib, every value type-checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bptui.lesson import LessonError, load_toml, read_text

MAX_BYTES = 256 * 1024


class AnswersError(LessonError):
    """An answers file that cannot be used: says what and where, like a lesson error."""


@dataclass(frozen=True)
class Answers:
    source: str
    lesson: str | None
    answers: dict[str, str]  # step id → the answer as typed (numbers as text)
    tries: dict[str, list[str]] = field(default_factory=dict)  # step id → every answer, in order
    hints: dict[str, int] = field(default_factory=dict)
    revealed: tuple[str, ...] = ()

    def tries_of(self, step_id: str) -> list[str]:
        """The answers given to a step, in order: all the tries, or the one graded answer."""
        if step_id in self.tries:
            return self.tries[step_id]
        return [self.answers[step_id]] if step_id in self.answers else []

    def ids(self) -> list[str]:
        """Every step id the file mentions."""
        return list(dict.fromkeys([*self.answers, *self.tries, *self.hints, *self.revealed]))


def load_answers(spec: str | Path) -> Answers:
    path = Path(spec)
    source = str(path)
    try:
        text = read_text(path, MAX_BYTES, "an answers file")
    except LessonError as error:
        raise AnswersError(error.source, error.message, error.where, error.line) from None
    data = load_toml(text, source, AnswersError)
    keys = ("lesson", "revealed", "answers", "tries", "hints")
    unknown = [key for key in data if key not in keys]
    if unknown:
        raise AnswersError(source, f"unknown key '{unknown[0]}' (expected: {', '.join(keys)})")
    if "answers" not in data:
        raise AnswersError(source, "missing the [answers] table")
    lesson = data.get("lesson")
    if lesson is not None and not isinstance(lesson, str):
        raise AnswersError(source, "must be a string", "lesson")
    answers = {
        step_id: _answer(source, value, f'answers."{step_id}"')
        for step_id, value in _table(source, data["answers"], "answers").items()
    }
    tries = {}
    for step_id, values in _table(source, data.get("tries", {}), "tries").items():
        where = f'tries."{step_id}"'
        if not isinstance(values, list) or not values:
            raise AnswersError(source, "must be a non-empty list of answers", where)
        tries[step_id] = [_answer(source, v, f"{where}[{i + 1}]") for i, v in enumerate(values)]
    hints = {}
    for step_id, count in _table(source, data.get("hints", {}), "hints").items():
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= 100:
            raise AnswersError(source, "must be a whole number from 0 to 100", f'hints."{step_id}"')
        hints[step_id] = count
    revealed = data.get("revealed", [])
    if not isinstance(revealed, list) or not all(isinstance(i, str) for i in revealed):
        raise AnswersError(source, "must be a list of step ids", "revealed")
    return Answers(source, lesson, answers, tries, hints, tuple(revealed))


def _table(source: str, value: object, where: str) -> dict:
    if not isinstance(value, dict):
        raise AnswersError(source, "must be a table of step id = answer", where)
    return value


def _answer(source: str, value: object, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise AnswersError(source, "must be a number or a string", where)
    return value if isinstance(value, str) else repr(value)


def answer_files(specs: list[str]) -> list[Path]:
    """Files as given; a folder stands for the .toml files in it."""
    files: list[Path] = []
    for spec in specs:
        path = Path(spec)
        if path.is_dir():
            found = sorted(path.glob("*.toml"))
            if not found:
                raise AnswersError(spec, "is a folder with no .toml answer files")
            files.extend(found)
        else:
            files.append(path)
    return files

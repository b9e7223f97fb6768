"""Answer files: one answer per step id, as the tutor's attempt records are written.

    lesson = "lecture-example"      # optional
    [answers]
    "s1.forward.L1.n1.z" = 4
    "s1.forward.L1.n1.a" = "0.98"

Untrusted data like lessons: size-limited, parsed by tomllib, every value type-checked.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from bptui.lesson import LessonError, _toml_message, read_text

MAX_BYTES = 256 * 1024


class AnswersError(LessonError):
    """An answers file that cannot be used: says what and where, like a lesson error."""


@dataclass(frozen=True)
class Answers:
    source: str
    lesson: str | None
    answers: dict[str, str]  # step id → the answer as typed (numbers as text)


def load_answers(spec: str | Path) -> Answers:
    path = Path(spec)
    source = str(path)
    if path.is_file() and path.stat().st_size > MAX_BYTES:
        raise AnswersError(source, f"an answers file may be at most {MAX_BYTES // 1024} KiB")
    try:
        text = read_text(path)
    except LessonError as error:
        raise AnswersError(error.source, error.message, error.where, error.line) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message, line = _toml_message(str(error))
        raise AnswersError(source, f"not valid TOML: {message}", line=line) from None
    unknown = [key for key in data if key not in ("lesson", "answers")]
    if unknown:
        raise AnswersError(source, f"unknown key '{unknown[0]}' (expected: lesson, answers)")
    if "answers" not in data:
        raise AnswersError(source, "missing the [answers] table")
    lesson = data.get("lesson")
    if lesson is not None and not isinstance(lesson, str):
        raise AnswersError(source, "must be a string", "lesson")
    table = data["answers"]
    if not isinstance(table, dict):
        raise AnswersError(source, "must be a table of step id = answer", "answers")
    answers = {}
    for step_id, value in table.items():
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise AnswersError(source, "must be a number or a string", f'answers."{step_id}"')
        answers[step_id] = value if isinstance(value, str) else repr(value)
    return Answers(source, lesson, answers)


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

"""Answers files: one answer per step id, as the tutor's attempt records are written.

    lesson = "lecture-example"      # optional
    revealed = ["s1.loss"]          # optional: steps whose value was revealed
    filled = ["s1.forward.L2.n2.z"] # optional: steps the tutor filled in (a skill mastered)
    [answers]                       # each step's first graded answer
    "s1.forward.L1.n1.z" = 4
    "s1.forward.L1.n1.a" = "0.98"
    [tries]                         # optional: every answer typed, in order, where more than one
    "s1.forward.L1.n1.a" = ["4", "0.98"]
    [hints]                         # optional: how many hints were taken
    "s1.forward.L1.n1.a" = 1

Untrusted data like lessons: size-limited (256 KiB, an answers file's own limit), parsed by
tomllib, every value type-checked. Every error names the answers file, the line when it can be
found, and the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from bptui.lesson import LessonError, load_toml, read_text

MAX_BYTES = 256 * 1024
KEYS = ("lesson", "revealed", "filled", "answers", "tries", "hints")
SHOWN_ID = 60  # a step id from a file is quoted in a message up to this many characters


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
    filled: tuple[str, ...] = ()  # filled in by the tutor: a mastered skill's remaining steps
    text: str = field(default="", repr=False, compare=False)  # the file, to locate an error

    def tries_of(self, step_id: str) -> list[str]:
        """The answers given to a step, in order: all the tries, or the one graded answer."""
        if step_id in self.tries:
            return self.tries[step_id]
        return [self.answers[step_id]] if step_id in self.answers else []

    def ids(self) -> list[str]:
        """Every step id the file mentions."""
        return list(dict.fromkeys([*self.answers, *self.tries, *self.hints, *self.revealed,
                                   *self.filled]))  # fmt: skip

    def where(self, step_id: str) -> str:
        """The field a step id is first mentioned in: `answers."s1.loss"`, or `revealed`."""
        for table in ("answers", "tries", "hints"):
            if step_id in getattr(self, table):
                return f'{table}."{shown_id(step_id)}"'
        return "revealed" if step_id in self.revealed else "filled"

    def error(self, message: str, where: str = "", step_id: str | None = None) -> AnswersError:
        """An error in this file, located at its line when it can be found."""
        return AnswersError(self.source, message, where, locate(self.text, where, step_id))


def located(error: LessonError) -> str:
    """An error as `file:line: field: message`, on one line."""
    place = error.source + (f":{error.line}" if error.line else "")
    text = f"{place}: {error.where + ': ' if error.where else ''}{error.message}"
    return " ".join(text.splitlines())


def shown_id(step_id: str) -> str:
    """A step id from a file, short enough for a message (a hostile one may be any length)."""
    return step_id if len(step_id) <= SHOWN_ID else step_id[: SHOWN_ID - 1] + "…"


def load_answers(spec: str | Path) -> Answers:
    path = Path(spec)
    source = str(path)
    try:
        text = read_text(path, MAX_BYTES, "an answers file")
    except LessonError as error:
        raise AnswersError(error.source, error.message, error.where, error.line) from None
    data = load_toml(text, source, AnswersError)

    def fail(message: str, where: str = "", step_id: str | None = None) -> AnswersError:
        return AnswersError(source, message, where, locate(text, where, step_id))

    unknown = [key for key in data if key not in KEYS]
    if unknown:
        key = shown_id(unknown[0])
        raise fail(f"unknown key '{key}' (expected: {', '.join(KEYS)})", key)
    if "answers" not in data:
        raise AnswersError(source, "missing the [answers] table")
    lesson = data.get("lesson")
    if lesson is not None and not isinstance(lesson, str):
        raise fail("must be a string", "lesson")
    answers = {}
    for step_id, value in _table(fail, data["answers"], "answers").items():
        answers[step_id] = _answer(fail, value, f'answers."{shown_id(step_id)}"', step_id)
    tries = {}
    for step_id, values in _table(fail, data.get("tries", {}), "tries").items():
        where = f'tries."{shown_id(step_id)}"'
        if not isinstance(values, list) or not values:
            raise fail("must be a non-empty list of answers", where, step_id)
        tries[step_id] = [
            _answer(fail, v, f"{where}[{i + 1}]", step_id) for i, v in enumerate(values)
        ]
    hints = {}
    for step_id, count in _table(fail, data.get("hints", {}), "hints").items():
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= 100:
            where = f'hints."{shown_id(step_id)}"'
            raise fail("must be a whole number from 0 to 100", where, step_id)
        hints[step_id] = count
    listed = {}
    for key in ("revealed", "filled"):
        ids = data.get(key, [])
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise fail("must be a list of step ids", key)
        listed[key] = tuple(ids)
    return Answers(source, lesson, answers, tries, hints, listed["revealed"], text=text,
                   filled=listed["filled"])  # fmt: skip


def _table(fail, value: object, where: str) -> dict:
    if not isinstance(value, dict):
        raise fail("must be a table of step id = answer", where)
    return value


def _answer(fail, value: object, where: str, step_id: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise fail("must be a number or a string", where, step_id)
    return value if isinstance(value, str) else repr(value)


def locate(text: str, where: str, step_id: str | None = None) -> int | None:
    """Best effort: the line of an answers file that holds a field (`answers."s1.loss"`,
    `tries."s1.loss"[2]`, `lesson`, `revealed`, an unknown key), or the line of that table or key
    that first mentions `step_id`."""
    match = re.match(r"[A-Za-z0-9_-]+", where)
    if not text or not match:
        return None
    lines = text.splitlines()
    name = re.escape(match.group(0))
    header = re.compile(rf"\s*\[+\s*[\"']?{name}[\"']?\s*\]")  # [answers], [[wat]]
    key = re.compile(rf"\s*[\"']?{name}[\"']?\s*[=.]")  # lesson = ..., answers = {...}
    begin = _first(lines, header.match, 0)
    if begin is None:
        begin = _first(lines, key.match, 0)
    if step_id is None or begin is None:
        return None if begin is None else begin + 1
    quoted = (f'"{step_id}"', f"'{step_id}'")
    bare = re.compile(rf"\s*{re.escape(step_id)}\s*[=.]")
    found = _first(lines, lambda line: any(q in line for q in quoted) or bare.match(line), begin)
    return (begin if found is None else found) + 1


def _first(lines: list[str], test, begin: int) -> int | None:
    return next((i for i in range(begin, len(lines)) if test(lines[i])), None)


def answer_files(specs: list[str]) -> tuple[list[Path], list[AnswersError]]:
    """The files to grade, as given (a folder stands for the .toml files in it, in name order,
    hidden ones left out as a shell would: an editor's `.#lock.toml`), and the arguments that
    name none: each an error, so the other files are still graded."""
    files: list[Path] = []
    problems: list[AnswersError] = []
    for spec in specs:
        path = Path(spec)
        if path.is_dir():
            found = sorted(p for p in path.glob("*.toml") if not p.name.startswith("."))
            if not found:
                problems.append(AnswersError(spec, "is a folder with no .toml answers files"))
            files.extend(found)
        else:
            files.append(path)
    return files, problems

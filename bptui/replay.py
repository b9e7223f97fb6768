"""`bptui replay`: grade answer files against a lesson, headless, with the same session the tutor
uses (so a replay and the tutor can never disagree about an answer)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from bptui.answers import Verdict
from bptui.answers_file import Answers, AnswersError, answer_files, load_answers
from bptui.glossary import mistake
from bptui.i18n import t
from bptui.lesson import Lesson, LessonError, load
from bptui.notation import escape_markup
from bptui.progress import fingerprint
from bptui.session import Session
from bptui.steps import Step, build


@dataclass
class Graded:
    """One answers file graded: the verdict of every step, in step order."""

    source: str
    steps: list[Step]
    outcomes: dict[str, str] = field(default_factory=dict)  # correct | wrong | invalid | unanswered
    mistakes: dict[str, str] = field(default_factory=dict)  # step id → mistake key
    errors: dict[str, str] = field(default_factory=dict)  # step id → why it did not parse
    answers: dict[str, str] = field(default_factory=dict)

    def take(self, step_id: str, verdict: Verdict | None) -> None:
        """Record the verdict on one step (None: the file had no answer for it)."""
        if verdict is None:
            self.outcomes[step_id] = "unanswered"
        elif verdict.invalid:
            self.outcomes[step_id] = "invalid"
            self.errors[step_id] = verdict.error
        elif verdict.correct:
            self.outcomes[step_id] = "correct"
        else:
            self.outcomes[step_id] = "wrong"
            if verdict.mistake:
                self.mistakes[step_id] = verdict.mistake

    def ids(self, outcome: str) -> list[str]:
        return [s.id for s in self.steps if self.outcomes[s.id] == outcome]

    @property
    def correct(self) -> int:
        return len(self.ids("correct"))

    @property
    def perfect(self) -> bool:
        return self.correct == len(self.steps)

    def data(self) -> dict:
        return {
            "file": self.source,
            "steps": len(self.steps),
            "correct": self.correct,
            "wrong": self.ids("wrong"),
            "invalid": self.ids("invalid"),
            "unanswered": self.ids("unanswered"),
            "mistakes": self.mistakes,
        }


def check_answers(lesson: Lesson, steps: list[Step], answers: Answers) -> None:
    """Unknown step ids and answers meant for another lesson are errors, not wrong answers."""
    known = {s.id for s in steps if s.asked}
    unknown = [step_id for step_id in answers.answers if step_id not in known]
    if unknown:
        raise AnswersError(
            answers.source,
            f"unknown step id '{unknown[0]}'"
            + (f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else "")
            + f"; `bptui key {lesson.name} --json` lists the ids",
            f'answers."{unknown[0]}"',
        )
    if answers.lesson is not None:
        try:
            named = load(answers.lesson)
        except LessonError as error:  # the named lesson is missing or broken: say which
            message = f"names lesson '{answers.lesson}': {error.message}"
            raise AnswersError(answers.source, message, "lesson") from None
        if fingerprint(named.text) != fingerprint(lesson.text):
            raise AnswersError(
                answers.source,
                f"these answers are for '{answers.lesson}', not {lesson.source}",
                "lesson",
            )


def grade_file(lesson: Lesson, steps: list[Step], answers: Answers) -> Graded:
    """Grade answers that `check_answers` has passed."""
    session = Session(lesson, steps)
    graded = Graded(answers.source, session.steps, answers=answers.answers)
    for index, step in enumerate(session.steps):
        if step.id in answers.answers:
            session.go(index)
            graded.take(step.id, session.answer(answers.answers[step.id]))
        else:
            graded.take(step.id, None)
    return graded


def print_transcript(graded: Graded, console) -> None:
    from rich.table import Table

    table = Table(title=graded.source, title_justify="left")
    for column in ("step", "asked", "answer", "verdict", "value"):
        justify = "right" if column in ("answer", "value") else "left"
        table.add_column(t(f"cli.{column}"), justify=justify)
    marks = {"correct": f"[green]{t('cli.right')}[/]", "wrong": f"[red]{t('cli.wrong')}[/]",
             "invalid": f"[yellow]{t('cli.invalid')}[/]",
             "unanswered": f"[dim]{t('cli.unanswered')}[/]"}  # fmt: skip
    for step in graded.steps:
        outcome = graded.outcomes[step.id]
        verdict = marks[outcome]
        if step.id in graded.mistakes:
            verdict += f"\n[dim]{mistake(graded.mistakes[step.id])}[/]"
        if step.id in graded.errors:
            verdict += f"\n[dim]{graded.errors[step.id]}[/]"
        given = graded.answers.get(step.id, "")
        table.add_row(step.id, step.asks, escape_markup(given), verdict, step.shown)
    console.print(table)
    console.print(_summary_line(graded))


def _summary_line(graded: Graded) -> str:
    return t(
        "cli.summary",
        right=graded.correct,
        n=len(graded.steps),
        wrong=len(graded.ids("wrong")),
        invalid=len(graded.ids("invalid")),
        unanswered=len(graded.ids("unanswered")),
    )


def print_class_table(results: list[Graded], console) -> None:
    from rich.table import Table

    table = Table(title=t("cli.files"), title_justify="left")
    for column in ("file", "col_right", "col_wrong", "col_invalid", "col_unanswered", "score"):
        table.add_column(t(f"cli.{column}"), justify="left" if column == "file" else "right")
    for graded in results:
        n = len(graded.steps)
        table.add_row(Path(graded.source).name, str(graded.correct), str(len(graded.ids("wrong"))),
                      str(len(graded.ids("invalid"))), str(len(graded.ids("unanswered"))),
                      f"{100 * graded.correct / n:.0f}%")  # fmt: skip
    console.print(table)


def main(args) -> int:
    from rich.console import Console

    lesson = load(args.lesson)
    steps = build(lesson)
    files = [load_answers(path) for path in answer_files(args.answers)]
    for answers in files:
        check_answers(lesson, steps, answers)  # every file is checked before any is graded
    if args.tui:
        from bptui.tui.replay import replay_in_tui

        results = replay_in_tui(lesson, steps, files, args.screenshots, args.size)
    else:
        results = [grade_file(lesson, steps, answers) for answers in files]
    if args.json:
        data = [g.data() for g in results]
        print(json.dumps(data[0] if len(data) == 1 else data, indent=2, ensure_ascii=False))
    else:
        console = Console()
        if len(results) == 1:
            print_transcript(results[0], console)
        else:
            print_class_table(results, console)
    return 1 if args.strict and not all(g.perfect for g in results) else 0

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
from bptui.model import Step
from bptui.notation import escape_markup
from bptui.progress import OUTCOMES, fingerprint
from bptui.session import Session
from bptui.steps import build


@dataclass
class Graded:
    """One answers file graded: each step's first graded answer (correct, wrong, imprecise,
    invalid or unanswered), and its outcome as the tutor counts it."""

    source: str
    steps: list[Step]
    outcomes: dict[str, str] = field(default_factory=dict)  # the first graded answer's verdict
    mistakes: dict[str, str] = field(default_factory=dict)  # step id → mistake key
    terms: dict[str, str] = field(default_factory=dict)  # step id → the term it concerns
    errors: dict[str, str] = field(default_factory=dict)  # step id → why it did not parse
    answers: dict[str, str] = field(default_factory=dict)  # step id → the first graded answer
    tutor: dict[str, str] = field(default_factory=dict)  # step id → first_try, after_wrong, ...
    carried: list[str] = field(default_factory=list)  # right by error carried forward
    tries: dict[str, list[dict]] = field(default_factory=dict)  # every wrong try, diagnosed

    def take(self, step_id: str, verdicts: list[tuple[str, Verdict]], record=None) -> None:
        """Record the verdicts on one step's answers, in order (none: the file had no answer)."""
        graded = [(text, v) for text, v in verdicts if not (v.invalid or v.imprecise)]
        first = graded[0] if graded else verdicts[0] if verdicts else None
        outcome = record.outcome if record is not None else None
        if first is None:
            self.outcomes[step_id] = "unanswered"
        else:
            text, verdict = first
            self.answers[step_id] = text
            if verdict.invalid:
                self.outcomes[step_id] = "invalid"
                self.errors[step_id] = verdict.error
            elif verdict.imprecise:
                self.outcomes[step_id] = "imprecise"
            elif verdict.correct:
                self.outcomes[step_id] = "correct"
            else:
                self.outcomes[step_id] = "wrong"
                if verdict.mistake:
                    self.mistakes[step_id] = verdict.mistake
                    self.terms[step_id] = verdict.term
        if any(v.correct and v.basis == "carried" for _, v in verdicts):
            self.carried.append(step_id)
        wrong = [
            (text, v) for text, v in verdicts if v.key not in ("right", "invalid", "precision")
        ]
        if wrong:
            self.tries[step_id] = [
                {"answer": text, "mistake": v.mistake, "term": v.term,
                 "said": mistake(v.mistake, v.term) if v.mistake else None}
                for text, v in wrong
            ]  # fmt: skip
        self.tutor[step_id] = outcome or ("open" if verdicts else "unanswered")

    def ids(self, outcome: str) -> list[str]:
        return [s.id for s in self.steps if self.outcomes[s.id] == outcome]

    @property
    def correct(self) -> int:
        return len(self.ids("correct"))

    @property
    def perfect(self) -> bool:
        return self.correct == len(self.steps)

    def data(self) -> dict:
        score = {o: sum(v == o for v in self.tutor.values()) for o in (*OUTCOMES, "open")}
        score["unanswered"] = sum(v == "unanswered" for v in self.tutor.values())
        return {
            "file": self.source,
            "steps": len(self.steps),
            "correct": self.correct,
            "wrong": self.ids("wrong"),
            "invalid": self.ids("invalid"),
            "unanswered": self.ids("unanswered"),
            "mistakes": self.mistakes,
            "imprecise": self.ids("imprecise"),
            "terms": {k: v for k, v in self.terms.items() if v},
            "carried_forward": self.carried,
            "outcomes": self.tutor,
            "score": score,
            "tries": self.tries,
        }


def check_answers(lesson: Lesson, steps: list[Step], answers: Answers) -> None:
    """Unknown step ids and answers meant for another lesson are errors, not wrong answers."""
    known = {s.id for s in steps if s.asked}
    unknown = [step_id for step_id in answers.ids() if step_id not in known]
    if unknown:
        raise AnswersError(
            answers.source,
            f"unknown step id '{unknown[0]}'"
            + (f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else "")
            + f"; `bptui key {lesson.name} --json` lists the ids",
            f'"{unknown[0]}"',
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
    """Grade answers that `check_answers` has passed, step by step as the tutor would: hints
    taken, every try in order (later steps may be worked from earlier answers), reveals."""
    session = Session(lesson, steps)
    graded = Graded(answers.source, session.steps)
    for index, step in enumerate(session.steps):
        session.go(index)
        session.progress.record(step.id).hints = answers.hints.get(step.id, 0)
        verdicts = [(text, session.answer(text)) for text in answers.tries_of(step.id)]
        if step.id in answers.revealed:
            session.reveal()
        graded.take(step.id, verdicts, session.record(step))
    return graded


def print_transcript(graded: Graded, console) -> None:
    from rich.table import Table

    table = Table(title=graded.source, title_justify="left")
    for column in ("step", "asked", "answer", "verdict", "value"):
        justify = "right" if column in ("answer", "value") else "left"
        table.add_column(t(f"cli.{column}"), justify=justify)
    marks = {"correct": f"[green]{t('cli.right')}[/]", "wrong": f"[red]{t('cli.wrong')}[/]",
             "invalid": f"[yellow]{t('cli.invalid')}[/]",
             "imprecise": f"[yellow]{t('cli.imprecise')}[/]",
             "unanswered": f"[dim]{t('cli.unanswered')}[/]"}  # fmt: skip
    for step in graded.steps:
        outcome = graded.outcomes[step.id]
        verdict = marks[outcome]
        if step.id in graded.mistakes:
            said = mistake(graded.mistakes[step.id], graded.terms.get(step.id, ""))
            verdict += f"\n[dim]{escape_markup(said)}[/]"
        if step.id in graded.errors:
            verdict += f"\n[dim]{escape_markup(graded.errors[step.id])}[/]"
        given = graded.answers.get(step.id, "")
        table.add_row(step.id, escape_markup(step.asks), escape_markup(given), verdict, step.shown)
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


def main(args, drive=None) -> int:
    """Grade the files; `drive` grades them another way instead (the command line passes the
    Pilot replay for --tui, so this module never knows the TUI)."""
    from rich.console import Console

    lesson = load(args.lesson)
    steps = build(lesson)
    files = [load_answers(path) for path in answer_files(args.answers)]
    for answers in files:
        check_answers(lesson, steps, answers)  # every file is checked before any is graded
    if drive is not None:
        results = drive(lesson, steps, files, args.screenshots, args.size)
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

"""`bptui replay`: grade answers files against a lesson, headless, with the same session the tutor
uses (so a replay and the tutor can never disagree about an answer).

A batch survives bad files: every answers file that can be graded is, and each one that cannot
(malformed, for another lesson, an unknown step id, too big, not a regular file, not UTF-8) is
listed with its located error; the exit status says which happened (`EXIT_STATUS`).

A class gives mostly the same answers, so a step's grading is worked out once for each distinct
input — the step, its tries, hints and reveal, and the file's own earlier values it may be worked
from — and reused for every file that gives the same (`Grader`); `benchmarks/replay_many.py`
times a class of 1,000.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from bptui.answers import Verdict, read
from bptui.answers_file import (
    Answers,
    AnswersError,
    answer_files,
    load_answers,
    located,
    shown_id,
)
from bptui.glossary import mistake
from bptui.i18n import t
from bptui.lesson import Lesson, LessonError, load
from bptui.model import Step
from bptui.notation import clean, escape_markup, safe
from bptui.progress import OUTCOMES, StepRecord, fingerprint
from bptui.session import Session
from bptui.steps import build

GRADED, NOT_ALL_RIGHT, NONE_GRADED, SOME_UNUSABLE = 0, 1, 2, 3
EXIT_STATUS = (
    "exit status: 0 every answers file was graded (with --strict: and every step was right); "
    "1 with --strict, every file was graded but some step was not right; "
    "2 nothing was graded: the lesson is unusable, or no answers file could be used; "
    "3 some answers files could not be used (each is listed with its error) and the others "
    "were graded"
)


@dataclass
class Graded:
    """One answers file graded: each step's first graded answer (correct, wrong, imprecise,
    invalid or unanswered; filled when the tutor filled it in, a skill mastered), and its outcome
    as the tutor counts it."""

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
            self.outcomes[step_id] = "filled" if outcome == "filled" else "unanswered"
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
        score = {o: sum(v == o for v in self.tutor.values()) for o in (*OUTCOMES, "filled", "open")}
        score["unanswered"] = sum(v == "unanswered" for v in self.tutor.values())
        return {
            "file": self.source,
            "steps": len(self.steps),
            "correct": self.correct,
            "wrong": self.ids("wrong"),
            "invalid": self.ids("invalid"),
            "unanswered": self.ids("unanswered"),
            "filled": self.ids("filled"),
            "mistakes": self.mistakes,
            "imprecise": self.ids("imprecise"),
            "terms": {k: v for k, v in self.terms.items() if v},
            "carried_forward": self.carried,
            "outcomes": self.tutor,
            "score": score,
            "tries": self.tries,
        }


# --- which files can be graded ------------------------------------------------------------------


@dataclass
class Batch:
    """The answers files given: those that can be graded, and each one that cannot, with why."""

    files: list[Answers] = field(default_factory=list)
    unusable: list[AnswersError] = field(default_factory=list)


def gather(lesson: Lesson, steps: list[Step], specs: list[str]) -> Batch:
    """Every answers file read and checked against the lesson; one bad file stops nothing."""
    paths, problems = answer_files(specs)
    batch = Batch(unusable=problems)
    known = {s.id for s in steps if s.asked}
    named: dict[str, str] = {}  # the lessons the files name, each looked at once
    for path in paths:
        try:
            answers = load_answers(path)
            check_answers(lesson, steps, answers, known, named)
        except AnswersError as error:
            batch.unusable.append(error)
        except Exception as error:  # noqa: BLE001 - a bug: this file is listed, the rest graded
            batch.unusable.append(AnswersError(str(path), internal(error)))
        else:
            batch.files.append(answers)
    return batch


def internal(error: Exception) -> str:
    """A bug, said in one line instead of a traceback."""
    return f"internal error ({type(error).__name__}: {clean(str(error))[:200]}); please report it"


def check_answers(
    lesson: Lesson,
    steps: list[Step],
    answers: Answers,
    known: set[str] | None = None,
    named: dict[str, str] | None = None,
) -> None:
    """Unknown step ids and answers meant for another lesson are errors, not wrong answers.
    `known` (the ids asked) and `named` (what each lesson name gave) save work in a batch."""
    if known is None:
        known = {s.id for s in steps if s.asked}
    unknown = [step_id for step_id in answers.ids() if step_id not in known]
    if unknown:
        first = unknown[0]
        more = f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else ""
        message = (
            f"unknown step id '{shown_id(first)}'{more}; "
            f"`bptui key {lesson.name} --json` lists the ids"
        )
        raise answers.error(message, answers.where(first), first)
    if answers.lesson is not None:
        named = {} if named is None else named
        if answers.lesson not in named:
            named[answers.lesson] = _not_for(lesson, answers.lesson)
        if named[answers.lesson]:
            raise answers.error(named[answers.lesson], "lesson")


def _not_for(lesson: Lesson, name: str) -> str:
    """Why answers naming lesson `name` are not for `lesson` ("" when they are)."""
    try:
        other = load(name)
    except LessonError as error:  # the named lesson is missing or broken: say which
        first = error.problems[0]
        more = len(error.problems) - 1
        said = f"{first.where + ': ' if first.where else ''}{first.message}"
        tail = f" (and {more} more: `bptui check` lists them)" if more else ""
        return f"names lesson '{shown_id(name)}': {said}{tail}"
    if fingerprint(other.text) != fingerprint(lesson.text):
        return f"these answers are for '{shown_id(name)}', not {lesson.source}"
    return ""


# --- grading --------------------------------------------------------------------------------------


class _Replaying(Session):
    """The tutor's session, but the learner's own accepted values (error carried forward) are kept
    as each step is finished, instead of being read again from every record at every answer: in a
    replay only the current step's record changes. Gives what `Session.carried` gives (tested)."""

    def __init__(self, lesson: Lesson, all_steps: list[Step]):
        super().__init__(lesson, all_steps)
        self.on_screen = False
        self.kept: dict[str, float] = {}  # the finished steps' accepted values

    def carried(self) -> dict[str, float]:
        out = dict(self.kept)
        value = accepted_value(self.record(self.step))
        if value is not None:
            out[self.step.id] = value
        return out


def accepted_value(record: StepRecord) -> float | None:
    """The value of a step's accepted answer, which later steps may be worked from."""
    answer = record.accepted if record.correct else None
    return None if answer is None else read(answer)[0]


class Grader:
    """Grades answers files against one lesson, step by step as the tutor would: hints taken,
    every try in order (later steps may be worked from the file's earlier answers), reveals.

    What a step comes to depends only on the step, its tries, hints and reveal, and the file's
    own values of the steps it is worked from; each distinct case is played once through the
    tutor's session and its result reused for every file that gives the same."""

    def __init__(self, lesson: Lesson, steps: list[Step]):
        self.lesson, self.steps = lesson, steps
        self.uses = {s.id: tuple(dict.fromkeys(o.step for o in s.all_operands if o.step))
                     for s in steps if s.asked}  # fmt: skip
        self.seen: dict[tuple, tuple[list, StepRecord, float | None]] = {}

    def grade(self, answers: Answers) -> Graded:
        session = _Replaying(self.lesson, self.steps)
        graded = Graded(answers.source, session.steps)
        kept, records = session.kept, session.progress.records
        for index, step in enumerate(session.steps):
            tries = tuple(answers.tries_of(step.id))
            hints = answers.hints.get(step.id, 0)
            revealed = step.id in answers.revealed
            filled = step.id in answers.filled
            own = tuple(kept.get(i) for i in self.uses[step.id])
            case = (step.id, tries, hints, revealed, filled, own)
            done = self.seen.get(case)
            if done is None:
                session.go(index)
                session.progress.record(step.id).hints = hints
                verdicts = [(text, session.answer(text)) for text in tries]
                if revealed:
                    session.reveal()
                if filled and not session.done(step):  # as the tutor did: a mastered skill
                    session.progress.record(step.id).filled = True
                record = session.record(step)
                done = self.seen[case] = (verdicts, record, accepted_value(record))
            else:
                records[step.id] = done[1]  # never changed again: shared, not copied
            verdicts, record, value = done
            if value is not None:
                kept[step.id] = value
            graded.take(step.id, verdicts, record)
        return graded

    def grade_all(self, batch: Batch) -> list[Graded]:
        """Every usable file graded; one that fails on a bug is moved to the unusable list."""
        results = []
        for answers in batch.files:
            try:
                results.append(self.grade(answers))
            except Exception as error:  # noqa: BLE001 - one file's crash must not stop the others
                batch.unusable.append(AnswersError(answers.source, internal(error)))
        return results


def grade_file(lesson: Lesson, steps: list[Step], answers: Answers) -> Graded:
    """Grade answers that `check_answers` has passed."""
    return Grader(lesson, steps).grade(answers)


# --- output -------------------------------------------------------------------------------------


def console():
    """Rich's console on stdout (piped: 80 columns, or $COLUMNS; see `bptui.report.fit`)."""
    from rich.console import Console

    return Console()


def print_transcript(graded: Graded, console) -> None:
    from rich.table import Table

    from bptui.report import fit

    table = Table(title=safe(graded.source), title_justify="left")
    for column in ("step", "asked", "answer", "verdict", "value"):
        justify = "right" if column in ("answer", "value") else "left"
        table.add_column(
            t(f"cli.{column}"),
            justify=justify,
            no_wrap=column in ("step", "value"),
            overflow="fold",
            max_width=24 if column == "answer" else None,
        )
    marks = {"correct": f"[green]{t('cli.right')}[/]", "wrong": f"[red]{t('cli.wrong')}[/]",
             "invalid": f"[yellow]{t('cli.invalid')}[/]",
             "imprecise": f"[yellow]{t('cli.imprecise')}[/]",
             "unanswered": f"[dim]{t('cli.unanswered')}[/]",
             "filled": f"[blue]{t('cli.filled')}[/]"}  # fmt: skip
    for step in graded.steps:
        outcome = graded.outcomes[step.id]
        verdict = marks[outcome]
        if step.id in graded.mistakes:
            said = mistake(graded.mistakes[step.id], graded.terms.get(step.id, ""))
            verdict += f"\n[dim]{safe(said)}[/]"
        if step.id in graded.errors:
            verdict += f"\n[dim]{safe(graded.errors[step.id])}[/]"
        given = clean(graded.answers.get(step.id, ""))
        table.add_row(step.id, escape_markup(step.asks), escape_markup(given), verdict, step.shown)
    fit(console, table)
    console.print(_summary_line(graded))


def _summary_line(graded: Graded) -> str:
    line = t(
        "cli.summary",
        right=graded.correct,
        n=len(graded.steps),
        wrong=len(graded.ids("wrong")),
        invalid=len(graded.ids("invalid")),
        unanswered=len(graded.ids("unanswered")),
    )
    filled = len(graded.ids("filled"))
    return line + t("cli.summary_filled", n=filled) if filled else line


def print_class_table(results: list[Graded], console) -> None:
    """A row per file. A name too long for its column folds onto the next line, never cut. Every
    column's width is set here, so Rich need not measure each cell (for a class of 1,000, that
    costs as much as printing)."""
    from rich.cells import cell_len
    from rich.table import Table

    from bptui.report import fit

    filled = any(g.ids("filled") for g in results)  # a column only when the tutor filled any in
    rows = [
        (escape_markup(clean(Path(g.source).name)), str(g.correct), str(len(g.ids("wrong"))),
         str(len(g.ids("invalid"))), str(len(g.ids("unanswered"))),
         *([str(len(g.ids("filled")))] if filled else []),
         f"{100 * g.correct / len(g.steps):.0f}%")
        for g in results
    ]  # fmt: skip
    columns = ("file", "col_right", "col_wrong", "col_invalid", "col_unanswered",
               *(("col_filled",) if filled else ()), "score")  # fmt: skip
    table = Table(title=t("cli.files"), title_justify="left")
    for i, column in enumerate(columns):
        widest = max(cell_len(t(f"cli.{column}")), *(cell_len(row[i]) for row in rows))
        if i == 0:
            table.add_column(t("cli.file"), overflow="fold", width=min(widest, 40))
        else:
            table.add_column(t(f"cli.{column}"), justify="right", no_wrap=True, width=widest)
    for row in rows:
        table.add_row(*row)
    fit(console, table)


def print_unusable(unusable: list[AnswersError], graded: int, console) -> None:
    """The files that could not be graded, each with its located error."""
    from bptui.report import words

    heading = words("not_graded", n=len(unusable), of=graded + len(unusable))
    console.print(f"[b]{heading}[/]", soft_wrap=True)
    for error in unusable:
        console.print(f"  ✗ {safe(located(error))}", soft_wrap=True)


def unusable_data(error: LessonError) -> dict:
    return {
        "file": error.source,
        "line": error.line,
        "field": error.where or None,
        "error": error.message,
        "message": located(error),
    }


def main(args, drive=None) -> int:
    """Grade the files; `drive` grades them another way instead (the command line passes the
    Pilot replay for --tui, so this module never knows the TUI). The exit status: `EXIT_STATUS`.

    One answers file (and no --report) prints its transcript, or with --json its object; else a
    row per file and the files that could not be graded, or with --json
    `{"files": [...], "unusable": [...]}` (and `"report"` with --report)."""
    lesson = load(args.lesson)  # a bad lesson: exit 2 before anything is graded
    steps = build(lesson)
    batch = gather(lesson, steps, args.answers)
    if drive is not None and batch.files:
        results = drive(lesson, steps, batch.files, args.screenshots, args.size)
    else:
        results = Grader(lesson, steps).grade_all(batch)
    for error in batch.unusable:  # stderr, always: a script's log, a teacher's terminal
        print(f"bptui: {clean(located(error))}", file=sys.stderr)
    wants = getattr(args, "report", False)
    single = len(args.answers) == 1 and not Path(args.answers[0]).is_dir() and not wants
    if single and not results:
        return NONE_GRADED
    report = None
    csv_file, html_file = getattr(args, "csv", None), getattr(args, "html", None)
    if results and (wants or csv_file or html_file):
        from bptui.report import build_report, write_csv, write_html

        report = build_report(lesson, steps, results, batch.unusable)
        if csv_file:
            write_csv(report, csv_file)
        if html_file:
            write_html(report, html_file)
    if args.json:
        if single:
            data = results[0].data()
        else:
            data = {"files": [g.data() for g in results],
                    "unusable": [unusable_data(e) for e in batch.unusable]}  # fmt: skip
            if wants:
                data["report"] = report.data() if report else None
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        out = console()
        if single:
            print_transcript(results[0], out)
        elif results:
            print_class_table(results, out)
        if batch.unusable:
            print_unusable(batch.unusable, len(results), out)
        if report and wants:
            from bptui.report import print_report

            print_report(report, out)
    return exit_status(results, batch, args.strict)


def exit_status(results: list[Graded], batch: Batch, strict: bool) -> int:
    if not results:
        return NONE_GRADED
    if batch.unusable:
        return SOME_UNUSABLE
    return NOT_ALL_RIGHT if strict and not all(g.perfect for g in results) else GRADED

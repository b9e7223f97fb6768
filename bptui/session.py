"""A learner working through one lesson: position, answers, hints, reveals, score, summary.

Headless (no Textual): the tutor drives it from the keyboard, the replay from answer files, the
tests directly. Every change is saved at once when the session has a store.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from bptui.answers import Verdict, grade
from bptui.i18n import t
from bptui.lesson import Lesson
from bptui.progress import Progress, StepRecord, Store
from bptui.steps import Step

OUTCOMES = ("first_try", "after_help", "revealed")


@dataclass(frozen=True)
class Score:
    first_try: int
    after_help: int
    revealed: int
    total: int

    @property
    def done(self) -> int:
        return self.first_try + self.after_help + self.revealed


class Session:
    def __init__(self, lesson: Lesson, all_steps: list[Step], store: Store | None = None):
        self.lesson = lesson
        self.all_steps = all_steps
        self.steps = [s for s in all_steps if s.asked]
        self.index = {s.id: i for i, s in enumerate(self.steps)}
        self.store = store
        if store:
            self.progress, self.notice = store.load()
        else:
            self.progress, self.notice = Progress(lesson=lesson.source, fingerprint=""), None
        self.progress.position = min(max(self.progress.position, 0), len(self.steps) - 1)
        self.save_failed = False
        self.last_verdict: Verdict | None = None  # the most recent answer's, for replays

    # --- where we are ---

    @property
    def position(self) -> int:
        return self.progress.position

    @property
    def step(self) -> Step:
        return self.steps[self.position]

    def record(self, step: Step | None = None) -> StepRecord:
        step = step or self.step
        return self.progress.records.get(step.id) or StepRecord()

    def done(self, step: Step) -> bool:
        return self.record(step).done

    def known(self, step: Step) -> bool:
        """Whether the learner has this value on screen: worked out, revealed, or never asked."""
        return not step.asked or self.done(step)

    @property
    def finished(self) -> bool:
        return all(self.done(s) for s in self.steps)

    # --- what the learner does ---

    def answer(self, text: str) -> Verdict:
        step = self.step
        verdict = self.last_verdict = grade(step, text)
        if self.done(step):
            return verdict  # looking back: checked, but the score stays as it was
        record = self.progress.record(step.id)
        graded_before = any(v != "invalid" for v in record.verdicts)
        record.answers.append(text)
        record.verdicts.append(
            "right"
            if verdict.correct
            else "invalid"
            if verdict.invalid
            else verdict.mistake or "wrong"
        )
        record.correct = verdict.correct
        self.save()
        if self.store and not self.save_failed:
            try:
                first = not graded_before and not verdict.invalid
                self.store.append_answer(self.progress, step.id, text, first=first)
            except OSError as error:
                self.could_not_save(error)
        return verdict

    def hint(self) -> str | None:
        """The next hint of the current step, or None when there are no more."""
        step = self.step
        record = self.progress.record(step.id)
        if record.hints >= len(step.hints):
            return None
        if not record.done:
            record.hints += 1
            self.save()
        return step.hints[min(record.hints, len(step.hints)) - 1]

    def hints_shown(self) -> list[str]:
        return list(self.step.hints[: self.record().hints])

    def reveal(self) -> None:
        record = self.progress.record(self.step.id)
        if not record.done:
            record.revealed = True
            self.save()

    def go(self, index: int) -> None:
        self.progress.position = min(max(index, 0), len(self.steps) - 1)
        self.save()

    def restart(self) -> None:
        self.progress = self.store.fresh() if self.store else Progress(self.lesson.source, "")
        self.notice = None
        self.save()

    def save(self) -> None:
        self.progress.total = len(self.steps)
        if self.store and not self.save_failed:
            try:
                self.store.save(self.progress)
            except OSError as error:
                self.could_not_save(error)

    def could_not_save(self, error: OSError) -> None:
        """A full disk or an unwritable data folder: say so once, and carry on in memory."""
        self.save_failed = True
        self.notice = t("progress.unsaved", where=str(self.store.root), why=error.strerror or error)

    # --- how it went ---

    def score(self) -> Score:
        counts = Counter(self.record(s).outcome for s in self.steps)
        return Score(counts["first_try"], counts["after_help"], counts["revealed"], len(self.steps))

    def summary(self) -> tuple[dict[str, Counter], Counter]:
        """Outcomes per phase (in lesson order), and how often each known mistake was made."""
        phases: dict[str, Counter] = {
            p: Counter() for p in dict.fromkeys(s.phase for s in self.steps)
        }
        mistakes: Counter = Counter()
        for step in self.steps:
            record = self.record(step)
            phases[step.phase][record.outcome or "open"] += 1
            phases[step.phase]["steps"] += 1
            mistakes.update(v for v in record.verdicts if v not in ("right", "invalid"))
        return phases, mistakes

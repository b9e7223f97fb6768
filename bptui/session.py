"""A learner working through one lesson: position, answers, hints, reveals, score, summary.

Headless (no Textual): the tutor drives it from the keyboard, the replay from answer files, the
tests directly. Every change is saved at once when the session has a store.
"""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from bptui.i18n import t
from bptui.lesson import Lesson
from bptui.mastery import Skills, skill_of
from bptui.model import Step
from bptui.progress import FREE, OUTCOMES, Progress, StepRecord, Store

if TYPE_CHECKING:
    from bptui.answers import Verdict
# The grader (bptui.answers) is imported when first used: not on the way to the first frame.


@dataclass(frozen=True)
class Score:
    first_try: int
    after_wrong: int
    after_hint: int
    revealed: int
    total: int
    filled: int = 0  # filled in by the tutor (a mastered skill), counted apart

    @property
    def done(self) -> int:
        return self.first_try + self.after_wrong + self.after_hint + self.revealed + self.filled


class Session:
    def __init__(self, lesson: Lesson, all_steps: list[Step], store: Store | None = None):
        self.lesson = lesson
        self.all_steps = all_steps
        self.steps = [s for s in all_steps if s.asked]
        self.index = {s.id: i for i, s in enumerate(self.steps)}
        self.by_id = {s.id: s for s in all_steps}
        self.order = {s.id: i for i, s in enumerate(all_steps)}
        self.store = store
        if store:
            self.progress, self.notice = store.load()
        else:
            self.progress, self.notice = Progress(lesson=lesson.source, fingerprint=""), None
        self.base = copy.deepcopy(self.progress.records)  # as last saved: what we add is merged
        self.progress.position = min(max(self.progress.position, 0), len(self.steps) - 1)
        self.save_failed = False
        self.last_verdict: Verdict | None = None  # the most recent answer's, for replays
        self.skills = Skills(store.root) if store else None  # the learner's record across lessons
        self.offers: list[str] = []  # skills mastered, whose other steps may be filled: latest last
        # A learner at a screen sees only the values worked out so far, and a verdict must not name
        # a mistake that tells another; a replay grades a file, with no screen to keep from.
        self.on_screen = True

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
        """Whether the learner has this value: worked out, revealed, or never asked and already
        behind them (a phase the lesson does not ask is shown as it is passed, not before)."""
        if self.done(step):
            return True
        return not step.asked and self.order[step.id] < self.order[self.step.id]

    @property
    def finished(self) -> bool:
        return all(self.done(s) for s in self.steps)

    def known_id(self, step_id: str | None) -> bool:
        """Whether a number is on screen: lesson data (no step), or a step's known value."""
        return step_id is None or self.known(self.by_id[step_id])

    def texts(self, step: Step) -> dict[str, str]:
        """The numbers the card may put into the step's formula: only those already known (and
        one the learner must know, like ∂z/∂b = 1, only once the step is done)."""
        done = self.done(step)
        return {o.symbol: o.text for o in step.operands
                if self.known_id(o.step) and (done or not o.hidden)}  # fmt: skip

    def missing(self, step: Step) -> list[Step]:
        """The steps whose values this one needs and the learner does not have yet."""
        return [self.by_id[i] for i in step.needs if not self.known_id(i)]

    def carried(self) -> dict[str, float]:
        """The learner's own accepted answers, by step id: what later steps may be worked from."""
        from bptui.answers import read

        out = {}
        for step_id, record in self.progress.records.items():
            answer = record.accepted if record.correct else None
            if answer is not None and step_id in self.by_id:
                value, _ = read(answer)
                if value is not None:
                    out[step_id] = value
        return out

    # --- what the learner does ---

    def answer(self, text: str) -> Verdict:
        step = self.step
        from bptui.answers import grade

        verdict = grade(step, text, self.carried())
        if (
            verdict.mistake
            and self.on_screen
            and any(not self.known_id(o.step) for o in step.all_operands)
        ):  # jumped ahead: a mistake's name would tell the value of a step not worked out yet
            verdict = replace(verdict, mistake=None, term="", also=(), carried=())
        self.last_verdict = verdict
        if self.done(step):
            return verdict  # looking back: checked, but the score stays as it was
        record = self.progress.record(step.id)
        record.answers.append(text)
        record.verdicts.append(verdict.key)
        record.correct = verdict.correct
        self.save()
        if record.correct:
            self.count(step, record)
        return verdict

    def ladder(self, step: Step) -> list[tuple[str, str]]:
        """A step's hints, in order: the rule; then what its card keeps back (the formula, then
        the formula with its numbers); then the numbers worked part of the way."""
        rungs = [("rule", step.hints[0])]
        if step.scaffold == "blank":
            rungs.append(("formula", f"{step.symbol} = {step.formula}"))
        if step.scaffold in ("blank", "formula"):
            rungs.append(("numbers", f"{step.symbol} = {step.filled(self.texts(step))}"))
        if len(step.hints) > 1 and not (rungs[-1][0] == "numbers" and step.hints[1].startswith(
            t("worked.default", numbers="").rstrip(".").rstrip()
        )):  # fmt: skip
            rungs.append(("worked", step.hints[1]))
        return rungs

    def hint(self) -> str | None:
        """The next hint of the current step, or None when there are no more."""
        step = self.step
        record = self.progress.record(step.id)
        ladder = self.ladder(step)
        if record.hints >= len(ladder):
            return None
        if not record.done:
            record.hints += 1
            self.save()
        return self.hints_shown()[-1]

    def hints_shown(self) -> list[str]:
        """The hints asked for so far; one with numbers waits until those numbers are known."""
        step = self.step
        rungs = self.ladder(step)[: self.record().hints]
        missing = self.missing(step)
        key = "hint.first_one" if len(missing) == 1 else "hint.first"
        waiting = t(key, symbols=t("sep").join(s.symbol for s in missing))
        return [waiting if missing and kind in ("numbers", "worked") else text
                for kind, text in rungs]  # fmt: skip

    def shows(self, step: Step, what: str) -> bool:
        """Whether the card shows the step's formula ("formula") or its numbers ("numbers"):
        once answered, always; before, as its scaffold level allows (the hints that give them
        are listed as hints)."""
        if self.done(step):
            return True
        level = ("numbers", "formula", "blank").index(step.scaffold)
        return what == "formula" and level < 2 or what == "numbers" and level < 1

    def reveal(self) -> None:
        record = self.progress.record(self.step.id)
        if not record.done:
            record.revealed = True
            self.save()
            self.count(self.step, record)

    # --- mastery ---

    @property
    def mastered(self) -> str | None:
        """The skill on offer (the latest mastered with steps left here), or None."""
        return self.offers[-1] if self.offers else None

    def count(self, step: Step, record: StepRecord) -> None:
        """A step just done counts for its skill. A mastered skill answered right first time is
        offered, once a lesson, if this lesson still asks it; offers stay until filled or done."""
        skill = skill_of(step)
        self.offers = [s for s in self.offers if self.to_fill(s)]  # done by hand meanwhile
        if self.skills is None or skill is None:
            return
        try:
            records = self.skills.add(skill, record.outcome)
        except OSError:
            return  # the skills file is a convenience: the lesson's own progress is saved
        offer = records[skill].mastered and record.outcome == "first_try"
        if offer and skill not in self.progress.offered and self.to_fill(skill):
            self.progress.offered.append(skill)
            self.offers.append(skill)
            self.save()

    def to_fill(self, skill: str) -> list[Step]:
        """The steps of a skill this lesson still asks of the learner."""
        return [s for s in self.steps if skill_of(s) == skill and not self.done(s)]

    def fill(self, skill: str) -> int:
        """Fill in the skill's remaining steps (shown as filled, counted apart); how many."""
        steps = self.to_fill(skill)
        for step in steps:
            self.progress.record(step.id).filled = True
        self.offers = [s for s in self.offers if s != skill and self.to_fill(s)]
        if steps:
            self.save()
        return len(steps)

    def go(self, index: int) -> None:
        self.progress.position = min(max(index, 0), len(self.steps) - 1)
        self.save()

    def restart(self) -> None:
        self.progress = self.store.fresh() if self.store else Progress(self.lesson.source, "")
        self.base = {}
        self.notice = None
        self.offers = []
        self.save()

    def save(self) -> None:
        self.progress.total = len(self.steps)
        self.progress.position = min(max(self.progress.position, 0), len(self.steps) - 1)
        if self.store and not self.save_failed:
            try:
                self.base = self.store.save(self.progress, self.base)
            except OSError as error:
                self.could_not_save(error)

    def could_not_save(self, error: OSError) -> None:
        """A full disk or an unwritable data folder: say so once, and carry on in memory."""
        self.save_failed = True
        self.notice = t("progress.unsaved", where=str(self.store.root), why=error.strerror or error)

    # --- how it went ---

    def score(self) -> Score:
        counts = Counter(self.record(s).outcome for s in self.steps)
        return Score(*(counts[o] for o in OUTCOMES), len(self.steps), counts["filled"])

    def summary(self) -> tuple[dict[str, Counter], Counter]:
        """Outcomes per phase (in lesson order), and how often each named mistake was made
        ("wrong", an answer the tutor could not name, is counted under that key)."""
        phases: dict[str, Counter] = {
            p: Counter() for p in dict.fromkeys(s.phase for s in self.steps)
        }
        mistakes: Counter = Counter()
        for step in self.steps:
            record = self.record(step)
            phases[step.phase][record.outcome or "open"] += 1
            phases[step.phase]["steps"] += 1
            mistakes.update(v for v in record.verdicts if v not in ("right", *FREE))
        return phases, mistakes

    def went_wrong(self) -> list[tuple[Step, list[tuple[str, Verdict]]]]:
        """Each step with a wrong try: what was typed and what the tutor made of it."""
        from bptui.answers import grade

        carried = self.carried()
        found = []
        for step in self.steps:
            record = self.record(step)
            tries = [
                (answer, _as_recorded(grade(step, answer, carried), verdict))
                for answer, verdict in zip(record.answers, record.verdicts, strict=False)
                if verdict not in ("right", *FREE)
            ]
            if tries:
                found.append((step, tries))
        return found


def _as_recorded(regraded: Verdict, key: str) -> Verdict:
    """The verdict as it was given (graded again only to find the term of a sum it concerns)."""
    from bptui.answers import Verdict

    if regraded.key == key:
        return regraded
    return Verdict(False, mistake=None if key == "wrong" else key)

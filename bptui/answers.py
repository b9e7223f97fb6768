"""Grading one answer to one step: right, wrong with a named mistake, or not a number at all.

An answer is right when it rounds to the value shown on screen, and also when it is what the
step's rule gives from the rounded numbers the learner sees (so working from 0.98 and 0.12 is
never punished). Every comparison rounds to text through `notation`, never floats with ==.
"""

from __future__ import annotations

from dataclasses import dataclass

from bptui.expr import ExprError, calculate
from bptui.i18n import t
from bptui.notation import places, rounded
from bptui.steps import Step


@dataclass(frozen=True)
class Verdict:
    correct: bool
    value: float | None = None  # the answer's value, when it parsed
    mistake: str | None = None  # a glossary.MISTAKES key, when it matches a known mistake
    error: str | None = None  # why the answer could not be read

    @property
    def invalid(self) -> bool:
        return self.error is not None


def _same(a: float, b: float, digits: int) -> bool:
    return rounded(a, digits) == rounded(b, digits)


def grade(step: Step, answer: str | float) -> Verdict:
    if isinstance(answer, bool):
        return Verdict(False, error=t("expr.not_number"))
    try:
        value = float(answer) if isinstance(answer, int | float) else calculate(answer)
    except ExprError as error:
        return Verdict(False, error=str(error))
    except (ValueError, OverflowError):
        return Verdict(False, error=t("expr.not_number"))
    digits = places(step.value, step.decimals)
    if _same(value, step.value, digits) or _same(value, step.from_shown(), digits):
        return Verdict(True, value)
    for name, wrong in step.mistakes:
        # Judged at the wrong value's own precision; worked from rounded numbers, a mistake lands
        # within a unit of the last place.
        wrong_digits = places(wrong, step.decimals)
        if _same(value, wrong, wrong_digits) or abs(value - wrong) <= 10.0**-wrong_digits:
            return Verdict(False, value, mistake=name)
    return Verdict(False, value)

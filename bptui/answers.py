"""Grading one answer to one step, as an exam marker would.

In order:
1. **Right** when the answer agrees at the step's places (rounds to the same, or lies within half
   a unit of the last place) with the value worked out from the
   full-precision numbers, from the rounded numbers on screen, or from the learner's own earlier
   accepted answers (error carried forward) — never when it is a known mistake's value.
2. **A named mistake** when it is, at the step's places, the value a known mistake gives (from
   any of those numbers); the closest one when several do.
3. **Right but too coarse** when the answer is a plain number with fewer places than asked and is
   right to those places: a precision message, no try used.
4. Otherwise **wrong**, with no name: the tutor does not guess.

Every comparison goes through `notation.agrees` (rounded text, or within half a unit), never
floats with ==; `bptui.precision` keeps every known mistake a full unit away from the answer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from bptui.expr import ExprError, calculate, normalize
from bptui.i18n import t
from bptui.model import Step
from bptui.notation import agrees, same_at, shown_at


@dataclass(frozen=True)
class Verdict:
    correct: bool
    value: float | None = None  # the answer's value, when it parsed
    mistake: str | None = None  # a glossary.MISTAKES key, when it matches a known mistake
    term: str = ""  # which term of a sum the mistake concerns
    error: str | None = None  # why the answer could not be read
    coarse: int | None = None  # right to only this many places (fewer than asked): no try used
    basis: str = "exact"  # right from: "exact", "screen" or "carried" numbers
    carried: tuple[tuple[str, str], ...] = ()  # (symbol, the learner's value) the answer used

    @property
    def invalid(self) -> bool:
        return self.error is not None

    @property
    def imprecise(self) -> bool:
        return self.coarse is not None

    @property
    def key(self) -> str:
        """How it is recorded: right, invalid, precision, a mistake's name, or wrong."""
        if self.correct:
            return "right"
        if self.invalid:
            return "invalid"
        if self.imprecise:
            return "precision"
        return self.mistake or "wrong"


_PLAIN = re.compile(r"[-+]?(\d*)\.?(\d*)(?:[eE]([-+]?\d+))?")


def typed_places(text: str) -> int | None:
    """The decimal places of an answer typed as a plain number ("0.10" → 2); None for arithmetic."""
    plain = normalize(text).replace(" ", "")
    match = _PLAIN.fullmatch(plain)
    if not match or not (match.group(1) or match.group(2)):
        return None
    exponent = int(match.group(3) or 0)
    return max(len(match.group(2)) - exponent, 0)


def read(answer: str | float) -> tuple[float | None, str | None]:
    """The answer's value, or why it cannot be read."""
    if isinstance(answer, bool):
        return None, t("expr.not_number")
    try:
        value = float(answer) if isinstance(answer, int | float) else calculate(answer)
    except ExprError as error:
        return None, str(error)
    except (ValueError, OverflowError):
        return None, t("expr.not_number")
    if not math.isfinite(value):
        return None, t("expr.too_large")
    return value, None


def grade(step: Step, answer: str | float, carried: Mapping[str, float] | None = None) -> Verdict:
    """The verdict on one answer; `carried` holds the learner's accepted answers, by step id."""
    value, error = read(answer)
    if error is not None:
        return Verdict(False, error=error)
    at = step.places
    worlds = {"exact": step.values("exact"), "screen": step.values("screen")}
    used = [o for o in step.all_operands if carried and o.step in carried]
    if used:
        worlds["carried"] = step.values("carried", carried)
    rights = {name: step.compute(values) for name, values in worlds.items()}
    rights["exact"] = step.value
    wrongs = [(m, name, m.value(values)) for m in step.mistakes for name, values in worlds.items()]
    wrongs = [(m, name, x) for m, name, x in wrongs if math.isfinite(x)]
    # A known mistake's value (worked from the lesson's numbers) is never accepted, even where the
    # learner's own earlier answers happen to lead to it.
    blocked = any(agrees(value, x, at) for _, name, x in wrongs if name != "carried")
    for name, right in rights.items():
        if math.isfinite(right) and agrees(value, right, at):
            if name == "carried" and blocked:
                continue
            return Verdict(True, value, basis=name, carried=_carried(step, carried, name))
    matches = [(abs(value - x), i, m) for i, (m, _, x) in enumerate(wrongs) if agrees(value, x, at)]
    if matches:
        _, _, mistake = min(matches, key=lambda match: match[:2])
        return Verdict(False, value, mistake=mistake.name, term=mistake.term)
    given = typed_places(str(answer)) if not isinstance(answer, int | float) else None
    coarse = given is not None and given < at and _says_something(value, given)
    if coarse and any(math.isfinite(r) and same_at(value, r, given) for r in rights.values()):
        return Verdict(False, value, coarse=given)
    return Verdict(False, value)


def _says_something(value: float, given: int) -> bool:
    """A coarse answer worth a precision message: a decimal place at least, or two significant
    digits ("0.1", "12"); a bare "2" for 1.84 is a guess, not a rounding."""
    if value == 0:
        return False
    return given >= 1 or given + math.floor(math.log10(abs(value))) + 1 >= 2


def _carried(step: Step, carried: Mapping[str, float] | None, basis: str) -> tuple:
    """The learner's own values a carried-forward answer was worked from (those not on screen)."""
    if basis != "carried" or not carried:
        return ()
    out = {}
    for o in step.operands:
        if o.step in carried and not same_at(carried[o.step], o.on_screen, o.places or 0):
            out[o.symbol] = shown_at(carried[o.step], 12)
    return tuple(out.items())

"""Grading one answer to one step, as an exam marker would.

In order:
1. **Right** when the answer agrees at the step's places (rounds to the same, or lies within half
   a unit of the last place) with the value worked out from the
   full-precision numbers, from the rounded numbers on screen, or from the learner's own earlier
   accepted answers (error carried forward; some of them, the rest as on screen, too) — never
   when it is a known mistake's value worked from the lesson's numbers, nor, from any numbers, an
   update uphill or none at all.
2. **A named mistake** when it is, at the step's places (and at the places typed, when more, up
   to three significant digits), the value a known mistake gives (from any of those numbers); the
   closest one when several do.
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
from itertools import combinations

from bptui.expr import ExprError, calculate, normalize
from bptui.i18n import t
from bptui.mistakes import ESSENTIAL, GENERIC
from bptui.model import Step
from bptui.notation import agrees, places, same_at, shown_at, significant

MIXED = 4  # up to this many of the learner's own numbers in one step: every mix with the screen's


@dataclass(frozen=True)
class Verdict:
    correct: bool
    value: float | None = None  # the answer's value, when it parsed
    mistake: str | None = None  # a glossary.MISTAKES key, when it matches a known mistake
    term: str = ""  # which term of a sum the mistake concerns
    error: str | None = None  # why the answer could not be read
    coarse: int | None = None  # right to only this many places (fewer than asked), or rounded
    # the wrong way at the places asked (coarse == the step's places): no try used
    basis: str = "exact"  # right from: "exact", "screen" or "carried" numbers
    # (symbol, the learner's value) the answer used: right from them, or, with a mistake, a known
    # mistake's value that they happen to lead to (a gradient carried as 0: "unchanged")
    carried: tuple[tuple[str, str], ...] = ()
    also: tuple[tuple[str, str], ...] = ()  # another mistake (and its term) giving the same number
    slip_too: bool = False  # coarse, and at those places a known slip looks the same

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
    own = {}  # each carried world's own answers (a mix: some of them, the others as on screen)
    if used:  # the learner's own answers: as typed, and as the tutor said them back (rounded)
        worlds["carried"] = step.values("carried", carried)
        worlds["carried_shown"] = step.values("carried_shown", carried)
        ids = list(dict.fromkeys(o.step for o in step.operands if o.step in carried))
        if 2 <= len(ids) <= MIXED:  # some of their own numbers, the rest read off the screen
            for n in range(1, len(ids)):
                for kept in combinations(ids, n):
                    left_out = set(ids) - set(kept)
                    mine = {k: v for k, v in carried.items() if k not in left_out}
                    worlds[f"carried {' '.join(kept)}"] = step.values("carried", mine)
                    own[f"carried {' '.join(kept)}"] = mine
    rights = {name: step.compute(values) for name, values in worlds.items()}
    rights["exact"] = step.value
    wrongs = [(m, name, m.value(values)) for m in step.mistakes for name, values in worlds.items()]
    wrongs = [(m, name, x) for m, name, x in wrongs if math.isfinite(x)]
    # What the learner's own earlier answers lead to is right (as an exam marker's follow-through),
    # even where another mistake, worked from other numbers, happens to give the same: only the
    # mistakes no follow-through can excuse (an update uphill, or none) are never accepted.
    blocked = any(agrees(value, x, at) for m, name, x in wrongs
                  if m.name in ESSENTIAL and not name.startswith("carried"))  # fmt: skip
    led = ()  # the learner's own values that lead to a blocked mistake: said with its name
    for name, right in rights.items():
        if math.isfinite(right) and agrees(value, right, at):
            basis = "carried" if name.startswith("carried") else name
            if basis == "carried" and blocked:
                led = led or _carried(step, own.get(name, carried), name)
                continue
            return Verdict(True, value, basis=basis,
                           carried=_carried(step, own.get(name, carried), name))  # fmt: skip
    given = typed_places(str(answer)) if not isinstance(answer, int | float) else None
    finite = [r for r in rights.values() if math.isfinite(r)]
    # Right to the places given, fewer than asked: said so, before any mistake that happens to
    # look the same at the places asked (−1.000 for −0.9995 is right to 3 places, not "unchanged").
    fewer = given is not None and given < at and _says_something(value, given)
    if fewer and any(_rounds_to(value, r, given) for r in finite):
        slip = any(_rounds_to(value, x, given) for _, _, x in wrongs)  # right, or a slip?
        return Verdict(False, value, coarse=given, slip_too=slip)
    # A mistake is named when the answer agrees with its value at the places asked; an answer
    # typed to more places must agree to those too, up to three significant digits of the value (a
    # tiny mistake value, the loss 0.00016 for ∂l/∂y asked to 3 places, is not a name for every
    # 0.0001 or −0.0003 that rounds to 0.000).
    # An answer typed to fewer places than asked (with 2 significant digits at least) is matched
    # at the places it has: 0.10 is the sign-dropped term's 0.101, rounded as the learner did.
    coarse = given is not None and given < at and significant(value, given) >= 2
    matches = [
        (m.name in GENERIC, abs(value - x), (w.startswith("carried"), i), m)
        for i, (m, w, x) in enumerate(wrongs)
        if (agrees(value, x, at) or coarse and agrees(value, x, given))
        and (not given or given <= at or agrees(value, x, min(given, places(x, at) + 1)))
    ]
    if matches:
        # a specific mistake, the closest, from the lesson's numbers rather than the learner's,
        # the first
        matches.sort(key=lambda match: match[:3])
        specific = matches[0]
        closest = min(matches, key=lambda match: match[1:3])
        # a slip of the whole value (×10, a sign) only when it is clearly the closer reading
        generic, distance, _, best = closest if closest[1] < specific[1] / 2 else specific
        # another reading of the very same number: a specific one, or else a slip of the whole
        # (a specific name that is exactly minus the right value is also "the sign is flipped")
        # ... from the same kind of numbers: the lesson's, or the learner's own
        own_numbers = next(w for g, d, w, m in matches if m is best)[0]
        also = [(m.name, m.term) for g, d, (theirs, _), m in matches
                if d <= distance + 1e-12 and m.name != best.name
                and theirs == own_numbers]  # fmt: skip
        return Verdict(
            False, value, mistake=best.name, term=best.term, also=tuple(also[:1]), carried=led
        )
    if given == at and any(_cut_off(value, r, at) for r in finite):
        return Verdict(False, value, coarse=at)  # cut off where it should have been rounded
    return Verdict(False, value)


def _cut_off(value: float, right: float, places: int) -> bool:
    """Whether `value` is `right` cut off after `places` decimals, where rounding gives another
    number (0.984 for 0.9849; not 1.85 for 1.8448, which is no cutting off of anything)."""
    scaled = abs(right) * 10.0**places
    if not scaled < 1e15:  # no decimals left to cut off
        return False
    cut = math.copysign(math.floor(scaled + 1e-9) / 10.0**places, right)
    return same_at(value, cut, places) and not agrees(value, right, places)


def _rounds_to(value: float, right: float, places: int) -> bool:
    """Whether `value`, written with `places` decimals, is `right` rounded there (half up, or as
    the float rounds: a learner's 6.3 and Python's 6.2 for 6.25 are both roundings of it)."""
    return same_at(value, right, places) or abs(value - right) <= 0.5 * 10.0**-places * (1 + 1e-9)


def _says_something(value: float, given: int) -> bool:
    """A coarse answer worth a precision message: a decimal place at least, or two significant
    digits ("0.1", "12"); a bare "2" for 1.84 is a guess, not a rounding."""
    if value == 0:
        return False
    return given >= 1 or significant(value, given) >= 2


def _carried(step: Step, carried: Mapping[str, float] | None, basis: str) -> tuple:
    """The learner's own values a carried-forward answer was worked from (those not on screen)."""
    if not basis.startswith("carried") or not carried:
        return ()
    out = {}
    for o in step.operands:  # as typed (or as said back), where that is not what is on screen
        places = o.places or 0 if basis == "carried_shown" else 12
        if o.step in carried and not same_at(carried[o.step], o.on_screen, places):
            out[o.symbol] = shown_at(carried[o.step], places)
    return tuple(out.items())

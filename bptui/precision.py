"""How many decimal places each step is asked to, and which known mistakes it can tell apart.

The policy, stated on every card and kept by the grader:

- a step is asked to the lesson's `decimals`, or to 2 significant digits when its value is smaller
  than that can show ("small", said in significant digits, which do not give its size away);
- then, if the right value would look the same on screen as a known mistake's (worked from the
  full-precision numbers or from the rounded numbers on screen), one or two more places ("apart",
  or "small_apart": more significant digits);
  an update that would round back to the old weight gets as many places as its change needs;
- a mistake that still cannot be told apart changes the value by less than the finest place asked:
  at that precision it is not a mistake, and it is not named.
"""

from __future__ import annotations

import math
from dataclasses import replace

from bptui.mistakes import ESSENTIAL, GENERIC, candidates
from bptui.model import Step
from bptui.notation import MAX_PLACES, apart, places

EXTRA = 2  # at most this many places beyond the usual, to keep an ordinary mistake apart


def settle(step: Step, decimals: int) -> Step:
    """The step with its places, its reason, and the known mistakes it keeps."""
    base = places(step.value, decimals)
    worlds = (step.values("exact"), step.values("screen"))
    rights = [step.value, step.compute(worlds[1])]
    rights = [r for r in rights if math.isfinite(r)]
    found = []
    for mistake in candidates(step):
        wrong = [mistake.value(w) for w in worlds]
        wrong = [x for x in wrong if math.isfinite(x)]
        if wrong and not _coincides(wrong[0], step.value):
            found.append((mistake, wrong))

    def clashes(wrong: list[float], at: int) -> bool:
        return any(not apart(r, x, at) for r in rights for x in wrong)

    def limit(name: str) -> int:
        if name in GENERIC:
            return base
        return MAX_PLACES if name in ESSENTIAL else min(base + EXTRA, MAX_PLACES)

    kept, needed = [], base
    for mistake, wrong in found:
        first = next(
            (p for p in range(base, limit(mistake.name) + 1) if not clashes(wrong, p)), None
        )
        if first is not None:
            kept.append((mistake, wrong))
            needed = max(needed, first)
    # Rounding is not monotonic (0.145 and 0.1449 differ at 2 places, not at 3): check again.
    while needed < MAX_PLACES and any(
        m.name in ESSENTIAL and clashes(wrong, needed) for m, wrong in kept
    ):
        needed += 1
    kept = [(m, wrong) for m, wrong in kept if not clashes(wrong, needed)]
    small = base > decimals  # asked in significant digits, which do not tell the value's size
    if needed > base:
        reason = "small_apart" if small else "apart"
    else:
        reason = "small" if small else "lesson"
    return replace(step, places=needed, precision=reason, mistakes=tuple(m for m, _ in kept))


def _coincides(a: float, b: float) -> bool:
    """The same number: the 'mistake' gives the right value here (a zero term, a dead ReLU)."""
    return abs(a - b) <= 1e-9 * max(1.0, abs(b))

"""Every step of a lesson, asked or shown, in tutor order: the one list the tutor, `bptui key`,
the replay and the tests all read. The step model itself is `bptui.model`; the two builders are
`bptui.network_steps` (networks) and `bptui.graph` (chain-rule graphs).

One numeric policy for every command: a lesson whose steps are not finite, or exceed ±MAX_VALUE,
is refused here with a located message — so `bptui check` refuses exactly what `key`, `replay` and
the tutor could not handle.
"""

from __future__ import annotations

import math

from bptui.model import Operand, Step

__all__ = ["MAX_VALUE", "Operand", "Step", "asked", "build"]

MAX_VALUE = 1e12  # every value a step works with stays within ±this


def build(lesson, trace=None) -> list[Step]:
    """The steps, or a LessonError saying which step leaves the range, and where to look."""
    import numpy as np

    from bptui.lesson import GraphLesson

    with np.errstate(all="ignore"):  # overflow is reported below, as a located message
        if isinstance(lesson, GraphLesson):
            from bptui.graph import build_steps

            steps = build_steps(lesson, trace)
        else:
            from bptui.network_steps import build as build_network

            steps = build_network(lesson, trace)
    check_range(lesson, steps)
    return focused(lesson, steps) if lesson.focus else steps


def focused(lesson, steps: list[Step]) -> list[Step]:
    """Only the steps of the lesson's skills in focus are asked; the others are shown."""
    from dataclasses import replace

    from bptui.lesson import LessonError, locate
    from bptui.skills import skill_of

    steps = [replace(s, asked=False) if s.asked and skill_of(s) not in lesson.focus else s
             for s in steps]  # fmt: skip
    if not any(s.asked for s in steps):
        message = "leaves no step to ask: the phases asked have no step of these skills"
        raise LessonError(lesson.source, message, "tutor.focus", locate(lesson.text, "tutor.focus"))
    return steps


def asked(steps: list[Step]) -> list[Step]:
    return [s for s in steps if s.asked]


def check_range(lesson, steps: list[Step]) -> None:
    for step in steps:
        numbers = [step.value, *(o.value for o in step.all_operands)]
        if step.kind == "chain":  # the product along each path is shown too
            paths: dict = {}
            for o in step.context:
                if o.role == "factor":
                    paths.setdefault(o.k[0], []).append(o.value)
            numbers += [math.prod(factors) for factors in paths.values()]
        if all(math.isfinite(x) and abs(x) <= MAX_VALUE for x in numbers):
            continue
        raise _out_of_range(lesson, step)


def _out_of_range(lesson, step: Step):
    from bptui.lesson import GraphLesson, LessonError, locate

    if isinstance(lesson, GraphLesson):
        names = [n.name for n in lesson.nodes]
        where = (f"graph.nodes[{names.index(step.node) + 1}].expr" if step.node in names
                 else "graph.inputs")  # fmt: skip
    elif step.layer:
        where = f"network.layers[{step.layer}]"
    else:
        where = "training"
    message = (
        f"step {step.id} ({step.symbol}) is not finite or beyond ±{MAX_VALUE:g}: the tutor "
        "cannot show or check it; use smaller numbers"
    )
    return LessonError(lesson.source, message, where, locate(lesson.text, where))

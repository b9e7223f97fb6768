"""Every step of a lesson, asked or shown, in tutor order: the one list the tutor, `bptui key`,
the replay and the tests all read. The step model itself is `bptui.model`; the two builders are
`bptui.network_steps` (networks) and `bptui.graph` (chain-rule graphs)."""

from __future__ import annotations

from bptui.model import Operand, Step

__all__ = ["Operand", "Step", "asked", "build"]


def build(lesson, trace=None) -> list[Step]:
    from bptui.lesson import GraphLesson

    if isinstance(lesson, GraphLesson):
        from bptui.graph import build_steps

        return build_steps(lesson, trace)
    from bptui.network_steps import build as build_network

    return build_network(lesson, trace)


def asked(steps: list[Step]) -> list[Step]:
    return [s for s in steps if s.asked]

"""`bptui key`: the full worked solution, as JSON or as a Rich transcript."""

from __future__ import annotations

from itertools import groupby

from bptui import engine
from bptui.glossary import phase_title
from bptui.i18n import lesson_text, t
from bptui.lesson import Lesson
from bptui.model import Step
from bptui.notation import shown


def _list(array) -> list:
    return array.tolist()


def trace_of(lesson):
    """The engine's full computation for a lesson of either kind."""
    from bptui.lesson import GraphLesson

    if isinstance(lesson, GraphLesson):
        from bptui import graph

        return graph.run(lesson)
    return engine.run(lesson)


def key_data(lesson: Lesson, trace, steps: list[Step]) -> dict:
    """The answer key as plain data (the `--json` output)."""
    if not isinstance(trace, engine.Trace):  # a chain-rule graph
        return {
            "title": lesson.title,
            "summary": lesson.summary,
            "lesson": lesson.source,
            "kind": "graph",
            "output": lesson.output,
            "values": trace.values,
            "gradients": trace.gradients,
            "steps": [step_data(s) for s in steps if s.asked],
        }
    return {
        "title": lesson.title,
        "summary": lesson.summary,
        "lesson": lesson.source,
        "kind": "network",
        "samples": [
            {
                "x": _list(s.x),
                "target": _list(s.target),
                "loss": s.loss,
                "layers": [
                    {
                        "z": _list(layer.z),
                        "a": _list(layer.a),
                        "gain": None if layer.gain is None else _list(layer.gain),
                        "dl_dz": _list(layer.dl_dz),
                        "dl_dw": _list(layer.dl_dw),
                        "dl_db": _list(layer.dl_db),
                    }
                    for layer in s.layers
                ],
            }
            for s in trace.samples
        ],
        "total": {
            "loss": trace.loss,
            "layers": [
                {"dl_dw": _list(w), "dl_db": _list(b)}
                for w, b in zip(trace.dl_dw, trace.dl_db, strict=True)
            ],
        },
        "updated": {
            "learning_rate": lesson.learning_rate,
            "layers": [
                {"weights": _list(w), "biases": _list(b)}
                for w, b in zip(trace.updated_weights, trace.updated_biases, strict=True)
            ],
        },
        "steps": [step_data(s) for s in steps if s.asked],
    }


def step_data(step: Step) -> dict:
    exact = step.values("exact")
    return {
        "id": step.id,
        "phase": step.phase,
        "kind": step.kind,
        "sample": step.sample,
        "layer": step.layer,
        "neuron": step.neuron,
        "source": step.source,
        "asks": step.asks,
        "formula": f"{step.symbol} = {step.formula}",
        "numbers": f"{step.symbol} = {step.numbers}",
        "value": step.value,
        "shown": step.shown,
        "places": step.places,
        "precision": step.precision,
        "mistakes": [
            {"name": m.name, "term": m.term, "value": m.value(exact)} for m in step.mistakes
        ],
    }


def print_key(lesson: Lesson, trace, steps: list[Step], console) -> None:
    """The worked solution, phase by phase, each formula with its numbers."""
    from rich.table import Table
    from rich.text import Text

    console.print(Text(lesson_text(lesson, "title"), style="bold"))
    if lesson_text(lesson, "summary"):
        console.print(lesson_text(lesson, "summary"))
    asked = [s for s in steps if s.asked]
    console.print(Text(t("cli.steps", n=len(asked)), style="dim"))
    for (sample, phase), group in groupby(asked, key=lambda s: (s.sample, s.phase)):
        heading = phase_title(phase) + (
            t("cli.sample", n=sample) if sample and len(lesson.samples) > 1 else ""
        )
        table = Table(title=heading, title_justify="left", title_style="bold cyan", expand=False)
        table.add_column(t("cli.step"), style="dim", no_wrap=True)
        table.add_column(t("cli.formula"))
        table.add_column(t("cli.numbers"))
        table.add_column(t("cli.value"), justify="right", style="bold")
        for step in group:
            table.add_row(step.id, f"{step.symbol} = {step.formula}", step.numbers, step.shown)
        console.print(table)
    if isinstance(trace, engine.Trace):
        console.print(t("cli.total_loss", value=shown(trace.loss, lesson.decimals)))

"""Skills: what each step asks the learner to do, the same in every lesson (data only).

`bptui.mastery` keeps the learner's record of each; lessons may ask only some (`[tutor] focus`).
"""

from __future__ import annotations

# One rule a line: the skill a step practises, from its phase and kind.
SKILL_OF = {
    ("forward", "z"): "z",
    ("forward", "a"): "activation",
    ("dz_dw", "dz_dw"): "dz_dw",
    ("loss", "loss"): "loss",
    ("output", "dl_dy"): "dl_dy",
    ("output", "gain"): "gain",
    ("backward", "gain"): "gain",
    ("backward", "sum"): "op_amp_sum",
    ("output", "dl_dz"): "dl_dz",
    ("backward", "dl_dz"): "dl_dz",
    ("gradient", "dl_dw"): "dl_dw",
    ("gradient", "dl_db"): "dl_db",
    ("total", "total"): "total",
    ("update", "update"): "update",
    ("values", "value"): "node_value",
    ("local", "local"): "local",
    ("chain", "chain"): "path",
}
SKILLS = tuple(dict.fromkeys(SKILL_OF.values()))  # in the order a lesson meets them

# How each skill is named on screen: symbols, the same in every language, then words.
LABELS = {
    "z": ("z", "z = Σ w·a + b", "z = Σ w·a + b"),
    "activation": ("a", "a = f(z)", "a = f(z)"),
    "dz_dw": ("∂z/∂w", "∂z/∂w, the input on the edge", "∂z/∂w，边上的输入"),
    "loss": ("l", "the loss l", "loss l"),
    "dl_dy": ("∂l/∂y", "∂l/∂y", "∂l/∂y"),
    "gain": ("f'(z)", "the gain f'(z)", "增益 f'(z)"),
    "op_amp_sum": ("Σw·∂l/∂z", "the op-amp's input Σ w·∂l/∂z", "op-amp 的输入 Σ w·∂l/∂z"),
    "dl_dz": ("∂l/∂z", "∂l/∂z", "∂l/∂z"),
    "dl_dw": ("∂l/∂w", "∂l/∂w = a·∂l/∂z", "∂l/∂w = a·∂l/∂z"),
    "dl_db": ("∂l/∂b", "∂l/∂b = ∂l/∂z", "∂l/∂b = ∂l/∂z"),
    "total": ("∂L/∂w", "∂L/∂w = Σₙ ∂lⁿ/∂w", "∂L/∂w = Σₙ ∂lⁿ/∂w"),
    "update": ("w′", "the update w − η·∂L/∂w", "更新 w − η·∂L/∂w"),
    "node_value": ("value", "a node's value", "节点的值"),
    "local": ("local ∂", "a local derivative", "局部微分"),
    "path": ("path", "the chain rule's paths", "chain rule 的路径"),
}


def skill_of(step) -> str | None:
    return SKILL_OF.get((step.phase, step.kind))


def short(skill: str) -> str:
    return LABELS[skill][0]


def label(skill: str, language: str = "en") -> str:
    return LABELS[skill][2 if language == "zh" else 1]

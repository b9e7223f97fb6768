"""Skills across lessons: what each step practises, the learner's record of it, and mastery.

A skill is what a step asks the learner to do (work out a z, a gain, the op-amp's weighted sum…),
the same in every lesson. The record of each skill lives beside the lessons' progress, in
`skills.json` of the data folder, updated under a lock when a step is done (two tutors add up). A
skill is *mastered* after `MASTERED_AFTER` steps in a row right first time (a retry, a hint or a
reveal starts the run again); the tutor then offers, once a lesson, to fill in that skill's
remaining steps. Headless: no Textual.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

MASTERED_AFTER = 3
FORMAT = 1
MAX_COUNT = 10**9

# One rule a line: the skill a step practises, from its phase and kind.
SKILL_OF = {
    ("forward", "z"): "z",
    ("forward", "a"): "activation",
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
    "activation": ("a", "a = σ(z)", "a = σ(z)"),
    "loss": ("l", "the loss l", "loss l"),
    "dl_dy": ("∂l/∂y", "∂l/∂y", "∂l/∂y"),
    "gain": ("σ'(z)", "the gain σ'(z)", "增益 σ'(z)"),
    "op_amp_sum": ("Σw·∂l/∂z", "the op-amp's input Σ w·∂l/∂z", "op-amp 的输入 Σ w·∂l/∂z"),
    "dl_dz": ("∂l/∂z", "∂l/∂z", "∂l/∂z"),
    "dl_dw": ("∂l/∂w", "∂l/∂w = a·∂l/∂z", "∂l/∂w = a·∂l/∂z"),
    "dl_db": ("∂l/∂b", "∂l/∂b = ∂l/∂z", "∂l/∂b = ∂l/∂z"),
    "total": ("∂L/∂w", "∂L/∂w = Σₙ ∂lⁿ/∂w", "∂L/∂w = Σₙ ∂lⁿ/∂w"),
    "update": ("w′", "the update w − η·∂L/∂w", "更新 w − η·∂L/∂w"),
    "node_value": ("x", "a node's value", "节点的值"),
    "local": ("∂z/∂x", "a local derivative", "局部偏微分"),
    "path": ("Σ∏", "the chain rule's paths", "chain rule 的路径"),
}


def skill_of(step) -> str | None:
    return SKILL_OF.get((step.phase, step.kind))


def short(skill: str) -> str:
    return LABELS[skill][0]


def label(skill: str, language: str = "en") -> str:
    return LABELS[skill][2 if language == "zh" else 1]


@dataclass
class SkillRecord:
    streak: int = 0  # steps in a row right first time, up to now
    first_try: int = 0  # steps right first time, all told
    done: int = 0  # steps done, all told (right in any way, or revealed)
    revealed: int = 0

    @property
    def mastered(self) -> bool:
        return self.streak >= MASTERED_AFTER

    def add(self, outcome: str) -> None:
        self.done += 1
        if outcome == "first_try":
            self.first_try += 1
            self.streak += 1
        else:
            self.streak = 0
            self.revealed += outcome == "revealed"


def weakest(records: dict[str, SkillRecord]) -> list[str]:
    """Skills practised and not mastered, the weakest first: the lowest share right first time,
    then the most revealed, then in course order."""
    practised = [s for s in SKILLS if s in records and records[s].done and not records[s].mastered]
    return sorted(practised, key=lambda s: (records[s].first_try / records[s].done,
                                            -records[s].revealed, SKILLS.index(s)))  # fmt: skip


class Skills:
    """The learner's record of every skill, in `skills.json` of the data folder."""

    def __init__(self, root: Path):
        self.root = root
        self.path = root / "skills.json"

    def read(self) -> dict[str, SkillRecord]:
        """The records on disk; none for a missing file; ValueError for one that is not ours."""
        from bptui.files import FileProblem, read_text

        try:
            text = read_text(self.path, 1024 * 1024, "a skills file")
        except FileProblem as problem:
            if problem.message == "no such file":
                return {}
            raise ValueError(problem.message) from None
        try:
            raw = json.loads(text)
        except (json.JSONDecodeError, RecursionError):
            raise ValueError("not JSON") from None
        return checked(raw)

    def load(self) -> dict[str, SkillRecord]:
        """The records, or none if the file cannot be used (it is then set aside on the next
        save, never overwritten)."""
        try:
            return self.read()
        except (OSError, ValueError):
            return {}

    def add(self, skill: str, outcome: str) -> dict[str, SkillRecord]:
        """Count one step done, on top of what is on disk (another tutor may have added some)."""
        from bptui.progress import _locked, _private_folder, _write_atomically

        _private_folder(self.root, self.root)
        with _locked(self.path.with_suffix(".lock")):
            try:
                records = self.read()
            except (OSError, ValueError):
                if os.path.lexists(self.path):
                    os.replace(self.path, self.path.with_name("skills.unreadable.json"))
                records = {}
            records.setdefault(skill, SkillRecord()).add(outcome)
            data = {"format": FORMAT, "skills": {k: asdict(v) for k, v in records.items()}}
            _write_atomically(self.path, json.dumps(data, indent=1))
        return records


def checked(raw: object) -> dict[str, SkillRecord]:
    """A skills file's JSON, every field checked; ValueError otherwise."""
    if not (isinstance(raw, dict) and raw.get("format") == FORMAT):
        raise ValueError("unknown format")
    skills = raw.get("skills")
    if not isinstance(skills, dict):
        raise ValueError("skills")
    out = {}
    for name, record in skills.items():
        if name not in LABELS or not isinstance(record, dict) or set(record) - set(FIELDS):
            continue  # a skill this version does not know: left out, never an error
        if not all(_whole(record.get(k, 0)) for k in FIELDS):
            raise ValueError(f"skill {name}")
        out[name] = SkillRecord(**record)
    return out


FIELDS = tuple(SkillRecord.__dataclass_fields__)


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT

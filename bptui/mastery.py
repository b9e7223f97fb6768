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
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bptui.skills import LABELS, SKILLS, label, short, skill_of

__all__ = ["MASTERED_AFTER", "SKILLS", "SkillRecord", "Skills", "label", "short", "skill_of"]

MASTERED_AFTER = 3
FORMAT = 1
MAX_COUNT = 10**9


@dataclass
class SkillRecord:
    streak: int = 0  # steps in a row right first time, up to now
    first_try: int = 0  # steps right first time, all told
    done: int = 0  # steps done, all told (right in any way, or revealed)
    revealed: int = 0
    best: int = 0  # the longest such run: mastery, once reached, is kept

    @property
    def mastered(self) -> bool:
        return self.best >= MASTERED_AFTER

    def add(self, outcome: str) -> None:
        self.done += 1
        if outcome == "first_try":
            self.first_try += 1
            self.streak += 1
            self.best = max(self.best, self.streak)
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
        from bptui.progress import locked, private_folder, write_atomically

        private_folder(self.root, self.root)
        with locked(self.path.with_suffix(".lock")):
            try:
                records = self.read()
            except (OSError, ValueError):
                if os.path.lexists(self.path):
                    stamp = time.strftime("%Y%m%d-%H%M%S")  # set aside, never overwritten
                    os.replace(self.path, self.path.with_name(f"skills.unreadable-{stamp}.json"))
                records = {}
            records.setdefault(skill, SkillRecord()).add(outcome)
            data = {"format": FORMAT, "skills": {k: asdict(v) for k, v in records.items()}}
            write_atomically(self.path, json.dumps(data, indent=1))
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

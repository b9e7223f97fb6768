"""The steps cache: a faithful copy when it is sound, ignored (never an error) when it is not."""

from __future__ import annotations

import dataclasses
import math
import os
from pathlib import Path

from bptui import cache, steps
from bptui.lesson import load

LECTURE = Path(__file__).resolve().parent.parent / "lessons" / "lecture-example.toml"


def test_saved_steps_come_back_equal():
    lesson = load(str(LECTURE))
    built = steps.build(lesson)
    assert cache.load(lesson) is None
    cache.save(lesson, built)
    assert load(str(LECTURE)) is not load(str(LECTURE))  # a fresh copy each time
    again = cache.load(lesson)
    assert [s.id for s in again] == [s.id for s in built]
    pairs = zip(again, built, strict=True)
    assert all(math.isclose(a.value, b.value, rel_tol=1e-15, abs_tol=1e-300) for a, b in pairs)
    path = cache.path_for(*cache.steps_inputs(lesson))
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_corrupt_or_writable_by_others_cache_is_ignored():
    lesson = load(str(LECTURE))
    cache.save(lesson, steps.build(lesson))
    path = cache.path_for(*cache.steps_inputs(lesson))
    os.chmod(path, 0o666)
    assert cache.load(lesson) is None  # others could have written it: not unpickled
    path.write_bytes(b"not a pickle")
    os.chmod(path, 0o600)
    assert cache.load(lesson) is None


def test_another_scaffold_or_text_is_another_entry():
    lesson = load(str(LECTURE))
    blank = dataclasses.replace(lesson, scaffold="blank")
    edited = dataclasses.replace(lesson, text=lesson.text + "\n# edited\n")
    keys = {cache.path_for(*cache.steps_inputs(each)) for each in (lesson, blank, edited)}
    assert len(keys) == 3


def test_a_lesson_parsed_before_comes_back_equal_and_an_edit_is_parsed_again(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(LECTURE.read_text(encoding="utf-8"), encoding="utf-8")
    first = load(str(path))
    assert cache.get("lesson", str(path), "mine", first.text) is not None
    assert load(str(path)) == first
    path.write_text(first.text.replace("0.5", "0.25", 1), encoding="utf-8")
    edited = load(str(path))
    assert edited != first and edited.text != first.text

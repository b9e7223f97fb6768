from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from bptui import lesson as lesson_module

LECTURE = Path(__file__).resolve().parent.parent / "lessons" / "lecture-example.toml"


@pytest.fixture(autouse=True)
def _data_home(tmp_path, monkeypatch):
    """Progress and attempt records go to a fresh folder in every test, never the user's own."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture
def lecture():
    return lesson_module.load(str(LECTURE))


@pytest.fixture
def write(tmp_path):
    """Write a lesson file from (dedented) text and return its path as a string."""

    def _write(text: str | bytes, name: str = "lesson.toml") -> str:
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return str(path)

    return _write


SMALL = """\
title = "Small"
[network]
inputs = ["x1", "x2"]
[[network.layers]]
activation = "sigmoid"
weights = [[1, -2], [-1, 1]]
biases = [1, 0]
[[network.layers]]
activation = "sigmoid"
weights = [[2, -1]]
biases = [0]
[training]
loss = "squared_error"
learning_rate = 0.5
[[training.samples]]
x = [1, -1]
target = [1]
"""

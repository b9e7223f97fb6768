"""`bptui replay --report`, `--csv`, `--html`: a class of answers files, some of them broken."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from bptui import steps
from bptui.cli import main
from bptui.glossary import mistake
from bptui.notation import shown_at

ROOT = Path(__file__).resolve().parent.parent

SLIP, SLIP_NAME = "s1.forward.L3.n1.z", "bias_forgotten"  # a step, and a mistake made on it
TYPO = "s1.loss"  # answered unreadably by some
SKIPPED = "s1.backward.L1.n2.sum"  # left out by some
HINTED = "s1.forward.L1.n1.a"  # right after a hint, for some
FILLED = "s1.forward.L2.n1.z"  # filled in by the tutor (a skill mastered), for some
BROKEN = {
    "broken-toml.toml": b'[answers\n"s1.loss" = 1\n',
    "broken-id.toml": b'[answers]\n"s1.loss" = "0.42"\n"s9.nowhere" = 1\n',
    "broken-bytes.toml": b'[answers]\n"s1.loss" = "\xff"\n',
}


def mistake_answer(step, name: str) -> str:
    """What a learner making a named mistake types: its value, worked by the engine."""
    [slip] = [m for m in step.mistakes if m.name == name]
    return shown_at(slip.value(step.values("exact")), step.places)


def toml_file(answers: dict, hints: dict | None = None, filled: tuple = ()) -> str:
    lines = ['lesson = "lecture-example"']
    if filled:
        lines.append(f"filled = {json.dumps(list(filled))}")
    lines.append("[answers]")
    lines += [f"{json.dumps(k)} = {json.dumps(v, ensure_ascii=False)}" for k, v in answers.items()]
    if hints:
        lines += ["[hints]", *(f"{json.dumps(k)} = {n}" for k, n in hints.items())]
    return "\n".join(lines) + "\n"


@pytest.fixture
def a_class(lecture, tmp_path):
    """1,000 answers files: 997 from the key with a few typical slips, 3 broken. Returns the
    folder and, per step, how many of the 997 were meant to land in each category."""
    asked = steps.asked(steps.build(lecture))
    by_id = {s.id: s for s in asked}
    key = {s.id: s.shown for s in asked}
    slip = mistake_answer(by_id[SLIP], SLIP_NAME)
    folder = tmp_path / "class"
    folder.mkdir()
    expected = {s.id: Counter() for s in asked}
    for i in range(997):
        answers, hints, filled = dict(key), {}, ()
        if i % 4 == 0:
            answers[SLIP] = slip
        if i % 10 == 0:
            answers[TYPO] = "0.4.2"
        if i % 5 == 0:
            del answers[SKIPPED]
        if i % 8 == 1:
            hints[HINTED] = 1
        if i % 7 == 3:
            del answers[FILLED]
            filled = (FILLED,)
        for step_id in key:
            if step_id == SLIP and i % 4 == 0:
                expected[step_id]["wrong"] += 1
            elif step_id == TYPO and i % 10 == 0:
                expected[step_id]["invalid"] += 1
            elif step_id == SKIPPED and i % 5 == 0:
                expected[step_id]["unanswered"] += 1
            elif step_id == HINTED and i % 8 == 1:
                expected[step_id]["after_hint"] += 1
            elif step_id == FILLED and i % 7 == 3:
                expected[step_id]["filled"] += 1  # not counted as a gap
            else:
                expected[step_id]["first_try"] += 1
        text = toml_file(answers, hints, filled)
        (folder / f"learner-{i:04d}.toml").write_text(text, encoding="utf-8")
    for name, raw in BROKEN.items():
        (folder / name).write_bytes(raw)
    return folder, expected, slip


def test_a_class_of_1000_with_3_broken_files_grades_997_and_lists_3(a_class, tmp_path, capsys):
    folder, expected, slip = a_class
    sheet, page = tmp_path / "class.csv", tmp_path / "class.html"
    code = main(["replay", "lecture-example", str(folder), "--json", "--report",
                 "--csv", str(sheet), "--html", str(page)])  # fmt: skip
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert code == 3  # some files graded, some not
    assert len(data["files"]) == 997
    problems = {Path(p["file"]).name: p for p in data["unusable"]}
    assert set(problems) == set(BROKEN)
    assert problems["broken-toml.toml"]["line"] == 1
    assert "not valid TOML" in problems["broken-toml.toml"]["error"]
    assert problems["broken-id.toml"]["line"] == 3
    assert problems["broken-id.toml"]["field"] == 'answers."s9.nowhere"'
    assert "unknown step id 's9.nowhere'" in problems["broken-id.toml"]["error"]
    assert problems["broken-bytes.toml"]["line"] == 2
    assert problems["broken-bytes.toml"]["error"] == "is not UTF-8 text"
    for name in BROKEN:  # and each on stderr, located
        assert f"{name}:" in captured.err
    # the report agrees with the files graded, step by step
    report = data["report"]
    assert report["files"] == 997 and report["unusable"] == 3
    rows = {row["step"]: row for row in report["steps"]}
    assert set(rows) == set(expected)
    for step_id, counts in expected.items():
        got = {c: rows[step_id][c] for c in report["categories"]}
        assert got == {c: counts[c] for c in report["categories"]}, step_id
        assert rows[step_id]["files"] == 997
    per_file = Counter(s for f in data["files"] for s in f["wrong"])
    filled = Counter(s for f in data["files"] for s in f["filled"])  # not counted as unanswered
    assert filled == {FILLED: expected[FILLED]["filled"]}
    assert not any(FILLED in f["unanswered"] for f in data["files"])
    assert rows[SLIP]["wrong"] == per_file[SLIP]
    [named] = rows[SLIP]["mistakes"]
    assert named["mistake"] == SLIP_NAME and named["files"] == expected[SLIP]["wrong"]
    assert named["said"] == mistake(SLIP_NAME)
    assert rows[SLIP]["wrong_answers"] == [{"answer": slip, "files": expected[SLIP]["wrong"]}]
    assert rows[TYPO]["wrong_answers"] == [{"answer": "0.4.2", "files": expected[TYPO]["invalid"]}]
    # hardest first: fewest right first time
    firsts = [row["first_try"] for row in report["steps"]]
    assert firsts == sorted(firsts)
    assert report["steps"][0]["step"] == SLIP  # a quarter got it wrong: the hardest
    assert report["mistakes"][0]["mistake"] == SLIP_NAME
    # the spreadsheet: one row per step, the same numbers
    with sheet.open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.DictReader(f))
    assert [r["step"] for r in table] == [row["step"] for row in report["steps"]]
    by_step = {r["step"]: r for r in table}
    assert int(by_step[SLIP]["wrong"]) == expected[SLIP]["wrong"]
    assert int(by_step[SLIP]["right_first_time"]) == expected[SLIP]["first_try"]
    assert by_step[SLIP]["top_mistake"] == SLIP_NAME
    assert int(by_step[SLIP]["top_mistake_files"]) == expected[SLIP]["wrong"]
    assert int(by_step[TYPO]["unreadable"]) == expected[TYPO]["invalid"]
    assert int(by_step[SKIPPED]["unanswered"]) == expected[SKIPPED]["unanswered"]
    assert int(by_step[HINTED]["right_after_hint"]) == expected[HINTED]["after_hint"]
    assert int(by_step[FILLED]["filled"]) == expected[FILLED]["filled"] > 0
    assert int(by_step[FILLED]["unanswered"]) == 0
    # the page: the steps, the bars, the mistake named and explained, the broken files
    text = page.read_text(encoding="utf-8")
    assert text.count("<svg") == len(expected) and SLIP_NAME in text
    assert "the bias was left out" in text
    assert all(name in text for name in BROKEN)
    assert all(step_id in text for step_id in expected)


def test_the_text_report_names_the_mistakes_and_never_cuts_an_id(
    lecture, tmp_path, capsys, monkeypatch
):
    folder = tmp_path / "class"
    folder.mkdir()
    asked = steps.asked(steps.build(lecture))
    key = {s.id: s.shown for s in asked}
    slip = mistake_answer(next(s for s in asked if s.id == SLIP), SLIP_NAME)
    for i in range(3):
        answers = dict(key)
        if i < 2:
            answers[SLIP] = slip
        (folder / f"l{i}.toml").write_text(toml_file(answers), encoding="utf-8")
    monkeypatch.setenv("COLUMNS", "40")  # capsys is no terminal: Rich reads COLUMNS, as piped
    assert main(["replay", "lecture-example", str(folder), "--report"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    for step_id in key:  # each step's row starts with its whole id
        assert any(line.startswith(step_id + " ") for line in lines), step_id
    row = next(line for line in lines if line.startswith(SLIP + " "))
    assert "1  33%" in row  # right first time: 1 of 3
    assert f"2 {SLIP_NAME}: the bias was left out" in " ".join(out.split())
    assert "…" not in out
    hardest = [line.split()[0] for line in lines if line.split()[:1] and line.split()[0] in key]
    assert hardest[0] == SLIP


def test_piped_with_narrow_columns_nothing_is_cut(lecture, tmp_path):
    """A subprocess writing into a pipe with COLUMNS=40: every id whole, in every table."""
    folder = tmp_path / "class"
    folder.mkdir()
    key = {s.id: s.shown for s in steps.asked(steps.build(lecture))}
    long_name = "a-learner-with-a-rather-long-file-name-indeed.toml"
    (folder / long_name).write_text(toml_file(key), encoding="utf-8")
    (folder / "b.toml").write_text(toml_file({SLIP: key[SLIP]}), encoding="utf-8")
    env = {**os.environ, "COLUMNS": "40", "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "XDG_DATA_HOME": str(tmp_path / "data")}  # fmt: skip
    env.pop("FORCE_COLOR", None)
    result = subprocess.run(
        [sys.executable, "-m", "bptui", "replay", "lecture-example", str(folder), "--report"],
        capture_output=True, text=True, env=env, timeout=60, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "\x1b" not in out  # a pipe gets no colour codes
    assert "…" not in out
    lines = out.splitlines()
    for step_id in key:
        assert any(line.startswith(step_id + " ") for line in lines), step_id
    names = [line.split("│")[1].strip() for line in lines if line.startswith("│")]
    assert long_name in "".join(names)  # folded onto two lines, not cut


def test_untrusted_text_is_escaped_in_the_page_and_cleaned_in_the_terminal(
    tmp_path, capsys, monkeypatch
):
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "<b>mallory.toml").write_text(
        '[answers]\n"s1.forward.L1.n1.z" = "<script>alert(1)</script>"\n'
        '"s1.forward.L1.n1.a" = "\\u001b]0;owned\\u0007[b]0.5"\n',
        encoding="utf-8",
    )
    (folder / "z.toml").write_text('[answers]\n"s1.forward.L1.n1.z" = "4"\n', encoding="utf-8")
    page, sheet = tmp_path / "r.html", tmp_path / "r.csv"
    monkeypatch.setenv("COLUMNS", "200")
    code = main(["replay", "lecture-example", str(folder), "--report", "--html", str(page),
                 "--csv", str(sheet)])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    text = page.read_text(encoding="utf-8")
    assert "<script" not in text.lower() and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<b>mallory" not in text and "&lt;b&gt;mallory.toml" in text
    assert "\x1b" not in text and "\x07" not in text
    assert "http://" not in text and "https://" not in text and "@import" not in text
    assert "default-src 'none'" in text  # and were anything to slip through, it may not run
    assert "\x1b" not in out and "\x07" not in out
    assert "]0;owned[b]0.5" in out  # shown as typed, markup and all, minus the control codes
    assert "<script>alert(1)</script>" in out
    assert "\x1b" not in sheet.read_text(encoding="utf-8-sig")


def test_a_spreadsheet_cell_never_starts_a_formula(tmp_path, capsys):
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "a.toml").write_text('[answers]\n"s1.loss" = "=HYPERLINK(1)"\n', encoding="utf-8")
    (folder / "b.toml").write_text('[answers]\n"s1.loss" = "-0.5"\n', encoding="utf-8")
    sheet = tmp_path / "r.csv"
    assert main(["replay", "lecture-example", str(folder), "--csv", str(sheet)]) == 0
    capsys.readouterr()
    with sheet.open(encoding="utf-8-sig", newline="") as f:
        [row] = [r for r in csv.DictReader(f) if r["step"] == "s1.loss"]
    assert row["common_wrong_answers"].startswith("'")  # "=HYPERLINK(1)" is text, not a formula
    assert "−0.5" in row["common_wrong_answers"] or "-0.5" in row["common_wrong_answers"]


@pytest.mark.skipif(not shutil.which("chromium"), reason="chromium is not installed")
def test_the_page_opens_in_chromium_and_runs_nothing(tmp_path, capsys):
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "a.toml").write_text(
        '[answers]\n"s1.forward.L1.n1.z" = "<img src=x onerror=alert(1)><script>document.title='
        "'owned'</script>\"\n",
        encoding="utf-8",
    )
    page = tmp_path / "r.html"
    assert main(["replay", "lecture-example", str(folder), "--html", str(page)]) == 0
    capsys.readouterr()
    result = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    dom = result.stdout
    assert "s1.forward.L1.n1.z" in dom and "<svg" in dom
    assert "<script" not in dom and "<img" not in dom and "owned</title>" not in dom

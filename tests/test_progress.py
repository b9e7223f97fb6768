"""Progress on disk: saved atomically, resumed exactly, set aside when unreadable or stale."""

from __future__ import annotations

import json
import tomllib

from bptui import steps
from bptui.progress import Store, data_dir
from bptui.session import Session

from .conftest import LECTURE


def make(lesson):
    return Session(lesson, steps.build(lesson), Store.of(lesson))


def test_data_dir_honours_xdg_data_home(tmp_path):
    assert data_dir() == tmp_path / "data" / "bptui"


def test_session_resumes_position_answers_hints_and_score(lecture):
    session = make(lecture)
    session.answer("4")
    session.go(1)
    session.answer("0.5")
    session.hint()
    again = make(lecture)
    assert again.position == 1
    assert again.record().answers == ["0.5"] and again.record().hints == 1
    assert again.score() == session.score()
    assert again.notice is None


def test_no_temporary_files_are_left_behind(lecture):
    session = make(lecture)
    for _ in range(5):
        session.answer("1")
    files = list((data_dir() / "progress").iterdir())
    assert sorted(f.suffix for f in files) == [".json", ".lock"]  # the lock stays, empty


def test_corrupt_progress_is_set_aside_never_lost(lecture):
    session = make(lecture)
    session.answer("4")
    session.store.path.write_text('{"format": 1, "records": 7}', encoding="utf-8")
    again = make(lecture)
    assert again.position == 0 and "set aside" in again.notice
    [aside] = session.store.path.parent.glob("*.unreadable-*.json")
    assert aside.read_text(encoding="utf-8") == '{"format": 1, "records": 7}'


def test_attempt_record_replays_as_an_answers_file(lecture):
    session = make(lecture)
    session.answer("four")  # unparseable: kept as a comment, not graded
    session.answer("4")
    session.go(1)
    session.answer("0.9")
    text = session.store.attempt_path(session.progress).read_text(encoding="utf-8")
    data = tomllib.loads(text)
    assert data["lesson"] == "lecture-example"
    assert data["answers"] == {"s1.forward.L1.n1.z": "4", "s1.forward.L1.n1.a": "0.9"}
    assert '# also typed: "s1.forward.L1.n1.z" = "4"' not in text and "four" in text


def test_restart_starts_a_new_attempt_record(lecture):
    session = make(lecture)
    session.answer("4")
    first = session.store.attempt_path(session.progress)
    session.progress.started = "other"
    session.restart()
    assert session.position == 0 and session.score().done == 0
    assert json.loads(session.store.path.read_text(encoding="utf-8"))["records"] == {}
    assert first.exists()


def test_peek_reads_without_touching(lecture):
    session = make(lecture)
    session.answer("4")
    assert session.store.peek() == (1, 67)
    session.store.path.write_text("garbage", encoding="utf-8")
    assert session.store.peek() is None
    assert session.store.path.read_text(encoding="utf-8") == "garbage"


def test_an_unwritable_data_folder_is_reported_once_and_the_lesson_goes_on(
    lecture, tmp_path, monkeypatch
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    session = make(lecture)
    assert session.answer("4").correct
    assert "cannot be saved" in session.notice
    session.notice = None
    session.go(1)
    assert session.answer("0.98").correct and session.notice is None  # said once
    assert session.score().first_try == 2


def test_a_change_of_words_keeps_progress_and_a_change_of_numbers_sets_it_aside(write):
    """A translation or a narration fixed under a learner keeps their work; new numbers do not."""
    from bptui.lesson import load
    from bptui.progress import Store

    text = LECTURE.read_text(encoding="utf-8")
    path = write(text, "mine.toml")
    first = load(path)
    session = Session(first, steps.build(first), Store.of(first))
    session.answer(session.step.shown)
    write(text.replace('title = "', 'title = "Reworded: ', 1), "mine.toml")
    reworded = load(path)
    assert reworded.text != first.text
    kept, notice = Store.of(reworded).load()
    assert notice is None and kept.records
    write(text.replace("weights = [[1, -2]", "weights = [[1, -3]", 1), "mine.toml")
    renumbered = load(path)
    _, notice = Store.of(renumbered).load()
    assert notice is not None  # set aside, with a notice saying why

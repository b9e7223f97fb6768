"""The README's first lines stay true: CI runs exactly its test command."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def commands() -> list[str]:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:15]
    return [line.strip() for line in lines if line.startswith("    python3 -m venv")]


def test_readme_opens_with_a_run_command_and_a_test_command():
    run, test = commands()
    assert run.endswith("bptui lessons/lecture-example.toml")
    assert "pytest" in test


def test_ci_runs_the_readmes_test_command():
    _, test = commands()
    assert test in (ROOT / ".ci" / "run").read_text(encoding="utf-8")

"""`bptui sheet`: a lesson as a printable worksheet and its key, in Markdown and HTML.

Golden files in tests/golden/sheets/ (BPTUI_GOLDEN=update rewrites them; then read the diff); the
key agrees with `bptui key --json`; the worksheet gives no answer away; lesson text is escaped.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from bptui import lesson as lesson_module
from bptui import steps
from bptui.cli import main
from bptui.i18n import lesson_text, set_language
from bptui.lesson import NARRATION_KEYS, GraphLesson
from bptui.notation import given

GOLDEN = Path(__file__).parent / "golden" / "sheets"
SHIPPED = [p.stem for p in lesson_module.shipped_lessons()]


@pytest.fixture(autouse=True)
def _english_after():
    yield
    set_language("en")  # `--lang zh` sets the language for the whole process


def sheet(capsys, lesson: str, *options: str) -> str:
    assert main(["sheet", lesson, *options]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out


# --- golden files -----------------------------------------------------------------------------

CASES = {  # golden file stem: the command's arguments
    "lecture-example.en": ["lecture-example", "--lang", "en"],
    "01-chain-rule-case-1.en": ["01-chain-rule-case-1", "--lang", "en"],
    "lecture-example.zh": ["lecture-example", "--lang", "zh"],
    "08-samples-and-gradient-descent.en": ["08-samples-and-gradient-descent", "--lang", "en"],
    "03-one-neuron.formula.en": ["03-one-neuron", "--lang", "en", "--scaffold", "formula"],
    "03-one-neuron.blank.en": ["03-one-neuron", "--lang", "en", "--scaffold", "blank"],
}
VARIANTS = {  # file suffix: extra arguments
    "sheet.md": [],
    "key.md": ["--key"],
    "sheet.html": ["--format", "html"],
    "key.html": ["--format", "html", "--key"],
}


GOLDENS = [(case, variant) for case in CASES for variant in VARIANTS
           if not case.startswith("03-") or variant == "sheet.md"]  # fmt: skip
# (the scaffold levels: the worksheet in Markdown is enough)


@pytest.mark.parametrize(("case", "variant"), GOLDENS, ids=[f"{c}.{v}" for c, v in GOLDENS])
def test_golden_sheets(capsys, case, variant):
    text = sheet(capsys, *CASES[case], *VARIANTS[variant])
    golden = GOLDEN / f"{case}.{variant}"
    if os.environ.get("BPTUI_GOLDEN") == "update" or not golden.exists():
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


# --- reading a sheet back ---------------------------------------------------------------------

QUESTION_MD = re.compile(r"^\*\*(\d+)\.\*\* ", re.M)
ANSWER_MD = re.compile(r"[=≈] \*\*([^*]+)\*\*")
QUESTION_HTML = re.compile(r'<div class="q" id="q(\d+)" data-step="([^"]+)">(.*?)</div>', re.S)
ANSWER_HTML = re.compile(r'<span class="answer">([^<]+)</span>')


def markdown_questions(text: str) -> dict[int, str]:
    """Question number → its block of the Markdown sheet."""
    starts = list(QUESTION_MD.finditer(text))
    ends = [m.start() for m in starts[1:]] + [len(text)]
    return {
        int(m.group(1)): text[m.start() : end].split("\n\n")[0]
        for m, end in zip(starts, ends, strict=True)
    }


def markdown_answers(text: str) -> dict[int, str]:
    return {n: ANSWER_MD.findall(block)[-1] for n, block in markdown_questions(text).items()}


def html_answers(text: str) -> dict[int, tuple[str, str]]:
    return {int(n): (step_id, ANSWER_HTML.findall(body)[-1])
            for n, step_id, body in QUESTION_HTML.findall(text)}  # fmt: skip


def number(text: str) -> float:
    return float(text.replace("−", "-"))


def key_json(capsys, lesson: str) -> list[dict]:
    assert main(["key", lesson, "--json", "--lang", "en"]) == 0
    return json.loads(capsys.readouterr().out)["steps"]


@pytest.mark.parametrize("lesson", SHIPPED)
def test_the_key_agrees_with_bptui_key(capsys, lesson):
    expected = key_json(capsys, lesson)
    in_markdown = markdown_answers(sheet(capsys, lesson, "--key", "--lang", "en"))
    in_html = html_answers(sheet(capsys, lesson, "--key", "--format", "html", "--lang", "en"))
    assert sorted(in_markdown) == sorted(in_html) == list(range(1, len(expected) + 1))
    for n, step in enumerate(expected, 1):
        half = 0.5 * 10.0 ** -step["places"] * (1 + 1e-9)
        step_id, shown = in_html[n]
        assert step_id == step["id"]
        assert in_markdown[n] == shown == step["shown"], step["id"]
        assert number(shown) == pytest.approx(step["value"], abs=half), step["id"]


# --- nothing given away -----------------------------------------------------------------------

TOKEN = re.compile(r"[−-]?\d+(?:\.\d+)?")


def tokens(text: str) -> set[str]:
    found = set(TOKEN.findall(re.sub(r"<style>.*?</style>", "", text, flags=re.S)))
    return found | {t.lstrip("−-") for t in found}


def lesson_numbers(lesson) -> set[str]:
    """Every number a sheet may show without giving an answer away: the lesson's own data and
    texts, the constants in the formulas, and the values of the steps shown rather than asked
    (before the last asked step, and not worked from an asked one)."""
    if isinstance(lesson, GraphLesson):
        data = [value for _, value in lesson.inputs]
        texts = [node.expr for node in lesson.nodes]
    else:
        data = [lesson.learning_rate]
        for layer in lesson.layers:
            data += [*layer.biases, *(w for row in layer.weights for w in row)]
        for sample in lesson.samples:
            data += [*sample.x, *sample.target]
        texts = []
    texts += [given(value) for value in data]
    texts += [lesson_text(lesson, key) for key in ("title", "summary", *NARRATION_KEYS)]
    all_steps = steps.build(lesson)
    last = max(i for i, s in enumerate(all_steps) if s.asked)
    by_id = {s.id: s for s in all_steps}

    def from_asked(step) -> bool:
        return any(by_id[i].asked or from_asked(by_id[i]) for i in step.needs)

    texts += [s.formula for s in all_steps]
    texts += [s.shown for s in all_steps[:last] if not s.asked and not from_asked(s)]
    return tokens(" ".join(texts))


@pytest.mark.parametrize("scaffold", ["numbers", "formula", "blank"])
@pytest.mark.parametrize("lesson", SHIPPED)
def test_the_worksheet_gives_no_answer_away(capsys, lesson, scaffold):
    loaded = lesson_module.load(lesson)
    allowed = lesson_numbers(loaded)
    asked = steps.asked(steps.build(loaded))
    for fmt in ("markdown", "html"):
        options = ["--lang", "en", "--scaffold", scaffold, "--format", fmt]
        on_sheet = tokens(sheet(capsys, lesson, *options))
        in_key = tokens(sheet(capsys, lesson, "--key", *options))
        for step in asked:
            answers = {step.shown, step.fixed}
            answers |= {a.lstrip("−") for a in answers}
            telling = {a for a in answers if "." in a and a not in allowed}
            assert not telling & on_sheet, (fmt, step.id, telling & on_sheet)
            assert step.shown in in_key  # the same reading finds them where they belong


def test_a_value_worked_from_an_answer_is_not_given(capsys):
    # chain.x = ∂z/∂x of the one path: shown by the tutor once question 6 is answered, so on
    # paper it points to that question instead of giving the value away.
    text = sheet(capsys, "02-chain-rule-case-2", "--lang", "en")
    assert "| `∂z/∂x` | `∂z/∂x` | from question 6 |" in text
    key = sheet(capsys, "02-chain-rule-case-2", "--lang", "en", "--key")
    assert "| `∂z/∂x` | `∂z/∂x` | 1.649 |" in key


def test_steps_after_the_last_asked_one_are_left_out(capsys):
    text = sheet(capsys, "04-forward-pass", "--lang", "en")  # asks the forward pass only
    assert "## Forward pass" in text
    assert "## Loss" not in text and "gradient descent" not in text


# --- the scaffold levels ----------------------------------------------------------------------


def test_the_scaffold_levels_give_more_or_less(capsys):
    z3 = {  # question 5: z₃ = w₃₁·a₁ + w₃₂·a₂ + b₃, its weights known, a₁ and a₂ asked before
        level: markdown_questions(sheet(capsys, "lecture-example", "--scaffold", level))[5]
        for level in ("numbers", "formula", "blank")
    }
    assert "`z₃ = w₃₁·a₁ + w₃₂·a₂ + b₃`" in z3["numbers"]
    assert "`z₃ = 2·a₁ + (−1)·a₂ + 0` = ____________" in z3["numbers"]
    assert "`z₃ = w₃₁·a₁ + w₃₂·a₂ + b₃` = ____________" in z3["formula"]
    assert "2·a₁" not in z3["formula"]
    assert "`z₃` = ____________" in z3["blank"]
    assert "w₃₁·a₁" not in z3["blank"]  # the note still says ∂z₃/∂w₃₁ = a₁, as the card does
    for block in z3.values():
        assert "Give z₃ to 2 decimal places." in block


# --- the formats ------------------------------------------------------------------------------


def rendered(text: str) -> str:
    """The Markdown as GitHub would render it (CommonMark with tables), as HTML."""
    return MarkdownIt("commonmark").enable("table").render(text)


def test_markdown_renders_as_meant(capsys):
    text = sheet(capsys, "lecture-example", "--lang", "en")
    page = rendered(text)
    assert page.count("<h1>") == 1
    assert page.count("<h2>") == 1 + 6  # the network; forward, loss, output, backward, gradient
    # and update (one sample: no sum over the samples)
    assert page.count('<pre><code class="language-text">') == 3  # forward, reversed, gradients
    for n in range(1, 68):
        assert f"<strong>{n}.</strong> Find " in page
    assert page.count("= ____________<br />") == 67  # every blank is a line, not emphasis
    assert "<em>" in page and "<em>_" not in page and "<hr" not in page
    key = rendered(sheet(capsys, "lecture-example", "--lang", "en", "--key"))
    assert "<code>z₁ = 1·1 + (−2)·(−1) + 1</code> = <strong>4</strong>" in key


def test_html_is_one_printable_page(capsys):
    page = sheet(capsys, "lecture-example", "--format", "html", "--lang", "zh")
    assert page.startswith('<!DOCTYPE html>\n<html lang="zh">')
    title = lesson_text(lesson_module.load("lecture-example"), "title")  # in Chinese now
    assert title != "The lecture's example network"
    assert f"<title>{title} — 练习单</title>" in page
    assert "@media print" in page and "break-before: page" in page
    assert page.count('<section class="phase turn">') == 2  # the reversed network, the gradients
    assert page.count("<pre>") == 3
    assert page.count('<span class="blank"></span>') == 67 + 2  # the questions, name and date
    assert '<p class="ask"><b>1.</b> 求 z₁：第 1 层的第 1 个神经元的加权输入</p>' in page
    for outside in ("http://", "https://", "<script", "<link", "<img", "@import", "url("):
        assert outside not in page  # nothing from the internet, nothing that runs


def test_chinese_markdown(capsys):
    text = sheet(capsys, "01-chain-rule-case-1", "--lang", "zh")
    title = lesson_text(lesson_module.load("01-chain-rule-case-1"), "title")
    assert text.startswith(f"# {title}\n\n**练习单** · 共 5 题")
    assert "**1.** 求 y：节点 y 的值" in text
    assert "y 保留 2 位小数。" in text
    assert "姓名： ____" in text


HOSTILE = """\
title = "<script>alert('title')</script> *bold* [link](http://x) | ` $x$"
summary = "</pre><img src=x onerror=alert(1)>&amp;"
[narration]
intro = "# not a heading\\n\\n- not a list\\n<b>not bold</b> ___ __x__"
[network]
inputs = ["<i>x", "`y|"]
[[network.layers]]
activation = "sigmoid"
weights = [[1, -2]]
biases = [0.5]
[training]
loss = "squared_error"
learning_rate = 0.5
[[training.samples]]
x = [1, -1]
target = [1]
"""


def test_lesson_text_is_escaped_in_html(capsys, write):
    page = sheet(capsys, write(HOSTILE), "--format", "html", "--lang", "en", "--key")
    for raw in ("<script", "<img", "<i>x", "</pre><", "<b>not"):
        assert raw not in page
    assert "<title>&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt; *bold*" in page
    assert "&lt;/pre&gt;&lt;img src=x onerror=alert(1)&gt;&amp;amp;" in page
    assert "&lt;i&gt;x" in page and "`y|" in page


def test_lesson_text_is_escaped_in_markdown(capsys, write):
    text = sheet(capsys, write(HOSTILE), "--lang", "en")
    page = rendered(text)
    for raw in ("<script", "<img", "<i>", "<b>", "<a href", "<em>bold", "<h2>not", "<li>"):
        assert raw not in page
    assert "&lt;script&gt;alert('title')&lt;/script&gt; *bold* [link](http://x) | ` $x$" in page
    assert page.count("<h1>") == 1
    assert "`y|" in page and "&lt;i&gt;x" in page


# --- the command ------------------------------------------------------------------------------


def test_output_to_a_file(capsys, tmp_path):
    expected = sheet(capsys, "lecture-example", "--format", "html", "--key")
    target = tmp_path / "key.html"
    out = sheet(capsys, "lecture-example", "--format", "html", "--key", "--output", str(target))
    assert out == f"wrote {target}\n"
    assert target.read_text(encoding="utf-8") == expected


@pytest.mark.parametrize("where", ["missing/sheet.md", "."])
def test_an_unwritable_output_is_exit_2(capsys, tmp_path, where):
    assert main(["sheet", "lecture-example", "-o", str(tmp_path / where)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("bptui: cannot write ") and "Traceback" not in err
    assert len(err.splitlines()) == 1


def test_a_bad_lesson_is_exit_2_with_where(capsys, write):
    assert main(["sheet", "no-such-lesson"]) == 2
    assert "no-such-lesson" in capsys.readouterr().err
    path = write('title = "Broken"\n[network]\ninputs = ["x"\n')
    assert main(["sheet", path, "--format", "html"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(f"bptui: {path}:") and "Traceback" not in err


def test_sheet_does_not_import_textual(tmp_path):
    code = (
        "import sys; from bptui.cli import main;"
        f"assert main(['sheet', 'lecture-example', '--format', 'html', '-o', {str(tmp_path / 'x')!r}]) == 0;"  # noqa: E501
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'), file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "[]"
    assert (tmp_path / "x").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")

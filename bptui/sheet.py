"""`bptui sheet`: a lesson as a printable worksheet, in Markdown or as one self-contained HTML page,
and with `--key` its worked answers. Headless: no Textual.

A worksheet follows the tutor's own rule, *nothing is given away*: a formula shows a number only
when the sheet itself gives it (lesson data, or a step the lesson shows rather than asks); a value
that follows from an earlier question stays a symbol, and a shown step worked from the learner's
answers is given as "from question N". Steps after the last asked one are left out: the tutor never
shows them either. Every lesson text is escaped for the format (lesson files are untrusted).
"""

from __future__ import annotations

import html
import re
import sys
from dataclasses import dataclass, field, replace
from itertools import groupby
from pathlib import Path

from bptui.diagram import VIEWS, GraphPicture, NetworkPicture
from bptui.glossary import phase_title
from bptui.i18n import language, lesson_text, precision_text, t
from bptui.lesson import SCAFFOLDS, GraphLesson
from bptui.model import Step
from bptui.notation import clean

# The sheet's own words (the step texts come translated from the steps builder). To move into
# bptui.i18n as "sheet.*" keys.


def _t(key: str, **values) -> str:
    return t(f"sheet.{key}", **values)


def precision(step: Step) -> str:
    return precision_text(step)


# ---------------------------------------------------------------------------------------------
# What a sheet holds, whatever its format


@dataclass
class Question:
    number: int
    step: Step
    lines: list[str]  # the formula in symbols, then with the numbers the sheet may give
    answer: str | None  # with --key: "= 0.98" or "≈ 0.618"; None: a blank to write on


@dataclass
class Given:
    rows: list[tuple[str, str, str]]  # (quantity, formula, value or "from question N")


@dataclass
class Drawing:
    text: str  # plain text, one line a row
    caption: str
    turn: bool  # a new view of the network (forward, reversed, gradients): a new printed page


@dataclass
class Section:
    heading: str
    narration: str
    parts: list = field(default_factory=list)  # Drawing, Question, Given, in order


@dataclass
class Sheet:
    title: str
    summary: str
    intro: str
    key: bool
    questions: int
    network: Drawing | None
    sections: list[Section]


class _Board:
    """What the diagram reads of a session: the lesson, its steps, and which values are on paper."""

    def __init__(self, lesson, all_steps: list[Step], visible: set[str]):
        self.lesson = lesson
        self.all_steps = all_steps
        self.visible = visible

    def known(self, step: Step) -> bool:
        return step.id in self.visible


# In the diagram's markup: an escaped backslash, an escaped bracket, or a tag (Textual's, which
# may name a theme variable such as $accent: Rich's own parser refuses those).
_MARKUP = re.compile(r"\\\u200b|\\\[|\[/\]|\[/?[$a-z@#][^\[\]]*\]")
_UNESCAPE = {"\\\u200b": "\\", "\\[": "["}


def plain(markup: str) -> str:
    """The diagram's markup as plain text (the tutor's highlights dropped), no trailing spaces."""
    text = _MARKUP.sub(lambda m: _UNESCAPE.get(m.group(), ""), markup)
    return "\n".join(line.rstrip() for line in text.split("\n"))


def drawing(board: _Board, step: Step) -> tuple[str, str]:
    """(the whole network or graph drawn at `step`, its caption): what the tutor's F7 shows."""
    kind = GraphPicture if isinstance(board.lesson, GraphLesson) else NetworkPicture
    picture = kind(board, step)
    return plain(picture.render(picture.everything())[0]), picture.caption()


def build(lesson, all_steps: list[Step], key: bool = False) -> Sheet:
    """The sheet of a lesson: its questions (the asked steps, numbered from 1), the values it
    gives, and the network drawn wherever the picture changes (a new view, another sample)."""
    asked_at = [i for i, s in enumerate(all_steps) if s.asked]
    included = all_steps[: asked_at[-1] + 1] if asked_at else []
    numbers = {s.id: k for k, s in enumerate((s for s in included if s.asked), 1)}
    by_id = {s.id: s for s in all_steps}
    depends: dict[str, set[str]] = {}  # the asked steps a step is worked from, through shown ones
    for step in included:
        depends[step.id] = set()
        for need in step.needs:
            depends[step.id] |= {need} if by_id[need].asked else depends.get(need, set())
    given = {s.id for s in included if not s.asked and not depends[s.id]}  # numbers on paper
    board = _Board(lesson, all_steps, {s.id for s in included} if key else given)

    sections: list[Section] = []
    network, last, view, narrated = None, None, None, set()
    for (sample, phase), group in groupby(included, key=lambda s: (s.sample, s.phase)):
        group = list(group)
        heading = phase_title(phase)
        if sample and len(lesson.samples) > 1:
            heading += t("cli.sample", n=sample)
        section = Section(heading, "" if phase in narrated else lesson_text(lesson, phase))
        narrated.add(phase)
        text, caption = drawing(board, group[0])
        if (text, caption) != last:
            picture = Drawing(
                text, caption, turn=view is not None and VIEWS.get(phase, "forward") != view
            )
            if network is None:
                network = picture
            else:
                section.parts.append(picture)
            last, view = (text, caption), VIEWS.get(phase, "forward")
        for step in group:
            if step.asked:
                section.parts.append(question(step, numbers[step.id], given, key))
                continue
            if not section.parts or not isinstance(section.parts[-1], Given):
                section.parts.append(Given([]))
            if key or step.id in given:
                value = step.shown
            else:
                asked = sorted(numbers[i] for i in depends[step.id])
                value = (_t("from_question", n=asked[0]) if len(asked) == 1
                         else _t("from_questions", ns=t("sep").join(map(str, asked))))  # fmt: skip
            section.parts[-1].rows.append((step.symbol, step.formula, value))
        sections.append(section)
    return Sheet(
        title=lesson_text(lesson, "title"),
        summary=lesson_text(lesson, "summary"),
        intro=lesson_text(lesson, "intro"),
        key=key,
        questions=len(numbers),
        network=network,
        sections=sections,
    )


def question(step: Step, number: int, given: set[str], key: bool) -> Question:
    """A step as the tutor's card shows it before the answer (as its scaffold level allows), or,
    in the key, as the card shows it once answered."""
    symbol = step.symbol
    level = SCAFFOLDS.index(step.scaffold)
    lines = []
    if key or level < 2:
        lines.append(f"{symbol} = {step.formula}")
    if key:
        numbers = step.numbers
    elif level < 1:  # only the numbers on paper: a value from an earlier question stays a symbol
        numbers = step.filled(  # every symbol matched whole: b₆ is no number inside ∂l/∂b₆
            {o.symbol: o.text if (o.step is None or o.step in given) and not o.hidden
             else o.symbol for o in step.operands}
        )  # fmt: skip
    else:
        numbers = None
    if numbers is not None and numbers not in (step.formula, step.shown):
        lines.append(f"{symbol} = {numbers}")  # not "∂z/∂y = 0.25 = 0.25"
    if key and step.formula == step.numbers == step.shown:
        lines = [symbol]  # "∂y/∂x = 3", not "∂y/∂x = 3 = 3"
    if not lines:
        lines.append(symbol)
    answer = None
    if key:
        answer = f"{'≈' if step.rounded_on_screen else '='} {step.shown}"
    return Question(number, step, lines, answer)


# ---------------------------------------------------------------------------------------------
# Markdown: clean on GitHub, readable as it is

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~$&#])")
_BLANK = "_" * 12


def md(text: str) -> str:
    """Lesson or step text as Markdown that shows it as written: one line, specials escaped."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(clean(text).split()))


def code(text: str, in_table: bool = False) -> str:
    """Text in a code span, whatever backticks it holds."""
    text = " ".join(clean(text).split())
    if in_table:
        text = text.replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def paragraphs(text: str) -> list[str]:
    return [p for p in (" ".join(part.split()) for part in clean(text).split("\n\n")) if p]


def markdown(sheet: Sheet) -> str:
    out = [f"# {md(sheet.title)}", ""]
    count = _t("questions", n=sheet.questions) if sheet.questions != 1 else _t("question")
    out += [f"**{_t('key') if sheet.key else _t('worksheet')}** · {count}", ""]
    if sheet.summary:
        out += [md(sheet.summary), ""]
    out += [f"*{md(p)}*\n" for p in paragraphs(sheet.intro)]
    out += [_t("key_note") if sheet.key else _t("instructions"), ""]
    if not sheet.key:
        out += [f"{_t('name')} {_BLANK * 2}  {_t('date')} {_BLANK}", ""]
    if sheet.network:
        out += [f"## {_t('network')}", "", *md_drawing(sheet.network)]
    for section in sheet.sections:
        out += [f"## {md(section.heading)}", ""]
        out += [f"*{md(p)}*\n" for p in paragraphs(section.narration)]
        for part in section.parts:
            if isinstance(part, Drawing):
                out += md_drawing(part)
            elif isinstance(part, Question):
                out += md_question(part)
            else:
                out += md_given(part)
    return "\n".join(out).rstrip("\n") + "\n"


def md_drawing(picture: Drawing) -> list[str]:
    longest = max((len(run) for run in re.findall(r"`+", picture.text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}text", picture.text, fence, "", f"*{md(picture.caption)}*", ""]


def md_question(q: Question) -> list[str]:
    step = q.step
    lines = [f"**{q.number}.** {md(_t('find', asks=step.asks))}"]
    lines += [code(line) for line in q.lines]
    lines[-1] += f" {q.answer[0]} **{q.answer[2:]}**" if q.answer else f" = {_BLANK}"
    lines.append(md(precision(step)) + (f" *{md(step.note)}*" if step.note.strip() else ""))
    if q.answer and step.after.strip():
        lines.append(md(step.after))
    return ["\\\n".join(lines), ""]


def md_given(given: Given) -> list[str]:
    head = (_t("col.quantity"), _t("col.formula"), _t("col.value"))
    out = [f"*{md(_t('given'))}*", "", "| " + " | ".join(head) + " |", "| --- | --- | --- |"]
    for quantity, formula, value in given.rows:
        out.append(f"| {code(quantity, True)} | {code(formula, True)} | {md(value)} |")
    return [*out, ""]


# ---------------------------------------------------------------------------------------------
# HTML: one self-contained page, printable from a browser

STYLE = """
:root { color-scheme: light; }
body { font-family: "Noto Sans", "DejaVu Sans", "Noto Sans CJK SC", "Source Han Sans SC",
  "PingFang SC", "Microsoft YaHei", system-ui, sans-serif; color: #000; background: #fff;
  max-width: 50rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin: 0 0 .2rem; }
h2 { font-size: 1.15rem; margin: 1.6rem 0 .5rem; border-bottom: 1px solid #000;
  break-after: avoid; page-break-after: avoid; }
.kind { font-weight: bold; margin: 0 0 .6rem; }
.intro, .narration, .note, figcaption { font-style: italic; }
.name { margin: 1rem 0 1.4rem; }
.name .blank { min-width: 16em; }
pre, .math, td.math { font-family: "DejaVu Sans Mono", "Noto Sans Mono", "Noto Sans Mono CJK SC",
  ui-monospace, "Cascadia Mono", Menlo, Consolas, monospace; }
pre { font-size: .78rem; line-height: 1.15; margin: .4rem 0; overflow-x: auto; }
figure { margin: .8rem 0 1.2rem; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-size: .85rem; }
.q { margin: .9rem 0 1.1rem; break-inside: avoid; page-break-inside: avoid; }
.q p { margin: .1rem 0; }
.q .math { padding-left: 1.6rem; }
.q .places, .q .note, .q .after { padding-left: 1.6rem; font-size: .9rem; }
.blank { display: inline-block; min-width: 9em; border-bottom: 1px solid #000; height: 1.1em;
  vertical-align: baseline; }
.answer { font-weight: bold; }
table.given { border-collapse: collapse; margin: .4rem 0 1rem; font-size: .9rem;
  break-inside: auto; }
table.given caption { text-align: left; font-style: italic; padding-bottom: .2rem; }
table.given th, table.given td { border: 1px solid #888; padding: .1rem .5rem; text-align: left; }
table.given tr { break-inside: avoid; page-break-inside: avoid; }
@page { margin: 14mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
  section.turn { break-before: page; page-break-before: always; }
  pre { font-size: 7.5pt; overflow: visible; }
}
"""


def esc(text: str) -> str:
    return html.escape(clean(text), quote=True)


def html_page(sheet: Sheet) -> str:
    kind = _t("key") if sheet.key else _t("worksheet")
    count = _t("questions", n=sheet.questions) if sheet.questions != 1 else _t("question")
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{esc(language())}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(sheet.title)} — {esc(kind)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{esc(sheet.title)}</h1>",
        f'<p class="kind">{esc(kind)} · {esc(count)}</p>',
    ]
    if sheet.summary:
        out.append(f'<p class="summary">{esc(sheet.summary)}</p>')
    out += [f'<p class="intro">{esc(p)}</p>' for p in paragraphs(sheet.intro)]
    out.append(
        f'<p class="instructions">{esc(_t("key_note") if sheet.key else _t("instructions"))}</p>'
    )  # noqa: E501
    if not sheet.key:
        out.append(
            f'<p class="name">{esc(_t("name"))} <span class="blank"></span>&emsp;'
            f'{esc(_t("date"))} <span class="blank"></span></p>'
        )
    out.append("</header>")
    if sheet.network:
        out += ['<section class="network">', f"<h2>{esc(_t('network'))}</h2>"]
        out += [*html_drawing(sheet.network), "</section>"]
    for section in sheet.sections:
        turn = (
            bool(section.parts) and isinstance(section.parts[0], Drawing) and section.parts[0].turn
        )
        out.append('<section class="phase turn">' if turn else '<section class="phase">')
        out.append(f"<h2>{esc(section.heading)}</h2>")
        out += [f'<p class="narration">{esc(p)}</p>' for p in paragraphs(section.narration)]
        for part in section.parts:
            if isinstance(part, Drawing):
                out += html_drawing(part)
            elif isinstance(part, Question):
                out += html_question(part)
            else:
                out += html_given(part)
        out.append("</section>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def html_drawing(picture: Drawing) -> list[str]:
    return [f"<figure><pre>{esc(picture.text)}</pre>",
            f"<figcaption>{esc(picture.caption)}</figcaption></figure>"]  # fmt: skip


def html_question(q: Question) -> list[str]:
    step = q.step
    out = [f'<div class="q" id="q{q.number}" data-step="{esc(step.id)}">',
           f'<p class="ask"><b>{q.number}.</b> {esc(_t("find", asks=step.asks))}</p>']  # fmt: skip
    lines = [esc(line) for line in q.lines]
    if q.answer:
        lines[-1] += f' {q.answer[0]} <span class="answer">{esc(q.answer[2:])}</span>'
    else:
        lines[-1] += ' = <span class="blank"></span>'
    out += [f'<p class="math">{line}</p>' for line in lines]
    out.append(f'<p class="places">{esc(precision(step))}</p>')
    if step.note.strip():
        out.append(f'<p class="note">{esc(step.note)}</p>')
    if q.answer and step.after.strip():
        out.append(f'<p class="after">{esc(step.after)}</p>')
    return [*out, "</div>"]


def html_given(given: Given) -> list[str]:
    head = "".join(f"<th>{esc(_t(k))}</th>" for k in ("col.quantity", "col.formula", "col.value"))
    out = ['<table class="given">', f"<caption>{esc(_t('given'))}</caption>", f"<tr>{head}</tr>"]
    for quantity, formula, value in given.rows:
        out.append(f'<tr><td class="math">{esc(quantity)}</td><td class="math">{esc(formula)}</td>'
                   f"<td>{esc(value)}</td></tr>")  # fmt: skip
    return [*out, "</table>"]


# ---------------------------------------------------------------------------------------------
# The command


def render(lesson, all_steps: list[Step], key: bool = False, fmt: str = "markdown") -> str:
    sheet = build(lesson, all_steps, key)
    return html_page(sheet) if fmt == "html" else markdown(sheet)


def main(args) -> int:
    """`bptui sheet LESSON [--key] [--format markdown|html] [--output FILE] [--scaffold LEVEL]`,
    the language already set. A bad lesson is a LessonError: the command line says it (exit 2)."""
    from bptui import lesson as lesson_module
    from bptui import steps

    loaded = lesson_module.load(args.lesson)
    if getattr(args, "scaffold", None):
        loaded = replace(loaded, scaffold=args.scaffold)
    text = render(loaded, steps.build(loaded), bool(args.key), args.format or "markdown")
    if not args.output:
        sys.stdout.write(text)
        return 0
    try:
        Path(args.output).write_text(text, encoding="utf-8")
    except OSError as error:
        why = clean(str(error.strerror or error))
        print(f"bptui: cannot write {clean(args.output)}: {why}", file=sys.stderr)
        return 2
    print(f"wrote {clean(args.output)}")
    return 0

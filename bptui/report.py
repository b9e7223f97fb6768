"""The class report of `bptui replay --report`, `--csv FILE` and `--html FILE`: per step, how the
answers files did — right first time, right after a hint, wrong, unreadable, too few places,
unanswered, filled in by the tutor (a skill the learner had mastered) — and the mistakes the
tutor named most often, hardest steps first.

Headless: Rich for the terminal, the standard library for CSV and HTML (one self-contained page:
inline CSS and SVG bars, no script, nothing fetched). Text from answers files (answers as typed,
file names, error messages) is untrusted: cleaned of control characters and escaped for Rich
markup in the terminal, HTML-escaped in the page, kept from being read as a formula in a sheet.

Takes the graded files duck-typed (`bptui.replay.Graded`: `source`, `steps`, `outcomes`,
`tutor`, `tries`), so this module does not import the replay that imports it.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bptui.answers_file import located
from bptui.glossary import mistake
from bptui.i18n import language, lesson_text, t
from bptui.notation import clean, escape_markup, safe

# Where each file stands on a step, by its first graded answer: these add up to the files.
CATEGORIES = ("first_try", "after_hint", "wrong", "invalid", "imprecise", "unanswered", "filled")
BAR = {
    "first_try": "█",
    "after_hint": "▓",
    "wrong": "▒",
    "invalid": "░",
    "imprecise": "░",
    "unanswered": "·",
    "filled": "∘",
}  # fmt: skip  (told apart without colour, too: piped, printed)
STYLE = {"first_try": "green", "after_hint": "cyan", "wrong": "red", "invalid": "yellow",
         "imprecise": "magenta", "unanswered": "bright_black", "filled": "blue"}  # fmt: skip
FILL = {"first_try": "#2e7d32", "after_hint": "#0277bd", "wrong": "#c62828",
        "invalid": "#f9a825", "imprecise": "#8e24aa", "unanswered": "#bdbdbd",
        "filled": "#90caf9"}  # fmt: skip
BAR_CELLS = 16
TOP = 3  # mistakes and wrong answers shown per step


def words(key: str, **values) -> str:
    return t(f"report.{key}", **values)


def short(text: str, most: int = 40) -> str:
    """An answer as typed, cut for a listing (a hostile one may be thousands of characters)."""
    return text if len(text) <= most else text[: most - 1] + "…"


def how_often(times: int, steps: int) -> str:
    """How often a mistake was made: "once in 1 step", "12 times in 3 steps"."""
    return words(
        "times",
        times=words("once") if times == 1 else words("n_times", n=times),
        steps=words("one_step") if steps == 1 else words("n_steps", n=steps),
    )


# --- the data -----------------------------------------------------------------------------------


@dataclass
class StepReport:
    id: str
    order: int  # 1-based, in the lesson
    phase: str
    asks: str
    counts: Counter = field(default_factory=Counter)  # CATEGORIES → files
    outcomes: Counter = field(default_factory=Counter)  # as the tutor counts: after_wrong, ...
    mistakes: Counter = field(default_factory=Counter)  # (mistake, term) → files that made it
    unnamed: int = 0  # files with a wrong try the tutor could not name
    wrong_answers: Counter = field(default_factory=Counter)  # an answer not right → files

    @property
    def files(self) -> int:
        return sum(self.counts[c] for c in CATEGORIES)

    def share(self, category: str) -> float:
        return self.counts[category] / self.files if self.files else 0.0

    def top_mistakes(self, n: int = TOP) -> list[tuple[str, str, int]]:
        """(mistake, term, files), most files first; ties in the order first seen."""
        return [(name, term, count) for (name, term), count in self.mistakes.most_common(n)]

    def data(self) -> dict:
        return {
            "step": self.id,
            "order": self.order,
            "phase": self.phase,
            "asks": self.asks,
            "files": self.files,
            **{c: self.counts[c] for c in CATEGORIES},
            "right_after_wrong": self.outcomes["after_wrong"],
            "revealed": self.outcomes["revealed"],
            "mistakes": [
                {"mistake": name, "term": term, "files": count, "said": mistake(name, term)}
                for name, term, count in self.top_mistakes(len(self.mistakes))
            ],
            "unnamed_wrong": self.unnamed,
            "wrong_answers": [
                {"answer": text, "files": count} for text, count in self.wrong_answers.most_common()
            ],
        }


@dataclass
class Report:
    title: str
    source: str
    steps: list[StepReport]  # hardest first
    files: list[tuple[str, int, int]]  # (file, right, steps) for each graded file
    unusable: list  # LessonError: each file that could not be graded

    def across(self) -> list[tuple[str, int, list[str]]]:
        """Each named mistake over the whole lesson: (mistake, times, the steps), most first."""
        times: Counter = Counter()
        where: dict[str, list[str]] = {}
        for step in sorted(self.steps, key=lambda s: s.order):
            for (name, _), count in step.mistakes.items():
                times[name] += count
                where.setdefault(name, [])
                if step.id not in where[name]:
                    where[name].append(step.id)
        return [(name, count, where[name]) for name, count in times.most_common()]

    def data(self) -> dict:
        return {
            "lesson": self.source,
            "title": self.title,
            "files": len(self.files),
            "unusable": len(self.unusable),
            "categories": list(CATEGORIES),
            "steps": [s.data() for s in self.steps],
            "mistakes": [
                {"mistake": name, "times": count, "steps": ids, "said": mistake(name)}
                for name, count, ids in self.across()
            ],
        }


def category(graded, step_id: str) -> str:
    """Where one file stands on a step, by its first graded answer (one of CATEGORIES)."""
    outcome = graded.outcomes[step_id]
    if outcome == "correct":
        return "after_hint" if graded.tutor.get(step_id) == "after_hint" else "first_try"
    return outcome


def build_report(lesson, steps, results: list, unusable: list) -> Report:
    """Per step, how the graded files did; hardest first (fewest right first time, then most
    wrong, then the lesson's order)."""
    asked = [s for s in steps if s.asked]
    rows = {s.id: StepReport(s.id, i + 1, s.phase, s.asks) for i, s in enumerate(asked)}
    for graded in results:
        for step_id, row in rows.items():
            row.counts[category(graded, step_id)] += 1
            row.outcomes[graded.tutor.get(step_id, "unanswered")] += 1
            tries = graded.tries.get(step_id, ())
            named = {(t["mistake"], t["term"] or "") for t in tries if t["mistake"]}
            row.mistakes.update(named)  # each file once per mistake, however often it made it
            row.unnamed += any(not t["mistake"] for t in tries)
            given = {t["answer"] for t in tries}  # wrong, named or not
            if graded.outcomes[step_id] in ("invalid", "imprecise"):
                given.add(graded.answers[step_id])  # unreadable, or right to too few places
            row.wrong_answers.update({" ".join(clean(a).split()) for a in given})
    hardest = sorted(
        rows.values(), key=lambda r: (r.share("first_try"), -r.share("wrong"), r.order)
    )
    files = [(g.source, g.correct, len(g.steps)) for g in results]
    title = lesson_text(lesson, "title") or lesson.name
    return Report(title, lesson.source, hardest, files, list(unusable))


def bar_cells(row: StepReport, cells: int = BAR_CELLS) -> list[tuple[str, int]]:
    """How many of `cells` each category fills (largest remainders; every file counted once)."""
    total = row.files or 1
    exact = [(c, row.counts[c] * cells / total) for c in CATEGORIES]
    whole = {c: int(x) for c, x in exact}
    left = cells - sum(whole.values()) if row.files else 0
    for c, _ in sorted(exact, key=lambda cx: cx[1] - int(cx[1]), reverse=True)[:left]:
        whole[c] += 1
    return [(c, whole[c]) for c in CATEGORIES if whole[c]]


# --- the terminal -------------------------------------------------------------------------------


def fit(console, table, most: int = 300) -> None:
    """Print a table without cutting anything short. Piped, Rich assumes 80 columns (or
    $COLUMNS), squeezes a table into them and cuts a step id (`s1.forward.L1…`); so a column that
    must not wrap is made as wide as its widest cell, and the console widened, for this table
    only, to the least width that shows every cell whole (at most `most`)."""
    from rich.measure import Measurement

    for column in table.columns:
        if column.no_wrap and column.width is None:
            cells = [column.header, *column.cells]
            widest = max(
                (console.render_str(c) if isinstance(c, str) else c).cell_len for c in cells
            )
            column.min_width = max(column.min_width or 0, widest)
    options = console.options.update_width(10 * most)
    needed = min(Measurement.get(console, options, table).minimum, most)
    width = console.width
    try:
        console.width = max(width, needed)
        console.print(table)
    finally:
        console.width = width


def print_report(report: Report, console) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    heading = words("title", title=report.title) + " — " + words("graded", n=len(report.files))
    if report.unusable:
        heading += t("sep") + words("unusable", n=len(report.unusable))
    console.print()
    console.print(Text(clean(heading), style="bold"), soft_wrap=True)
    for line in (("first_try", "after_hint", "wrong"), ("invalid", "unanswered"), ("filled",)):
        legend = Text("  ")
        for c in line:
            legend.append(BAR[c] + " ", style=STYLE[c])
            legend.append(words("legend_" + c) + "   ")
        console.print(legend, soft_wrap=True)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column(words("col_step"), no_wrap=True)
    table.add_column(words("col_bar"), no_wrap=True, min_width=BAR_CELLS)
    for key in ("col_first", "col_hint", "col_wrong", "col_other", "col_none"):
        table.add_column(words(key), justify="right", no_wrap=True)
    for row in report.steps:
        bar = Text()
        for c, n in bar_cells(row):
            bar.append(BAR[c] * n, style=STYLE[c])
        first = f"{row.counts['first_try']} {100 * row.share('first_try'):3.0f}%"
        other = row.counts["invalid"] + row.counts["imprecise"]
        table.add_row(row.id, bar, first, str(row.counts["after_hint"]),
                      str(row.counts["wrong"]), str(other),
                      str(row.counts["unanswered"] + row.counts["filled"]))  # fmt: skip
    fit(console, table)
    console.print()
    console.print(Text(words("mistakes"), style="bold"))
    went_wrong = [row for row in report.steps if row.mistakes or row.wrong_answers]
    if not went_wrong:
        console.print("  " + words("no_mistakes"))
    for row in went_wrong:
        console.print(Text(row.id), no_wrap=True, crop=False)
        for name, term, count in row.top_mistakes():
            console.print(
                f"  [red]{count:>4}[/] [b]{escape_markup(name)}[/]: {safe(mistake(name, term))}",
                soft_wrap=True,
            )
        if row.unnamed:
            console.print(f"  [red]{row.unnamed:>4}[/] {words('unnamed')}", soft_wrap=True)
        given = t("sep").join(f"{short(a)} ×{c}" for a, c in row.wrong_answers.most_common(TOP))
        said = words("answers_were", given=safe(given))
        console.print(f"       [dim]{said}[/]", soft_wrap=True)
    across = report.across()[:5]
    if across:
        console.print()
        console.print(Text(words("across"), style="bold"))
        for name, count, ids in across:
            times = how_often(count, len(ids))
            said = words("across_line", times=times, said=safe(mistake(name)))
            console.print(f"  [b]{escape_markup(name)}[/] {said}", soft_wrap=True)


# --- a spreadsheet ------------------------------------------------------------------------------

CSV_COLUMNS = (
    "rank", "step", "order", "phase", "asks", "files", "right_first_time", "right_after_hint",
    "wrong", "unreadable", "too_few_places", "unanswered", "right_first_time_percent",
    "right_after_wrong", "revealed", "unnamed_wrong", "top_mistake", "top_mistake_files",
    "top_mistake_said", "mistakes", "common_wrong_answers", "filled",
)  # fmt: skip
_NUMBER = re.compile(r"[-+]?\d+(\.\d+)?")


def csv_text(report: Report) -> str:
    """One row per step, hardest first (`order` gives the lesson's order back)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for rank, row in enumerate(report.steps, start=1):
        top = row.top_mistakes(1)
        name, term, count = top[0] if top else ("", "", 0)
        cells = [
            rank, row.id, row.order, row.phase, row.asks, row.files,
            row.counts["first_try"], row.counts["after_hint"], row.counts["wrong"],
            row.counts["invalid"], row.counts["imprecise"], row.counts["unanswered"],
            f"{100 * row.share('first_try'):.1f}", row.outcomes["after_wrong"],
            row.outcomes["revealed"], row.unnamed, name, count or "",
            mistake(name, term) if name else "",
            "; ".join(f"{n} ×{c}" for n, _, c in row.top_mistakes(len(row.mistakes))),
            "; ".join(f"{short(a)} ×{c}" for a, c in row.wrong_answers.most_common(TOP)),
            row.counts["filled"],
        ]  # fmt: skip
        writer.writerow([_cell(c) for c in cells])
    return out.getvalue()


def _cell(value) -> str:
    """A cell a spreadsheet shows as written: text that would start a formula gets a leading
    apostrophe (a plain number, such as −0.5, is left alone)."""
    text = clean(str(value)).replace("\n", " ")
    if text[:1] in ("=", "+", "-", "@") and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def write_csv(report: Report, path: str) -> None:
    """UTF-8 with a byte-order mark, so a spreadsheet reads σ and ∂ right."""
    Path(path).write_text(csv_text(report), encoding="utf-8-sig", newline="")


# --- a page -------------------------------------------------------------------------------------

_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC",
sans-serif;color:#212121;margin:2em auto;max-width:70em;padding:0 1em}
h1{font-size:1.5em;margin:0 0 .2em}h2{font-size:1.15em;margin:1.6em 0 .5em}
p.sub{color:#616161;margin:0 0 1em}
table{border-collapse:collapse;width:100%}
th,td{padding:.3em .5em;border-bottom:1px solid #e0e0e0;text-align:left;vertical-align:top}
th{font-weight:600;border-bottom:2px solid #9e9e9e}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
code,.id{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.92em}
.id{white-space:nowrap}
svg.bar{display:block}td.bar{width:240px}
.asks,.counts{color:#616161;font-size:.88em}.counts{margin-top:.2em}
ul{margin:0;padding-left:1.1em}li{margin:.1em 0}
.said{color:#424242}.dim{color:#757575}
.legend span{display:inline-block;margin-right:1.2em;white-space:nowrap}
.key{display:inline-block;width:.9em;height:.9em;vertical-align:-.1em;margin-right:.3em}
.err{color:#b71c1c}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
@media print{body{margin:0;max-width:none;font-size:11px}tr{break-inside:avoid}
h2{break-after:avoid}}
"""


def _e(text: object) -> str:
    return html.escape(clean(str(text)), quote=True)


def _svg_bar(row: StepReport, width: int = 240, height: int = 18) -> str:
    """The step's files as one stacked bar; a segment wide enough carries its count."""
    parts, x = [], 0.0
    for c in CATEGORIES:
        n = row.counts[c]
        if not n:
            continue
        w = width * n / (row.files or 1)
        parts.append(
            f'<rect x="{x:.2f}" y="0" width="{w:.2f}" height="{height}" fill="{FILL[c]}">'
            f"<title>{_e(words(c))}: {n}</title></rect>"
        )
        if w >= 8 * len(str(n)) + 6:
            ink = "#212121" if c in ("invalid", "unanswered", "filled") else "#fff"
            parts.append(
                f'<text x="{x + w / 2:.2f}" y="{height - 5}" fill="{ink}" font-size="12" '
                f'text-anchor="middle">{n}</text>'
            )
        x += w
    label = t("sep").join(f"{words(c)} {row.counts[c]}" for c in CATEGORIES if row.counts[c])
    return (
        f'<svg class="bar" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{_e(label)}">{"".join(parts)}</svg>'
    )


def html_text(report: Report) -> str:
    lang = "zh" if language() == "zh" else "en"
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        # Nothing runs and nothing is fetched, whatever an answers file held.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(words('title', title=report.title))}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{_e(words('title', title=report.title))}</h1>",
    ]
    sub = words("graded", n=len(report.files))
    if report.unusable:
        sub += " · " + words("unusable", n=len(report.unusable))
    sub += " · " + words("generated", n=len(report.steps), source=report.source)
    out.append(f'<p class="sub">{_e(sub)}</p>')
    legend = "".join(
        f'<span><i class="key" style="background:{FILL[c]}"></i>{_e(words(c))}</span>'
        for c in CATEGORIES
    )
    out.append(f'<p class="legend">{legend}</p>')
    out.append(f"<h2>{_e(words('html_steps'))}</h2>")
    out.append("<table><thead><tr>")
    for key in ("col_step", "html_bar", "named", "common_answers"):
        out.append(f"<th>{_e(words(key))}</th>")
    out.append("</tr></thead><tbody>")
    for row in report.steps:
        named = "".join(
            f'<li><b>{_e(name)}</b> ×{count} <span class="said">{_e(mistake(name, term))}'
            "</span></li>"
            for name, term, count in row.top_mistakes()
        )
        if row.unnamed:
            named += f'<li class="dim">{_e(words("unnamed"))} ×{row.unnamed}</li>'
        answers = "".join(
            f"<li><code>{_e(short(text))}</code> ×{count}</li>"
            for text, count in row.wrong_answers.most_common(TOP)
        )
        counts = " · ".join(f"{_e(words(c))} {row.counts[c]}" for c in CATEGORIES if row.counts[c])
        first = f"{100 * row.share('first_try'):.0f}%"
        out.append(
            f'<tr><td><div class="id">{_e(row.id)}</div><div class="asks">{_e(row.asks)}</div>'
            f'</td><td class="bar">{_svg_bar(row)}<div class="counts"><b>{first}</b> · '
            f"{counts}</div></td><td><ul>{named}</ul></td><td><ul>{answers}</ul></td></tr>"
        )
    out.append("</tbody></table>")
    across = report.across()
    out.append(f"<h2>{_e(words('html_mistakes'))}</h2>")
    if across:
        out.append("<ul>")
        for name, count, ids in across[:10]:
            where = t("sep").join(f'<span class="id">{_e(i)}</span>' for i in ids)
            out.append(
                f"<li><b>{_e(name)}</b> — {_e(how_often(count, len(ids)))}: "
                f'<span class="said">{_e(mistake(name))}</span><br><span class="dim">{where}'
                "</span></li>"
            )
        out.append("</ul>")
    else:
        out.append(f"<p>{_e(words('no_mistakes'))}</p>")
    if report.unusable:
        out.append(f"<h2>{_e(words('html_unusable'))}</h2><ul>")
        out += [f'<li class="err"><code>{_e(located(e))}</code></li>' for e in report.unusable]
        out.append("</ul>")
    out.append(f"<h2>{_e(words('html_files'))}</h2><table><thead><tr>")
    out.append(f'<th>{_e(words("file"))}</th><th class="n">{_e(words("score"))}</th>')
    out.append("</tr></thead><tbody>")
    for source, right, n in report.files:
        out.append(
            f"<tr><td><code>{_e(Path(source).name)}</code></td>"
            f'<td class="n">{right}/{n} ({100 * right / n:.0f}%)</td></tr>'
        )
    out.append("</tbody></table></body></html>")
    return "\n".join(out) + "\n"


def write_html(report: Report, path: str) -> None:
    Path(path).write_text(html_text(report), encoding="utf-8")

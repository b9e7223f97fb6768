"""The tutor's words, and how a step, a verdict or a score is laid out as Textual markup.

Formatting only: every number arrives already computed (and rounded) from the step model.
"""

from __future__ import annotations

import re

from bptui.glossary import MISTAKES, mistake, phase_name, phase_title
from bptui.i18n import CATALOG, lesson_text, t
from bptui.notation import escape_markup as escape

HELP_EN = """[b]bptui — learn backpropagation by doing it[/]

Each step asks for one value of the forward or backward pass. Work it out, type it and press
[b]Enter[/]. The card shows the formula, then the same formula with the numbers put in.

[b]Answers[/]  numbers, fractions and arithmetic: [i]0.98[/], [i]3/4[/], [i]0.98*(1-0.98)[/],
[i]2·0.98 − 0.12[/], [i]-0.38^2[/], [i]exp(-4)[/], [i]sigmoid(4)[/]. A decimal comma and full-width
digits work too. An answer is right when it rounds to the value shown, or when you worked it
out from the rounded numbers on screen.

[b]Keys[/]
  Enter     check the answer (on a finished step: go on)
  F2        a hint: first the rule, then the numbers worked part of the way
  F3        reveal the value
  F5 / F6   previous / next step (looking back never changes anything)
  ctrl+p    jump to any step
  F8        the summary: your score per phase and your most common mistakes
  PgUp/PgDn scroll the step card
  ctrl+r    twice: start the lesson from scratch
  F1        this help          ctrl+q   quit (your progress is saved after every answer)

[b]The picture[/]  Forward: neurons show z and a = σ(z) once you know them; weights sit on the
edges. Backward: the network runs in reverse and each neuron becomes an op-amp ◁ with gain
σ'(z); its output δ = ∂l/∂z flows back along the same edges, times the same weights.

Press Escape to close."""


HELP_ZH = """[b]bptui —— 动手学反向传播[/]

每一步要你算出前向或反向传播中的一个值。算好后输入，按 [b]Enter[/]。卡片上先给出公式，
再给出代入数字后的同一个公式。

[b]答案[/]  可以是数、分数或算式：[i]0.98[/]、[i]3/4[/]、[i]0.98*(1-0.98)[/]、[i]2·0.98 − 0.12[/]、
[i]-0.38^2[/]、[i]exp(-4)[/]、[i]sigmoid(4)[/]。小数逗号和全角数字也可以。答案四舍五入后等于显示的值，
或者是用屏幕上四舍五入后的数字算出来的，都算对。

[b]按键[/]
  Enter     检查答案（已完成的步骤：进入下一步）
  F2        提示：先给规则，再给算到一半的数字
  F3        显示答案
  F5 / F6   上一步 / 下一步（往回看不会改变任何东西）
  ctrl+p    跳到任意一步
  F8        总结：各阶段的得分和最常见的错误
  PgUp/PgDn 滚动步骤卡片
  ctrl+r    按两次：本课从头开始
  F1        本帮助          ctrl+q   退出（每次作答后进度都会保存）

[b]图[/]  前向：知道 z 和 a = σ(z) 后，神经元上会显示它们；权重在边上。反向：网络反过来运行，
每个神经元变成一个增益为 σ'(z) 的运算放大器 ◁；它的输出 δ = ∂l/∂z 沿同样的边、乘上同样的权重传回去。

按 Escape 关闭。"""


CATALOG["en"].update(
    {
        "tui.placeholder": "Your value, e.g. 0.98 or 2*0.98-0.12 — Enter checks it",
        "tui.placeholder_done": "Done — Enter goes on to the next step",
        "tui.path": "…or type a lesson file's path and press Enter",
        "tui.picker_title": "bptui — learn backpropagation by doing it",
        "tui.picker_hint": "↑↓ choose a lesson, Enter opens it. Progress is kept for each lesson.",
        "tui.no_more_hints": "No more hints for this step: F3 reveals the value.",
        "tui.restart_confirm": "Press ctrl+r again within 3 seconds to start this lesson from scratch.",
        "tui.restart_title": "Restart?",
        "tui.restarted": "Started afresh: your earlier answers for this lesson were cleared.",
        "tui.autoplay": "Autoplay",
        "tui.autoplay_started": "Playing by itself: space pauses and resumes, any other key takes over.",
        "tui.autoplay_stopped": "Autoplay stopped: over to you.",
        "tui.autoplay_paused": "Paused: space resumes.",
        "tui.autoplay_resumed": "Playing.",
        "tui.progress": "Progress",
        "tui.cannot_open": "Cannot open that lesson",
        "tui.loading": "working out the steps…",
        "tui.loading_card": "Working out the steps…",
        "tui.status": "step {k}/{n} │ [$success]✓ {first}[/] first try · {helped} with help · {revealed} revealed",
        "tui.find": "Find {asks}",
        "tui.sample": " · sample {k} of {n}",
        "tui.revealed_mark": "(revealed)",
        "tui.hint": "Hint {k}:",
        "tui.precision": "Answer to {d} decimal places (tiny values: 2 significant digits).",
        "tui.empty": "Type your value for {symbol}, or F2 for a hint, F3 to reveal it.",
        "tui.invalid": "Can't read “{said}”:",
        "tui.invalid_tail": ". Type a number or a calculation.",
        "tui.right": "✓ Right:",
        "tui.wrong": "✗ {said} is not {symbol}:",
        "tui.not_quite": "not quite",
        "tui.wrong_tail": ". Try again — F2 hint, F3 reveal.",
        "tui.revealed": "Revealed:",
        "tui.revealed_tail": ". Enter goes on.",
        "tui.too_small": "This terminal is {w}×{h}.",
        "tui.too_small_need": "bptui needs at least {mw}×{mh}: make the window larger.",
        "tui.too_small_quit": "ctrl+q quits; nothing is lost.",
        "tui.summary_title": "Your lesson, phase by phase",
        "tui.summary_head": "{done} of {total} steps done: {first} right first time, {helped} with help, {revealed} revealed.",
        "tui.col.phase": "phase",
        "tui.col.steps": "steps",
        "tui.col.first": "first try",
        "tui.col.helped": "with help",
        "tui.col.revealed": "revealed",
        "tui.col.open": "open",
        "tui.mistakes_title": "Mistakes the tutor recognised",
        "tui.col.mistake": "mistake",
        "tui.col.times": "times",
        "tui.no_mistakes": "No recognised mistakes so far.",
        "tui.summary_keys": "Escape: back to the lesson · ctrl+r: start it again",
        "tui.new": "new",
        "tui.done_of": "{done}/{total} done",
        "tui.next": "▶ next",
        "tui.broken": "cannot be opened:",
        "key.help": "Help",
        "key.hint": "Hint",
        "key.reveal": "Reveal",
        "key.previous": "Back",
        "key.next": "Next",
        "key.summary": "Summary",
        "key.restart": "Restart",
        "key.close": "Back to the lesson",
        "key.restart_lesson": "Restart the lesson",
        "key.close_help": "Close",
        "tui.help": HELP_EN,
    }
)
CATALOG["zh"].update(
    {
        "tui.placeholder": "输入你的值，例如 0.98 或 2*0.98-0.12 —— 按 Enter 检查",
        "tui.placeholder_done": "已完成 —— 按 Enter 进入下一步",
        "tui.path": "……或输入课程文件的路径，按 Enter",
        "tui.picker_title": "bptui —— 动手学反向传播",
        "tui.picker_hint": "↑↓ 选择课程，Enter 打开。每门课的进度都会保存。",
        "tui.no_more_hints": "这一步没有更多提示了：按 F3 显示答案。",
        "tui.restart_confirm": "3 秒内再按一次 ctrl+r，本课从头开始。",
        "tui.restart_title": "重新开始？",
        "tui.restarted": "已重新开始：本课之前的答案已清除。",
        "tui.autoplay": "自动播放",
        "tui.autoplay_started": "自动播放中：空格键暂停或继续，按其他任意键接手。",
        "tui.autoplay_stopped": "自动播放已停止：轮到你了。",
        "tui.autoplay_paused": "已暂停：按空格键继续。",
        "tui.autoplay_resumed": "继续播放。",
        "tui.progress": "进度",
        "tui.cannot_open": "无法打开这门课",
        "tui.loading": "正在计算步骤……",
        "tui.loading_card": "正在计算步骤……",
        "tui.status": "第 {k}/{n} 步 │ [$success]✓ {first}[/] 一次答对 · {helped} 用了提示 · {revealed} 看了答案",
        "tui.find": "求 {asks}",
        "tui.sample": " · 第 {k} 笔数据（共 {n} 笔）",
        "tui.revealed_mark": "（已显示答案）",
        "tui.hint": "提示 {k}：",
        "tui.precision": "答案保留 {d} 位小数（很小的值：保留 2 位有效数字）。",
        "tui.empty": "请输入 {symbol} 的值，或按 F2 看提示、F3 显示答案。",
        "tui.invalid": "看不懂“{said}”：",
        "tui.invalid_tail": "。请输入一个数或一个算式。",
        "tui.right": "✓ 正确：",
        "tui.wrong": "✗ {said} 不是 {symbol}：",
        "tui.not_quite": "不太对",
        "tui.wrong_tail": "。再试一次 —— F2 提示，F3 显示答案。",
        "tui.revealed": "答案：",
        "tui.revealed_tail": "。按 Enter 继续。",
        "tui.too_small": "这个终端是 {w}×{h}。",
        "tui.too_small_need": "bptui 至少需要 {mw}×{mh}：请把窗口放大。",
        "tui.too_small_quit": "ctrl+q 退出；不会丢失任何进度。",
        "tui.summary_title": "本课各阶段的情况",
        "tui.summary_head": "完成 {done}/{total} 步：{first} 步一次答对，{helped} 步用了提示，{revealed} 步看了答案。",
        "tui.col.phase": "阶段",
        "tui.col.steps": "步数",
        "tui.col.first": "一次答对",
        "tui.col.helped": "用了提示",
        "tui.col.revealed": "看了答案",
        "tui.col.open": "未完成",
        "tui.mistakes_title": "导师认出的错误",
        "tui.col.mistake": "错误",
        "tui.col.times": "次数",
        "tui.no_mistakes": "目前没有认出的错误。",
        "tui.summary_keys": "Escape：回到课程 · ctrl+r：从头再来",
        "tui.new": "新",
        "tui.done_of": "完成 {done}/{total}",
        "tui.next": "▶ 下一课",
        "tui.broken": "无法打开：",
        "key.help": "帮助",
        "key.hint": "提示",
        "key.reveal": "答案",
        "key.previous": "上一步",
        "key.next": "下一步",
        "key.summary": "总结",
        "key.restart": "重来",
        "key.close": "回到课程",
        "key.restart_lesson": "重新开始本课",
        "key.close_help": "关闭",
        "tui.help": HELP_ZH,
    }
)


def help_text() -> str:
    return t("tui.help")


_MARKUP = re.compile(r"\[/?[$a-z][^\]]*\]")  # our own tags: [b], [$success], [/]


def topbar(title: str, status: str, width: int) -> str:
    """The lesson's title on the left, the status on the right, in one line of `width` cells."""
    from rich.cells import cell_len, set_cell_size

    room = max(width - cell_len(_MARKUP.sub("", status)) - 2, 8)
    title = set_cell_size(title, room).rstrip() if cell_len(title) > room else title
    padding = " " * max(room - cell_len(title), 0)
    return f"[b]{escape(title)}[/]{padding}  {status}"


def status_loading() -> str:
    return f"[$text-muted]{t('tui.loading')}[/]"


def status(session) -> str:
    score = session.score()
    return t(
        "tui.status",
        k=session.position + 1,
        n=len(session.steps),
        first=score.first_try,
        helped=score.after_help,
        revealed=score.revealed,
    )


def intro_card(lesson) -> str:
    parts = [f"[b]{escape(lesson_text(lesson, 'title'))}[/]"]
    if lesson_text(lesson, "summary"):
        parts.append(escape(lesson_text(lesson, "summary")))
    if lesson_text(lesson, "intro"):
        parts.append(f"[i]{escape(lesson_text(lesson, 'intro'))}[/]")
    parts.append(f"[$text-muted]{t('tui.loading_card')}[/]")
    return "\n".join(parts)


def card(session) -> str:
    step = session.step
    record = session.record()
    lesson = session.lesson
    done = record.done
    header = phase_title(step.phase)
    if step.sample and len(lesson.samples) > 1:
        header += t("tui.sample", k=step.sample, n=len(lesson.samples))
    lines = [f"[b $accent]{escape(header)}[/]", f"[b]{escape(t('tui.find', asks=step.asks))}[/]"]
    lines.append(f"  {escape(step.symbol)} = {escape(step.formula)}")
    result = f"[b $success]{step.shown}[/]" if done else "[b reverse $warning] ? [/]"
    lines.append(f"  {escape(step.symbol)} = {escape(step.numbers)} = {result}")
    if record.revealed and not record.correct:
        lines[-1] += f" [$text-muted]{t('tui.revealed_mark')}[/]"
    for number, hint in enumerate(session.hints_shown(), 1):
        lines.append(f"[$warning]{t('tui.hint', k=number)}[/] {escape(hint)}")
    if step.note:
        lines.append(f"[$text-muted]{escape(step.note)}[/]")
    if not done:
        lines.append(f"[$text-muted]{t('tui.precision', d=lesson.decimals)}[/]")
    first_of_phase = (
        session.position == 0 or session.steps[session.position - 1].phase != step.phase
    )
    if session.position == 0 and lesson_text(lesson, "intro"):
        lines.append(f"\n[i]{escape(lesson_text(lesson, 'intro'))}[/]")
    if first_of_phase and lesson_text(lesson, step.phase):
        lines.append(f"[i]{escape(lesson_text(lesson, step.phase))}[/]")
    return "\n".join(lines)


def placeholder(session) -> str:
    return t("tui.placeholder_done") if session.done(session.step) else t("tui.placeholder")


def empty_answer(step) -> str:
    return f"[$text-muted]{escape(t('tui.empty', symbol=step.symbol))}[/]"


def verdict(step, text: str, result) -> str:
    said = escape(text)
    if result.invalid:
        head = t("tui.invalid", said=said)
        return f"[b $warning]{head}[/] {escape(result.error)}{t('tui.invalid_tail')}"
    if result.correct:
        return f"[b $success]{t('tui.right')}[/] {escape(step.symbol)} = {step.shown}"
    why = mistake(result.mistake) if result.mistake else t("tui.not_quite")
    head = t("tui.wrong", said=said, symbol=escape(step.symbol))
    return f"[b $error]{head}[/] {escape(why)}{t('tui.wrong_tail')}"


def revealed(step) -> str:
    return f"[$warning]{t('tui.revealed')}[/] {escape(step.symbol)} = {step.shown}{t('tui.revealed_tail')}"


def too_small(width: int, height: int, min_width: int, min_height: int) -> str:
    return (
        f"[b]{t('tui.too_small', w=width, h=height)}[/]\n"
        f"{t('tui.too_small_need', mw=min_width, mh=min_height)}\n"
        f"[$text-muted]{t('tui.too_small_quit')}[/]"
    )


def summary(session):
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    phases, mistakes = session.summary()
    score = session.score()
    table = Table(title=t("tui.summary_title"), title_justify="left", expand=True)
    for column in ("phase", "steps", "first", "helped", "revealed", "open"):
        table.add_column(t(f"tui.col.{column}"), justify="left" if column == "phase" else "right")
    for phase, counts in phases.items():
        table.add_row(
            phase_name(phase),
            *(str(counts[key]) for key in ("steps", "first_try", "after_help", "revealed", "open")),
        )
    head = Text.from_markup(
        f"[b]{escape(lesson_text(session.lesson, 'title'))}[/]\n"
        + t(
            "tui.summary_head",
            done=score.done,
            total=score.total,
            first=score.first_try,
            helped=score.after_help,
            revealed=score.revealed,
        )  # fmt: skip
    )
    parts = [head, table]
    if mistakes:
        listed = Table(title=t("tui.mistakes_title"), title_justify="left", expand=True)
        listed.add_column(t("tui.col.mistake"))
        listed.add_column(t("tui.col.times"), justify="right")
        for key, count in mistakes.most_common():
            listed.add_row(mistake(key) if key in MISTAKES else t("tui.not_quite"), str(count))
        parts.append(listed)
    else:
        parts.append(Text(t("tui.no_mistakes")))
    parts.append(Text(t("tui.summary_keys"), style="dim"))
    return Group(*parts)


def lesson_option(lesson, progress: tuple[int, int] | None, suggested: bool = False) -> str:
    if progress is None:
        where = f"[$text-muted]{t('tui.new')}[/]"
    else:
        done, total = progress
        where = f"[$success]{t('tui.done_of', done=done, total=total or '?')}[/]"
    if suggested:
        where += f"  [b $accent]{t('tui.next')}[/]"
    text = lesson_text(lesson, "summary")
    summary_line = f"\n  [$text-muted]{escape(text)}[/]" if text else ""
    return f"[b]{escape(lesson_text(lesson, 'title'))}[/]  {where}{summary_line}"


def broken_option(name: str, error: str) -> str:
    return f"[b]{escape(name)}[/]  [$error]{t('tui.broken')}[/] {escape(error)}"

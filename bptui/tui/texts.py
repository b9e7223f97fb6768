"""The tutor's words, and how a step, a verdict or a score is laid out as Textual markup.

Formatting only: every number arrives already computed (and rounded) from the step model.
"""

from __future__ import annotations

import re
from collections import Counter

from bptui.glossary import mistake, phase_name, phase_title
from bptui.i18n import (
    CATALOG,
    asked_text,
    language,
    lesson_text,
    places_text,
    precision_text,
    t,
)
from bptui.notation import escape_markup as escape
from bptui.notation import rounded, shown_at, wrap

HELP_EN = """[b]bptui — learn backpropagation by doing it[/]

Each step asks for one value of the forward or backward pass. Work it out, type it and press [b]Enter[/]. Depending on the lesson, the card shows the formula with the numbers put in, the formula only, or only what is asked: then you set it up from the picture (the hints give the formula, then the numbers).

[b]Answers[/]  numbers, fractions and arithmetic: [i]0.37[/], [i]3/8[/], [i]0.37*(1-0.37)[/] or [i]0.37(1-0.37)[/], [i]2·0.45 − 0.3[/], [i](0.37-1)^2[/] or [i](0.37-1)²[/], [i]exp(-1.3)[/], [i]e^-1.3[/], [i]sigmoid(1.2)[/] (e is Euler's number). A decimal comma and full-width digits work too.

[b]Precision[/]  each card says how many decimal places it wants. Your answer is right when it rounds to the value there, or to what the rounded numbers on screen give, or to what your own earlier answers give (error carried forward). Right but with too few places: you are told so, and it costs no try. A known mistake is named, and for a sum, the term that is off.

[b]Keys[/]
  Enter     check the answer (on a finished step: go on)
  F2        a hint: the rule, then the formula and its numbers, then the numbers worked part-way
  F3        reveal the value
  F5 / F6   previous / next step (looking back never changes anything)
  ctrl+p    jump to any step
  F8        the summary: your score per phase, and every step that went wrong
  PgUp/PgDn scroll the step card
  F7        the whole network, or just the current neuron (when it does not all fit)
  ctrl+r    twice: start the lesson from scratch
  ctrl+f    when a skill is mastered (3 right first time in a row): fill in its other steps
  Escape    back to the lesson list (when the lesson was opened from it)
  F1        this help          ctrl+q   quit (your progress is saved after every answer)

[b]The picture[/]  Forward: each neuron is a node, z over a, filled in once you know them; the block before it lists its edges, each weight times its input ("2·a₁"), and its bias. Backward: the network runs in reverse: each neuron becomes an op-amp ◁ with gain f'(z), fed by the block after it: the weights out of it times the δ = ∂l/∂z coming back. The current step's edges are bright.

Press Escape to close."""


HELP_ZH = """[b]bptui —— 动手学反向传播[/]

每一步要你算出 Forward pass 或 Backward pass 中的一个值。算好后输入，按 [b]Enter[/]。依课程不同，卡片给出代入数字后的公式、只给公式，或者只写要求什么：那就要你自己从图上列出式子（提示会先给公式，再给数字）。

[b]答案[/]  可以是数、分数或算式：[i]0.37[/]、[i]3/8[/]、[i]0.37*(1-0.37)[/] 或 [i]0.37(1-0.37)[/]、[i]2·0.45 − 0.3[/]、[i](0.37-1)^2[/] 或 [i](0.37-1)²[/]、[i]exp(-1.3)[/]、[i]e^-1.3[/]、[i]sigmoid(1.2)[/]（e 是自然常数）。小数逗号和全角数字也可以。

[b]精度[/]  每张卡片都写明要保留几位小数。答案四舍五入后等于卡片上的值，或等于用屏幕上四舍五入后的数字算出的值，或等于用你自己之前的答案算出的值（沿用前面的误差），都算对。值对了但位数不够：会提醒你，不算一次尝试。认得出的错误会被指出；如果是一个和，会指出是哪一项错了。

[b]按键[/]
  Enter     检查答案（已完成的步骤：进入下一步）
  F2        提示：先给规则，再给公式和代入的数字，最后给算到一半的数字
  F3        显示答案
  F5 / F6   上一步 / 下一步（往回看不会改变任何东西）
  ctrl+p    跳到任意一步
  F8        总结：各阶段的得分，以及每个出错的步骤
  PgUp/PgDn 滚动步骤卡片
  F7        整个 network，或只看当前的神经元（放不下的时候）
  ctrl+r    按两次：本课从头开始
  ctrl+f    某个技能已掌握（连续 3 步一次答对）时：由程序代填它在本课的其余步骤
  Escape    回到课程列表（从列表打开的课程）
  F1        本帮助          ctrl+q   退出（每次作答后进度都会保存）

[b]图[/]  Forward pass：每个神经元是一个节点，上面是 z，下面是 a，算出来后才显示；它前面的方块列出每条边的权重乘输入（"2·a₁"）和 bias。Backward pass：network 反过来运行，每个神经元变成增益为 f'(z) 的 op-amp ◁，由它后面的方块送入：从它连出去的边上的权重乘传回来的 δ = ∂l/∂z。当前这一步用到的边会亮起来。

按 Escape 关闭。"""


CATALOG["en"].update(
    {
        "tui.placeholder": "Your value for {symbol}: a number or a calculation — Enter checks it",
        "tui.placeholder_done": "Done — Enter goes on to the next step",
        "tui.placeholder_loading": "Type your answer — it is checked as soon as the steps are ready",
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
        "tui.status.step": "step {k}/{n}",
        "tui.status.first_try": "[$success]✓ {n}[/] first try",
        "tui.status.after_wrong": "{n} retried",
        "tui.status.after_hint": "{n} hinted",
        "tui.status.revealed": "{n} revealed",
        "tui.status.filled": "{n} filled",
        "tui.find": "Find {asks}",
        "tui.palette_step": "Step {k}/{n}: {symbol} ({phase})",
        "tui.given": "Known: {given}",
        "tui.sample": " · sample {k} of {n}",
        "tui.revealed_mark": "(revealed)",
        "tui.hint": "Hint {k}:",
        "tui.empty": "Type your value for {symbol}, or F2 for a hint, F3 to reveal it.",
        "tui.invalid": "Can't read “{said}”:",
        "tui.invalid_tail": ". Type a number or a calculation.",
        "tui.right": "✓ Right:",
        "tui.right_screen": "✓ Right: {said} is what the rounded numbers on screen give. With full precision, {symbol} = {shown}.",
        "tui.right_carried": "✓ Right, worked from your own {used}: that gives {said}. (With full precision, {symbol} = {shown}.)",
        "tui.own_too_rough": ". Your own {used} does lead there, but it is too rough for this step: {true}",
        "tui.coarse": "≈ Right to {given}, but {symbol} is asked to {places}: give more digits. No try used.",
        "tui.coarse_slip": "≈ {symbol} is asked to {places}: to {given}, the answer and a common slip look the same. Give more digits. No try used.",
        "tui.rounding": "≈ Nearly: the last of the {places} is off by one. Round (5 and up goes up), don't cut off. No try used.",
        "tui.or": " — or else {other}",
        "tui.wrong": "✗ {said} is not {symbol}:",
        "tui.not_recognised": "✗ {said} is not {symbol}. Check each part of your working",
        "tui.wrong_tail": ". Try again — F2 hint, F3 reveal.",
        "tui.revealed": "Revealed:",
        "tui.revealed_tail": ". Enter goes on.",
        "tui.too_small": "This terminal is {w}×{h}.",
        "tui.too_small_need": "bptui needs at least {mw}×{mh}: make the window larger.",
        "tui.too_small_quit": "ctrl+q quits; nothing is lost.",
        "tui.summary_title": "Your lesson, phase by phase",
        "tui.summary_head": "{done} of {total} steps done: {first} right first time, {retried} right after a wrong try, {hinted} right after a hint, {revealed} revealed.",
        "tui.col.phase": "phase",
        "tui.col.steps": "steps",
        "tui.col.first": "first try",
        "tui.col.retried": "retried",
        "tui.col.hinted": "hinted",
        "tui.col.revealed": "revealed",
        "tui.col.open": "open",
        "tui.wrong_title": "Steps that went wrong",
        "tui.col.step": "step",
        "tui.col.typed": "you typed",
        "tui.col.said": "what the tutor saw",
        "tui.unnamed": "not a mistake the tutor knows",
        "tui.mistakes_title": "Mistakes the tutor recognised",
        "tui.col.mistake": "mistake",
        "tui.col.times": "times",
        "tui.no_mistakes": "No wrong answers so far.",
        "tui.unnamed_count": "Wrong answers the tutor could not name: {n}.",
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
        "key.leave": "Lessons",
        "key.network": "Network",
        "key.close": "Back to the lesson",
        "key.restart_lesson": "Restart the lesson",
        "key.close_help": "Close",
        "key.fill": "Fill in",
        "tui.filled_mark": "(filled in: a skill you had mastered)",
        "tui.summary_filled": " {filled} filled in by the tutor (skills you had mastered).",
        "tui.col.filled": "filled",
        "tui.offer": "★ {skill}: {streak} right first time in a row, mastered. ctrl+f fills in the {left} other {symbol} steps of this lesson (counted apart), or just go on.",
        "tui.offer_one": "★ {skill}: {streak} right first time in a row, mastered. ctrl+f fills in the other {symbol} step of this lesson (counted apart), or just go on.",
        "tui.offer_open": "Still on offer: ctrl+f fills in the remaining {symbol} steps ({left}).",
        "tui.filled": "Filled in {n} {symbol} steps, counted apart in your score; F5 and F6 show them.",
        "tui.skills": "Skills",
        "tui.skills_none": "Skills: none practised yet. Each step you do counts for its skill, across lessons.",
        "tui.skills_line": "Skills — mastered: {mastered} · to practise: {weak} · bptui practice --focus weakest",
        "tui.skills_nothing": "none yet",
        "tui.help": HELP_EN,
    }
)
CATALOG["zh"].update(
    {
        "tui.placeholder": "输入 {symbol} 的值：一个数或一个算式 —— 按 Enter 检查",
        "tui.placeholder_done": "已完成 —— 按 Enter 进入下一步",
        "tui.placeholder_loading": "输入答案 —— 步骤算好后马上检查",
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
        "tui.status.step": "第 {k}/{n} 步",
        "tui.status.first_try": "[$success]✓ {n}[/] 一次答对",
        "tui.status.after_wrong": "{n} 改对",
        "tui.status.after_hint": "{n} 看提示",
        "tui.status.revealed": "{n} 看答案",
        "tui.status.filled": "{n} 代填",
        "tui.find": "求 {asks}",
        "tui.palette_step": "第 {k}/{n} 步：{symbol}（{phase}）",
        "tui.given": "已知：{given}",
        "tui.sample": " · 第 {k} 笔 data（共 {n} 笔）",
        "tui.revealed_mark": "（已显示答案）",
        "tui.hint": "提示 {k}：",
        "tui.empty": "请输入 {symbol} 的值，或按 F2 看提示、F3 显示答案。",
        "tui.invalid": "看不懂“{said}”：",
        "tui.invalid_tail": "。请输入一个数或一个算式。",
        "tui.right": "✓ 正确：",
        "tui.right_screen": "✓ 正确：{said} 是用屏幕上四舍五入后的数字算出来的。按完整精度，{symbol} = {shown}。",
        "tui.right_carried": "✓ 正确，用的是你自己的 {used}：算出来是 {said}。（按完整精度，{symbol} = {shown}。）",
        "tui.own_too_rough": "。用你自己的 {used} 确实会算出这个答案，但它太粗略，这一步不够用；更准确的是 {true}",
        "tui.coarse": "≈ 保留 {given}是对的，但 {symbol} 要保留 {places}：请多给几位。不算一次尝试。",
        "tui.coarse_slip": "≈ {symbol} 要保留 {places}：只保留 {given}时，正确答案和一个常见错误看起来一样。请多给几位。不算一次尝试。",
        "tui.rounding": "≈ 差一点：{places}的最后一位差了 1。要四舍五入，不要直接截掉。不算一次尝试。",
        "tui.or": " —— 或者：{other}",
        "tui.wrong": "✗ {said} 不是 {symbol}：",
        "tui.not_recognised": "✗ {said} 不是 {symbol}。请逐项检查你的计算",
        "tui.wrong_tail": "。再试一次 —— F2 提示，F3 显示答案。",
        "tui.revealed": "答案：",
        "tui.revealed_tail": "。按 Enter 继续。",
        "tui.too_small": "这个终端是 {w}×{h}。",
        "tui.too_small_need": "bptui 至少需要 {mw}×{mh}：请把窗口放大。",
        "tui.too_small_quit": "ctrl+q 退出；不会丢失任何进度。",
        "tui.summary_title": "本课各阶段的情况",
        "tui.summary_head": "完成 {done}/{total} 步：{first} 步一次答对，{retried} 步答错后改对，{hinted} 步看了提示后答对，{revealed} 步看了答案。",
        "tui.col.phase": "阶段",
        "tui.col.steps": "步数",
        "tui.col.first": "一次答对",
        "tui.col.retried": "改对",
        "tui.col.hinted": "看提示",
        "tui.col.revealed": "看答案",
        "tui.col.open": "未完成",
        "tui.wrong_title": "出错的步骤",
        "tui.col.step": "步骤",
        "tui.col.typed": "你的答案",
        "tui.col.said": "程序看出的问题",
        "tui.unnamed": "不是程序认得的错误",
        "tui.mistakes_title": "程序认出的错误",
        "tui.col.mistake": "错误",
        "tui.col.times": "次数",
        "tui.no_mistakes": "目前没有答错。",
        "tui.unnamed_count": "程序认不出的错误答案：{n} 个。",
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
        "key.leave": "课程列表",
        "key.network": "network",
        "key.close": "回到课程",
        "key.restart_lesson": "重新开始本课",
        "key.close_help": "关闭",
        "key.fill": "代填",
        "tui.filled_mark": "（程序代填：你已掌握的技能）",
        "tui.summary_filled": "另有 {filled} 步由程序代填（你已掌握的技能）。",
        "tui.col.filled": "代填",
        "tui.offer": "★ {skill}：连续 {streak} 步一次答对，已经掌握。按 ctrl+f 由程序代填本课其余 {left} 个 {symbol} 步骤（单独计分），或者继续自己做。",
        "tui.offer_one": "★ {skill}：连续 {streak} 步一次答对，已经掌握。按 ctrl+f 由程序代填本课剩下的那 1 个 {symbol} 步骤（单独计分），或者继续自己做。",
        "tui.offer_open": "还可以：按 ctrl+f 由程序代填剩下的 {symbol} 步骤（{left} 步）。",
        "tui.filled": "已代填 {n} 个 {symbol} 步骤，单独计分；F5、F6 可以查看。",
        "tui.skills": "技能",
        "tui.skills_none": "技能：还没有练习记录。每做完一步，都会记到它的技能上，跨课程累计。",
        "tui.skills_line": "技能 —— 已掌握：{mastered} · 待练习：{weak} · bptui practice --focus weakest",
        "tui.skills_nothing": "暂无",
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
    if cell_len(title) > room:
        title = set_cell_size(title, room - 1).rstrip() + "…"
    padding = " " * max(room - cell_len(title), 0)
    return f"[b]{escape(title)}[/]{padding}  {status}"


def status_loading() -> str:
    return f"[$text-muted]{t('tui.loading')}[/]"


def status(session, room: int | None = None) -> str:
    """`step K/N │ ✓ 3 first try · 1 retried · …`; where that leaves less than `room` cells
    for the title, the counts that are 0 are left out (right first time always stays)."""
    score = session.score()
    counts = {
        "first_try": score.first_try,
        "after_wrong": score.after_wrong,
        "after_hint": score.after_hint,
        "revealed": score.revealed,
        "filled": score.filled,
    }
    step = t("tui.status.step", k=session.position + 1, n=len(session.steps))

    def said(keep) -> str:
        parts = [t(f"tui.status.{key}", n=n) for key, n in counts.items() if keep(key, n)]
        return f"{step} │ " + " · ".join(parts)

    from rich.cells import cell_len

    full = said(lambda key, n: key != "filled" or n)
    if room is None or cell_len(_MARKUP.sub("", full)) <= room:
        return full
    return said(lambda key, n: key == "first_try" or n)


def offer(session, again: bool = False) -> str:
    """The offer made once a skill is mastered: fill in its other steps of this lesson; `again`:
    a short reminder that an earlier offer is still open."""
    from bptui.mastery import MASTERED_AFTER, label, short

    skill = session.mastered
    left = len(session.to_fill(skill))
    if again:
        said = t("tui.offer_open", left=left, symbol=escape(short(skill)))
        return f"[$accent]{said}[/]"
    said = t("tui.offer_one" if left == 1 else "tui.offer", skill=escape(label(skill, language())),
             streak=MASTERED_AFTER, left=left, symbol=escape(short(skill)))  # fmt: skip
    return f"[$accent]{said}[/]"


def filled(n: int, skill: str) -> str:
    from bptui.mastery import short

    return f"[$accent]{t('tui.filled', n=n, symbol=escape(short(skill)))}[/]"


def skills_line(records: dict) -> str:
    """The picker's line on skills: those mastered, and the weakest to practise."""
    from bptui.mastery import short, weakest

    if not records:
        return t("tui.skills_none")
    mastered = [short(s) for s, r in records.items() if r.mastered]
    weak = [f"{short(s)} {records[s].first_try}/{records[s].done}" for s in weakest(records)[:3]]
    nothing = t("tui.skills_nothing")
    return t("tui.skills_line", mastered=escape(" ".join(mastered) or nothing),
             weak=escape(", ".join(weak) or nothing))  # fmt: skip


def intro_card(lesson) -> str:
    parts = [f"[b]{escape(lesson_text(lesson, 'title'))}[/]"]
    if lesson_text(lesson, "summary"):
        parts.append(escape(lesson_text(lesson, "summary")))
    if lesson_text(lesson, "intro"):
        parts.append(f"[i]{escape(lesson_text(lesson, 'intro'))}[/]")
    parts.append(f"[$text-muted]{t('tui.loading_card')}[/]")
    return "\n".join(parts)


def precision(step) -> str:
    """What the card asks for: the step's places, and why when they are not the lesson's."""
    return precision_text(step)


def card(session, width: int | None = None) -> str:
    """The step card; `width`: the narration wrapped to it (between Chinese characters too)."""
    step = session.step
    record = session.record()
    lesson = session.lesson
    done = record.done
    # A card that keeps its formula back keeps back a heading that states it too.
    header = phase_title(step.phase) if session.shows(step, "formula") else phase_name(step.phase)
    if step.sample and len(lesson.samples) > 1:
        header += t("tui.sample", k=step.sample, n=len(lesson.samples))
    symbol = escape(step.symbol)
    lines = [f"[b $accent]{escape(header)}[/]", f"[b]{escape(t('tui.find', asks=step.asks))}[/]"]
    numbers = step.filled(session.texts(step))  # only numbers already known: the rest as symbols
    if done:
        sign = "≈" if step.rounded_on_screen and not session.missing(step) else "="
        result = f"{sign} [b $success]{step.shown}[/]"
    else:
        result = "= [b reverse $warning] ? [/]"
    if step.given and not session.shows(step, "numbers"):  # what the picture cannot show
        known = session.texts(step)
        given = t("sep").join(f"{o.symbol} = {known.get(o.symbol, '?').strip('()')}"
                              for o in step.operands if o.role in step.given)  # fmt: skip
        lines.append(f"  [$text-muted]{escape(t('tui.given', given=given))}[/]")
    if session.shows(step, "formula"):  # as the scaffold level, the hints taken, the answer allow
        lines.append(f"  {symbol} = {escape(step.formula)}")
    if session.shows(step, "numbers") and (numbers != step.formula or not done):
        lines.append(f"  {symbol} = {escape(numbers)} {result}")
    elif session.shows(step, "formula"):
        lines[-1] += f" {result}"
    else:
        lines.append(f"  {symbol} {result}")
    if record.revealed and not record.correct:
        lines[-1] += f" [$text-muted]{t('tui.revealed_mark')}[/]"
    elif record.filled and not record.correct:
        lines[-1] += f" [$text-muted]{t('tui.filled_mark')}[/]"
    for number, hint in enumerate(session.hints_shown(), 1):
        lines.append(f"[$warning]{t('tui.hint', k=number)}[/] {escape(hint)}")
    if step.note and session.shows(step, "formula"):  # the note is the rule: kept back too
        lines.append(f"[$text-muted]{escape(step.note)}[/]")
    if done and step.after:
        lines.append(escape(step.after))
    if not done:
        lines.append(f"[$text-muted]{escape(precision(step))}[/]")
    first_of_phase = (
        session.position == 0 or session.steps[session.position - 1].phase != step.phase
    )
    if session.position == 0 and lesson_text(lesson, "intro"):
        lines += ["", *narration(lesson_text(lesson, "intro"), width)]
    # A phase's narration may quote the numbers of the phases before it: shown once they are known
    # (jumped ahead, the learner reads it on coming back in order).
    caught_up = all(session.known(s) for s in session.steps[: session.position])
    if first_of_phase and caught_up and lesson_text(lesson, step.phase):
        lines += narration(lesson_text(lesson, step.phase), width)
    return "\n".join(lines)


def narration(text: str, width: int | None) -> list[str]:
    """A lesson's narration in italics, wrapped to the card (Textual wraps at spaces only)."""
    return [f"[i]{escape(line)}[/]" for line in (wrap(text, width) if width else [text])]


def placeholder(session) -> str:
    if session.done(session.step):
        return t("tui.placeholder_done")
    return t("tui.placeholder", symbol=session.step.symbol)


def placeholder_loading() -> str:
    return t("tui.placeholder_loading")


def empty_answer(step) -> str:
    return f"[$text-muted]{escape(t('tui.empty', symbol=step.symbol))}[/]"


def explain(verdict) -> str:
    """A wrong answer's diagnosis, in words: the named mistake (and another that gives the very
    same number), or that it has no name."""
    if not verdict.mistake:
        return t("tui.unnamed")
    said = mistake(verdict.mistake, verdict.term)
    for other, term in verdict.also:
        said += t("tui.or", other=mistake(other, term))
    return said


def gap(head: str) -> str:
    """The space after a verdict's head: none after Chinese full-width punctuation."""
    return "" if head.endswith(("：", "。", "，")) else " "


def verdict(step, text: str, result) -> str:
    said = escape(text)
    symbol = escape(step.symbol)
    if result.invalid:
        head = t("tui.invalid", said=said)
        return f"[b $warning]{head}[/]{gap(head)}{escape(result.error)}{t('tui.invalid_tail')}"
    if result.correct:
        mine = shown_at(result.value, step.places)
        fixed = rounded(result.value, step.places).replace("-", "−")  # "0.70": the places asked
        if result.basis == "carried" and result.carried:
            used = t("sep").join(f"{escape(s)} = {escape(v)}" for s, v in result.carried)
            line = t("tui.right_carried", used=used, said=fixed, symbol=symbol, shown=step.fixed)
            return f"[b $success]{line}[/]"
        if result.basis != "exact" and mine != step.shown:
            line = t("tui.right_screen", said=fixed, symbol=symbol, shown=step.fixed)
            return f"[b $success]{line}[/]"
        right = t("tui.right")
        return f"[b $success]{right}[/]{gap(right)}{symbol} = {step.fixed}"  # to the places asked
    if result.imprecise and result.coarse == step.places:  # the last place off by one
        return f"[b $warning]{t('tui.rounding', places=asked_text(step))}[/]"
    if result.imprecise:
        key = "tui.coarse_slip" if result.slip_too else "tui.coarse"
        line = t(key, given=places_text(result.coarse), symbol=symbol, places=asked_text(step))
        return f"[b $warning]{line}[/]"
    if result.mistake:
        head = t("tui.wrong", said=said, symbol=symbol)
        tail = t("tui.wrong_tail")
        if result.carried:  # their own rough numbers lead there: say so, and what they are
            used = t("sep").join(f"{escape(s)} = {escape(v)}" for s, v in result.carried)
            true = t("sep").join(f"{escape(o.symbol)} = {escape(o.text.strip('()'))}" for o in step.operands
                             if o.symbol in dict(result.carried))  # fmt: skip
            tail = t("tui.own_too_rough", used=used, true=true) + tail
        return f"[b $error]{head}[/]{gap(head)}{escape(explain(result))}{tail}"
    return f"[b $error]{t('tui.not_recognised', said=said, symbol=symbol)}[/]{t('tui.wrong_tail')}"


def revealed(step) -> str:
    return f"[$warning]{t('tui.revealed')}[/] {escape(step.symbol)} = {step.fixed}{t('tui.revealed_tail')}"


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
    columns = ["phase", "steps", "first", "retried", "hinted", "revealed", "open"]
    keys = ["steps", "first_try", "after_wrong", "after_hint", "revealed", "open"]
    if score.filled:  # a column only for a lesson where the tutor filled steps in
        columns.insert(-1, "filled")
        keys.insert(-1, "filled")
    for column in columns:
        table.add_column(t(f"tui.col.{column}"), justify="left" if column == "phase" else "right")
    for phase, counts in phases.items():
        table.add_row(phase_name(phase), *(str(counts[key]) for key in keys))
    head = Text.from_markup(
        f"[b]{escape(lesson_text(session.lesson, 'title'))}[/]\n"
        + escape(t("tui.summary_head", done=score.done, total=score.total, first=score.first_try,
                   retried=score.after_wrong, hinted=score.after_hint, revealed=score.revealed))
        + (escape(t("tui.summary_filled", filled=score.filled)) if score.filled else "")
    )  # fmt: skip
    parts = [head, table]
    went_wrong = session.went_wrong()
    if went_wrong:
        listed = Table(title=t("tui.wrong_title"), title_justify="left", expand=True)
        listed.add_column(t("tui.col.step"), no_wrap=True)
        listed.add_column(t("tui.col.typed"), justify="right", overflow="fold")
        listed.add_column(t("tui.col.said"), ratio=1, overflow="fold")
        for step, tries in went_wrong:
            for i, (answer, result) in enumerate(tries):
                name = f"{session.index[step.id] + 1}. {step.symbol}" if i == 0 else ""
                listed.add_row(Text(name), Text(answer), Text(explain(result)))
        parts.append(listed)
        named = Counter(explain(r) for _, tries in went_wrong for _, r in tries if r.mistake)
        if named:
            counts = Table(title=t("tui.mistakes_title"), title_justify="left", expand=True)
            counts.add_column(t("tui.col.mistake"), ratio=1, overflow="fold")
            counts.add_column(t("tui.col.times"), justify="right")
            for said, count in named.most_common():
                counts.add_row(Text(said), str(count))
            parts.append(counts)
        if mistakes.get("wrong"):
            parts.append(Text(t("tui.unnamed_count", n=mistakes["wrong"])))
    else:
        parts.append(Text(t("tui.no_mistakes")))
    parts.append(Text(t("tui.summary_keys"), style="dim"))
    return Group(*parts)


def lesson_option(
    lesson, progress: tuple[int, int] | None, suggested: bool = False, width: int = 76
) -> str:
    """A lesson in the picker: its title and progress, then its summary indented under it."""
    if progress is None:
        where = f"[$text-muted]{t('tui.new')}[/]"
    else:
        done, total = progress
        where = f"[$success]{t('tui.done_of', done=done, total=total or '?')}[/]"
    if suggested:
        where += f"  [b $accent]{t('tui.next')}[/]"
    text = lesson_text(lesson, "summary")
    lines = wrap(text, max(width - 2, 20)) if text else []
    summary_line = "".join(f"\n  [$text-muted]{escape(line)}[/]" for line in lines)
    return f"[b]{escape(lesson_text(lesson, 'title'))}[/]  {where}{summary_line}"


def broken_option(name: str, error: str) -> str:
    return f"[b]{escape(name)}[/]  [$error]{t('tui.broken')}[/] {escape(error)}"

"""The tutor's words, and how a step, a verdict or a score is laid out as Textual markup.

Formatting only: every number arrives already computed (and rounded) from the step model.
"""

from __future__ import annotations

from bptui.glossary import MISTAKES, PHASE_NAMES, PHASE_TITLES

ANSWER_PLACEHOLDER = "Your value, e.g. 0.98 or 2*0.98-0.12 — Enter checks it"
PATH_PLACEHOLDER = "…or type a lesson file's path and press Enter"
PICKER_HINT = "↑↓ choose a lesson, Enter opens it. Progress is kept for each lesson."
NO_MORE_HINTS = "[$text-muted]No more hints for this step: F3 reveals the value.[/]"
RESTART_CONFIRM = "Press ctrl+r again within 3 seconds to start this lesson from scratch."
AUTOPLAY_STARTED = "Playing by itself: space pauses and resumes, any other key takes over."
AUTOPLAY_STOPPED = "Autoplay stopped: over to you."
AUTOPLAY_PAUSED = "Paused: space resumes."
AUTOPLAY_RESUMED = "Playing."
RESTARTED = "[$warning]Started afresh: your earlier answers for this lesson were cleared.[/]"

HELP = """[b]bptui — learn backpropagation by doing it[/]

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
  ctrl+r    twice: start the lesson from scratch
  F1        this help          ctrl+q   quit (your progress is saved after every answer)

[b]The picture[/]  Forward: neurons show z and a = σ(z) once you know them; weights sit on the
edges. Backward: the network runs in reverse and each neuron becomes an op-amp ◁ with gain
σ'(z); its output δ = ∂l/∂z flows back along the same edges, times the same weights.

Press Escape to close."""


def escape(text: str) -> str:
    return text.replace("[", r"\[")


def status_loading() -> str:
    return "[$text-muted]working out the steps…[/]"


def status(session) -> str:
    score = session.score()
    return (
        f"step {session.position + 1}/{len(session.steps)} │ "
        f"[$success]✓ {score.first_try}[/] first try · {score.after_help} with help · "
        f"{score.revealed} revealed"
    )


def intro_card(lesson) -> str:
    parts = [f"[b]{escape(lesson.title)}[/]"]
    if lesson.summary:
        parts.append(escape(lesson.summary))
    if lesson.narration.get("intro"):
        parts.append(f"[i]{escape(lesson.narration['intro'])}[/]")
    parts.append("[$text-muted]Working out the steps…[/]")
    return "\n".join(parts)


def card(session) -> str:
    step = session.step
    record = session.record()
    lesson = session.lesson
    done = record.done
    header = PHASE_TITLES[step.phase]
    if step.sample and len(lesson.samples) > 1:
        header += f" · sample {step.sample} of {len(lesson.samples)}"
    lines = [f"[b $accent]{escape(header)}[/]", f"[b]Find {escape(step.asks)}[/]"]
    lines.append(f"  {escape(step.symbol)} = {escape(step.formula)}")
    result = f"[b $success]{step.shown}[/]" if done else "[b reverse $warning] ? [/]"
    lines.append(f"  {escape(step.symbol)} = {escape(step.numbers)} = {result}")
    if record.revealed and not record.correct:
        lines[-1] += " [$text-muted](revealed)[/]"
    for number, hint in enumerate(session.hints_shown(), 1):
        lines.append(f"[$warning]Hint {number}:[/] {escape(hint)}")
    if step.note:
        lines.append(f"[$text-muted]{escape(step.note)}[/]")
    if not done:
        lines.append(
            f"[$text-muted]Answer to {lesson.decimals} decimal places "
            "(tiny values: 2 significant digits).[/]"
        )
    first_of_phase = (
        session.position == 0 or session.steps[session.position - 1].phase != step.phase
    )
    if session.position == 0 and lesson.narration.get("intro"):
        lines.append(f"\n[i]{escape(lesson.narration['intro'])}[/]")
    if first_of_phase and lesson.narration.get(step.phase):
        lines.append(f"[i]{escape(lesson.narration[step.phase])}[/]")
    return "\n".join(lines)


def placeholder(session) -> str:
    if session.done(session.step):
        return "Done — Enter goes on to the next step"
    return ANSWER_PLACEHOLDER


def empty_answer(step) -> str:
    symbol = escape(step.symbol)
    return f"[$text-muted]Type your value for {symbol}, or F2 for a hint, F3 to reveal it.[/]"


def verdict(step, text: str, result) -> str:
    said = escape(text)
    if result.invalid:
        error = escape(result.error)
        return f"[b $warning]Can't read “{said}”:[/] {error}. Type a number or a calculation."
    if result.correct:
        return f"[b $success]✓ Right:[/] {escape(step.symbol)} = {step.shown}"
    why = MISTAKES[result.mistake] if result.mistake else "not quite"
    symbol = escape(step.symbol)
    return f"[b $error]✗ {said} is not {symbol}:[/] {escape(why)}. Try again — F2 hint, F3 reveal."


def revealed(step) -> str:
    return f"[$warning]Revealed:[/] {escape(step.symbol)} = {step.shown}. Enter goes on."


def too_small(width: int, height: int, min_width: int, min_height: int) -> str:
    return (
        f"[b]This terminal is {width}×{height}.[/]\n"
        f"bptui needs at least {min_width}×{min_height}: make the window larger.\n"
        "[$text-muted]ctrl+q quits; nothing is lost.[/]"
    )


def summary(session):
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    phases, mistakes = session.summary()
    score = session.score()
    table = Table(title="Your lesson, phase by phase", title_justify="left", expand=True)
    for column in ("phase", "steps", "first try", "with help", "revealed", "open"):
        table.add_column(column, justify="left" if column == "phase" else "right")
    for phase, counts in phases.items():
        table.add_row(
            PHASE_NAMES[phase],
            *(str(counts[key]) for key in ("steps", "first_try", "after_help", "revealed", "open")),
        )
    head = Text.from_markup(
        f"[b]{escape(session.lesson.title)}[/]\n{score.done} of {score.total} steps done: "
        f"{score.first_try} right first time, {score.after_help} with help, "
        f"{score.revealed} revealed."
    )
    parts = [head, table]
    if mistakes:
        listed = Table(title="Mistakes the tutor recognised", title_justify="left", expand=True)
        listed.add_column("mistake")
        listed.add_column("times", justify="right")
        for key, count in mistakes.most_common():
            listed.add_row(MISTAKES.get(key, "not quite (no known pattern)"), str(count))
        parts.append(listed)
    else:
        parts.append(Text("No recognised mistakes so far."))
    parts.append(Text("Escape: back to the lesson · ctrl+r: start it again", style="dim"))
    return Group(*parts)


def lesson_option(lesson, progress: tuple[int, int] | None) -> str:
    if progress is None:
        where = "[$text-muted]new[/]"
    else:
        done, total = progress
        where = f"[$success]{done}/{total} done[/]" if total else f"{done} done"
    summary = f"\n  [$text-muted]{escape(lesson.summary)}[/]" if lesson.summary else ""
    return f"[b]{escape(lesson.title)}[/]  {where}{summary}"


def broken_option(name: str, error: str) -> str:
    return f"[b]{escape(name)}[/]  [$error]cannot be opened:[/] {escape(error)}"

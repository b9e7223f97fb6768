"""English and Chinese: the tutor's own words and the texts of the steps.

The language is chosen once at start (`--lang`, else the locale) and read through `t()`. A key
missing in Chinese falls back to English, never to an error.
"""

from __future__ import annotations

import os

LANGUAGES = ("en", "zh")
_current = "en"


def default_language(environ=os.environ) -> str:
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = environ.get(variable, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def set_language(code: str) -> None:
    global _current
    _current = code if code in LANGUAGES else "en"


def language() -> str:
    return _current


def t(key: str, **values) -> str:
    text = CATALOG[_current].get(key) or CATALOG["en"][key]
    return text.format(**values) if values else text


def places_text(n: int) -> str:
    """How many places an answer is asked to: "a whole number", "2 decimal places"."""
    if n == 0:
        return t("answer.whole")
    return t("answer.place") if n == 1 else t("answer.places", n=n)


def precision_text(step) -> str:
    """What a step asks for: its places, and why when they are not the lesson's."""
    return t(f"answer.precision.{step.precision}", symbol=step.symbol,
             places=places_text(step.places))  # fmt: skip


def lesson_text(lesson, key: str) -> str:
    """A lesson's title, summary or narration in the current language, falling back to its own."""
    translated = lesson.narration.get(_current)
    if isinstance(translated, dict) and translated.get(key):
        return translated[key]
    if key in ("title", "summary"):
        return getattr(lesson, key)
    value = lesson.narration.get(key, "")
    return value if isinstance(value, str) else ""


EN = {
    # --- the steps of a network ---
    "where": "neuron {j} of layer {layer}",
    "where_output": "neuron {j} of layer {layer} (output)",
    "of_sample": ", sample {n}",
    "asks.z": "{z}, the weighted input of {where}",
    "asks.a": "{a}, the output of {where} ({activation})",
    "note.z": "{partials}: ∂z/∂w is the input on that edge.",
    "asks.loss": "l, the loss of this sample",
    "asks.dl_dz_softmax": "∂l/∂{z} for {where}: softmax with cross-entropy",
    "note.softmax": "Every y depends on every z: ∂l/∂zⱼ = Σᵢ ∂yᵢ/∂zⱼ·∂l/∂yᵢ, which cross-entropy collapses to yⱼ − ŷⱼ.",
    "asks.dl_dy": "∂l/∂{y}: how the loss moves with output {j}",
    "note.dl_dy": "l = ½ Σ (y − ŷ)², so ∂l/∂y = y − ŷ.",
    "asks.dl_dz_output": "∂l/∂{z} for {where} (case 1)",
    "note.case1": "Case 1: {z} feeds the output directly: ∂l/∂{z} = ∂{y}/∂{z} · ∂l/∂{y}.",
    "asks.gain": "{gain}, the gain of the op-amp of {where} ({activation})",
    "note.gain": "The gain is a constant, fixed by the forward pass: the op-amp is linear.",
    "asks.sum": "∂l/∂{a}, the weighted sum into the op-amp of {where}",
    "note.sum": "The op-amp's inputs are ∂l/∂z of the layer after, on the same edges, with the "
    "same weights as the forward pass.",
    "asks.dl_dz_hidden": "∂l/∂{z}, the output of the op-amp of {where} (case 2)",
    "note.case2": "∂l/∂{z} = {gain}·Σₖ wₖ·∂l/∂zₖ: the reversed network, one op-amp at a time.",
    "asks.dl_dw": "∂l/∂{w}, for the weight from {a} into {z}",
    "note.dl_dw": "∂l/∂{w} = ∂{z}/∂{w} · ∂l/∂{z}: the forward pass gave ∂{z}/∂{w} = {a}, the "
    "backward pass gave ∂l/∂{z}.",
    "asks.dz_dw": "∂{z}/∂{w}: how much {z} changes per unit change of {w}",
    "asks.dl_db": "∂l/∂{b}, for the bias of {z}",
    "note.dl_db": "∂{z}/∂{b} = 1, so ∂l/∂{b} = ∂l/∂{z}.",
    "asks.total": "∂L/∂{sym}, summed over the {n} samples",
    "asks.update": "the new {sym} after one step of gradient descent",
    "worked.affine": "; then add them and the bias {b}.",
    "worked.dot": "; then add them.",
    "worked.sigmoid": "{e}; now 1 / (1 + that).",
    "worked.sigmoid_gain": "{rest}; now multiply by {a}.",
    "worked.half_squares": "; then half their sum.",
    "worked.default": "Work out {numbers}.",
    # --- the steps of a chain-rule graph ---
    "asks.value": "{name}, the value of node {name}",
    "asks.local": "∂{node}/∂{parent}, the local derivative on the edge {parent} → {node}",
    "note.local": "{node} = {expr}: differentiate by {parent} (any other input held fixed).",
    "asks.chain": "∂{out}/∂{name}, how the output moves with {name}",
    "note.paths": "Paths to {out} ({case}): {paths}",
    "case2": "case 2: add the paths",
    "case1": "case 1: one path, one product",
    "no_path": "No path to {out}.",
    "worked.paths": "The products along the paths: {products}; add them.",
    "worked.one_path": "Multiply along the path: {factors}.",
    "after.paths": "Along the paths: {paths}",
    "hint.first": "This hint needs {symbols}: work those out first (F5 goes back).",
    "progress.not_json": "Saved progress is not valid JSON; it was set aside as {aside}. Starting afresh.",
    "progress.unreadable": "Saved progress could not be read; it was set aside as {aside}. Starting afresh.",
    "progress.changed": "This lesson has changed since your last session; the old progress was set aside as {aside}. Starting afresh.",
    "progress.unsaved": "Your progress cannot be saved in {where} ({why}); this session goes on without saving.",
    # --- the answer language ---
    "expr.empty": "type a number or a calculation",
    "expr.too_long": "too long (at most {n} characters)",
    "expr.cannot_read": "cannot read '{text}'",
    "expr.unexpected": "unexpected '{text}'",
    "expr.incomplete": "incomplete: something is missing at the end",
    "expr.nested": "nested too deeply",
    "expr.unknown_function": "unknown function '{name}'",
    "expr.unclosed": "a parenthesis is not closed",
    "expr.unknown_name": "unknown name '{name}'",
    "expr.undefined": "{call} is not defined",
    "expr.division": "division by zero",
    "expr.exponent": "exponent too large (at most {n})",
    "expr.too_large": "the result is too large",
    "expr.not_real": "not a real number",
    "expr.not_number": "not a number",
    # --- bptui key and bptui replay ---
    "cli.steps": "{n} steps",
    "cli.step": "step",
    "cli.formula": "formula",
    "cli.numbers": "with the numbers",
    "cli.value": "value",
    "cli.total_loss": "Total loss L = Σₙ lⁿ = {value}",
    "cli.sample": " — sample {n}",
    "cli.asked": "asked",
    "cli.answer": "answer",
    "cli.verdict": "verdict",
    "cli.right": "✓ right",
    "cli.wrong": "✗ wrong",
    "cli.invalid": "? unreadable",
    "cli.imprecise": "≈ too few places",
    "cli.unanswered": "– no answer",
    "cli.summary": "[b]{right}/{n} right[/] · {wrong} wrong · {invalid} unreadable · {unanswered} unanswered",
    "cli.files": "Answers files",
    "cli.file": "file",
    "cli.col_right": "right",
    "cli.col_wrong": "wrong",
    "cli.col_invalid": "unreadable",
    "cli.col_unanswered": "unanswered",
    "cli.score": "score",
    # --- the diagram ---
    "diagram.inputs": "inputs",
    "diagram.layer": "layer {n}",
    "diagram.output": "output",
    "diagram.target": "target",
    "diagram.the_output": "(the output)",
    "diagram.forward": "Forward: each block adds weight·input over its edges, and the bias, into z; a = f(z) is ∂z/∂w on the edges it feeds",
    "diagram.backward": "Reversed, from the output: each ◁ op-amp adds weight·δ over the edges out of it, times its gain f'(z); δ = ∂l/∂z",
    "diagram.gradient": "Each node: a (forward) over δ = ∂l/∂z (backward); on each edge ∂l/∂w = a·δ",
    "diagram.dz_dw": "Each block lists weight·input on its edges: ∂z/∂w is that input",
    "diagram.focused": "The current neuron and its edges; F7 shows the whole network",
    "diagram.values": "Forward: each node is computed from the names on its incoming edges",
    "diagram.local": "Each edge carries its local derivative ∂(node)/∂(input)",
    "diagram.chain": "From the output back: multiply along each path, then add the paths",
    "sheet.worksheet": "Worksheet",
    "sheet.key": "Answer key",
    "sheet.questions": "{n} questions",
    "sheet.question": "1 question",
    "sheet.instructions": "Work out each value and write it on its line, to the places asked. A symbol in a formula is a value from an earlier question or from the network.",
    "sheet.key_note": "The worked answers, each value as the tutor shows it (≈: the rounded numbers shown give a slightly different last digit).",
    "sheet.name": "Name:",
    "sheet.date": "Date:",
    "sheet.network": "The network",
    "sheet.find": "Find {asks}",
    "sheet.given": "Given, not asked",
    "sheet.col.quantity": "quantity",
    "sheet.col.formula": "formula",
    "sheet.col.value": "value",
    "sheet.from_question": "from question {n}",
    "sheet.from_questions": "from questions {ns}",
    "answer.whole": "a whole number",
    "answer.place": "1 decimal place",
    "answer.places": "{n} decimal places",
    "answer.precision.lesson": "Give {symbol} to {places}.",
    "answer.precision.small": "Give {symbol} to {places}: it is small, so 2 significant digits.",
    "answer.precision.apart": "Give {symbol} to {places}: with fewer, a common slip would look the same.",
}

ZH = {
    "where": "第 {layer} 层的第 {j} 个神经元",
    "where_output": "第 {layer} 层（输出层）的第 {j} 个神经元",
    "of_sample": "，第 {n} 笔 data",
    "asks.z": "{z}：{where}的加权输入",
    "asks.a": "{a}：{where}的输出（{activation}）",
    "note.z": "{partials}：每个 ∂z/∂w 就是那个权重所在的边上的输入。",
    "asks.loss": "l：这一笔 data 的 loss",
    "asks.dl_dz_softmax": "∂l/∂{z}：{where}，softmax 配交叉熵",
    "note.softmax": "每个 y 都依赖每个 z：∂l/∂zⱼ = Σᵢ ∂yᵢ/∂zⱼ·∂l/∂yᵢ，配上交叉熵就化简为 yⱼ − ŷⱼ。",
    "asks.dl_dy": "∂l/∂{y}：loss 随第 {j} 个输出怎样变化",
    "note.dl_dy": "l = ½ Σ (y − ŷ)²，所以 ∂l/∂y = y − ŷ。",
    "asks.dl_dz_output": "∂l/∂{z}：{where}，case 1",
    "note.case1": "Case 1：{z} 透过 activation function 直接得到输出 {y}：∂l/∂{z} = ∂{y}/∂{z} · ∂l/∂{y}。",
    "asks.gain": "{gain}：{where}的 op-amp 的增益（{activation}）",
    "note.gain": "增益是一个常数，在 Forward pass 就已经定了：所以 op-amp 是线性的。",
    "asks.sum": "∂l/∂{a}：传进{where}的 op-amp 的加权和",
    "note.sum": "op-amp 的输入是下一层的 ∂l/∂z：沿着同样的边传回来，乘上和 Forward pass 里相同的权重。",
    "asks.dl_dz_hidden": "∂l/∂{z}：{where}的 op-amp 的输出，case 2",
    "note.case2": "∂l/∂{z} = {gain}·Σₖ wₖ·∂l/∂zₖ：反过来的 network，一次算一个 op-amp。",
    "asks.dl_dw": "∂l/∂{w}：l 对权重 {w}（从 {a} 连到 {z}）的偏微分",
    "note.dl_dw": "∂l/∂{w} = ∂{z}/∂{w} · ∂l/∂{z}：Forward pass 给出 ∂{z}/∂{w} = {a}，Backward pass 给出 ∂l/∂{z}。",
    "asks.dz_dw": "∂{z}/∂{w}：{w} 变化 1 时，{z} 变化多少",
    "asks.dl_db": "∂l/∂{b}：l 对 {z} 的 bias 的偏微分",
    "note.dl_db": "∂{z}/∂{b} = 1，所以 ∂l/∂{b} = ∂l/∂{z}。",
    "asks.total": "∂L/∂{sym}：把 {n} 笔 data 的 ∂lⁿ/∂{sym} 加起来",
    "asks.update": "一步梯度下降之后新的 {sym}",
    "worked.affine": "；再把它们和 bias {b} 加起来。",
    "worked.dot": "；再把它们相加。",
    "worked.sigmoid": "{e}；再算 1 / (1 + 这个值)。",
    "worked.sigmoid_gain": "{rest}；再乘上 {a}。",
    "worked.half_squares": "；再取它们和的一半。",
    "worked.default": "算出 {numbers}。",
    "asks.value": "{name}：节点 {name} 的值",
    "asks.local": "∂{node}/∂{parent}：边 {parent} → {node} 上的局部微分",
    "note.local": "{node} = {expr}：对 {parent} 微分（如果还有其他输入，当作常数）。",
    "asks.chain": "∂{out}/∂{name}：输出随 {name} 怎样变化",
    "note.paths": "到 {out} 的路径（{case}）：{paths}",
    "case2": "case 2：把各条路径相加",
    "case1": "case 1：一条路径，一个乘积",
    "no_path": "没有到 {out} 的路径。",
    "worked.paths": "各条路径上的乘积：{products}；把它们加起来。",
    "worked.one_path": "沿着这条路径相乘：{factors}。",
    "after.paths": "沿着各条路径：{paths}",
    "hint.first": "这个提示要用到 {symbols}：请先把它们算出来（F5 回到上一步）。",
    "progress.not_json": "保存的进度不是有效的 JSON；已另存为 {aside}。从头开始。",
    "progress.unreadable": "保存的进度无法读取；已另存为 {aside}。从头开始。",
    "progress.changed": "这一课在你上次学习之后改过了；旧的进度已另存为 {aside}。从头开始。",
    "progress.unsaved": "进度无法保存到 {where}（{why}）；这次可以继续学，但不会保存。",
    "expr.empty": "请输入一个数或一个算式",
    "expr.too_long": "太长了（最多 {n} 个字符）",
    "expr.cannot_read": "看不懂 '{text}'",
    "expr.unexpected": "这里不该有 '{text}'",
    "expr.incomplete": "不完整：结尾少了东西",
    "expr.nested": "括号嵌套太深",
    "expr.unknown_function": "不认识的函数 '{name}'",
    "expr.unclosed": "有一个括号没有闭合",
    "expr.unknown_name": "不认识的名字 '{name}'",
    "expr.undefined": "{call} 没有定义",
    "expr.division": "除以零",
    "expr.exponent": "指数太大（最多 {n}）",
    "expr.too_large": "结果太大",
    "expr.not_real": "不是实数",
    "expr.not_number": "不是一个数",
    "cli.steps": "共 {n} 步",
    "cli.step": "步骤",
    "cli.formula": "公式",
    "cli.numbers": "代入数字",
    "cli.value": "值",
    "cli.total_loss": "total loss L = Σₙ lⁿ = {value}",
    "cli.sample": " —— 第 {n} 笔 data",
    "cli.asked": "所求",
    "cli.answer": "答案",
    "cli.verdict": "判定",
    "cli.right": "✓ 正确",
    "cli.wrong": "✗ 错误",
    "cli.invalid": "? 看不懂",
    "cli.imprecise": "≈ 位数不够",
    "cli.unanswered": "– 未作答",
    "cli.summary": "[b]{right}/{n} 正确[/] · {wrong} 错误 · {invalid} 看不懂 · {unanswered} 未作答",
    "cli.files": "答案文件",
    "cli.file": "文件",
    "cli.col_right": "正确",
    "cli.col_wrong": "错误",
    "cli.col_invalid": "看不懂",
    "cli.col_unanswered": "未作答",
    "cli.score": "得分",
    "diagram.inputs": "输入",
    "diagram.layer": "第 {n} 层",
    "diagram.output": "输出层",
    "diagram.target": "目标",
    "diagram.the_output": "（输出）",
    "diagram.forward": "Forward pass：每个方块把各条边上的 w·输入 和 bias 加成 z；a = f(z) 就是从它连出去的边上的 ∂z/∂w",
    "diagram.backward": "Backward pass，从输出往回：每个 ◁ op-amp 把连出去的边上的 w·δ 加起来，再乘上增益 f'(z)；δ = ∂l/∂z",
    "diagram.gradient": "每个节点：上面是 Forward pass 的 a，下面是 Backward pass 的 δ = ∂l/∂z；每条边上 ∂l/∂w = a·δ",
    "diagram.dz_dw": "每个方块列出各条边上的 w·输入：∂z/∂w 就是和 w 相乘的那个输入",
    "diagram.focused": "当前的神经元和它的边；按 F7 看整个 network",
    "diagram.values": "往前算：每个节点由连进它的边上的名字算出",
    "diagram.local": "每条边上是它的局部微分 ∂(节点)/∂(输入)",
    "diagram.chain": "从输出往回：沿每条路径相乘，再把路径相加",
    "sheet.worksheet": "练习单",
    "sheet.key": "参考答案",
    "sheet.questions": "共 {n} 题",
    "sheet.question": "共 1 题",
    "sheet.instructions": "算出每个值，写在横线上，保留要求的位数。公式里的符号，是前面某一题的答案，或是 network 图上给出的值。",
    "sheet.key_note": "完整的解答，每个值都和程序里显示的一样（≈ 表示：用显示出来的、四舍五入后的数字去算，最后一位会稍有不同）。",
    "sheet.name": "姓名：",
    "sheet.date": "日期：",
    "sheet.network": "Network",
    "sheet.find": "求 {asks}",
    "sheet.given": "已知（不需要计算）",
    "sheet.col.quantity": "符号",
    "sheet.col.formula": "公式",
    "sheet.col.value": "值",
    "sheet.from_question": "由第 {n} 题得出",
    "sheet.from_questions": "由第 {ns} 题得出",
    "answer.whole": "整数",
    "answer.place": "1 位小数",
    "answer.places": "{n} 位小数",
    "answer.precision.lesson": "{symbol} 保留 {places}。",
    "answer.precision.small": "{symbol} 保留 {places}：它很小，这样才有 2 位有效数字。",
    "answer.precision.apart": "{symbol} 保留 {places}：位数再少，某个常见的错误就会和正确答案看起来一样。",
}

CATALOG = {"en": EN, "zh": ZH}

"""The tutor's vocabulary: phase names, the rule behind each kind of step, the known mistakes.

Plain text with no imports, so the screen can use it without loading the engine (or numpy).
"""

PHASE_TITLES = {
    "forward": "Forward pass",
    "loss": "Loss",
    "output": "Backward pass: the output layer (case 1)",
    "backward": "Backward pass: the op-amps of the hidden layers (case 2)",
    "gradient": "Gradients: ∂l/∂w = a · ∂l/∂z",
    "total": "Over all samples: ∂L/∂w = Σₙ ∂lⁿ/∂w",
    "update": "One step of gradient descent: w ← w − η·∂L/∂w",
    "values": "Forward: the value of every node",
    "local": "Local derivatives: ∂ of each node by each input on its edges",
    "chain": "Chain rule, from the output back: multiply along each path, add the paths",
}

# Short names, for tables.
PHASE_NAMES = {
    "forward": "Forward pass",
    "loss": "Loss",
    "output": "Output layer (case 1)",
    "backward": "Hidden op-amps (case 2)",
    "gradient": "Gradients",
    "total": "Sum over samples",
    "update": "Gradient descent",
    "values": "Values",
    "local": "Local derivatives",
    "chain": "Chain rule",
}

# The first hint of each kind of step: the rule it follows, as the seed states it.
RULE_HINTS = {
    "z": "z = Σₖ wₖ·aₖ + b: multiply each input by the weight on its edge, add them, add the bias.",
    "a.sigmoid": "a = σ(z) = 1 / (1 + e^−z).",
    "a.tanh": "a = tanh(z) = (e^z − e^−z) / (e^z + e^−z).",
    "a.relu": "a = relu(z) = max(0, z).",
    "a.linear": "A linear neuron passes z on: a = z.",
    "a.softmax": "softmax: yⱼ = e^zⱼ / Σₖ e^zₖ.",
    "loss.squared_error": "l = ½ Σᵢ (yᵢ − ŷᵢ)²: half the sum of the squared errors.",
    "loss.cross_entropy": "l = −Σᵢ ŷᵢ ln yᵢ.",
    "dl_dy": "For l = ½ Σ (y − ŷ)², ∂l/∂y = y − ŷ: output minus target.",
    "gain.sigmoid": "σ'(z) = σ(z)·(1 − σ(z)) = a·(1 − a): use a from the forward pass.",
    "gain.tanh": "tanh'(z) = 1 − tanh(z)² = 1 − a².",
    "gain.relu": "relu'(z) = 1 when z > 0, else 0 (0 at z = 0 too).",
    "gain.linear": "A linear neuron's derivative is 1.",
    "dl_dz.output": "Case 1: ∂l/∂z = ∂y/∂z · ∂l/∂y = σ'(z)·∂l/∂y.",
    "dl_dz.softmax": "Softmax with cross-entropy: ∂l/∂z = y − ŷ.",
    "sum": "∂l/∂a = Σₖ wₖ·∂l/∂zₖ: every neuron this one feeds sends its ∂l/∂z back along the "
    "same edge, times the same weight.",
    "dl_dz.backward": "The op-amp: ∂l/∂z = σ'(z)·∂l/∂a, the gain times the weighted sum.",
    "dl_dw": "∂l/∂w = ∂z/∂w · ∂l/∂z, and ∂z/∂w is the input on the weight's edge.",
    "dl_db": "∂z/∂b = 1, so ∂l/∂b = ∂l/∂z.",
    "total": "L = Σₙ lⁿ, so ∂L/∂w = Σₙ ∂lⁿ/∂w: add the samples' gradients.",
    "update": "w ← w − η·∂L/∂w: a step against the gradient.",
    "value": "Put the values of its inputs into the node's formula.",
    "local": "Differentiate the node's formula by this one input, holding the others fixed.",
    "chain": "Case 2: for every path to the output, multiply the local derivatives along it; then "
    "add the paths. Case 1 is a single path: dz/dx = dz/dy · dy/dx.",
}

# The mistakes the tutor can name, and how it explains each.
MISTAKES = {
    "gain_left_out": "σ'(z) left out: the op-amp multiplies by its gain σ'(z)",
    "sign_flipped": "the sign of (y − ŷ) is flipped: output minus target, not target minus output",
    "a_for_z": "a and z mixed up: z is the sum going into the neuron, a = σ(z) comes out",
    "bias_forgotten": "the bias was forgotten: z = Σ w·a + b",
    "term_missing": "a term of the sum is missing: every incoming edge counts",
    "weights_transposed": "row and column of the weights swapped: row j holds the weights into j",
    "gain_of_a": "σ' was taken of a instead of z",
    "half_forgotten": "the ½ in l = ½ Σ (y − ŷ)² was left out",
    "gradient_ascent": "the step went uphill: w ← w − η·∂L/∂w subtracts",
    "path_missing": "a path is missing: add the products along every path to the output (case 2)",
}

PHASE_TITLES_ZH = {
    "forward": "前向传播",
    "loss": "损失",
    "output": "反向传播：输出层（情形一）",
    "backward": "反向传播：隐藏层的运算放大器（情形二）",
    "gradient": "梯度：∂l/∂w = a · ∂l/∂z",
    "total": "对所有数据求和：∂L/∂w = Σₙ ∂lⁿ/∂w",
    "update": "一步梯度下降：w ← w − η·∂L/∂w",
    "values": "前向：每个节点的值",
    "local": "局部微分：每条边上，节点对它的输入的微分",
    "chain": "链式法则，从输出往回：沿每条路径相乘，再把路径相加",
}

PHASE_NAMES_ZH = {
    "forward": "前向传播",
    "loss": "损失",
    "output": "输出层（情形一）",
    "backward": "隐藏层运算放大器（情形二）",
    "gradient": "梯度",
    "total": "对数据求和",
    "update": "梯度下降",
    "values": "节点的值",
    "local": "局部微分",
    "chain": "链式法则",
}

RULE_HINTS_ZH = {
    "z": "z = Σₖ wₖ·aₖ + b：每个输入乘上它那条边的权重，加起来，再加上偏置。",
    "a.sigmoid": "a = σ(z) = 1 / (1 + e^−z)。",
    "a.tanh": "a = tanh(z) = (e^z − e^−z) / (e^z + e^−z)。",
    "a.relu": "a = relu(z) = max(0, z)。",
    "a.linear": "线性神经元把 z 直接传下去：a = z。",
    "a.softmax": "softmax：yⱼ = e^zⱼ / Σₖ e^zₖ。",
    "loss.squared_error": "l = ½ Σᵢ (yᵢ − ŷᵢ)²：误差平方和的一半。",
    "loss.cross_entropy": "l = −Σᵢ ŷᵢ ln yᵢ。",
    "dl_dy": "对 l = ½ Σ (y − ŷ)²，∂l/∂y = y − ŷ：输出减目标。",
    "gain.sigmoid": "σ'(z) = σ(z)·(1 − σ(z)) = a·(1 − a)：用前向传播得到的 a。",
    "gain.tanh": "tanh'(z) = 1 − tanh(z)² = 1 − a²。",
    "gain.relu": "relu'(z)：z > 0 时为 1，否则为 0（z = 0 时也是 0）。",
    "gain.linear": "线性神经元的微分是 1。",
    "dl_dz.output": "情形一：∂l/∂z = ∂y/∂z · ∂l/∂y = σ'(z)·∂l/∂y。",
    "dl_dz.softmax": "softmax 配交叉熵：∂l/∂z = y − ŷ。",
    "sum": "∂l/∂a = Σₖ wₖ·∂l/∂zₖ：这个神经元连到的每个神经元，都把它的 ∂l/∂z 沿同一条边、"
    "乘上同一个权重传回来。",
    "dl_dz.backward": "运算放大器：∂l/∂z = σ'(z)·∂l/∂a，增益乘上加权和。",
    "dl_dw": "∂l/∂w = ∂z/∂w · ∂l/∂z，而 ∂z/∂w 就是这个权重那条边上的输入。",
    "dl_db": "∂z/∂b = 1，所以 ∂l/∂b = ∂l/∂z。",
    "total": "L = Σₙ lⁿ，所以 ∂L/∂w = Σₙ ∂lⁿ/∂w：把每笔数据的梯度加起来。",
    "update": "w ← w − η·∂L/∂w：沿梯度的反方向走一步。",
    "value": "把输入的值代进这个节点的公式。",
    "local": "对这一个输入微分，其他输入保持不变。",
    "chain": "情形二：对每条到输出的路径，把路径上的局部微分乘起来；再把各条路径相加。"
    "情形一只有一条路径：dz/dx = dz/dy · dy/dx。",
}

MISTAKES_ZH = {
    "gain_left_out": "漏了 σ'(z)：运算放大器要乘上它的增益 σ'(z)",
    "sign_flipped": "(y − ŷ) 的正负号反了：是输出减目标，不是目标减输出",
    "a_for_z": "a 和 z 弄混了：z 是送进神经元的加权和，a = σ(z) 是它的输出",
    "bias_forgotten": "忘了偏置：z = Σ w·a + b",
    "term_missing": "和里漏了一项：每条输入边都要算",
    "weights_transposed": "权重的行和列弄反了：第 j 行是送进神经元 j 的权重",
    "gain_of_a": "σ' 用了 a 而不是 z",
    "half_forgotten": "漏了 l = ½ Σ (y − ŷ)² 里的 ½",
    "gradient_ascent": "走反了方向：w ← w − η·∂L/∂w 是减",
    "path_missing": "漏了一条路径：每条到输出的路径上的乘积都要加起来（情形二）",
}


def _pick(english: dict, chinese: dict, key: str) -> str:
    from bptui.i18n import language

    return (chinese if language() == "zh" else english).get(key) or english[key]


def phase_title(phase: str) -> str:
    return _pick(PHASE_TITLES, PHASE_TITLES_ZH, phase)


def phase_name(phase: str) -> str:
    return _pick(PHASE_NAMES, PHASE_NAMES_ZH, phase)


def rule_hint(kind: str) -> str:
    return _pick(RULE_HINTS, RULE_HINTS_ZH, kind)


def mistake(key: str) -> str:
    return _pick(MISTAKES, MISTAKES_ZH, key)

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
    "dl_dz.hidden": "The op-amp: ∂l/∂z = σ'(z)·∂l/∂a, the gain times the weighted sum.",
    "dl_dw": "∂l/∂w = ∂z/∂w · ∂l/∂z, and ∂z/∂w is the input on the weight's edge.",
    "dl_db": "∂z/∂b = 1, so ∂l/∂b = ∂l/∂z.",
    "total": "L = Σₙ lⁿ, so ∂L/∂w = Σₙ ∂lⁿ/∂w: add the samples' gradients.",
    "update": "w ← w − η·∂L/∂w: a step against the gradient.",
    "value": "Put the values of its inputs into the node's formula.",
    "local": "Differentiate the node's formula by this one input, holding the others fixed.",
    "chain": "Case 2: for every path to the output, multiply the local derivatives along it; then "
    "add the paths. Case 1 is a single path: dz/dx = dz/dy · dy/dx.",
}

# The mistakes the tutor can name (bptui.mistakes computes the value each gives), and how it
# explains each. {term} is the term of a sum it concerns, as written on the card.
MISTAKES = {
    "bias_forgotten": "the bias was left out: z = Σ w·a + b",
    "term_missing": "the term {term} is missing from the sum",
    "term_sign": "the term {term} has the wrong sign: keep the minus signs in it",
    "z_for_a_inputs": "the z's of the layer before were used: the inputs on the edges are their a = σ(z)",
    "z_for_a_term": "in {term} the z of the unit before was used: the input on an edge is its a = σ(z)",
    "weights_transposed": "row and column of the weights swapped: wⱼₖ is the weight from unit k into neuron j",
    "a_for_z": "a and z mixed up: z is the weighted sum going in, a = σ(z) comes out",
    "sigmoid_sign": "that is σ(−z): σ(z) = 1 / (1 + e^−z), with a minus in the exponent",
    "softmax_not_normalised": "e^z was not divided by the sum: yⱼ = e^zⱼ / Σₖ e^zₖ",
    "half_forgotten": "the ½ in l = ½ Σ (y − ŷ)² was left out",
    "output_left_out": "the term {term} is missing: the loss adds up every output",
    "ce_sign": "the sign is flipped: l = −Σ ŷ ln y, which is positive",
    "ce_wrong_class": "that is −{term}, the loss of a class that is not the target: only ŷ = 1 counts",
    "ce_every_class": "every class was counted: l = −Σ ŷ ln y keeps only the target's term",
    "dl_dy_sign": "the sign of (y − ŷ) is flipped: output minus target, not target minus output",
    "dl_dy_doubled": "the 2 from the square cancels the ½: ∂l/∂y = y − ŷ, not 2(y − ŷ)",
    "value_for_derivative": "that is the value itself, not its derivative",
    "sigma_for_gain": "the activation's value was used where its derivative belongs: σ(z) = a, not σ'(z)",
    "one_minus_a": "only (1 − a): σ'(z) = a·(1 − a) needs the factor a too",
    "square_dropped": "the square was dropped: tanh'(z) = 1 − a²",
    "gain_from_z": "z was put where a belongs: the gain is worked from a = σ(z), the neuron's output",
    "gain_of_a": "σ' was taken of a instead of z",
    "gain_left_out": "σ'(z) left out: the op-amp multiplies by its gain σ'(z)",
    "gain_twice": "the gain σ'(z) was applied twice",
    "weights_into": "the weights into this neuron were used: the op-amp takes the weights on the edges out of it",
    "gain_too_early": "that already has the gain σ'(z) in it: ∂l/∂a is what goes into the op-amp, before the gain",
    "weight_for_input": "that is w·∂l/∂z: ∂z/∂w is the input on the edge, not the weight",
    "own_a_for_input": "the neuron's own a was used: ∂z/∂w is the input on the edge, from the unit before",
    "z_for_a_input": "the z of the unit before was used: the input on the edge is its a = σ(z)",
    "input_left_out": "that is ∂l/∂z alone: multiply it by ∂z/∂w, the input on the edge",
    "bias_times_delta": "∂z/∂b = 1, not b: ∂l/∂b = ∂l/∂z",
    "local_for_chain": "that is ∂z/∂b = 1: multiply it by ∂l/∂z",
    "sample_missing": "a sample is left out: ∂L/∂w = Σₙ ∂lⁿ/∂w adds {term} too",
    "sample_sign": "{term} has the wrong sign in the sum over the samples",
    "mean_not_sum": "that is the mean: L = Σₙ lⁿ is a sum, so ∂L/∂w adds the samples' gradients",
    "gradient_ascent": "the step went uphill: w ← w − η·∂L/∂w subtracts",
    "unchanged": "that is the value before the step: w ← w − η·∂L/∂w moves it, even if only a little",
    "rate_forgotten": "the learning rate η was left out: w ← w − η·∂L/∂w",
    "change_only": "that is only the change −η·∂L/∂w: add it to the old value",
    "path_missing": "the path {term} is missing: add the products along every path to the output (case 2)",
    "added_along_path": "the derivatives along a path were added: along a path they multiply",
    "multiplied_paths": "the paths were multiplied: the products along the paths are added (case 2)",
    "chain_stopped": "only the local derivatives were used: multiply each by the derivative of the output by the node it leads to",
    # from earlier versions' progress files
    "sign_flipped": "the sign of (y − ŷ) is flipped: output minus target, not target minus output",
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
    "dl_dz.hidden": "运算放大器：∂l/∂z = σ'(z)·∂l/∂a，增益乘上加权和。",
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
    "bias_forgotten": "漏了偏置：z = Σ w·a + b",
    "term_missing": "和里漏了 {term} 这一项",
    "term_sign": "{term} 这一项的正负号错了：保留其中的负号",
    "z_for_a_inputs": "用了前一层的 z：边上的输入是它们的 a = σ(z)",
    "z_for_a_term": "{term} 里用了前一个神经元的 z：边上的输入是它的 a = σ(z)",
    "weights_transposed": "权重的行和列弄反了：wⱼₖ 是从 k 送进神经元 j 的权重",
    "a_for_z": "a 和 z 弄混了：z 是送进神经元的加权和，a = σ(z) 是它的输出",
    "sigmoid_sign": "这是 σ(−z)：σ(z) = 1 / (1 + e^−z)，指数里有负号",
    "softmax_not_normalised": "e^z 没有除以总和：yⱼ = e^zⱼ / Σₖ e^zₖ",
    "half_forgotten": "漏了 l = ½ Σ (y − ŷ)² 里的 ½",
    "output_left_out": "漏了 {term} 这一项：loss 要把每个输出都加起来",
    "ce_sign": "正负号反了：l = −Σ ŷ ln y，是正数",
    "ce_wrong_class": "这是 −{term}，不是目标类别的 loss：只有 ŷ = 1 的那一项算数",
    "ce_every_class": "把每个类别都算进去了：l = −Σ ŷ ln y 只留下目标类别那一项",
    "dl_dy_sign": "(y − ŷ) 的正负号反了：是输出减目标，不是目标减输出",
    "dl_dy_doubled": "平方带来的 2 和 ½ 约掉了：∂l/∂y = y − ŷ，不是 2(y − ŷ)",
    "value_for_derivative": "这是值本身，不是它的微分",
    "sigma_for_gain": "该用微分的地方用了 activation 的值：是 σ'(z)，不是 σ(z) = a",
    "one_minus_a": "只算了 (1 − a)：σ'(z) = a·(1 − a) 还要乘上 a",
    "square_dropped": "漏了平方：tanh'(z) = 1 − a²",
    "gain_from_z": "该用 a 的地方用了 z：增益要用神经元的输出 a = σ(z) 来算",
    "gain_of_a": "σ' 用了 a 而不是 z",
    "gain_left_out": "漏了 σ'(z)：op-amp 要乘上它的增益 σ'(z)",
    "gain_twice": "增益 σ'(z) 乘了两次",
    "weights_into": "用了送进这个神经元的权重：op-amp 用的是从它连出去的边上的权重",
    "gain_too_early": "这已经乘过增益 σ'(z) 了：∂l/∂a 是送进 op-amp 的值，还没乘增益",
    "weight_for_input": "这是 w·∂l/∂z：∂z/∂w 是这条边上的输入，不是权重",
    "own_a_for_input": "用了这个神经元自己的 a：∂z/∂w 是这条边上、来自前一个神经元的输入",
    "z_for_a_input": "用了前一个神经元的 z：边上的输入是它的 a = σ(z)",
    "input_left_out": "这只是 ∂l/∂z：还要乘上 ∂z/∂w，也就是边上的输入",
    "bias_times_delta": "∂z/∂b = 1，不是 b：∂l/∂b = ∂l/∂z",
    "local_for_chain": "这是 ∂z/∂b = 1：还要乘上 ∂l/∂z",
    "sample_missing": "漏了一笔 data：∂L/∂w = Σₙ ∂lⁿ/∂w 也要加上 {term}",
    "sample_sign": "对 data 求和时 {term} 的正负号错了",
    "mean_not_sum": "这是平均：L = Σₙ lⁿ 是总和，所以 ∂L/∂w 要把每笔 data 的梯度加起来",
    "gradient_ascent": "走反了方向：w ← w − η·∂L/∂w 是减",
    "unchanged": "这是更新之前的值：w ← w − η·∂L/∂w 会让它变，哪怕只变一点",
    "rate_forgotten": "漏了学习率 η：w ← w − η·∂L/∂w",
    "change_only": "这只是变化量 −η·∂L/∂w：还要加到原来的值上",
    "path_missing": "漏了 {term} 这条路径：每条到输出的路径上的乘积都要加起来（情形二）",
    "added_along_path": "沿着路径把微分加起来了：同一条路径上要相乘",
    "multiplied_paths": "把各条路径乘起来了：各条路径上的乘积要相加（情形二）",
    "chain_stopped": "只用了局部的微分：每个都还要乘上输出对它所连到的节点的微分",
    "sign_flipped": "(y − ŷ) 的正负号反了：是输出减目标，不是目标减输出",
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


def mistake(key: str, term: str = "") -> str:
    """How the tutor explains a known mistake; {term} names the term of a sum it concerns."""
    return _pick(MISTAKES, MISTAKES_ZH, key).replace("{term}", term or "…")

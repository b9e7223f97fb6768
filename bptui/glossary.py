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
}

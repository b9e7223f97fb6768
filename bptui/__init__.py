"""bptui: learn backpropagation by doing it, one neuron at a time."""

__version__ = "0.1.0"

"""A tiny scalar reverse-mode autograd, independent of bptui's engine (micrograd's idea).

Used only by the tests, to check the engine's gradients to 1e-9. Children are kept in tuples so the
order is the same every run.
"""

from __future__ import annotations

import math


class Value:
    def __init__(self, data: float, children: tuple = (), local: tuple = ()):
        self.data = float(data)
        self.grad = 0.0
        self.children = children  # the Values this one was computed from
        self.local = local  # ∂self/∂child, one per child

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (1.0, 1.0))

    __radd__ = __add__

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data))

    __rmul__ = __mul__

    def __neg__(self):
        return self * -1.0

    def __sub__(self, other):
        return self + (-other if isinstance(other, Value) else Value(-other))

    def exp(self):
        e = math.exp(self.data)
        return Value(e, (self,), (e,))

    def log(self):
        return Value(math.log(self.data), (self,), (1.0 / self.data,))

    def sigmoid(self):
        s = 1.0 / (1.0 + math.exp(-self.data))
        return Value(s, (self,), (s * (1.0 - s),))

    def tanh(self):
        t = math.tanh(self.data)
        return Value(t, (self,), (1.0 - t * t,))

    def relu(self):
        return Value(max(self.data, 0.0), (self,), (1.0 if self.data > 0 else 0.0,))

    def backward(self) -> None:
        order, seen = [], set()

        def visit(v):
            if id(v) not in seen:
                seen.add(id(v))
                for child in v.children:
                    visit(child)
                order.append(v)

        visit(self)
        self.grad = 1.0
        for v in reversed(order):
            for child, local in zip(v.children, v.local, strict=True):
                child.grad += local * v.grad


def lesson_gradients(lesson):
    """Total loss and ∂L/∂W, ∂L/∂b of a lesson, by scalar autograd."""
    weights = [[[Value(w) for w in row] for row in layer.weights] for layer in lesson.layers]
    biases = [[Value(b) for b in layer.biases] for layer in lesson.layers]
    total = Value(0.0)
    for sample in lesson.samples:
        a = [Value(x) for x in sample.x]
        z = a
        for layer, w, b in zip(lesson.layers, weights, biases, strict=True):
            z = [
                sum((wjk * ak for wjk, ak in zip(row, a, strict=True)), bj)
                for row, bj in zip(w, b, strict=True)
            ]
            if layer.activation == "softmax":
                a = z  # cross-entropy works on z directly below
            else:
                a = [
                    getattr(v, layer.activation)() if layer.activation != "linear" else v for v in z
                ]
        if lesson.loss == "cross_entropy":
            top = max(v.data for v in z)
            log_norm = sum((v - top).exp() for v in z).log() + top
            total = total + sum(
                (-t) * (v - log_norm) for v, t in zip(z, sample.target, strict=True)
            )
        else:
            total = total + 0.5 * sum(
                (y - t) * (y - t) for y, t in zip(a, sample.target, strict=True)
            )
    total.backward()
    grads_w = [[[w.grad for w in row] for row in layer] for layer in weights]
    grads_b = [[b.grad for b in layer] for layer in biases]
    return total.data, grads_w, grads_b

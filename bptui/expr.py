"""Safe arithmetic: numbers, names, + − * / ^, parentheses and a few functions. Never eval.

Used for the learner's answers ("0.98*(1-0.98)", "2·0.98 − 0.12", "３/４", "0,5") and, with names,
anywhere a lesson needs a formula. Input is bounded in length, nesting and exponent size, so no
answer can hang or crash the tutor.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping

MAX_LENGTH = 200
MAX_DEPTH = 40
MAX_EXPONENT = 1000

FUNCTIONS = {
    "exp": math.exp,
    "log": math.log,
    "ln": math.log,
    "sin": math.sin,
    "cos": math.cos,
    "tanh": math.tanh,
    "sigmoid": lambda x: 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x)),
    "σ": lambda x: FUNCTIONS["sigmoid"](x),
    "relu": lambda x: max(x, 0.0),
    "sqrt": math.sqrt,
}


class ExprError(ValueError):
    """An expression that cannot be read or evaluated; the message says why, briefly."""


_TOKEN = re.compile(
    r"\s*(?:(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<name>[A-Za-z_σ][A-Za-z_0-9]*)"
    r"|(?P<op>\*\*|[-+*/^()]))"
)
_REPLACEMENTS = {"−": "-", "–": "-", "×": "*", "·": "*", "⋅": "*", "÷": "/", "²": "^2", "³": "^3"}


def normalize(text: str) -> str:
    """Unicode minus and times, full-width digits, a decimal comma: all to ASCII arithmetic."""
    for old, new in _REPLACEMENTS.items():
        text = text.replace(old, new)
    text = unicodedata.normalize("NFKC", text)
    return text.replace(",", ".").strip()


def parse(text: str) -> tuple:
    """The expression tree of `text` (nested tuples)."""
    text = normalize(text)
    if not text:
        raise ExprError("type a number or a calculation")
    if len(text) > MAX_LENGTH:
        raise ExprError(f"too long (at most {MAX_LENGTH} characters)")
    tokens = []
    at = 0
    while at < len(text):
        match = _TOKEN.match(text, at)
        if not match or match.end() == at:
            if text[at:].strip() == "":
                break
            raise ExprError(f"cannot read '{text[at:].strip()[:10]}'")
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
        at = match.end()
    parser = _Parser(tokens)
    tree = parser.expression(0)
    if parser.at < len(tokens):
        raise ExprError(f"unexpected '{tokens[parser.at][1]}'")
    return tree


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens = tokens
        self.at = 0

    def peek(self) -> str | None:
        return self.tokens[self.at][1] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        if self.at >= len(self.tokens):
            raise ExprError("incomplete: something is missing at the end")
        token = self.tokens[self.at]
        self.at += 1
        return token

    def expression(self, depth: int) -> tuple:
        if depth > MAX_DEPTH:
            raise ExprError("nested too deeply")
        tree = self.term(depth)
        while self.peek() in ("+", "-"):
            op = self.take()[1]
            tree = ("bin", op, tree, self.term(depth))
        return tree

    def term(self, depth: int) -> tuple:
        tree = self.unary(depth)
        while self.peek() in ("*", "/"):
            op = self.take()[1]
            tree = ("bin", op, tree, self.unary(depth))
        return tree

    def unary(self, depth: int) -> tuple:
        if self.peek() in ("-", "+"):
            op = self.take()[1]
            if depth > MAX_DEPTH:
                raise ExprError("nested too deeply")
            operand = self.unary(depth + 1)
            return ("neg", operand) if op == "-" else operand
        return self.power(depth)

    def power(self, depth: int) -> tuple:
        base = self.atom(depth)
        if self.peek() in ("^", "**"):
            self.take()
            return ("bin", "^", base, self.unary(depth + 1))
        return base

    def atom(self, depth: int) -> tuple:
        kind, text = self.take()
        if kind == "number":
            return ("num", _finite(float(text)))
        if kind == "name":
            if self.peek() == "(":
                if text not in FUNCTIONS:
                    raise ExprError(f"unknown function '{text}'")
                self.take()
                inner = self.expression(depth + 1)
                self.close()
                return ("call", text, inner)
            return ("name", text)
        if text == "(":
            inner = self.expression(depth + 1)
            self.close()
            return inner
        raise ExprError(f"unexpected '{text}'")

    def close(self) -> None:
        if self.peek() != ")":
            raise ExprError("a parenthesis is not closed")
        self.take()


def evaluate(tree: tuple, names: Mapping[str, float] | None = None) -> float:
    names = names or {}
    kind = tree[0]
    if kind == "num":
        return tree[1]
    if kind == "name":
        if tree[1] not in names:
            raise ExprError(f"unknown name '{tree[1]}'")
        return names[tree[1]]
    if kind == "neg":
        return -evaluate(tree[1], names)
    if kind == "call":
        argument = evaluate(tree[2], names)
        try:
            return _finite(FUNCTIONS[tree[1]](argument))
        except (ValueError, OverflowError):
            raise ExprError(f"{tree[1]}({argument:g}) is not defined") from None
    _, op, left, right = tree
    a, b = evaluate(left, names), evaluate(right, names)
    if op == "+":
        return _finite(a + b)
    if op == "-":
        return _finite(a - b)
    if op == "*":
        return _finite(a * b)
    if op == "/":
        if b == 0:
            raise ExprError("division by zero")
        return _finite(a / b)
    if abs(b) > MAX_EXPONENT:
        raise ExprError(f"exponent too large (at most {MAX_EXPONENT})")
    try:
        return _finite(a**b if not (a < 0 and b != int(b)) else math.nan)
    except (OverflowError, ZeroDivisionError):
        raise ExprError("the result is too large") from None


def _finite(value: float) -> float:
    if isinstance(value, complex) or math.isnan(value):
        raise ExprError("not a real number")
    if math.isinf(value):
        raise ExprError("the result is too large")
    return float(value)


def calculate(text: str) -> float:
    """The value of an answer such as '0.98*(1-0.98)'."""
    return evaluate(parse(text))

"""Safe arithmetic: numbers, names, + − * / ^, parentheses and a few functions. Never eval.

Used for the learner's answers ("0.98*(1-0.98)", "2·0.98 − 0.12", "３/４", "0,5") and, with names,
anywhere a lesson needs a formula. Input is bounded in length, nesting and exponent size, so no
answer can hang or crash the tutor.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping

from bptui.i18n import t

MAX_LENGTH = 200
MAX_DEPTH = 40
MAX_EXPONENT = 1000

FUNCTIONS = {
    "exp": math.exp,
    "log": math.log,
    "ln": math.log,
    "log10": math.log10,
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


@functools.cache
def _token() -> re.Pattern:
    """A number, a name or an operator (compiled when first needed: not on the way to the
    tutor's first frame)."""
    return re.compile(
        r"\s*(?:(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<name>[A-Za-z_σπ][A-Za-z_0-9]*)"
        r"|(?P<op>\*\*|[-+*/^()]))"
    )


@functools.cache
def _superscript() -> re.Pattern:
    """A power written with superscripts: "⁻²"."""
    return re.compile("[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+")


_REPLACEMENTS = {
    "−": "-",
    "–": "-",
    "×": "*",
    "·": "*",
    "⋅": "*",
    "÷": "/",
    "⁄": "/",
    "½": "(1/2)",
    "¼": "(1/4)",
    "¾": "(3/4)",
    "[": "(",
    "]": ")",
}  # as on the cards
_FROM_SUPERSCRIPT = str.maketrans("⁻⁺⁰¹²³⁴⁵⁶⁷⁸⁹", "-+0123456789")
CONSTANTS = {"e": math.e, "pi": math.pi, "π": math.pi}


def normalize(text: str) -> str:
    """Unicode minus and times, superscript powers, full-width digits, a decimal comma: all to
    ASCII arithmetic. A superscript is a power ("0.9⁸" is 0.9^8), never a digit."""
    import unicodedata  # only when an answer is read: not on the way to the first frame

    for old, new in _REPLACEMENTS.items():
        text = text.replace(old, new)
    text = _superscript().sub(lambda m: "^(" + m.group().translate(_FROM_SUPERSCRIPT) + ")", text)
    text = unicodedata.normalize("NFKC", text)
    return text.replace(",", ".").strip()


def parse(text: str) -> tuple:
    """The expression tree of `text` (nested tuples)."""
    text = normalize(text)
    if not text:
        raise ExprError(t("expr.empty"))
    if len(text) > MAX_LENGTH:
        raise ExprError(t("expr.too_long", n=MAX_LENGTH))
    tokens = []
    at = 0
    while at < len(text):
        match = _token().match(text, at)
        if not match or match.end() == at:
            if text[at:].strip() == "":
                break
            raise ExprError(t("expr.cannot_read", text=text[at:].strip()[:10]))
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
        at = match.end()
    parser = _Parser(tokens)
    tree = parser.expression(0)
    if parser.at < len(tokens):
        raise ExprError(t("expr.unexpected", text=tokens[parser.at][1]))
    return tree


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens = tokens
        self.at = 0

    def peek(self) -> str | None:
        return self.tokens[self.at][1] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        if self.at >= len(self.tokens):
            raise ExprError(t("expr.incomplete"))
        token = self.tokens[self.at]
        self.at += 1
        return token

    def expression(self, depth: int) -> tuple:
        if depth > MAX_DEPTH:
            raise ExprError(t("expr.nested"))
        tree = self.term(depth)
        while self.peek() in ("+", "-"):
            op = self.take()[1]
            tree = ("bin", op, tree, self.term(depth))
        return tree

    def term(self, depth: int) -> tuple:
        tree = self.unary(depth)
        while self.peek() in ("*", "/", "("):
            op = "*" if self.peek() == "(" else self.take()[1]  # 0.98(1 − 0.98): a product
            tree = ("bin", op, tree, self.unary(depth))
        return tree

    def unary(self, depth: int) -> tuple:
        if self.peek() in ("-", "+"):
            op = self.take()[1]
            if depth > MAX_DEPTH:
                raise ExprError(t("expr.nested"))
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
                    raise ExprError(t("expr.unknown_function", name=text))
                self.take()
                inner = self.expression(depth + 1)
                self.close()
                return ("call", text, inner)
            if text in FUNCTIONS and self.at < len(self.tokens) and self.tokens[self.at][0] != "op":
                return ("call", text, self.power(depth + 1))  # "ln 0.32", as the cards write it
            return ("name", text)
        if text == "(":
            inner = self.expression(depth + 1)
            self.close()
            return inner
        raise ExprError(t("expr.unexpected", text=text))

    def close(self) -> None:
        if self.peek() != ")":
            raise ExprError(t("expr.unclosed"))
        self.take()


def evaluate(tree: tuple, names: Mapping[str, float] | None = None) -> float:
    names = names or {}
    kind = tree[0]
    if kind == "num":
        return tree[1]
    if kind == "name":
        if tree[1] in names:
            return names[tree[1]]
        if tree[1] in CONSTANTS:
            return CONSTANTS[tree[1]]
        raise ExprError(t("expr.unknown_name", name=tree[1]))
    if kind == "neg":
        return -evaluate(tree[1], names)
    if kind == "call":
        argument = evaluate(tree[2], names)
        try:
            return _finite(FUNCTIONS[tree[1]](argument))
        except (ValueError, OverflowError):
            raise ExprError(t("expr.undefined", call=f"{tree[1]}({argument:g})")) from None
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
            raise ExprError(t("expr.division"))
        return _finite(a / b)
    if abs(b) > MAX_EXPONENT:
        raise ExprError(t("expr.exponent", n=MAX_EXPONENT))
    try:
        return _finite(a**b if not (a < 0 and b != int(b)) else math.nan)
    except (OverflowError, ZeroDivisionError):
        raise ExprError(t("expr.too_large")) from None


def _finite(value: float) -> float:
    if isinstance(value, complex) or math.isnan(value):
        raise ExprError(t("expr.not_real"))
    if math.isinf(value):
        raise ExprError(t("expr.too_large"))
    return float(value)


def calculate(text: str) -> float:
    """The value of an answer such as '0.98*(1-0.98)'."""
    return evaluate(parse(text))


# --- names, derivatives and printing, for chain-rule graph lessons ---


def names_in(tree: tuple) -> tuple[str, ...]:
    """The names an expression uses, in order of first appearance (a tuple: the order is fixed)."""
    kind = tree[0]
    if kind == "name":
        return (tree[1],)
    if kind == "num":
        return ()
    found: list[str] = []
    for child in tree[2:] if kind == "bin" else tree[1:] if kind == "neg" else tree[2:]:
        for name in names_in(child):
            if name not in found:
                found.append(name)
    return tuple(found)


def _num(value: float) -> tuple:
    return ("num", float(value))


def _is(tree: tuple, value: float) -> bool:
    return tree[0] == "num" and tree[1] == value


def _bin(op: str, a: tuple, b: tuple) -> tuple:
    """Build a ⊕ b, folding what a reader would fold: 0 + x, 1·x, x^1, constants."""
    if a[0] == "num" and b[0] == "num" and op != "/":
        return _num(evaluate(("bin", op, a, b)))
    if op == "+":
        return b if _is(a, 0) else a if _is(b, 0) else ("bin", "+", a, b)
    if op == "-":
        return a if _is(b, 0) else _neg(b) if _is(a, 0) else ("bin", "-", a, b)
    if op == "*":
        if _is(a, 0) or _is(b, 0):
            return _num(0)
        return b if _is(a, 1) else a if _is(b, 1) else ("bin", "*", a, b)
    if op == "/":
        return a if _is(b, 1) else _num(0) if _is(a, 0) else ("bin", "/", a, b)
    return a if _is(b, 1) else ("bin", "^", a, b)


def _neg(a: tuple) -> tuple:
    if a[0] == "num":
        return _num(-a[1])
    return a[1] if a[0] == "neg" else ("neg", a)


def _call(name: str, a: tuple) -> tuple:
    return ("call", name, a)


# One rule a line: d f(u) / du, as an expression in u.
_CALL_RULES = {
    "exp": lambda u: _call("exp", u),
    "log": lambda u: _bin("/", _num(1), u),
    "ln": lambda u: _bin("/", _num(1), u),
    "log10": lambda u: _bin("/", _num(1), _bin("*", _num(math.log(10)), u)),
    "sin": lambda u: _call("cos", u),
    "cos": lambda u: _neg(_call("sin", u)),
    "tanh": lambda u: _bin("-", _num(1), _bin("^", _call("tanh", u), _num(2))),
    "sigmoid": lambda u: _bin("*", _call("sigmoid", u), _bin("-", _num(1), _call("sigmoid", u))),
    "σ": lambda u: _bin("*", _call("σ", u), _bin("-", _num(1), _call("σ", u))),
    "relu": lambda u: _call("step", u),
    "sqrt": lambda u: _bin("/", _num(1), _bin("*", _num(2), _call("sqrt", u))),
    "step": lambda u: _num(0),
}
FUNCTIONS["step"] = lambda x: 1.0 if x > 0 else 0.0  # relu' (0 at 0, as everywhere in bptui)


def derivative(tree: tuple, name: str) -> tuple:
    """∂tree/∂name as an expression tree."""
    kind = tree[0]
    if kind == "num":
        return _num(0)
    if kind == "name":
        return _num(1 if tree[1] == name else 0)
    if kind == "neg":
        return _neg(derivative(tree[1], name))
    if kind == "call":
        inner = derivative(tree[2], name)
        return _bin("*", _CALL_RULES[tree[1]](tree[2]), inner)
    _, op, a, b = tree
    da, db = derivative(a, name), derivative(b, name)
    if op in "+-":
        return _bin(op, da, db)
    if op == "*":
        return _bin("+", _bin("*", da, b), _bin("*", a, db))
    if op == "/":
        top = _bin("-", _bin("*", da, b), _bin("*", a, db))
        return _bin("/", top, _bin("^", b, _num(2)))
    if name not in names_in(b):  # a^c with a constant exponent
        return _bin("*", _bin("*", b, _bin("^", a, _bin("-", b, _num(1)))), da)
    return _bin(
        "*", tree, _bin("+", _bin("*", db, _call("log", a)), _bin("/", _bin("*", b, da), a))
    )


_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "^": 4}
_SHOW_OP = {"+": " + ", "-": " − ", "*": "·", "/": "/", "^": "^"}


def to_text(tree: tuple, values: Mapping[str, str] | None = None, parent: int = 0) -> str:
    """Write an expression as on a blackboard; with `values`, names are replaced by numbers."""
    kind = tree[0]
    if kind == "num":
        text = f"{tree[1]:.10g}".replace("-", "−")
        return f"({text})" if text.startswith("−") and parent else text
    if kind == "name":
        text = values[tree[1]] if values and tree[1] in values else tree[1]
        return f"({text})" if text.startswith("−") and parent else text
    if kind == "neg":
        text = "−" + to_text(tree[1], values, 3)
        return f"({text})" if parent else text
    if kind == "call":
        return f"{tree[1]}({to_text(tree[2], values, 0)})"
    _, op, a, b = tree
    level = _PRECEDENCE[op]
    left = to_text(a, values, level + (1 if op == "^" else 0))
    right = to_text(b, values, level + (0 if op == "^" else 1 if op in "-/" else 0))
    text = left + _SHOW_OP[op] + right
    return f"({text})" if level < parent else text

"""How numbers and symbols are written: the one place that rounds for display.

The tutor, the key and the answer checker all round through `shown`, so "the value on screen" means
the same thing everywhere.
"""

from __future__ import annotations

import math

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")

# Tiny values keep this many significant digits even when `decimals` would round them to 0.00.
MIN_SIGNIFICANT = 2
MAX_PLACES = 12


def sub(index: int | str) -> str:
    """Subscript digits: sub(12) == '₁₂'."""
    return str(index).translate(_SUBSCRIPTS)


def sup(index: int | str) -> str:
    return str(index).translate(_SUPERSCRIPTS)


DERIVATIVES = {"sigmoid": "σ'", "tanh": "tanh'", "relu": "relu'", "linear": "linear'"}


def derivative_name(activation: str) -> str:
    """How an activation's derivative is written: σ', tanh', relu' (the op-amp's gain)."""
    return DERIVATIVES.get(activation, f"{activation}'")


def pair(j: int, k: int) -> str:
    """A weight's two indices as a subscript; a comma keeps w₁₂,₃ unambiguous past 9."""
    return sub(j) + ("," if j > 9 or k > 9 else "") + sub(k)


def name_with_subscript(name: str) -> str:
    """'x1' -> 'x₁': trailing digits of an input name become a subscript."""
    stem = name.rstrip("0123456789")
    return stem + sub(name[len(stem) :]) if stem and stem != name else name


def significant(value: float, places: int) -> int:
    """The significant digits of a number written with `places` decimals (0.10: 2; 0.004: 1)."""
    if value == 0 or not math.isfinite(value):
        return 0
    return places + math.floor(math.log10(abs(value))) + 1


def places(value: float, decimals: int) -> int:
    """Decimal places used to show `value`: `decimals`, more for tiny values."""
    if value == 0 or not math.isfinite(value):
        return decimals
    needed = MIN_SIGNIFICANT - 1 - math.floor(math.log10(abs(value)))
    return min(max(decimals, needed), MAX_PLACES)


def rounded(value: float, ndigits: int) -> str:
    """`value` to `ndigits` places, as text, with no negative zero."""
    text = f"{value:.{ndigits}f}"
    if text.startswith("-") and text.strip("-0.") == "":
        text = text[1:]
    return text


def shown(value: float, decimals: int) -> str:
    """The text that stands for `value` on screen: rounded, trailing zeros dropped, a real minus."""
    text = rounded(value, places(value, decimals))
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace("-", "−")


def shown_at(value: float, places: int) -> str:
    """`value` at exactly `places` decimals, trailing zeros dropped, a real minus: "−0.046"."""
    text = rounded(value, places)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace("-", "−")


def read_shown(text: str) -> float:
    """The number a text made by `shown_at` or `shown` stands for."""
    return float(text.replace("−", "-"))


def same_at(a: float, b: float, places: int) -> bool:
    """Whether two numbers look the same on screen at `places` decimals (text, never float ==)."""
    return rounded(a, places) == rounded(b, places)


def agrees(answer: float, value: float, places: int) -> bool:
    """An answer agrees with a value at `places` decimals: it rounds to the same text, or it sits
    on the rounding boundary next to it — the same to one place more (0.0985 for 0.09846, asked to
    3 places: "0.098" or "0.099" is only a matter of how a 5 rounds), or the value is itself a
    half (0.5105, worked from numbers on screen: "0.510" and "0.511" are both roundings of it,
    whatever the float's last bit says). An answer typed as a half rounds half up, as the tutor
    teaches (0.2345 is 0.235, though the float 0.2345 lies a hair below)."""
    unit = 10.0**-places
    if on_half(answer, places):  # typed as a half: rounds half up, whatever the float says
        answer += math.copysign(unit * 1e-6, answer)
    if same_at(answer, value, places):
        return True
    near = abs(answer - value) <= 0.5 * unit * (1 + 1e-9)
    return near and (same_at(answer, value, places + 1) or on_half(value, places))


def on_half(value: float, places: int) -> bool:
    """Whether a value lies halfway between two numbers of `places` decimals (up to float noise)."""
    scaled = abs(value) * 10.0**places
    if not scaled < 1e15:  # beyond a float's decimals (or not finite): no half to speak of
        return False
    return abs(scaled - math.floor(scaled) - 0.5) < 1e-6


def apart(a: float, b: float, places: int) -> bool:
    """Two values no answer could agree with both of at `places` decimals, even rounded."""
    return not same_at(a, b, places) and abs(a - b) > 1.01 * 10.0**-places


def shown_value(value: float, decimals: int) -> float:
    """The number a learner reads on screen for `value`."""
    return float(shown(value, decimals).replace("−", "-"))


def operand(value: float, decimals: int) -> str:
    """A number inside a formula: negative numbers in parentheses, as on a blackboard."""
    text = shown(value, decimals)
    return f"({text})" if text.startswith("−") else text


def bracketed(text: str) -> str:
    """A shown number inside a formula: negative numbers in parentheses."""
    return f"({text})" if text.startswith("−") else text


def given(value: float) -> str:
    """A number from the lesson file, written exactly (no display rounding)."""
    text = f"{value:.10g}"
    return f"({text.replace('-', '−')})" if text.startswith("-") else text


def escape_markup(text: str) -> str:
    """Text shown as itself inside Rich or Textual markup: an opening bracket is not a tag, and a
    backslash never escapes the bracket after it (a zero-width space keeps them apart: Rich and
    Textual read a backslash before a bracket differently)."""
    return text.replace("\\", "\\\u200b").replace("[", r"\[")


def clean(text: str) -> str:
    """Untrusted text without control characters (an ESC would drive the terminal); a newline or
    tab stays."""
    return "".join(c for c in text if c in "\n\t" or not _is_control(c))


def safe(text: str) -> str:
    """Untrusted text ready for Rich or Textual markup: clean, then escaped."""
    return escape_markup(clean(text))


def _is_control(char: str) -> bool:
    code = ord(char)
    return code < 0x20 or 0x7F <= code < 0xA0


_WIDE = ((0x2E80, 0x9FFF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF), (0x3000, 0x303F))  # CJK, full-width


_CLOSING = set("。，、；：？！）」』》")


def _last_word(line: str) -> int:
    """Where the line's last word (or last wide character) begins."""
    if _wide(line[-1]):
        return len(line) - 1
    k = len(line)
    while k > 0 and not line[k - 1].isspace() and not _wide(line[k - 1]):
        k -= 1
    return k


def _wide(char: str) -> bool:
    return any(low <= ord(char) <= high for low, high in _WIDE)


def _tokens(text: str) -> list[str]:
    """A wide character each, a word, a run of spaces (by hand: the regex costs ~2 ms to compile,
    on the way to the first frame)."""
    tokens: list[str] = []
    kind = None
    for char in text:
        now = "space" if char.isspace() else "wide" if _wide(char) else "word"
        if now == kind and now != "wide":
            tokens[-1] += char
        else:
            tokens.append(char)
        kind = now
    return tokens


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` cells, broken at spaces or between Chinese characters (a word
    longer than a line is broken where it must). The text's own line breaks are kept, and an
    indented line (a matrix written out) is kept as it is, cut only where it must be."""
    from rich.cells import chop_cells

    out: list[str] = []
    for paragraph in text.split("\n"):
        if paragraph[:1].isspace():
            out += chop_cells(paragraph, width) if paragraph.strip() else [""]
        else:
            out += _wrap_line(paragraph, width) or [""]
    return out


def _wrap_line(text: str, width: int) -> list[str]:
    from rich.cells import cell_len, chop_cells

    lines, line, space = [], "", False
    for token in _tokens(text):
        if token.isspace():
            space = bool(line)
            continue
        joined = line + (" " if space else "") + token
        space = False
        if line and cell_len(joined) > width:
            carry = ""  # a closing 。，、 never starts a line: what it closes goes down with it
            if token in _CLOSING:
                cut = _last_word(line)
                if cut > 0:
                    line, carry = line[:cut].rstrip(), line[cut:]
            lines.append(line)
            joined = carry + token
        line = joined
        while cell_len(line) > width:  # a word wider than a line
            first = chop_cells(line, width)[0]
            lines.append(first)
            line = line[len(first) :]
    return [*lines, line] if line else lines

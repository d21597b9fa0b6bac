"""Go's formatting of decoded JSON values, as kubectl prints them.

kubectl's printers work on ``map[string]interface{}`` trees and print values with Go's ``fmt``
and ``encoding/json``; this module reproduces those byte for byte for the value types a
decoded object can hold (dict, list, str, int as int64, float as float64, bool, None).
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal


class GoByte(int):
    """A ``uint8``: what JSONPath yields when it iterates over a string (Go strings index bytes)."""


def _shortest(value: float) -> tuple[str, int]:
    """Shortest round-trip digits and the decimal point position (``0.d1d2... * 10**dp``),
    like strconv's shortest formatting (Python's repr is also shortest round-trip)."""
    _sign, digits, exponent = Decimal(repr(abs(value))).as_tuple()
    text = "".join(map(str, digits)).rstrip("0")
    if not text:
        return "0", 1
    # Decimal's digits times 10**exponent; the point sits len(digits) + exponent places in.
    return text, len(digits) + int(exponent)


def _format_e(sign: str, digits: str, dp: int, min_exp_digits: int = 2) -> str:
    exp = dp - 1
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    exp_sign = "-" if exp < 0 else "+"
    return f"{sign}{mantissa}e{exp_sign}{abs(exp):0{min_exp_digits}d}"


def _format_f(sign: str, digits: str, dp: int) -> str:
    if dp <= 0:
        return f"{sign}0.{'0' * -dp}{digits}"
    if dp >= len(digits):
        return f"{sign}{digits}{'0' * (dp - len(digits))}"
    return f"{sign}{digits[:dp]}.{digits[dp:]}"


def float_v(value: float) -> str:
    """``fmt.Sprint(float64)``: strconv 'g' with shortest digits; %e when the exponent is
    below -4 or at least 6 (strconv/ftoa.go uses eprec 6 for shortest), so 1e6 is ``1e+06``."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "+Inf" if value > 0 else "-Inf"
    sign = "-" if str(value).startswith("-") else ""
    digits, dp = _shortest(value)
    if dp - 1 < -4 or dp - 1 >= 6:
        return _format_e(sign, digits, dp)
    return _format_f(sign, digits, dp)


def float_json(value: float) -> str:
    """encoding/json's float64 encoding: 'f' unless |v| < 1e-6 or >= 1e21, then 'e' with a
    one-digit negative exponent cleaned up (``e-07`` -> ``e-7``), see encoding/json/encode.go."""
    sign = "-" if str(value).startswith("-") and value != 0 else ""
    digits, dp = _shortest(value)
    magnitude = abs(value)
    if magnitude != 0 and (magnitude < 1e-6 or magnitude >= 1e21):
        text = _format_e(sign, digits, dp)
        if text[-4] == "e" and text[-3] == "-" and text[-2] == "0":
            text = text[:-2] + text[-1]
        return text
    return _format_f(sign, digits, dp)


def is_print(char: str) -> bool:
    """Go's ``strconv.IsPrint``: letters, marks, numbers, punctuation, symbols and ASCII space."""
    return char == " " or unicodedata.category(char)[0] in "LMNPS"


_QUOTE_ESCAPES = {"\a": r"\a", "\b": r"\b", "\f": r"\f", "\n": r"\n", "\r": r"\r", "\t": r"\t"}
_QUOTE_ESCAPES["\v"] = r"\v"


def quote(text: str) -> str:
    """``strconv.Quote`` / ``%q``: Go-syntax double-quoted string."""
    out = ['"']
    for char in text:
        code = ord(char)
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif 0xD800 <= code <= 0xDFFF:
            out.append(r"\ufffd")
        elif is_print(char):
            out.append(char)
        elif char in _QUOTE_ESCAPES:
            out.append(_QUOTE_ESCAPES[char])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


def sprint(value: object) -> str:
    """``fmt.Sprint(v)`` (%v) of a decoded JSON value: maps as ``map[k:v]`` with sorted keys,
    lists as ``[a b]``, nil as ``<nil>``."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return float_v(value)
    if isinstance(value, dict):
        items = " ".join(f"{key}:{sprint(value[key])}" for key in sorted(value))
        return f"map[{items}]"
    if isinstance(value, list):
        return "[" + " ".join(sprint(item) for item in value) + "]"
    return str(value)


def go_syntax(value: object, top: bool = True) -> str:
    """``%#v`` of a decoded JSON value (kubectl dumps the object this way on template errors)."""
    if value is None:
        return "interface {}(nil)" if not top else "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, GoByte):
        return f"0x{int(value):x}"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return float_v(value)
    if isinstance(value, dict):
        items = ", ".join(f"{quote(k)}:{go_syntax(value[k], False)}" for k in sorted(value))
        return "map[string]interface {}{" + items + "}"
    if isinstance(value, list):
        return "[]interface {}{" + ", ".join(go_syntax(v, False) for v in value) + "}"
    return str(value)


_JSON_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Go 1.22+ escapes \b and \f by name; <, >, & are HTML-escaped by json.Marshal.
_JSON_ESCAPES.update({"\b": "\\b", "\f": "\\f", "<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})
_JSON_ESCAPES.update({"\u2028": "\\u2028", "\u2029": "\\u2029"})


def json_string(text: str) -> str:
    """A JSON string as Go's encoding/json writes it (HTML-safe, lowercase \\u00xx)."""
    out = ['"']
    for char in text:
        code = ord(char)
        if char in _JSON_ESCAPES:
            out.append(_JSON_ESCAPES[char])
        elif code < 0x20:
            out.append(f"\\u{code:04x}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\\ufffd")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def marshal(value: object, indent: str | None = None, level: int = 0) -> str:
    """``json.Marshal`` (indent None) or ``json.MarshalIndent(v, "", indent)``: keys sorted,
    empty containers stay ``{}`` / ``[]``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json_string(value)
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return float_json(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        parts = [
            json_string(key)
            + (": " if indent is not None else ":")
            + marshal(value[key], indent, level + 1)
            for key in sorted(value)
        ]
        return _wrap("{", "}", parts, indent, level)
    if isinstance(value, list):
        if not value:
            return "[]"
        return _wrap("[", "]", [marshal(item, indent, level + 1) for item in value], indent, level)
    return "null"


def _wrap(open_: str, close: str, parts: list[str], indent: str | None, level: int) -> str:
    if indent is None:
        return open_ + ",".join(parts) + close
    inner = "\n" + indent * (level + 1)
    return open_ + inner + ("," + inner).join(parts) + "\n" + indent * level + close

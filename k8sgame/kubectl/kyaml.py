"""``-o kyaml``: KYAML, the strict YAML dialect kubectl 1.35 prints (``sigs.k8s.io/yaml/kyaml``).

Every document starts with ``---``; maps and lists are in braces and brackets with a trailing
comma after each entry, two spaces a level; values that are strings are always in double
quotes, keys only when a YAML reader could take them for something else; a list of maps or
lists is "cuddled" (``[{`` ... ``}, {`` ... ``}]``); a string with line breaks is folded, one
source line per output line."""

from __future__ import annotations

import json
import re
from typing import Any

INDENT = "  "
FOLD = "\\\n"  # YAML line folding inside a double-quoted scalar
ESCAPES = {
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\r": "\\r",
    "\v": "\\v",
    "\x00": "\\0",
    "\x1b": "\\e",
    "\x85": "\\N",
    "\xa0": "\\_",
    "\u2028": "\\L",
    "\u2029": "\\P",
}
# Words YAML 1.1 reads as null or bool (kyaml yamlGuessesWrong), and strconv.ParseBool's.
NOT_STRINGS = {"null", "~", "", "true", "y", "yes", "on", "false", "n", "no", "off"}
PARSE_BOOL = {"1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"}
SPECIAL_FLOATS = {".inf", "-.inf", "+.inf", ".nan"}
GO_INT = re.compile(r"[+-]?(0[bB][01]+|0[oO]?[0-7]*|0[xX][0-9a-fA-F]+|[1-9][0-9]*)")
GO_FLOAT = re.compile(
    r"[+-]?((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)"
    r"[pP][+-]?\d+|inf(inity)?|nan)",
    re.IGNORECASE,
)
SEXAGESIMAL = re.compile(r"[+-]?[1-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?")
TIMESTAMP = re.compile(
    r"\d{4}-\d{1,2}-\d{1,2}"
    r"([Tt]\d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?(Z|[+-]\d{2}:\d{2})| \d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?)?"
)


def _yaml_guesses_wrong(text: str) -> bool:
    """Whether a YAML reader would take the bare word for a null, bool, number or time."""
    lowered = text.lower()
    if (len(text) <= 5 and lowered in NOT_STRINGS) or text in PARSE_BOOL:
        return True
    bare = text.replace("_", "")
    if GO_INT.fullmatch(bare) or GO_FLOAT.fullmatch(bare):
        return True
    if SEXAGESIMAL.fullmatch(text) or (len(text) <= 5 and lowered in SPECIAL_FLOATS):
        return True
    return bool(TIMESTAMP.fullmatch(text))


def _needs_quotes(text: str) -> bool:
    """Letters, digits and ``_`` anywhere, ``-``, ``.`` and ``/`` inside: a key may go bare."""
    if not text or _yaml_guesses_wrong(text):
        return True
    last = len(text) - 1
    for index, char in enumerate(text):
        if char.isalnum() or char == "_":
            continue
        if 0 < index < last and char in "-./":
            continue
        return True
    return False


def _go_is_space(char: str) -> bool:
    """unicode.IsSpace: Python's isspace also counts U+001C..U+001F, Go's does not."""
    if ord(char) < 0x100:
        return char in "\t\n\v\f\r \x85\xa0"
    return char.isspace()


def _escaped(char: str) -> str:
    if char in ('"', "\\"):
        return "\\" + char
    if char.isprintable() or char in (" ", "\t"):  # kubectl 1.35 leaves tabs as they are
        return char
    if char in ESCAPES:
        return ESCAPES[char]
    code = ord(char)
    if code < 0x20 or code == 0x7F:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _string(text: str, level: int, key: bool = False) -> str:
    """A double-quoted scalar; a key stays bare when it can and is never folded."""
    if key and "\n" not in text and not _needs_quotes(text):
        return text
    if key or "\n" not in text:
        return '"' + "".join("\\n" if c == "\n" else _escaped(c) for c in text) + '"'
    out = ['"', FOLD]
    at_line_start = True
    for char in text:
        text_of = "\\n" + FOLD if char == "\n" else _escaped(char)
        if at_line_start:
            # Leading blanks written as themselves are escaped so the fold keeps them; one
            # written as an escape sequence (\f, \v) is kept already.
            literal_blank = _go_is_space(char) and char != "\n" and text_of == char
            out.append(INDENT * level + ("\\" if literal_blank else " "))
        out.append(text_of)
        at_line_start = char == "\n"
    if not at_line_start:
        out.append(FOLD)
    out.append(INDENT * level + '"')
    return "".join(out)


def _node(value: Any, level: int, sort_keys: bool) -> str:
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = sorted(value.items()) if sort_keys else value.items()
        lines = [
            f"{INDENT * (level + 1)}{_string(str(k), level + 1, key=True)}: "
            f"{_node(v, level + 1, sort_keys)},\n"
            for k, v in items
        ]
        return "{\n" + "".join(lines) + INDENT * level + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        if all(isinstance(item, dict | list) for item in value):
            return "[" + ", ".join(_node(item, level, sort_keys) for item in value) + "]"
        lines = [f"{INDENT * (level + 1)}{_node(item, level + 1, sort_keys)},\n" for item in value]
        return "[\n" + "".join(lines) + INDENT * level + "]"
    if isinstance(value, str):
        return _string(value, level + 1)
    return json.dumps(value)  # null, true/false and numbers as JSON writes them


def to_kyaml(obj: Any, sort_keys: bool = True) -> str:
    """One KYAML document; keys sorted for objects read from the server, in the dict's own
    (Go struct) order for objects a generator built."""
    return "---\n" + _node(obj, 0, sort_keys) + "\n"

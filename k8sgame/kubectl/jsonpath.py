"""kubectl's JSONPath template dialect (``k8s.io/client-go/util/jsonpath``) and its printer.

The parser mirrors ``util/jsonpath/parser.go`` token by token (its error texts are what
kubectl prints), evaluation mirrors ``util/jsonpath/jsonpath.go`` including its quirks: the
``range``/``end`` state machine, filters comparing only same-kind values
(``third_party/forked/golang/template/funcs.go``), recursive descent listing containers
only. Go iterates maps in random order for ``*`` and ``..``; we use sorted keys, one of the
orders kubectl can print. Data is a decoded JSON tree: int is int64, float is float64.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from k8sgame.kubectl import gofmt
from k8sgame.kubectl.errors import KubectlError


class JsonPathError(KubectlError):
    """A JSONPath parse or execution error; ``message`` is the text after ``error: ``."""

    def render(self, language: str = "en") -> str:
        # kubectl's CheckErr appends a newline only when the message lacks one; execution
        # errors already end in newlines (cli-runtime printers/jsonpath.go).
        text = f"error: {self.message}"
        return text if text.endswith("\n") else text + "\n"


class _Invalid:
    """Go's zero ``reflect.Value``: what a ``range`` over nothing or over a null hands on."""

    def __repr__(self) -> str:
        return "<invalid reflect.Value>"


INVALID = _Invalid()


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Field:
    name: str


@dataclass(frozen=True)
class Param:
    value: int = 0
    known: bool = False
    derived: bool = False


@dataclass(frozen=True)
class Array:
    params: tuple[Param, Param, Param]


@dataclass(frozen=True)
class Filter:
    left: tuple[object, ...]
    right: tuple[object, ...]
    operator: str


@dataclass(frozen=True)
class Number:
    value: int | float


@dataclass(frozen=True)
class Bool:
    value: bool


@dataclass(frozen=True)
class Wildcard:
    pass


@dataclass(frozen=True)
class Recursive:
    pass


@dataclass(frozen=True)
class Union:
    branches: tuple[tuple[object, ...], ...]


@dataclass(frozen=True)
class Identifier:
    name: str


@dataclass(frozen=True)
class Action:
    """One ``{...}``: a ListNode in parser.go."""

    nodes: tuple[object, ...]


_DICT_KEY = re.compile(r"'([^']*)'")
# Go's \d is ASCII-only (RE2), so spell the class out.
_SLICE = re.compile(r"(-?[0-9]*)(:-?[0-9]*)?(:-?[0-9]*)?")
_FILTER = re.compile(r"([^!<>=]+)([!<>=]+)(.+?)", re.DOTALL)
_INT64 = (-(2**63), 2**63 - 1)
_TERMINATORS = frozenset(" \t\r\n.,[]$@{}")


def _is_alphanumeric(char: str) -> bool:
    # parser.go isAlphaNumeric: '_' or unicode.IsLetter or unicode.IsDigit (category Nd).
    return char == "_" or unicodedata.category(char)[0] == "L" or unicodedata.category(char) == "Nd"


def _is_digit(char: str) -> bool:
    return unicodedata.category(char) == "Nd"


def _go_atoi(text: str) -> int | None:
    """strconv.Atoi: optional sign, ASCII digits, int64 range."""
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        return None
    value = int(text)
    return value if _INT64[0] <= value <= _INT64[1] else None


def _go_parse_float(text: str) -> float | None:
    """strconv.ParseFloat for what parseNumber can hand it: sign, digits and dots."""
    if not re.fullmatch(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)", text):
        return None
    return float(text)


def _rune_name(char: str) -> str:
    """fmt's ``%#U``: ``U+002C ','`` (the quoted rune only when printable)."""
    code = f"U+{ord(char):04X}"
    return f"{code} '{char}'" if gofmt.is_print(char) else code


def _unquote(text: str) -> str:
    """parser.go UnquoteExtend: strconv.Unquote that also takes single-quoted strings."""
    quote, body = text[0], text[1:-1]
    if "\\" not in body and quote not in body:
        return body
    out: list[str] = []
    index = 0
    simple = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
    while index < len(body):
        char = body[index]
        if char == quote:
            raise ValueError("invalid syntax")
        if char != "\\":
            out.append(char)
            index += 1
            continue
        if index + 1 >= len(body):
            raise ValueError("invalid syntax")
        escape = body[index + 1]
        index += 2
        if escape in simple:
            out.append(simple[escape])
        elif escape in ("\\", quote):
            out.append(escape)
        elif escape in "xuU":
            width = {"x": 2, "u": 4, "U": 8}[escape]
            digits = body[index : index + width]
            if len(digits) < width or not re.fullmatch(r"[0-9a-fA-F]+", digits):
                raise ValueError("invalid syntax")
            code = int(digits, 16)
            if escape != "x" and (code > 0x10FFFF or 0xD800 <= code <= 0xDFFF):
                raise ValueError("invalid syntax")
            out.append(chr(code))
            index += width
        elif escape in "01234567":
            digits = body[index - 1 : index + 2]
            if len(digits) < 3 or not re.fullmatch(r"[0-7]{3}", digits) or int(digits, 8) > 255:
                raise ValueError("invalid syntax")
            out.append(chr(int(digits, 8)))
            index += 2
        else:
            raise ValueError("invalid syntax")
    return "".join(out)


@dataclass
class _Parser:
    """parser.go's Parser: ``pos``/``start`` walk the input; each parse step consumes text."""

    text: str
    pos: int = 0
    start: int = 0
    width: int = 0
    root: list[object] = field(default_factory=list)

    def next(self) -> str:
        if self.pos >= len(self.text):
            self.width = 0
            return ""
        self.width = 1
        self.pos += 1
        return self.text[self.pos - 1]

    def backup(self) -> None:
        self.pos -= self.width

    def peek(self) -> str:
        char = self.next()
        self.backup()
        return char

    def consume(self) -> str:
        value = self.text[self.start : self.pos]
        self.start = self.pos
        return value

    def parse(self) -> list[object]:
        # parseText / parseLeftDelim / parseRightDelim, as a loop instead of recursion.
        while True:
            brace = self.text.find("{", self.pos)
            if brace < 0:
                self.pos = len(self.text)
                if self.pos > self.start:
                    self.root.append(Text(self.consume()))
                return self.root
            self.pos = brace
            if self.pos > self.start:
                self.root.append(Text(self.consume()))
            self.pos += 1
            self.consume()
            nodes: list[object] = []
            self.inside_action(nodes)
            self.root.append(Action(tuple(nodes)))

    def inside_action(self, cur: list[object]) -> None:
        """parseInsideAction until the closing ``}``."""
        while True:
            rest = self.text[self.pos :]
            if rest.startswith("}"):
                self.pos += 1
                self.consume()
                return
            if rest.startswith("[?("):
                self.parse_filter(cur)
                continue
            if rest.startswith(".."):
                self.parse_recursive(cur)
                continue
            char = self.next()
            if char in ("", "\r", "\n"):
                raise JsonPathError("unclosed action")
            if char in (" ", "@", "$"):
                self.consume()
            elif char == "[":
                self.parse_array(cur)
            elif char in ('"', "'"):
                self.parse_quote(cur, char)
            elif char == ".":
                self.parse_field(cur)
            elif char in "+-" or _is_digit(char):
                self.backup()
                self.parse_number(cur)
            elif _is_alphanumeric(char):
                self.backup()
                self.parse_identifier(cur)
            else:
                raise JsonPathError(f"unrecognized character in action: {_rune_name(char)}")

    def parse_identifier(self, cur: list[object]) -> None:
        while True:
            char = self.next()
            if char == "" or char in _TERMINATORS:
                self.backup()
                break
        value = self.consume()
        cur.append(Bool(value == "true") if value in ("true", "false") else Identifier(value))

    def parse_recursive(self, cur: list[object]) -> None:
        if cur and isinstance(cur[-1], Recursive):
            raise JsonPathError("invalid multiple recursive descent")
        self.pos += 2
        self.consume()
        cur.append(Recursive())
        following = self.peek()
        if following and _is_alphanumeric(following):
            self.parse_field(cur)

    def parse_number(self, cur: list[object]) -> None:
        if self.peek() in ("+", "-"):
            self.next()
        while True:
            char = self.next()
            if char != "." and not (char and _is_digit(char)):
                self.backup()
                break
        value = self.consume()
        integer = _go_atoi(value)
        if integer is not None:
            cur.append(Number(integer))
            return
        number = _go_parse_float(value)
        if number is None:
            raise JsonPathError(f"cannot parse number {value}")
        cur.append(Number(number))

    def parse_array(self, cur: list[object]) -> None:
        while True:
            char = self.next()
            if char in ("", "\n"):
                raise JsonPathError("unterminated array")
            if char == "]":
                break
        text = self.consume()[1:-1]
        if text == "*":
            text = ":"
        parts = text.split(",")
        if len(parts) > 1:
            branches = tuple(_parse_action(f"[{part.strip(' ')}]") for part in parts)
            cur.append(Union(branches))
            return
        key = _DICT_KEY.fullmatch(text)
        if key:
            cur.extend(_parse_action(f".{key.group(1)}"))
            return
        cur.append(Array(_slice_params(text)))

    def parse_filter(self, cur: list[object]) -> None:
        self.pos += 3
        self.consume()
        begin = end = False
        pair = ""
        while True:
            char = self.next()
            if char in ("", "\n"):
                raise JsonPathError("unterminated filter")
            if char in ('"', "'"):
                if not begin:
                    begin, pair = True, char
                    continue
                if self.text[self.pos - 2] != "\\" and char == pair:
                    end = True
            elif char == ")" and begin == end:
                break
        if self.next() != "]":
            raise JsonPathError("unclosed array expect ]")
        text = self.consume()[:-2]
        match = _FILTER.fullmatch(text)
        if match is None:
            cur.append(Filter(_parse_action(text), (), "exists"))
            return
        left = _parse_action(match.group(1))
        right = _parse_action(match.group(3))
        cur.append(Filter(left, right, match.group(2)))

    def parse_quote(self, cur: list[object], quote: str) -> None:
        while True:
            char = self.next()
            if char in ("", "\n"):
                raise JsonPathError("unterminated quoted string")
            if char == quote and self.text[self.pos - 2] != "\\":
                break
        value = self.consume()
        try:
            cur.append(Text(_unquote(value)))
        except ValueError as error:
            raise JsonPathError(f"unquote string {value} error {error}") from None

    def parse_field(self, cur: list[object]) -> None:
        self.consume()
        while True:
            char = self.next()
            if char == "\\":
                self.next()
            elif char == "" or char in _TERMINATORS:
                self.backup()
                break
        value = self.consume()
        cur.append(Wildcard() if value == "*" else Field(value.replace("\\", "")))


def _slice_params(text: str) -> tuple[Param, Param, Param]:
    """parseArray's slice operator: ``[start:end:step]`` with parser.go's defaults."""
    match = _SLICE.fullmatch(text)
    if match is None:
        raise JsonPathError(f"invalid array index {text}")
    groups = [match.group(1), match.group(2) or "", match.group(3) or ""]
    params: list[Param] = []
    for index, raw in enumerate(groups):
        if raw == "":
            if index == 1:
                # "[n]" means n..n+1; Derived lets "[-1]" wrap to the end at run time.
                params.append(Param(params[0].value + 1, True, True))
            else:
                params.append(Param())
            continue
        number = raw[1:] if index > 0 else raw
        if index > 0 and number == "":
            params.append(Param())
            continue
        value = _go_atoi(number)
        if value is None:
            raise JsonPathError(f"array index {number} is not a number")
        params.append(Param(value, True))
    return (params[0], params[1], params[2])


def _parse_action(text: str) -> tuple[object, ...]:
    """parser.go parseAction: parse ``{text}`` and keep the first action's nodes."""
    first = _Parser("{" + text + "}").parse()[0]
    assert isinstance(first, Action)
    return first.nodes


class _ExecError(Exception):
    pass


def _go_type(value: object) -> str:
    """reflect's Type string of a decoded JSON value."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, gofmt.GoByte):
        return "uint8"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "map[string]interface {}"
    if isinstance(value, list):
        return "[]interface {}"
    return "interface {}"


def _children(value: object) -> list[object]:
    """What ``*`` yields: map values (sorted keys), list items, or a string's bytes."""
    if isinstance(value, dict):
        return [value[key] for key in sorted(value)]
    if isinstance(value, list):
        return list(value)
    if isinstance(value, str):
        return [gofmt.GoByte(b) for b in value.encode("utf-8", "surrogatepass")]
    return []


_KINDS = {bool: "bool", int: "int", float: "float", str: "string"}


def _kind(value: object) -> str:
    if isinstance(value, gofmt.GoByte):
        return "uint"
    kind = _KINDS.get(type(value))
    if kind is None:
        for base, name in _KINDS.items():
            if isinstance(value, base):
                return name
        raise _ExecError("invalid type for comparison")
    return kind


def _equal(left: object, right: object) -> bool:
    """funcs.go Equal: same basic kind, or an int/uint mix."""
    k1, k2 = _kind(left), _kind(right)
    if k1 != k2:
        if {k1, k2} == {"int", "uint"}:
            return left == right
        raise _ExecError("incompatible types for comparison")
    return left == right


def _less(left: object, right: object) -> bool:
    """funcs.go Less: bools do not order."""
    k1, k2 = _kind(left), _kind(right)
    if k1 != k2:
        if {k1, k2} == {"int", "uint"}:
            return left < right  # type: ignore[operator]
        raise _ExecError("incompatible types for comparison")
    if k1 == "bool":
        raise _ExecError("invalid type for comparison")
    return left < right  # type: ignore[operator]


def _compare(operator: str, left: object, right: object) -> bool:
    if operator == "<":
        return _less(left, right)
    if operator == ">":
        return not (_less(left, right) or _equal(left, right))
    if operator == "==":
        return _equal(left, right)
    if operator == "!=":
        return not _equal(left, right)
    if operator == "<=":
        return _less(left, right) or _equal(left, right)
    if operator == ">=":
        return not _less(left, right)
    raise _ExecError(f"unrecognized filter operator {operator}")


@dataclass
class _Executor:
    """jsonpath.go's JSONPath state during one FindResults."""

    root: list[object]
    allow_missing: bool
    begin_range: int = 0
    in_range: int = 0
    end_range: int = 0
    last_end: int = -1

    def find_results(self, data: object, start: int = 0) -> list[list[object]]:
        """FindResults from node ``start``; nested ranges recurse with the range element."""
        full: list[list[object]] = []
        index = start
        while index < len(self.root):
            node = self.root[index]
            if isinstance(node, Text):
                results: list[object] = [node.text]
            else:
                results = self.eval_list([data], node.nodes)  # type: ignore[attr-defined]
            if 0 < self.end_range <= self.in_range:
                self.end_range -= 1
                self.last_end = index
                break
            if self.begin_range > 0:
                self.begin_range -= 1
                self.in_range += 1
                if results:
                    for value in results:
                        full.extend(
                            self.find_results(INVALID if value is None else value, index + 1)
                        )
                else:
                    self.find_results(INVALID, index + 1)
                self.in_range -= 1
                # Resume after the most recent {end}; without one, the body runs again here.
                if index + 1 <= self.last_end < len(self.root):
                    index = self.last_end
                index += 1
                continue
            full.append(results)
            index += 1
        return full

    def eval_list(self, values: list[object], nodes: tuple[object, ...]) -> list[object]:
        for node in nodes:
            values = self.walk(values, node)
        return values

    def walk(self, values: list[object], node: object) -> list[object]:
        if isinstance(node, Text):
            return [node.text]
        if isinstance(node, Field):
            return self.eval_field(values, node.name)
        if isinstance(node, Array):
            return self.eval_array(values, node.params)
        if isinstance(node, Filter):
            return self.eval_filter(values, node)
        if isinstance(node, Number | Bool):
            return [node.value] * len(values)
        if isinstance(node, Wildcard):
            return [child for value in values if value is not None for child in _children(value)]
        if isinstance(node, Recursive):
            return self.eval_recursive(values)
        if isinstance(node, Union):
            return [item for branch in node.branches for item in self.eval_list(values, branch)]
        if isinstance(node, Identifier):
            return self.eval_identifier(values, node.name)
        raise _ExecError(f"unexpected Node {node}")

    def eval_identifier(self, values: list[object], name: str) -> list[object]:
        if name == "range":
            self.begin_range += 1
            return values
        if name == "end":
            if self.in_range > 0:
                self.end_range += 1
                return []
            raise _ExecError("not in range, nothing to end")
        raise _ExecError(f"unrecognized identifier {name}")

    def eval_field(self, values: list[object], name: str) -> list[object]:
        if not values:
            return []
        results = [value[name] for value in values if isinstance(value, dict) and name in value]
        if not results and not self.allow_missing:
            raise _ExecError(f"{name} is not found")
        return results

    def eval_array(self, values: list[object], params: tuple[Param, Param, Param]) -> list[object]:
        result: list[object] = []
        for value in values:
            if value is None or value is INVALID:
                continue
            if not isinstance(value, list):
                raise _ExecError(f"{_go_type(value)} is not array or slice")
            length = len(value)
            start = params[0].value if params[0].known else 0
            if start < 0:
                start += length
            end = params[1].value if params[1].known else length
            if end < 0 or (end == 0 and params[1].derived):
                end += length
            if end == start:
                # jsonpath.go returns at once here, dropping any later inputs.
                return result
            if start >= length or start < 0:
                raise _ExecError(f"array index out of bounds: index {start}, length {length}")
            if end > length or end < 0:
                raise _ExecError(f"array index out of bounds: index {end - 1}, length {length}")
            if start > end:
                raise _ExecError(f"starting index {start} is greater than ending index {end}")
            step = 1
            if params[2].known:
                if params[2].value <= 0:
                    raise _ExecError("step must be > 0")
                step = params[2].value
            result.extend(value[start:end:step])
        return result

    def eval_recursive(self, values: list[object]) -> list[object]:
        # Pre-order, listing only values that have children (maps, lists, strings).
        result: list[object] = []
        for value in values:
            if value is None:
                continue
            children = _children(value)
            if children:
                result.append(value)
                result.extend(self.eval_recursive(children))
        return result

    def eval_filter(self, values: list[object], node: Filter) -> list[object]:
        results: list[object] = []
        for value in values:
            if not isinstance(value, list):
                shown = repr(INVALID) if value is INVALID else gofmt.sprint(value)
                raise _ExecError(f"{shown} is not array or slice and cannot be filtered")
            for item in value:
                lefts, error = self._try_list(item, node.left)
                if node.operator == "exists":
                    if lefts:
                        results.append(item)
                    continue
                if error is not None:
                    raise error
                left = self._single(lefts)
                if left is _NOTHING:
                    continue
                right = self._single(self.eval_list([item], node.right))
                if right is _NOTHING:
                    continue
                if _compare(node.operator, left, right):
                    results.append(item)
        return results

    def _try_list(
        self, item: object, nodes: tuple[object, ...]
    ) -> tuple[list[object], _ExecError | None]:
        try:
            return self.eval_list([item], nodes), None
        except _ExecError as error:
            return [], error

    @staticmethod
    def _single(values: list[object]) -> object:
        if not values:
            return _NOTHING
        if len(values) > 1:
            raise _ExecError("can only compare one element at a time")
        return values[0]


_NOTHING = object()


def _text(value: object) -> str:
    """PrintResults for one value: maps and lists as compact JSON, the rest via fmt."""
    if isinstance(value, dict | list):
        return gofmt.marshal(value)
    if value is INVALID:
        return "<no value>"
    if value is None:
        return "null"
    return gofmt.sprint(value)


@dataclass(frozen=True)
class JsonPath:
    """A parsed template; ``nodes`` holds Text and Action items in template order."""

    template: str
    nodes: tuple[object, ...]

    def find_results(self, data: object, allow_missing: bool = True) -> list[list[object]]:
        """FindResults: one list of values per template part. Raises JsonPathError."""
        try:
            return _Executor(list(self.nodes), allow_missing).find_results(data)
        except _ExecError as error:
            raise JsonPathError(str(error)) from None

    def render(self, data: object, allow_missing: bool = True, as_json: bool = False) -> str:
        """Execute: each part's values joined by one space, parts concatenated.
        ``as_json`` is ``-o jsonpath-as-json``: each part as an indented JSON array."""
        out: list[str] = []
        for results in self.find_results(data, allow_missing):
            if as_json:
                values = [None if v is INVALID else v for v in results]
                out.append(gofmt.marshal(values, "    ") + "\n")
            else:
                out.append(" ".join(_text(value) for value in results))
        return "".join(out)


def parse(template: str) -> JsonPath:
    """Parse a template; raises JsonPathError with parser.go's bare message."""
    try:
        return JsonPath(template, tuple(_Parser(template).parse()))
    except RecursionError:
        raise JsonPathError("template nested too deeply") from None


def print_template(template: str, data: object, as_json: bool = False) -> str:
    """``kubectl get -o jsonpath=TEMPLATE`` (or ``jsonpath-as-json``) on one decoded object;
    for several objects kubectl passes ``{"apiVersion": "v1", "items": [...], "kind": "List",
    "metadata": {"resourceVersion": ""}}`` (get.go printGeneric). The template is used as
    given: text outside braces prints literally. Errors carry kubectl's full messages
    (genericclioptions/jsonpath_flags.go, printers/jsonpath.go)."""
    if not template:
        raise JsonPathError("template format specified but no template given")
    try:
        path = parse(template)
    except JsonPathError as error:
        raise JsonPathError(f"error parsing jsonpath {template}, {error.message}") from None
    try:
        return path.render(data, allow_missing=True, as_json=as_json)
    except JsonPathError as error:
        raise JsonPathError(
            f"error executing jsonpath {gofmt.quote(template)}: Error executing template: "
            f"{error.message}. Printing more information for debugging the template:\n"
            f"\ttemplate was:\n\t\t{template}\n"
            f"\tobject given to jsonpath engine was:\n\t\t{gofmt.go_syntax(data)}\n\n\n"
        ) from None


# kubectl/pkg/cmd/get/customcolumn.go jsonRegexp; \Z because Python's $ also matches before
# a final newline and Go's does not.
_RELAXED = re.compile(r"\{\.?([^{}]+)\}\Z|\.?([^{}]+)\Z", re.DOTALL)


def relaxed_expression(expression: str) -> str:
    """RelaxedJSONPathExpression: ``a.b``, ``.a.b``, ``{a.b}`` and ``{.a.b}`` all become
    ``{.a.b}``; the empty string stays empty. Raises JsonPathError otherwise."""
    if not expression:
        return expression
    match = _RELAXED.match(expression)
    if match is None:
        raise JsonPathError(
            "unexpected path string, expected a 'name1.name2' or '.name1.name2' or "
            "'{name1.name2}' or '{.name1.name2}'"
        )
    return "{." + (match.group(1) or match.group(2)) + "}"


def _round_trip(value: object) -> object:
    """A value after json.Marshal then an unstructured decode: floats Go writes without a
    fraction or exponent (``1e6`` -> ``1000000``) come back as int64 when they fit in one."""
    if isinstance(value, dict):
        return {key: _round_trip(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_round_trip(item) for item in value]
    if isinstance(value, float) and value.is_integer() and -(2**63) <= value < 2**63:
        return int(value)
    return value


def list_object(items: list[dict[str, object]]) -> dict[str, object]:
    """The object ``kubectl get`` hands to -o jsonpath/custom-columns/sort for a list or
    several names (get.go printGeneric): a v1 List with an empty resourceVersion whose items
    went through a JSON round trip. A single named object is passed as is instead."""
    return {
        "apiVersion": "v1",
        "items": [_round_trip(item) for item in items],
        "kind": "List",
        "metadata": {"resourceVersion": ""},
    }


def jsonpath_values(obj: dict[str, Any], expression: str) -> list[Any]:
    """Every value a kubectl JSONPath (``.spec.x`` or ``{.spec.x}``) finds in ``obj``;
    raises JsonPathError."""
    results = parse(relaxed_expression(expression)).find_results(obj, allow_missing=True)
    return [value for part in results for value in part if value is not INVALID]

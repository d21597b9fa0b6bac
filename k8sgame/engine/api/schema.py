"""Typed field schemas for Kubernetes objects and the strict decoding check.

The API server decodes a manifest into Go structs: a value of the wrong JSON type fails with
``json: cannot unmarshal string into Go struct field Container.spec.containers.image of type
string``-style messages, and (with kubectl's default ``--validate=strict``) unknown fields fail
with ``strict decoding error: unknown field "spec.containers[0].imagee"``. This module describes
the structs as data and reproduces both checks.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Union

from k8sgame.engine.quantity import QUANTITY_ERROR, is_quantity


@dataclass(frozen=True)
class Scalar:
    go_type: (
        str  # string, int32, int64, bool, float64, resource.Quantity, intstr.IntOrString, v1.Time
    )


@dataclass
class Struct:
    """A Go struct; ``open`` structs accept fields the simulator does not model."""

    name: str
    fields: dict[str, FieldType] = field(default_factory=dict)
    open: bool = False
    package: str = "v1"
    # The key of its ``explain`` text when it differs from the name: a struct of the same
    # name in another version of a kind, with other fields.
    docs: str = ""

    @property
    def go_type(self) -> str:
        return f"{self.package}.{self.name}"

    @property
    def doc_key(self) -> str:
        return self.docs or self.name


@dataclass(frozen=True)
class ListOf:
    item: FieldType

    @property
    def go_type(self) -> str:
        return "[]" + self.item.go_type


@dataclass(frozen=True)
class MapOf:
    value: FieldType

    @property
    def go_type(self) -> str:
        return "map[string]" + self.value.go_type


@dataclass(frozen=True)
class Anything:
    """Free-form content (``RawExtension``, ``status`` of kinds whose status is not checked)."""

    go_type: str = "interface {}"


FieldType = Union[Scalar, Struct, ListOf, MapOf, Anything]  # noqa: UP007 - used at runtime

STRING = Scalar("string")
INT32 = Scalar("int32")
INT64 = Scalar("int64")
BOOL = Scalar("bool")
QUANTITY = Scalar("resource.Quantity")
INT_OR_STRING = Scalar("intstr.IntOrString")
TIME = Scalar("v1.Time")
MICRO_TIME = Scalar("v1.MicroTime")
# []byte fields (Secret data, ConfigMap binaryData) arrive base64-encoded in JSON.
BYTES = Scalar("[]uint8")
ANY = Anything()
STRING_MAP = MapOf(STRING)
STRING_LIST = ListOf(STRING)
QUANTITY_MAP = MapOf(QUANTITY)

_INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
# Go types whose every value of this exact Python type decodes (no range, no syntax).
_PLAIN: dict[str, type] = {"string": str, "v1.Time": str, "v1.MicroTime": str, "bool": bool}
# JSON scalars: zero_nulls keeps them as they are.
_ATOMS = frozenset((str, int, float, bool))


class DecodeError(Exception):
    """The manifest cannot be decoded into the kind's structs (message is Go's)."""


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def _type_error(value: Any, struct: str, path: str, go_type: str) -> DecodeError:
    shown = _json_type(value)
    if shown == "number" and (isinstance(value, float) or go_type in _INT_RANGES):
        shown = f"number {_go_number(value)}"
    return DecodeError(
        f"json: cannot unmarshal {shown} into Go struct field {struct}.{path} of type {go_type}"
    )


def _go_number(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return str(value)


def check(
    value: Any, schema: Struct, root_path: str = "", same: dict[str, Any] | None = None
) -> list[str]:
    """Decode-check ``value`` against ``schema``.

    Raises DecodeError for the first type mismatch (Go's decoder reports one); returns the
    field paths of unknown fields (all of them, as strict decoding lists them). A top-level
    field that is the very object ``same`` holds (a stored object, which is never changed in
    place and was checked when stored) is not checked again.
    """
    unknown: list[str] = []
    if same is not None and isinstance(value, dict):
        value = {k: v for k, v in value.items() if same.get(k) is not v or v is None}
    _check_struct(value, schema, root_path, root_path, unknown, schema.name)
    return unknown


def prune(value: Any, schema: FieldType) -> Any:
    """``value`` without the fields ``schema`` does not know (what the API server keeps when
    field validation is Warn or Ignore: unknown fields are dropped)."""
    if isinstance(schema, Struct) and isinstance(value, dict):
        if schema.open:
            return value
        return {
            k: prune(v, schema.fields[str(k)]) for k, v in value.items() if str(k) in schema.fields
        }
    if isinstance(schema, ListOf) and isinstance(value, list):
        return [prune(item, schema.item) for item in value]
    if isinstance(schema, MapOf) and isinstance(value, dict):
        return {k: prune(v, schema.value) for k, v in value.items()}
    return value


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _check_struct(
    value: Any, schema: Struct, path: str, go_path: str, unknown: list[str], owner: str
) -> None:
    if value is None:
        return
    if not isinstance(value, dict):
        raise (
            _type_error(value, owner, go_path, schema.go_type)
            if go_path
            else DecodeError(
                f"json: cannot unmarshal {_json_type(value)} into Go value of type {schema.go_type}"
            )
        )
    fields = schema.fields
    for key, child in value.items():
        name = str(key)
        sub = fields.get(name)
        if sub is None:
            if not schema.open:
                unknown.append(_join(path, name))
            continue
        if child is None or (type(sub) is Scalar and type(child) is _PLAIN.get(sub.go_type)):
            # Most fields are strings or bools of the right type: no paths to build.
            continue
        _check_value(child, sub, _join(path, name), _join(go_path, name), unknown, schema.name)


def _check_value(
    value: Any, schema: FieldType, path: str, go_path: str, unknown: list[str], owner: str
) -> None:
    if value is None or isinstance(schema, Anything):
        return
    if isinstance(schema, Struct):
        _check_struct(value, schema, path, go_path, unknown, owner)
        return
    if isinstance(schema, ListOf):
        if not isinstance(value, list):
            raise _type_error(value, owner, go_path, schema.go_type)
        if _all_plain(value, schema.item):
            return
        for index, item in enumerate(value):
            _check_value(item, schema.item, f"{path}[{index}]", go_path, unknown, owner)
        return
    if isinstance(schema, MapOf):
        if not isinstance(value, dict):
            raise _type_error(value, owner, go_path, schema.go_type)
        if _all_plain(value.values(), schema.value):
            return
        for key, item in value.items():
            _check_value(item, schema.value, f"{path}[{key}]", go_path, unknown, owner)
        return
    _check_scalar(value, schema, go_path, owner)


def _all_plain(values: Iterable[Any], schema: FieldType) -> bool:
    """Whether every item is of the Python type that needs no check (``[]string``, labels)."""
    if type(schema) is not Scalar:
        return False
    plain = _PLAIN.get(schema.go_type)
    return plain is not None and all(type(v) is plain for v in values)


def _check_scalar(value: Any, schema: Scalar, go_path: str, owner: str) -> None:
    kind = schema.go_type
    if kind in ("string", "v1.Time", "v1.MicroTime"):
        if not isinstance(value, str):
            raise _type_error(value, owner, go_path, "string" if kind == "string" else kind)
    elif kind == "bool":
        if not isinstance(value, bool):
            raise _type_error(value, owner, go_path, kind)
    elif kind in _INT_RANGES:
        low, high = _INT_RANGES[kind]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _type_error(value, owner, go_path, kind)
        if isinstance(value, float) and (not math.isfinite(value) or not value.is_integer()):
            raise _type_error(value, owner, go_path, kind)
        if not low <= int(value) <= high:
            raise _type_error(value, owner, go_path, kind)
    elif kind == "resource.Quantity":
        if isinstance(value, bool) or not is_quantity(value):
            raise DecodeError(QUANTITY_ERROR)
    elif kind == "[]uint8":
        if not isinstance(value, str):
            raise _type_error(value, owner, go_path, kind)
        problem = base64_problem(value)
        if problem is not None:
            raise DecodeError(f"illegal base64 data at input byte {problem}")
    elif kind == "intstr.IntOrString":
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise _type_error(value, owner, go_path, kind)


def zero_nulls(value: Any, schema: FieldType) -> Any:
    """What Go decoding leaves for JSON ``null``: absent fields, zero-valued list items.

    Call after ``check`` succeeded; returns a new value without ``None`` in dicts.
    """
    if isinstance(value, dict):
        fields = schema.fields if isinstance(schema, Struct) else {}
        item = schema.value if isinstance(schema, MapOf) else None
        result = {}
        for key, child in value.items():
            if child is None:
                if isinstance(schema, MapOf):
                    result[key] = ""
                continue
            if type(child) in _ATOMS:
                # A scalar stays as it is: no call for each leaf.
                result[key] = child
                continue
            sub = item if item is not None else fields.get(str(key), ANY)
            result[key] = zero_nulls(child, sub)
        return result
    if isinstance(value, list):
        item = schema.item if isinstance(schema, ListOf) else ANY
        zero: Any = (
            {}
            if isinstance(item, Struct)
            else ("" if isinstance(item, Scalar) and item.go_type == "string" else None)
        )
        return [
            child if type(child) in _ATOMS else zero_nulls(zero if child is None else child, item)
            for child in value
            if child is not None or zero is not None
        ]
    return value


_BASE64 = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


def base64_problem(text: str) -> int | None:
    """Offset Go's ``base64.StdEncoding`` reports for malformed input, or None when valid."""
    body = text.replace("\r", "").replace("\n", "")
    stripped = body.rstrip("=")
    padding = len(body) - len(stripped)
    for index, char in enumerate(stripped):
        if char not in _BASE64:
            return index
    if padding > 2 or (len(body) % 4 != 0):
        # The last, incomplete quantum is where decoding fails.
        return len(body) - (len(body) % 4 or 4) + (len(stripped) % 4 if padding else 0)
    if padding and len(stripped) % 4 not in (2, 3):
        return len(stripped)
    return None

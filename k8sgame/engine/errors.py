"""API errors with Kubernetes' own reasons and message formats.

Formats follow ``apimachinery/pkg/api/errors/errors.go`` and
``apimachinery/pkg/util/validation/field/errors.go``; kubectl prints them as
``Error from server ({reason}): {message}``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


def go_quote(text: str) -> str:
    """Go's ``%q`` of a string: double quotes, backslash escapes, printable runes kept."""
    escapes = {
        "\a": "\\a",
        "\b": "\\b",
        "\f": "\\f",
        "\n": "\\n",
        "\r": "\\r",
        "\t": "\\t",
        "\v": "\\v",
        '"': '\\"',
        "\\": "\\\\",
    }
    out = []
    for ch in text:
        if ch in escapes:
            out.append(escapes[ch])
        elif ch.isprintable():
            out.append(ch)
        elif ord(ch) < 0x80:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


class GoStruct(dict[str, Any]):
    """A Go struct value in an error: its JSON keeps the fields in declaration order (a map's
    keys would be sorted)."""


def go_quoted_list(values: list[str] | tuple[str, ...]) -> str:
    """Go's ``%q`` of a slice of strings: ``["a" "b"]``."""
    return "[" + " ".join(go_quote(v) for v in values) + "]"


def format_value(value: Any) -> str:
    """Render a field value the way ``field.Error`` does: strings quoted, numbers bare."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return go_quote(value)
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, sort_keys=not isinstance(value, GoStruct), separators=(",", ":"))


@dataclass(frozen=True)
class FieldError:
    """One validation failure at a field path (``field.Error``)."""

    kind: str  # Required, Invalid, NotSupported, Forbidden, Duplicate, TooLong, TooMany, NotFound
    path: str
    value: Any = None
    detail: str = ""
    supported: tuple[str, ...] = ()

    def body(self) -> str:
        if self.kind == "Required":
            text = "Required value"
        elif self.kind == "Forbidden":
            text = "Forbidden"
        elif self.kind == "NotSupported":
            text = f"Unsupported value: {format_value(self.value)}"
            if self.supported:
                text += ": supported values: " + ", ".join(go_quote(s) for s in self.supported)
            return text
        elif self.kind == "Duplicate":
            text = f"Duplicate value: {format_value(self.value)}"
        elif self.kind == "TooLong":
            text = "Too long"
        elif self.kind == "TooMany":
            text = f"Too many: {format_value(self.value)}"
        elif self.kind == "NotFound":
            text = f"Not found: {format_value(self.value)}"
        else:
            text = f"Invalid value: {format_value(self.value)}"
        if self.detail:
            text += f": {self.detail}"
        return text

    def __str__(self) -> str:
        return f"{self.path}: {self.body()}"


def required(path: str, detail: str = "") -> FieldError:
    return FieldError("Required", path, detail=detail)


def invalid(path: str, value: Any, detail: str = "") -> FieldError:
    return FieldError("Invalid", path, value, detail)


def not_supported(path: str, value: Any, supported: list[str] | tuple[str, ...]) -> FieldError:
    return FieldError("NotSupported", path, value, supported=tuple(supported))


def forbidden(path: str, detail: str) -> FieldError:
    return FieldError("Forbidden", path, detail=detail)


def duplicate(path: str, value: Any) -> FieldError:
    return FieldError("Duplicate", path, value)


@dataclass
class ApiError(Exception):
    """An error the simulated API server returns; ``reason`` is the StatusReason."""

    reason: str
    message: str
    code: int = 500
    causes: list[FieldError] = field(default_factory=list)
    # StatusDetails: the kind (without its group) and name an Invalid error is about.
    kind: str = ""
    name: str = ""
    # A StatusCause message kubectl does not print (an eviction's DisruptionBudget cause).
    detail: str = ""
    # Warning headers that came with the error (a deprecated kind's warning).
    warnings: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.message


def resource_label(resource: str, group: str) -> str:
    """``pods`` for the core group, ``deployments.apps`` otherwise (GroupResource.String)."""
    return f"{resource}.{group}" if group else resource


def not_found(resource: str, group: str, name: str) -> ApiError:
    return ApiError(
        "NotFound", f"{resource_label(resource, group)} {go_quote(name)} not found", 404
    )


def already_exists(resource: str, group: str, name: str) -> ApiError:
    label = resource_label(resource, group)
    return ApiError("AlreadyExists", f"{label} {go_quote(name)} already exists", 409)


def conflict(resource: str, group: str, name: str) -> ApiError:
    return ApiError(
        "Conflict",
        f"Operation cannot be fulfilled on {resource_label(resource, group)} {go_quote(name)}: "
        "the object has been modified; please apply your changes to the latest version "
        "and try again",
        409,
    )


def invalid_object(kind: str, group: str, name: str, errors: list[FieldError]) -> ApiError:
    """``The Pod "x" is invalid: a: ...`` — several causes print as ``[a, b]`` (Aggregate).
    The message names a repeated error once (``ErrorList.ToAggregate`` drops duplicates);
    the causes keep every one."""
    qualified = f"{kind}.{group}" if group else kind
    lines = list(dict.fromkeys(str(e) for e in errors))
    if len(lines) == 1:
        detail = lines[0]
    else:
        detail = "[" + ", ".join(lines) + "]"
    return ApiError(
        "Invalid", f"The {qualified} {go_quote(name)} is invalid: {detail}", 422, errors, kind, name
    )


def bad_request(message: str) -> ApiError:
    return ApiError("BadRequest", message, 400)


def forbidden_error(message: str) -> ApiError:
    return ApiError("Forbidden", message, 403)


def method_not_allowed() -> ApiError:
    """A verb the resource does not serve (HTTP 405, the handler's text)."""
    return ApiError(
        "MethodNotAllowed", "the server does not allow this method on the requested resource", 405
    )

"""A small schema language for data files (level files, question banks): one description
gives both the checks the loader runs (with the path of every problem) and the JSON Schema
published for editors.

Only what those files need is here: strings, numbers, booleans, enums, durations, bilingual
text, lists, maps, closed objects, single-key mappings (goal predicates) and named references
(a predicate may contain predicates).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from k8sgame.content.language import LANGUAGES
from k8sgame.datafile.located import Path
from k8sgame.engine.timefmt import parse_go_duration


@dataclass(frozen=True)
class Problem:
    """One schema problem: where (a path into the document) and what."""

    path: Path
    message: str
    at_key: bool = False


def render_path(path: Path) -> str:
    """``goal[0].check.pod_ready`` for ``("goal", 0, "check", "pod_ready")``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text or "(top level)"


def kind_of(value: Any) -> str:
    """How a YAML value is called in messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


class Schema:
    """Base: ``check`` appends problems; ``json`` returns the JSON Schema fragment."""

    description: str = ""

    def check(self, value: Any, path: Path, problems: list[Problem], refs: Refs) -> None:
        raise NotImplementedError

    def json(self) -> dict[str, Any]:
        raise NotImplementedError

    def _with_doc(self, schema: dict[str, Any]) -> dict[str, Any]:
        if self.description:
            schema["description"] = self.description
        return schema


Refs = Mapping[str, Schema]


@dataclass
class Str(Schema):
    description: str = ""
    pattern: str | None = None
    pattern_hint: str = ""
    min_length: int = 1
    max_length: int = 20_000

    def check(self, value: Any, path: Path, problems: list[Problem], refs: Refs) -> None:
        if not isinstance(value, str):
            problems.append(Problem(path, f"must be a string, got {kind_of(value)}"))
            return
        if len(value) < self.min_length:
            problems.append(Problem(path, "must not be empty"))
        elif len(value) > self.max_length:
            problems.append(Problem(path, f"is longer than {self.max_length} characters"))
        elif self.pattern and not re.fullmatch(self.pattern, value):
            hint = f" ({self.pattern_hint})" if self.pattern_hint else ""
            problems.append(Problem(path, f"{value!r} is not valid{hint}"))

    def json(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string", "minLength": self.min_length}
        schema["maxLength"] = self.max_length
        if self.pattern:
            schema["pattern"] = f"^(?:{self.pattern})$"
        return self._with_doc(schema)


@dataclass
class Int(Schema):
    description: str = ""
    minimum: int | None = None
    maximum: int | None = None

    def check(self, value: Any, path: Path, problems: list[Problem], refs: Refs) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(Problem(path, f"must be a whole number, got {kind_of(value)}"))
            return
        if self.minimum is not None and value < self.minimum:
            problems.append(Problem(path, f"must be at least {self.minimum}, got {value}"))
        if self.maximum is not None and value > self.maximum:
            problems.append(Problem(path, f"must be at most {self.maximum}, got {value}"))

    def json(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "integer"}
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        return self._with_doc(schema)


@dataclass
class Number(Schema):
    description: str = ""

    def check(self, value: Any, path: Path, problems: list[Problem], refs: Refs) -> None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(Problem(path, f"must be a number, got {kind_of(value)}"))

    def json(self) -> dict[str, Any]:
        return self._with_doc({"type": "number"})


@dataclass
class Quantity(Schema):
    """A number or a Kubernetes quantity string (``2``, ``500m``, ``1Gi``)."""

    description: str = ""

    def check(self, value: Any, path: Path, problems: list[Problem], refs: Refs) -> None:
        from k8sgame.engine.quantity import is_quantity

        if isinstance(value, bool) or not (isinstance(value, int | float) or is_quantity(value)):
            problems.append(
                Problem(path, f"must be a number or a quantity such as 500m or 1Gi, got {value!r}")
            )

    def json(self) -> dict[str, Any]:
        return self._with_doc({"type": ["number", "string"]})


@dataclass
class Bool(Schema):
    description: str = ""

    def check(self, value: Any, path: Path, problems: list[Problem], refs: Refs) -> None:
        if not isinstance(value, bool):
            problems.append(Problem(path, f"must be true or false, got {kind_of(value)}"))

    def json(self) -> dict[str, Any]:
        return self._with_doc({"type": "boolean"})


@dataclass
class Scalar(Schema):
    """Any string, number or boolean (a value a field is compared with)."""

    description: str = ""

    def check(self, value: Any, path: Path, problems: list[Problem], refs: Refs) -> None:
        if not isinstance(value, str | int | float | bool):
            problems.append(
                Problem(path, f"must be a string, number or boolean, got {kind_of(value)}")
            )

    def json(self) -> dict[str, Any]:
        return self._with_doc({"type": ["string", "number", "boolean"]})


@dataclass
class Enum(Schema):
    values: tuple[str, ...] = ()
    description: str = ""

    def check(self, value: Any, path: Path, problems: list[Problem], refs: Refs) -> None:
        if value not in self.values:
            allowed = ", ".join(self.values)
            problems.append(Problem(path, f"must be one of {allowed}; got {value!r}"))

    def json(self) -> dict[str, Any]:
        return self._with_doc({"enum": list(self.values)})


# Go-style durations as kubectl writes them (``30s``, ``2m``, ``1h30m``, ``500ms``).
DURATION_PATTERN = r"(\d+(\.\d+)?(ms|s|m|h))+"


@dataclass
class Duration(Schema):
    """Simulated time: a Go duration string (``90s``, ``5m``) or a number of seconds."""

    description: str = ""
    maximum_seconds: float = 24 * 3600

    def check(self, value: Any, path: Path, problems: list[Problem], refs: Refs) -> None:
        seconds = duration_seconds(value)
        if seconds is None:
            problems.append(
                Problem(path, f"must be a duration such as 30s, 5m or 1h30m, got {value!r}")
            )
        elif seconds > self.maximum_seconds:
            problems.append(Problem(path, f"must be at most {self.maximum_seconds:g} seconds"))

    def json(self) -> dict[str, Any]:
        return self._with_doc(
            {
                "oneOf": [
                    {"type": "string", "pattern": f"^{DURATION_PATTERN}$"},
                    {"type": "number", "minimum": 0},
                ]
            }
        )


def duration_seconds(value: Any) -> float | None:
    """Seconds for a duration value (see ``Duration``), or None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if value >= 0 else None
    if not isinstance(value, str) or not re.fullmatch(DURATION_PATTERN, value):
        return None
    return parse_go_duration(value)


@dataclass
class Text(Schema):
    """Player-facing text: ``{en: ..., ko: ...}``, both required."""

    description: str = ""
    max_length: int = 20_000

    def check(self, value: Any, path: Path, problems: list[Problem], refs: Refs) -> None:
        if not isinstance(value, dict):
            problems.append(
                Problem(path, f"must be a mapping with en and ko text, got {kind_of(value)}")
            )
            return
        for language in LANGUAGES:
            if language not in value:
                problems.append(Problem(path, f'missing "{language}" text'))
            else:
                Str(max_length=self.max_length).check(
                    value[language], (*path, language), problems, refs
                )
        for key in value:
            if key not in LANGUAGES:
                problems.append(
                    Problem((*path, key), f'unknown language "{key}" (use en and ko)', True)
                )

    def json(self) -> dict[str, Any]:
        text = {"type": "string", "minLength": 1}
        return self._with_doc(
            {
                "type": "object",
                "properties": {"en": text, "ko": text},
                "required": list(LANGUAGES),
                "additionalProperties": False,
            }
        )


@dataclass
class ListOf(Schema):
    item: Schema = field(default_factory=Str)
    description: str = ""
    min_items: int = 0
    max_items: int = 1000

    def check(self, value: Any, path: Path, problems: list[Problem], refs: Refs) -> None:
        if not isinstance(value, list):
            problems.append(Problem(path, f"must be a list, got {kind_of(value)}"))
            return
        if len(value) < self.min_items:
            problems.append(
                Problem(path, f"needs at least {self.min_items} item(s), has {len(value)}")
            )
        if len(value) > self.max_items:
            problems.append(Problem(path, f"has more than {self.max_items} items"))
        for index, item in enumerate(value[: self.max_items]):
            self.item.check(item, (*path, index), problems, refs)

    def json(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array", "items": self.item.json()}
        if self.min_items:
            schema["minItems"] = self.min_items
        schema["maxItems"] = self.max_items
        return self._with_doc(schema)


@dataclass
class MapOf(Schema):
    """A mapping with free keys (matching ``key_pattern``) and values of one schema."""

    value: Schema = field(default_factory=Str)
    description: str = ""
    key_pattern: str | None = None
    key_hint: str = ""
    max_items: int = 1000

    def check(self, value: Any, path: Path, problems: list[Problem], refs: Refs) -> None:
        if not isinstance(value, dict):
            problems.append(Problem(path, f"must be a mapping, got {kind_of(value)}"))
            return
        if len(value) > self.max_items:
            problems.append(Problem(path, f"has more than {self.max_items} entries"))
            return
        for key, item in value.items():
            if self.key_pattern and not re.fullmatch(self.key_pattern, key):
                hint = f": {self.key_hint}" if self.key_hint else ""
                problems.append(Problem((*path, key), f'"{key}" is not a valid name{hint}', True))
                continue
            self.value.check(item, (*path, key), problems, refs)

    def json(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "object", "additionalProperties": self.value.json()}
        if self.key_pattern:
            schema["propertyNames"] = {"pattern": f"^(?:{self.key_pattern})$"}
        return self._with_doc(schema)


@dataclass
class Field:
    schema: Schema
    required: bool = False


@dataclass
class Obj(Schema):
    """A closed mapping: known fields only, some required."""

    fields: dict[str, Field] = field(default_factory=dict)
    description: str = ""
    # Exactly one of these fields must be given (e.g. a pod by ``name`` or by ``selector``).
    exactly_one_of: tuple[str, ...] = ()
    # At most one of these (e.g. one comparison operator).
    at_most_one_of: tuple[str, ...] = ()
    # Extra checks on the whole mapping after the fields passed.
    extra: Callable[[dict[str, Any], Path, list[Problem]], None] | None = None

    def check(self, value: Any, path: Path, problems: list[Problem], refs: Refs) -> None:
        if not isinstance(value, dict):
            problems.append(Problem(path, f"must be a mapping, got {kind_of(value)}"))
            return
        before = len(problems)
        for key in value:
            if key not in self.fields:
                known = ", ".join(self.fields)
                problems.append(
                    Problem((*path, key), f'unknown field "{key}" (known fields: {known})', True)
                )
        for name, spec in self.fields.items():
            if name in value:
                spec.schema.check(value[name], (*path, name), problems, refs)
            elif spec.required:
                problems.append(Problem(path, f'missing required field "{name}"'))
        if self.exactly_one_of:
            given = [name for name in self.exactly_one_of if name in value]
            if len(given) != 1:
                options = " or ".join(f'"{name}"' for name in self.exactly_one_of)
                problems.append(Problem(path, f"give exactly one of {options}"))
        if self.at_most_one_of:
            given = [name for name in self.at_most_one_of if name in value]
            if len(given) > 1:
                listed = ", ".join(f'"{name}"' for name in given)
                problems.append(Problem(path, f"give only one of {listed}"))
        if self.extra is not None and len(problems) == before:
            self.extra(value, path, problems)

    def json(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "object",
            "properties": {name: spec.schema.json() for name, spec in self.fields.items()},
            "additionalProperties": False,
        }
        required = [name for name, spec in self.fields.items() if spec.required]
        if required:
            schema["required"] = required
        if self.exactly_one_of:
            schema["oneOf"] = [{"required": [name]} for name in self.exactly_one_of]
        return self._with_doc(schema)


@dataclass
class OneKey(Schema):
    """A mapping with exactly one key, chosen from ``options`` (a predicate and its
    parameters: ``{pod_ready: {name: web}}``)."""

    options: Callable[[], Mapping[str, Schema]] = dict
    description: str = ""
    what: str = "key"

    def check(self, value: Any, path: Path, problems: list[Problem], refs: Refs) -> None:
        options = self.options()
        if not isinstance(value, dict) or len(value) != 1:
            got = kind_of(value) if not isinstance(value, dict) else f"{len(value)} keys"
            problems.append(
                Problem(path, f"must be a mapping with exactly one {self.what}, got {got}")
            )
            return
        ((key, inner),) = value.items()
        if key not in options:
            known = ", ".join(sorted(options))
            problems.append(
                Problem((*path, key), f'unknown {self.what} "{key}" (known: {known})', True)
            )
            return
        options[key].check(inner, (*path, key), problems, refs)

    def json(self) -> dict[str, Any]:
        return self._with_doc(
            {
                "oneOf": [
                    {
                        "type": "object",
                        "properties": {key: schema.json()},
                        "required": [key],
                        "additionalProperties": False,
                    }
                    for key, schema in sorted(self.options().items())
                ]
            }
        )


@dataclass
class Ref(Schema):
    """A named schema defined once (``definitions`` in the JSON Schema); allows recursion."""

    name: str = ""
    description: str = ""

    def check(self, value: Any, path: Path, problems: list[Problem], refs: Refs) -> None:
        if len(path) > 60:
            problems.append(Problem(path, "is nested too deeply"))
            return
        refs[self.name].check(value, path, problems, refs)

    def json(self) -> dict[str, Any]:
        return self._with_doc({"$ref": f"#/definitions/{self.name}"})


@dataclass
class AnyValue(Schema):
    """Free-form data checked elsewhere (manifests by the API server, images by the catalog)."""

    description: str = ""
    json_type: str | None = None

    def check(self, value: Any, path: Path, problems: list[Problem], refs: Refs) -> None:
        if self.json_type == "object" and not isinstance(value, dict):
            problems.append(Problem(path, f"must be a mapping, got {kind_of(value)}"))

    def json(self) -> dict[str, Any]:
        return self._with_doc({"type": self.json_type} if self.json_type else {})

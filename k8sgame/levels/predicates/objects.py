"""Object predicates: an object exists or not, and a field of it (read with kubectl's JSONPath,
the same expressions as ``kubectl get -o jsonpath``) equals, matches or compares with a value.
Anti-bypass lines use these: "the pod still has its liveness probe"."""

from __future__ import annotations

import json
import re
from typing import Any

from k8sgame.datafile.schema import Bool, Field, Obj, Problem, Quantity, Scalar, Str
from k8sgame.engine.quantity import is_quantity, parse_quantity
from k8sgame.kubectl.jsonpath import JsonPathError, jsonpath_values, parse, relaxed_expression
from k8sgame.levels.predicates.registry import predicate
from k8sgame.levels.predicates.scene import Outcome, Scene, held, select

KIND = Field(Str("the object's kind, as in a manifest (Pod, ConfigMap, Node…)"), required=True)
NAME = Field(Str("the object's name"))
SELECTOR = Field(Str("a label selector (app=web)"))
NAMESPACE = Field(Str("the namespace (default: the level's namespace)"))

COMPARISONS = ("equals", "not_equals", "exists", "matches", "gt", "ge", "lt", "le")


def _check_path(value: dict[str, Any], path: tuple, problems: list[Problem]) -> None:
    try:
        parse(relaxed_expression(str(value["path"])))
    except JsonPathError as error:
        problems.append(Problem((*path, "path"), f"not a JSONPath expression: {error.message}"))
    if "matches" in value:
        try:
            re.compile(str(value["matches"]))
        except re.error as error:
            problems.append(Problem((*path, "matches"), f"not a regular expression: {error}"))
    if not any(key in value for key in COMPARISONS):
        problems.append(Problem(path, "give a comparison: " + ", ".join(COMPARISONS)))


def _exists_schema(description: str) -> Obj:
    return Obj(
        {"kind": KIND, "name": NAME, "selector": SELECTOR, "namespace": NAMESPACE},
        description,
        exactly_one_of=("name", "selector"),
    )


@predicate("exists", _exists_schema("the object exists (with a selector: at least one does)"))
def exists(scene: Scene, params: dict[str, Any]) -> Outcome:
    found, label = select(scene, params["kind"], params)
    live = [obj for obj in found if not obj["metadata"].get("deletionTimestamp")]
    if live:
        return held(True, "reasons.exists", what=label)
    if found:
        return held(False, "reasons.deleting", what=label)
    return held(False, "reasons.missing", what=label)


@predicate("not_exists", _exists_schema("no such object exists"))
def not_exists(scene: Scene, params: dict[str, Any]) -> Outcome:
    found, label = select(scene, params["kind"], params)
    if found:
        return held(False, "reasons.exists", what=label)
    return held(True, "reasons.missing", what=label)


def _number(value: Any) -> float | None:
    """A number, or a Kubernetes quantity ("1500m" is 1.5, "1Gi" is 1073741824)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if is_quantity(value):
        return float(parse_quantity(value))
    return None


def _same(actual: Any, wanted: Any) -> bool:
    if isinstance(wanted, bool) or isinstance(actual, bool):
        return actual is wanted or str(actual).lower() == str(wanted).lower()
    if isinstance(wanted, int | float) and _number(actual) is not None:
        return _number(actual) == float(wanted)
    return str(actual) == str(wanted)


def _compare(values: list[Any], params: dict[str, Any]) -> bool:
    if "exists" in params:
        return bool(values) == bool(params["exists"])
    if not values:
        return "not_equals" in params
    if "equals" in params:
        return all(_same(v, params["equals"]) for v in values)
    if "not_equals" in params:
        return all(not _same(v, params["not_equals"]) for v in values)
    if "matches" in params:
        pattern = re.compile(str(params["matches"]))
        return all(pattern.search(str(v)) for v in values)
    numbers = [_number(v) for v in values]
    if any(n is None for n in numbers):
        return False
    for op, test in (
        ("gt", lambda a, b: a > b),
        ("ge", lambda a, b: a >= b),
        ("lt", lambda a, b: a < b),
        ("le", lambda a, b: a <= b),
    ):
        if op in params:
            bound = _number(params[op])
            return bound is not None and all(test(n, bound) for n in numbers)
    return False


def _shown(values: list[Any]) -> str:
    if not values:
        return "(none)"
    text = ", ".join(
        json.dumps(v, sort_keys=True) if isinstance(v, dict | list) else str(v) for v in values
    )
    return text if len(text) <= 120 else text[:117] + "..."


@predicate(
    "field",
    Obj(
        {
            "kind": KIND,
            "name": Field(Str("the object's name"), required=True),
            "namespace": NAMESPACE,
            "path": Field(
                Str("a JSONPath as kubectl -o jsonpath takes it: .spec.containers[0].image"),
                required=True,
            ),
            "equals": Field(Scalar("every value found equals this")),
            "not_equals": Field(Scalar("no value found equals this")),
            "exists": Field(Bool("whether the path has a value at all")),
            "matches": Field(Str("every value found matches this regular expression")),
            "gt": Field(
                Quantity("every value is a number or quantity greater than this (2, 500m, 1Gi)")
            ),
            "ge": Field(
                Quantity("every value is a number or quantity at least this (2, 500m, 1Gi)")
            ),
            "lt": Field(
                Quantity("every value is a number or quantity less than this (2, 500m, 1Gi)")
            ),
            "le": Field(
                Quantity("every value is a number or quantity at most this (2, 500m, 1Gi)")
            ),
        },
        "a field of an object, read with JSONPath, compared with a value",
        at_most_one_of=COMPARISONS,
        extra=_check_path,
    ),
)
def field_value(scene: Scene, params: dict[str, Any]) -> Outcome:
    found, label = select(scene, params["kind"], params)
    if not found:
        if params.get("exists") is False:
            return held(True, "reasons.missing", what=label)
        return held(False, "reasons.missing", what=label)
    try:
        values = jsonpath_values(found[0], str(params["path"]))
    except JsonPathError:
        values = []
    ok = _compare(values, params)
    return held(ok, "reasons.field", what=label, path=params["path"], value=_shown(values))

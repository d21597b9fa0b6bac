"""The predicate registry: each kind has a parameter schema (checked when a level loads and
published in ``levels/schema.json``) and an evaluator. Later features add kinds (reachability,
``can-i``) with ``@predicate`` and nothing else changes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from k8sgame.datafile.schema import ListOf, OneKey, Ref, Schema
from k8sgame.levels.predicates.scene import Outcome, Scene

Evaluator = Callable[[Scene, dict[str, Any]], Outcome]


@dataclass(frozen=True)
class PredicateKind:
    name: str
    params: Schema
    evaluate: Evaluator


PREDICATES: dict[str, PredicateKind] = {}

# The recursive expression: a predicate, or all/any/not of expressions.
EXPRESSION = "check"


def predicate(name: str, params: Schema) -> Callable[[Evaluator], Evaluator]:
    """Register an evaluator under ``name`` with the schema of its parameters."""

    def register(function: Evaluator) -> Evaluator:
        if name in PREDICATES or name in COMBINATORS:
            raise ValueError(f"predicate {name!r} registered twice")
        PREDICATES[name] = PredicateKind(name, params, function)
        return function

    return register


COMBINATORS = ("all", "any", "not")


def _options() -> dict[str, Schema]:
    options: dict[str, Schema] = {
        "all": ListOf(Ref(EXPRESSION), "every check holds", min_items=1, max_items=50),
        "any": ListOf(Ref(EXPRESSION), "at least one check holds", min_items=1, max_items=50),
        "not": Ref(EXPRESSION, "the check does not hold"),
    }
    for name, kind in PREDICATES.items():
        options[name] = kind.params
    return options


def expression_schema() -> Schema:
    """The schema of one goal check (recursive through ``definitions/check``)."""
    return OneKey(_options, "one predicate, or all/any/not of predicates", what="predicate")


def evaluate(expression: dict[str, Any], scene: Scene) -> Outcome:
    """Evaluate a validated expression on ``scene``."""
    ((name, params),) = expression.items()
    if name == "all":
        outcomes = [evaluate(item, scene) for item in params]
        failed = [o for o in outcomes if not o.ok]
        if failed:
            return Outcome(False, failed[0].reason)
        return Outcome(True, outcomes[-1].reason)
    if name == "any":
        outcomes = [evaluate(item, scene) for item in params]
        for outcome in outcomes:
            if outcome.ok:
                return outcome
        reason = outcomes[0].reason
        for outcome in outcomes[1:]:
            reason = reason.with_detail(outcome.reason)
        return Outcome(False, reason)
    if name == "not":
        inner = evaluate(params, scene)
        # The inner reason already describes the state either way ("pod web exists").
        return Outcome(not inner.ok, inner.reason)
    return PREDICATES[name].evaluate(scene, params)

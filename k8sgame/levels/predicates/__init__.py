"""Goal predicates: declarative checks on the simulated cluster, looked up by name in one
registry. Importing this package registers every built-in kind."""

from k8sgame.levels.predicates import (  # noqa: F401  (registration)
    access,
    events,
    logs,
    network,
    objects,
    pods,
    storage,
    workloads,
)
from k8sgame.levels.predicates.registry import (
    PREDICATES,
    evaluate,
    expression_schema,
    predicate,
)
from k8sgame.levels.predicates.scene import Outcome, Scene

__all__ = ["PREDICATES", "Outcome", "Scene", "evaluate", "expression_schema", "predicate"]

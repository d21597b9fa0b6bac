"""``kubectl describe`` text for each kind: a registry of describers (kind -> function)
shaped after kubectl's ``describerMap``. Importing the package registers the built-in ones;
the Pod describer lives in ``k8sgame.kubectl.commands.describe``."""

from k8sgame.kubectl.describers import core, node  # noqa: F401  (registers describers)
from k8sgame.kubectl.describers.registry import (
    DESCRIBERS,
    DescribeContext,
    Describer,
    describer,
    describer_for,
)

__all__ = ["DESCRIBERS", "DescribeContext", "Describer", "describer", "describer_for"]

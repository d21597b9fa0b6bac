"""``kubectl label`` and ``kubectl annotate``: ``key=value`` to set, ``key-`` to remove."""

from __future__ import annotations

from typing import Any

from k8sgame.kubectl.commands.get import resolve_kind
from k8sgame.kubectl.errors import KubectlError
from k8sgame.kubectl.parser import Flag, Invocation, register_verb
from k8sgame.kubectl.result import Result

FLAGS = (
    Flag("overwrite", "bool", default=False),
    Flag("all", "bool", default=False),
    Flag("selector", short="l"),
)
register_verb("label", FLAGS)
register_verb("annotate", FLAGS)


def run(session: Any, inv: Invocation) -> Result:
    field = "labels" if inv.verb == "label" else "annotations"
    done = "labeled" if inv.verb == "label" else "annotated"
    undone = "unlabeled" if inv.verb == "label" else "unannotated"
    if not inv.args:
        raise KubectlError(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>"
        )
    if "/" in inv.args[0]:
        word, _, name = inv.args[0].partition("/")
        targets, changes = [name], inv.args[1:]
    else:
        word = inv.args[0]
        split = next(
            (i for i, a in enumerate(inv.args[1:], 1) if "=" in a or a.endswith("-")), len(inv.args)
        )
        targets, changes = inv.args[1:split], inv.args[split:]
    info = resolve_kind(session, word)
    if not changes:
        raise KubectlError(
            "at least one label update is required"
            if field == "labels"
            else "at least one annotation update is required"
        )
    namespace = (inv.flag("namespace") or session.namespace) if info.namespaced else ""
    result = Result()
    for name in targets:
        obj = session.cluster.store.get(info.kind, name, namespace)
        values = dict(obj["metadata"].get(field) or {})
        before = dict(values)
        for change in changes:
            if change.endswith("-") and "=" not in change:
                values.pop(change[:-1], None)
                continue
            key, _, value = change.partition("=")
            if key in values and values[key] != value and not inv.flag("overwrite"):
                raise KubectlError(
                    f"'{key}' already has a value ({values[key]}), and --overwrite is false"
                )
            values[key] = value
        label = f"{info.singular}/{name}"
        if values == before:
            result.stdout += f"{label} not {done}\n"
            continue
        patch = {"metadata": {field: {k: values.get(k) for k in set(before) | set(values)}}}
        session.cluster.store.patch(info.kind, name, namespace, patch, "merge")
        removed_only = all(k not in values for k in before if k not in values) and set(
            values
        ) < set(before)
        result.stdout += f"{label} {undone if removed_only else done}\n"
    return result

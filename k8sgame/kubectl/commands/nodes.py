"""``kubectl cordon``, ``uncordon`` and ``taint``."""

from __future__ import annotations

from typing import Any

from k8sgame.kubectl.errors import KubectlError
from k8sgame.kubectl.parser import Flag, Invocation, register_verb
from k8sgame.kubectl.result import Result

register_verb("cordon", (Flag("selector", short="l"),))
register_verb("uncordon", (Flag("selector", short="l"),))
register_verb(
    "taint",
    (
        Flag("overwrite", "bool", default=False),
        Flag("all", "bool", default=False),
        Flag("selector", short="l"),
    ),
)
EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")


def cordon(session: Any, inv: Invocation) -> Result:
    if not inv.args:
        raise KubectlError("resource(s) were provided, but no name was specified")
    wanted = inv.verb == "cordon"
    result = Result()
    for arg in inv.args:
        name = arg.split("/", 1)[-1]
        node = session.cluster.store.get("Node", name)
        if bool((node.get("spec") or {}).get("unschedulable")) == wanted:
            result.stdout += f"node/{name} already {'cordoned' if wanted else 'uncordoned'}\n"
            continue
        session.cluster.store.patch(
            "Node", name, "", {"spec": {"unschedulable": True if wanted else None}}, "merge"
        )
        result.stdout += f"node/{name} {'cordoned' if wanted else 'uncordoned'}\n"
    return result


def _parse_taint(text: str) -> tuple[dict[str, str], bool]:
    remove = text.endswith("-")
    body = text[:-1] if remove else text
    key_value, _, effect = body.partition(":")
    key, _, value = key_value.partition("=")
    if not key or (effect and effect not in EFFECTS) or (not remove and not effect):
        raise KubectlError(
            f"unknown taint spec: {text}"
            if effect not in EFFECTS
            else f'invalid taint spec: {text}, "{effect}"'
        )
    taint = {"key": key}
    if value:
        taint["value"] = value
    if effect:
        taint["effect"] = effect
    return taint, remove


def taint(session: Any, inv: Invocation) -> Result:
    if len(inv.args) < 2 or inv.args[0].split("/")[0] not in ("node", "nodes", "no"):
        raise KubectlError(
            "at least one taint update is required"
            if inv.args
            else "resource(s) were provided, but no name was specified"
        )
    names = [inv.args[1]] if "/" not in inv.args[0] else [inv.args[0].split("/", 1)[1]]
    specs = inv.args[2:] if "/" not in inv.args[0] else inv.args[1:]
    result = Result()
    for name in names:
        node = session.cluster.store.get("Node", name)
        taints = list((node.get("spec") or {}).get("taints") or [])
        removed = added = False
        for text in specs:
            wanted, remove = _parse_taint(text)
            if remove:
                keep = [
                    t
                    for t in taints
                    if not (
                        t.get("key") == wanted["key"]
                        and ("effect" not in wanted or t.get("effect") == wanted["effect"])
                    )
                ]
                if len(keep) == len(taints):
                    raise KubectlError(f'taint "{text[:-1]}" not found')
                taints, removed = keep, True
                continue
            same = [
                t
                for t in taints
                if t.get("key") == wanted["key"] and t.get("effect") == wanted["effect"]
            ]
            if same and not inv.flag("overwrite"):
                raise KubectlError(
                    f"node {name} already has {wanted['key']} taint(s) with same effect(s) and --overwrite is false"
                )
            taints = [t for t in taints if t not in same] + [wanted]
            added = True
        session.cluster.store.patch("Node", name, "", {"spec": {"taints": taints or None}}, "merge")
        result.stdout += f"node/{name} {'modified' if added and removed else 'tainted' if added else 'untainted'}\n"
    return result

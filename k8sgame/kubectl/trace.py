"""``trace``: which component wrote what since the last kubectl command, read from the writes
the API server stored and the identity that made each (``engine/trace.py``) — so the chain
behind a command (kubectl → API server → scheduler → kubelet, controllers) can be watched.

Each line is ``+TIME  COMPONENT: what it did``. Kubernetes' words (kinds, names, phases,
reasons) stay as the cluster writes them; the game's words come from ``assets/kubectl.yaml``.
Node heartbeats are left out: a kubelet renews them all the time and they change nothing.
"""

from __future__ import annotations

from typing import Any

from k8sgame.content.text import KUBECTL_NOTICES, say
from k8sgame.engine.timefmt import go_duration
from k8sgame.engine.trace import Tracer, Write

_SERVICE_ACCOUNT = "system:serviceaccount:kube-system:"


def component(user: str, language: str = "en") -> str:
    """The component behind an API identity (the audit log's ``user``)."""
    if user == "kubernetes-admin":
        return "kubectl"
    if user.startswith("system:node:"):
        return f"kubelet ({user.removeprefix('system:node:')})"
    if user == "system:kube-scheduler":
        return "kube-scheduler"
    if user.startswith(_SERVICE_ACCOUNT):
        return f"kube-controller-manager ({user.removeprefix(_SERVICE_ACCOUNT)})"
    if user == "system:kube-controller-manager":
        return "kube-controller-manager"
    if user == "etcd-lease-expiry":
        return _say("lease_expired", language)
    return "kube-apiserver"


def render_trace(tracer: Tracer, language: str) -> str:
    """The trace as text, one line per thing a component did."""
    lines = []
    for write in tracer.writes:
        for action in _actions(write, language):
            offset = "+" + go_duration(round(write.time - tracer.since, 3))
            lines.append(f"{offset:>8}  {component(write.user, language)}: {action}")
    if tracer.dropped:
        lines.append(_say("more", language, count=tracer.dropped))
    if not lines:
        return _say("nothing", language) + "\n"
    return "\n".join(lines) + "\n"


def _say(key: str, language: str, **fields: Any) -> str:
    return say(f"trace.{key}", language, table=KUBECTL_NOTICES, **fields)


def _actions(write: Write, language: str) -> list[str]:
    obj, old = write.obj, write.old
    meta = obj["metadata"]
    name = f"{write.kind}/{meta['name']}"
    if write.kind == "Event":
        involved = obj.get("involvedObject") or {}
        about = f"{involved.get('kind', '')}/{involved.get('name', '')}"
        count = int(obj.get("count") or 1)
        key = "event_again" if write.type == "MODIFIED" and count > 1 else "event"
        fields = {
            "reason": obj.get("reason", ""),
            "about": about,
            "message": obj.get("message", ""),
        }
        return [_say(key, language, count=count, **fields)]
    if write.type == "ADDED":
        return [_say("created", language, name=name)]
    if write.type == "DELETED":
        return [_say("removed", language, name=name)]
    if old is None:
        return [_say("updated", language, name=name)]
    if write.kind == "Lease" and write.type == "MODIFIED":
        # A kubelet renews its node's Lease every 10 s: heartbeats, not news.
        return []
    if write.kind == "Node":
        return _condition_changes(name, old, obj, language)
    if write.kind == "Pod":
        return _pod_changes(name, old, obj, language) or [_say("updated", language, name=name)]
    return [_say("updated", language, name=name)]


def _pod_changes(name: str, old: dict[str, Any], new: dict[str, Any], language: str) -> list[str]:
    said = []
    node = (new.get("spec") or {}).get("nodeName")
    if node and not (old.get("spec") or {}).get("nodeName"):
        said.append(_say("bound", language, name=name, node=node))
    deleting = new["metadata"].get("deletionTimestamp")
    if deleting and not old["metadata"].get("deletionTimestamp"):
        grace = new["metadata"].get("deletionGracePeriodSeconds", 0)
        said.append(_say("deleting", language, name=name, grace=grace))
    before, after = old.get("status") or {}, new.get("status") or {}
    if before.get("phase") != after.get("phase") and after.get("phase"):
        said.append(
            _say("phase", language, name=name, old=before.get("phase") or "-", new=after["phase"])
        )
    old_states = _container_states(before)
    for container, state in _container_states(after).items():
        if old_states.get(container) != state:
            was = old_states.get(container, "-")
            said.append(
                _say("container", language, name=name, container=container, old=was, new=state)
            )
    said.extend(_condition_changes(name, old, new, language))
    return said


def _container_states(status: dict[str, Any]) -> dict[str, str]:
    """Each container's state as ``waiting (Reason)``, ``running`` or ``terminated (Reason,
    exit N)``."""
    states = {}
    for entry in [
        *(status.get("initContainerStatuses") or []),
        *(status.get("containerStatuses") or []),
    ]:
        state = entry.get("state") or {}
        if "running" in state:
            states[entry["name"]] = "running"
        elif "terminated" in state:
            done = state["terminated"]
            states[entry["name"]] = (
                f"terminated ({done.get('reason', '')}, exit {done.get('exitCode')})"
            )
        elif "waiting" in state:
            states[entry["name"]] = f"waiting ({state['waiting'].get('reason', '')})"
    return states


def _condition_changes(
    name: str,
    old: dict[str, Any],
    new: dict[str, Any],
    language: str,
    only: tuple[str, ...] | None = None,
) -> list[str]:
    """Conditions whose status changed (a heartbeat that changes none says nothing)."""

    def statuses(obj: dict[str, Any]) -> dict[str, str]:
        return {
            c.get("type", ""): c.get("status", "")
            for c in (obj.get("status") or {}).get("conditions") or []
            if only is None or c.get("type") in only
        }

    before, after = statuses(old), statuses(new)
    return [
        _say(
            "condition", language, name=name, condition=kind, old=before.get(kind, "-"), new=status
        )
        for kind, status in after.items()
        if before.get(kind) != status
    ]

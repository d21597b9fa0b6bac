"""``kubectl drain NODE``: cordon, then evict every pod on the node that may go
(``kubectl/pkg/cmd/drain/drain.go`` and the filters of ``kubectl/pkg/drain/filters.go``).

Pods are checked in upstream's filter order: DaemonSet-managed, mirror, local storage
(emptyDir), no controller. A pod that may not go stops the drain with kubectl's error unless
the matching flag overrides it; overridden ones are listed in a ``Warning:`` line. Like
kubectl, the command returns once the evicted pods are gone, so simulated time moves on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from k8sgame.content.text import KUBECTL_NOTICES, say
from k8sgame.engine.errors import ApiError
from k8sgame.engine.timefmt import go_duration, parse_go_duration
from k8sgame.kubectl.commands.get import selector_flag
from k8sgame.kubectl.commands.nodes import cordon, drain_nodes
from k8sgame.kubectl.commands.write_options import DRY_RUN_FLAG, dry_run_mode, dry_run_suffix
from k8sgame.kubectl.errors import server_error
from k8sgame.kubectl.parser import Flag, Invocation
from k8sgame.kubectl.result import Result
from k8sgame.kubectl.verbs import Args, Effect, handles, register_verb

if TYPE_CHECKING:
    from k8sgame.kubectl.session import KubectlSession

# drain.go: EvictErrorRetryDelay, the wait after a budget refuses an eviction.
EVICT_RETRY_SECONDS = 5.0
# kubectl drain with no --timeout retries a refused eviction for ever; the sandbox stops after
# an hour of simulated time and says so.
DRAIN_WAIT_CAP = 3600.0

register_verb(
    "drain",
    (
        Flag("ignore-daemonsets", "bool", default=False),
        Flag("force", "bool", default=False),
        Flag("delete-emptydir-data", "bool", default=False),
        Flag("grace-period", "int", default=-1),
        Flag("timeout", default="0s"),
        Flag("pod-selector"),
        Flag("selector", short="l"),
        DRY_RUN_FLAG,
        Flag("disable-eviction", "bool", default=False),
    ),
    effect=Effect.CHANGES,
    args=Args.NODE,
)

DAEMONSET_FATAL = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)"
DAEMONSET_WARNING = "ignoring DaemonSet-managed Pods"
LOCAL_STORAGE_FATAL = "Pods with local storage (use --delete-emptydir-data to override)"
LOCAL_STORAGE_WARNING = "deleting Pods with local storage"
# filters.go has "cannot delete" in this one message too, and errors() adds another, so
# kubectl 1.35 prints "cannot delete cannot delete Pods that declare no controller ...".
UNMANAGED_FATAL = "cannot delete Pods that declare no controller (use --force to override)"
UNMANAGED_WARNING = "deleting Pods that declare no controller"
MIRROR_ANNOTATION = "kubernetes.io/config.mirror"


@dataclass
class Verdict:
    delete: bool
    kind: str = "okay"  # okay, skip, warning, error
    message: str = ""


def _controller(pod: dict[str, Any]) -> dict[str, Any] | None:
    refs = pod["metadata"].get("ownerReferences") or []
    return next((r for r in refs if r.get("controller")), None)


def _finished(pod: dict[str, Any]) -> bool:
    return (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")


def _daemonset_filter(session: KubectlSession, pod: dict[str, Any], inv: Invocation) -> Verdict:
    owner = _controller(pod)
    if not owner or owner.get("kind") != "DaemonSet" or owner.get("apiVersion") != "apps/v1":
        return Verdict(True)
    if _finished(pod):
        return Verdict(True)
    if session.api.registry.get("DaemonSet") is None:
        # No DaemonSets are served: the owner lookup is a NotFound.
        message = f'daemonsets.apps "{owner.get("name")}" not found'
        if inv.flag("force"):
            return Verdict(True, "warning", message)
        return Verdict(False, "error", message)
    if not inv.flag("ignore-daemonsets"):
        return Verdict(False, "error", DAEMONSET_FATAL)
    return Verdict(False, "warning", DAEMONSET_WARNING)


def _mirror_filter(session: KubectlSession, pod: dict[str, Any], inv: Invocation) -> Verdict:
    if MIRROR_ANNOTATION in (pod["metadata"].get("annotations") or {}):
        return Verdict(False, "skip")
    return Verdict(True)


def _local_storage_filter(session: KubectlSession, pod: dict[str, Any], inv: Invocation) -> Verdict:
    volumes = (pod.get("spec") or {}).get("volumes") or []
    if not any("emptyDir" in v for v in volumes) or _finished(pod):
        return Verdict(True)
    if not inv.flag("delete-emptydir-data"):
        return Verdict(False, "error", LOCAL_STORAGE_FATAL)
    return Verdict(True, "warning", LOCAL_STORAGE_WARNING)


def _unreplicated_filter(session: KubectlSession, pod: dict[str, Any], inv: Invocation) -> Verdict:
    if _finished(pod) or _controller(pod) is not None:
        return Verdict(True)
    if inv.flag("force"):
        return Verdict(True, "warning", UNMANAGED_WARNING)
    return Verdict(False, "error", UNMANAGED_FATAL)


FILTERS = (_daemonset_filter, _mirror_filter, _local_storage_filter, _unreplicated_filter)


def _verdict(session: KubectlSession, pod: dict[str, Any], inv: Invocation) -> Verdict:
    """filterPods: run the filters in order, stop at the first that keeps the pod; the last
    status run is the verdict (so, as upstream notes, an earlier warning can be dropped)."""
    verdict = Verdict(True)
    for check in FILTERS:
        verdict = check(session, pod, inv)
        if not verdict.delete:
            break
    return verdict


def _grouped(items: list[tuple[str, str]]) -> list[str]:
    """``message: ns/a, ns/b`` per message, in first-seen order (upstream's map order is
    random; the game keeps it stable)."""
    groups: dict[str, list[str]] = {}
    for message, pod in items:
        groups.setdefault(message, []).append(pod)
    return [f"{message}: {', '.join(pods)}" for message, pods in groups.items()]


def _pods_to_delete(session: KubectlSession, inv: Invocation, node: str) -> list[dict[str, Any]]:
    store = session.api
    pod_selector = None
    if inv.flag("pod-selector"):
        pod_selector = selector_flag(
            Invocation("drain", [], {"selector": inv.flag("pod-selector")})
        )
    return [
        p
        for p in store.list("Pod", None, pod_selector)
        if (p.get("spec") or {}).get("nodeName") == node
    ]


def _drain_node(
    session: KubectlSession, inv: Invocation, node: str, result: Result
) -> list[str] | None:
    """deleteOrEvictPodsSimple: evict what may go; returns the errors (one aggregate in
    kubectl) if the node cannot be drained."""
    store = session.api
    pods = _pods_to_delete(session, inv, node)
    warnings, errors, evict = [], [], []
    for pod in pods:
        verdict = _verdict(session, pod, inv)
        label = f"{pod['metadata']['namespace']}/{pod['metadata']['name']}"
        if verdict.kind == "error":
            errors.append((verdict.message, label))
        elif verdict.kind == "warning":
            warnings.append((verdict.message, label))
        if verdict.delete:
            evict.append(pod)
    if errors:
        return [f"cannot delete {line}" for line in _grouped(errors)]
    if warnings:
        result.stderr += "Warning: " + "; ".join(_grouped(warnings)) + "\n"
    mode = dry_run_mode(inv)
    if mode != "none":
        # evictPods: a server dry run asks for each eviction (which changes nothing) and
        # does not wait; a client dry run only says what it would do.
        for pod in evict:
            md = pod["metadata"]
            result.stdout += f"evicting pod {md['namespace']}/{md['name']}{dry_run_suffix(mode)}\n"
        return None
    grace = int(inv.flag("grace-period"))
    start = session.cluster.now
    given = parse_go_duration(str(inv.flag("timeout")))
    timeout = given or DRAIN_WAIT_CAP
    pending: list[tuple[str, str, str]] = []
    failed: list[str] = []
    queue = list(evict)
    while queue:
        retry = []
        for pod in queue:
            md = pod["metadata"]
            result.stdout += f"evicting pod {md['namespace']}/{md['name']}\n"
            try:
                store.evict(md["name"], md["namespace"], grace if grace >= 0 else None)
            except ApiError as error:
                label = f'pods/"{md["name"]}" -n "{md["namespace"]}"'
                if error.reason == "TooManyRequests":
                    # A budget refused: evictPod waits EvictErrorRetryDelay and asks again.
                    result.stderr += (
                        f"error when evicting {label} (will retry after "
                        f"{go_duration(EVICT_RETRY_SECONDS)}): {error.message}\n"
                    )
                    retry.append(pod)
                elif error.reason != "NotFound":
                    failed.append(
                        f"error when evicting {label}: " + server_error(error).rstrip("\n")
                    )
                continue
            session.cluster.settle()
            pending.append((md["namespace"], md["name"], md["uid"]))
        if not retry:
            break
        if session.cluster.now + EVICT_RETRY_SECONDS > start + timeout:
            session.cluster.run_for(max(start + timeout - session.cluster.now, 0))
            _report_gone(session, pending, result)
            if given:
                failed.extend(
                    f'error when evicting pods/"{p["metadata"]["name"]}" -n '
                    f'"{p["metadata"]["namespace"]}": global timeout reached: '
                    f"{go_duration(given)}"
                    for p in retry
                )
            else:
                result.stderr += (
                    say("drain_wait_capped", session.language, table=KUBECTL_NOTICES, hours=1)
                    + "\n"
                )
                failed.append("drain stopped by the sandbox")
            queue = []
            break
        session.cluster.run_for(EVICT_RETRY_SECONDS)
        _report_gone(session, pending, result)
        queue = [
            p
            for p in retry
            if store.peek("Pod", p["metadata"]["name"], p["metadata"]["namespace"]) is not None
        ]
    failed += _wait_for_evictions(session, pending, start, timeout, result)
    if not failed:
        return None
    left = _pods_to_delete(session, inv, node)
    if left:
        summary = failed[0] if len(failed) == 1 else "[" + ", ".join(failed) + "]"
        result.stderr += (
            f'There are pending pods in node "{node}" when an error occurred: {summary}\n'
        )
        result.stderr += "".join(f"pod/{p['metadata']['name']}\n" for p in left)
    return failed


def _wait_for_evictions(
    session: KubectlSession,
    pending: list[tuple[str, str, str]],
    start: float,
    timeout: float,
    result: Result,
) -> list[str]:
    """waitForDelete for each evicted pod: polled every second from the eviction (the
    first poll at once), ``pod/NAME evicted`` at the poll that finds it gone, all within
    the --timeout (0: no limit)."""
    store, cluster = session.api, session.cluster
    deadline = start + timeout
    while pending:
        done = [p for p in pending if _gone(store, p)]
        for entry in done:
            result.stdout += f"pod/{entry[1]} evicted\n"
            pending.remove(entry)
        if not pending:
            break
        if not cluster.run_until(
            lambda: any(_gone(store, p) for p in pending), deadline - cluster.now
        ):
            break
        next_poll = start + math.ceil(cluster.now - start)
        if next_poll > deadline:
            cluster.run_for(deadline - cluster.now)
            break
        cluster.run_for(next_poll - cluster.now)
    return [
        f'error when waiting for pod "{name}" in namespace "{namespace}" to terminate: '
        "context deadline exceeded"
        for namespace, name, _ in pending
    ]


def _report_gone(
    session: KubectlSession, pending: list[tuple[str, str, str]], result: Result
) -> None:
    """``pod/NAME evicted`` for each evicted pod that is gone by now."""
    for entry in [p for p in pending if _gone(session.api, p)]:
        result.stdout += f"pod/{entry[1]} evicted\n"
        pending.remove(entry)


def _gone(store: Any, entry: tuple[str, str, str]) -> bool:
    namespace, name, uid = entry
    live = store.peek("Pod", name, namespace)
    return live is None or live["metadata"].get("uid") != uid


@handles("drain")
def run(session: KubectlSession, inv: Invocation) -> Result:
    """Cordon the node(s), then drain each; failures are reported and the rest go on."""
    names = drain_nodes(session, inv)
    result = cordon(session, Invocation("cordon", names, {"dry-run": inv.flag("dry-run")}))
    suffix = dry_run_suffix(dry_run_mode(inv))
    remaining = []
    for name in names:
        errors = _drain_node(session, inv, name, result)
        if errors is None:
            result.stdout += f"node/{name} drained{suffix}\n"
            continue
        # err.Error() of the node's aggregate: the message, or "[a, b]" for several.
        summary = errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]"
        result.stderr += (
            f'error: unable to drain node "{name}" due to error: {summary}, continuing command...\n'
        )
        remaining.append((name, errors))
    if remaining:
        result.stderr += "There are pending nodes to be drained:\n"
        result.stderr += "".join(f" {name}\n" for name, _ in remaining)
        # CheckErr: the nodes' aggregates, each error of each on a line of its own.
        result.stderr += "".join(f"{e}\n" for _, errors in remaining for e in errors)
        result.exit_code = 1
    return result

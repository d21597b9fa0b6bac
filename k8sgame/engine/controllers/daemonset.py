"""The DaemonSet controller as ``daemonset-controller`` (``pkg/controller/daemon``:
``daemon_controller.go``, ``update.go``, ``util/daemonset_util.go``).

For every node it decides whether the DaemonSet should run there (``nodeShouldRunDaemonPod``:
the template's node name, node selector and required node affinity, and the node's
NoSchedule and NoExecute taints against the template's tolerations plus the ones every
daemon pod gets) and keeps exactly one pod on each such node: it creates a missing one
(pinned to the node by node affinity on ``metadata.name``, then bound by the scheduler),
replaces a failed one, and deletes pods from nodes they should not run on (a pod keeps
running where only a NoSchedule taint is not tolerated). A rolling update deletes old pods,
unavailable ones first, while no more than ``maxUnavailable`` (rounded up) nodes are without
an available pod; the loop then creates their replacements.
"""

from __future__ import annotations

from typing import Any

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.clock import SimClock
from k8sgame.engine.controllers.base import Informer, QueueController, Result
from k8sgame.engine.controllers.deployment.revisions import template_hash
from k8sgame.engine.controllers.ownership import claim, controller_ref
from k8sgame.engine.controllers.pod_control import PodControl
from k8sgame.engine.controllers.replicaset import KIND_NAMESPACE_INDEX, pod_ready_since
from k8sgame.engine.events import NORMAL, WARNING, EventRecorder
from k8sgame.engine.intstr import scaled_value
from k8sgame.engine.kinds.daemon_set import ON_DELETE, TEMPLATE_GENERATION
from k8sgame.engine.labels import SelectorError, from_label_selector
from k8sgame.engine.objcopy import clone
from k8sgame.engine.scheduler.node_affinity import matches_node_selector_and_affinity
from k8sgame.engine.scheduler.taints import first_untolerated
from k8sgame.engine.store import WatchEvent

COMPONENT = "daemonset-controller"
REVISION_HASH = "controller-revision-hash"
TEMPLATE_GENERATION_LABEL = "pod-template-generation"
# AddOrUpdateDaemonPodTolerations (K8S-FACTS §9.7): no tolerationSeconds, so a daemon pod
# stays on a node that is not ready or unreachable.
DAEMON_TOLERATIONS: tuple[dict[str, str], ...] = (
    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"},
    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute"},
    {"key": "node.kubernetes.io/disk-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/memory-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/pid-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"},
)
NETWORK_UNAVAILABLE = {
    "key": "node.kubernetes.io/network-unavailable",
    "operator": "Exists",
    "effect": "NoSchedule",
}

Obj = dict[str, Any]


def daemon_pod_spec(ds: Obj, node_name: str) -> Obj:
    """The pod spec for one node: the template's, with the daemon tolerations added and a
    required node affinity for that node (``ReplaceDaemonSetPodNodeNameNodeAffinity``)."""
    spec = clone(((ds.get("spec") or {}).get("template") or {}).get("spec") or {})
    tolerations = list(spec.get("tolerations") or [])
    extra = list(DAEMON_TOLERATIONS)
    if spec.get("hostNetwork"):
        extra.append(NETWORK_UNAVAILABLE)
    for toleration in extra:
        tolerations = [
            t
            for t in tolerations
            if not (t.get("key") == toleration["key"] and t.get("effect") == toleration["effect"])
        ]
        tolerations.append(dict(toleration))
    spec["tolerations"] = tolerations
    term = {"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node_name]}]}
    affinity = spec.setdefault("affinity", {})
    node_affinity = affinity.setdefault("nodeAffinity", {})
    node_affinity["requiredDuringSchedulingIgnoredDuringExecution"] = {"nodeSelectorTerms": [term]}
    return spec


def should_run(ds: Obj, node: Obj) -> tuple[bool, bool]:
    """``nodeShouldRunDaemonPod``: (should a pod be created there, may one keep running)."""
    template_spec = ((ds.get("spec") or {}).get("template") or {}).get("spec") or {}
    name = node["metadata"]["name"]
    if template_spec.get("nodeName") and template_spec["nodeName"] != name:
        return False, False
    if not matches_node_selector_and_affinity(template_spec, node):
        return False, False
    tolerations = daemon_pod_spec(ds, name)["tolerations"]
    taints = (node.get("spec") or {}).get("taints") or []
    if first_untolerated(taints, tolerations, ("NoSchedule", "NoExecute")) is None:
        return True, True
    return False, first_untolerated(taints, tolerations, ("NoExecute",)) is None


def target_node(pod: Obj) -> str:
    """``GetTargetNodeName``: where the pod runs, or the node its affinity pins it to."""
    spec = pod.get("spec") or {}
    if spec.get("nodeName"):
        return str(spec["nodeName"])
    required = ((spec.get("affinity") or {}).get("nodeAffinity") or {}).get(
        "requiredDuringSchedulingIgnoredDuringExecution"
    ) or {}
    for term in required.get("nodeSelectorTerms") or []:
        for field in term.get("matchFields") or []:
            if field.get("key") == "metadata.name" and field.get("values"):
                return str(field["values"][0])
    return ""


def _by_node(pods: list[Obj]) -> dict[str, list[Obj]]:
    """``getNodesToDaemonPods``: the pods not being deleted, by the node they run or will
    run on."""
    found: dict[str, list[Obj]] = {}
    for pod in pods:
        if not pod["metadata"].get("deletionTimestamp"):
            found.setdefault(target_node(pod), []).append(pod)
    return found


def _oldest_scheduled_first(pod: Obj) -> tuple[Any, ...]:
    """``podByCreationTimestampAndPhase``: bound pods first, then the oldest, then by name."""
    return (
        not (pod.get("spec") or {}).get("nodeName"),
        pod["metadata"].get("creationTimestamp", ""),
        pod["metadata"]["name"],
    )


def revision_hash(ds: Obj) -> str:
    """The ``controller-revision-hash`` of the DaemonSet's current template."""
    template = (ds.get("spec") or {}).get("template") or {}
    return template_hash(template, (ds.get("status") or {}).get("collisionCount"))


class DaemonSetController(QueueController[tuple[str, str]]):
    name = "daemonset-controller"
    kinds = ("DaemonSet", "Pod", "Node")

    def __init__(self, api: Client, informer: Informer, clock: SimClock) -> None:
        super().__init__(api, informer, clock)
        self.clock = clock
        self.recorder = EventRecorder(api, clock)
        self.pods = PodControl(api, self.recorder, COMPONENT)

    def on_event(self, event: WatchEvent) -> None:
        md = event.obj["metadata"]
        if event.kind == "Node":
            for key in sorted(self._all_daemon_sets()):
                self.queue.add(key)
            return
        namespace = md.get("namespace", "")
        if event.kind == "DaemonSet":
            self.queue.add((namespace, md["name"]))
            return
        for pod in (event.obj, event.old):
            ref = controller_ref(pod) if pod is not None else None
            if ref is not None and ref.get("kind") == "DaemonSet":
                self.queue.add((namespace, str(ref.get("name", ""))))
        if controller_ref(event.obj) is None:
            for _, ds in self.informer.by_index(KIND_NAMESPACE_INDEX, f"DaemonSet/{namespace}"):
                if self._selects(ds, md.get("labels") or {}):
                    self.queue.add((namespace, ds["metadata"]["name"]))

    def _all_daemon_sets(self) -> set[tuple[str, str]]:
        return {
            (key[1], key[2])
            for value in self.informer.index_values(KIND_NAMESPACE_INDEX)
            if value.startswith("DaemonSet/")
            for key, _ in self.informer.by_index(KIND_NAMESPACE_INDEX, value)
        }

    @staticmethod
    def _selects(ds: Obj, labels: dict[str, str]) -> bool:
        try:
            selector = from_label_selector((ds.get("spec") or {}).get("selector"))
        except SelectorError:
            return False
        return not selector.empty and selector.matches(labels)

    def _nodes(self) -> list[Obj]:
        return [node for _, node in self.informer.by_index(KIND_NAMESPACE_INDEX, "Node/")]

    # -- the sync ---------------------------------------------------------------------------

    def reconcile(self, key: tuple[str, str]) -> Result | None:
        namespace, name = key
        stored = self.informer.get(("DaemonSet", namespace, name))
        if stored is None:
            return None
        ds = clone(stored)
        pods = claim(self.informer, self.api, ds, "Pod", lambda labels: self._selects(ds, labels))
        if ds["metadata"].get("deletionTimestamp"):
            return None
        current = revision_hash(ds)
        nodes = self._nodes()
        self._manage(ds, nodes, _by_node(pods), current)
        strategy = (ds.get("spec") or {}).get("updateStrategy") or {}
        if strategy.get("type") != ON_DELETE:
            # The rolling update sees the pods the manage step just created (upstream waits
            # for its expectations to be met before it looks).
            pods = claim(
                self.informer, self.api, ds, "Pod", lambda labels: self._selects(ds, labels)
            )
            self._rolling_update(ds, nodes, _by_node(pods), current)
        return self._write_status(ds, nodes, current)

    def _manage(
        self, ds: Obj, nodes: list[Obj], by_node: dict[str, list[Obj]], current: str
    ) -> None:
        """``manage``: one pod on every node that should run one, none elsewhere."""
        for node in nodes:
            name = node["metadata"]["name"]
            run, keep = should_run(ds, node)
            here = sorted(by_node.get(name, []), key=_oldest_scheduled_first)
            if keep:
                for pod in here:
                    phase = (pod.get("status") or {}).get("phase")
                    if phase not in ("Failed", "Succeeded"):
                        continue
                    md = pod["metadata"]
                    where = f"{md.get('namespace')}/{md['name']} on node {name}"
                    if phase == "Failed":
                        reason, message = "FailedDaemonPod", "will try to kill it"
                        kind = WARNING
                    else:
                        reason, message = "SucceededDaemonPod", "will try to delete it"
                        kind = NORMAL
                    self.recorder.record(
                        ds,
                        kind,
                        reason,
                        f"Found {phase.lower()} daemon pod {where}, {message}",
                        COMPONENT,
                    )
                    self.pods.delete(ds, pod)
                running = [
                    p
                    for p in here
                    if (p.get("status") or {}).get("phase") not in ("Failed", "Succeeded")
                ]
                for extra in running[1:]:
                    self.pods.delete(ds, extra)
                if run and not here:
                    self._create(ds, name, current)
            else:
                for pod in here:
                    self.pods.delete(ds, pod)
        known = {node["metadata"]["name"] for node in nodes}
        for node_name, here in by_node.items():
            if node_name and node_name not in known:
                for pod in here:
                    self.pods.delete(ds, pod)

    def _create(self, ds: Obj, node_name: str, current: str) -> None:
        template = clone((ds.get("spec") or {}).get("template") or {})
        md = template.setdefault("metadata", {})
        generation = (ds["metadata"].get("annotations") or {}).get(TEMPLATE_GENERATION, "1")
        md["labels"] = {
            **(md.get("labels") or {}),
            REVISION_HASH: current,
            TEMPLATE_GENERATION_LABEL: str(generation),
        }
        template["spec"] = daemon_pod_spec(ds, node_name)
        self.pods.create(ds, template)

    def _available(self, ds: Obj, pod: Obj) -> bool:
        since = pod_ready_since(pod)
        min_ready = int((ds.get("spec") or {}).get("minReadySeconds") or 0)
        return since is not None and since + min_ready <= self.clock.now

    def _rolling_update(
        self, ds: Obj, nodes: list[Obj], by_node: dict[str, list[Obj]], current: str
    ) -> None:
        """``rollingUpdate`` with maxSurge 0: replace old pods node by node while at most
        maxUnavailable nodes lack an available up-to-date pod."""
        desired = sum(1 for node in nodes if should_run(ds, node)[0])
        rolling = ((ds.get("spec") or {}).get("updateStrategy") or {}).get("rollingUpdate") or {}
        try:
            budget = scaled_value(rolling.get("maxUnavailable"), desired, True)
        except ValueError:
            budget = 1
        unavailable = 0
        replace: list[Obj] = []
        candidates: list[Obj] = []
        for name in sorted(by_node):
            here = by_node[name]
            new = [
                p for p in here if (p["metadata"].get("labels") or {}).get(REVISION_HASH) == current
            ]
            old = [p for p in here if p not in new]
            if len(here) != 1:
                unavailable += 1
            elif new:
                if not self._available(ds, new[0]):
                    unavailable += 1
            elif not self._available(ds, old[0]):
                replace.append(old[0])
            elif unavailable < budget:
                candidates.append(old[0])
        room = min(max(budget - unavailable, 0), len(candidates))
        for pod in replace + candidates[:room]:
            self.pods.delete(ds, pod)

    def _write_status(self, ds: Obj, nodes: list[Obj], current: str) -> Result | None:
        """``updateDaemonSetStatus``: each node's oldest daemon pod (bound or on its way)
        counted against whether the DaemonSet should run there."""
        pods = claim(self.informer, self.api, ds, "Pod", lambda labels: self._selects(ds, labels))
        by_node: dict[str, list[Obj]] = {}
        for pod in pods:
            terminal = (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")
            if terminal and pod["metadata"].get("deletionTimestamp"):
                continue
            by_node.setdefault(target_node(pod), []).append(pod)
        desired = scheduled = ready = available = updated = misscheduled = 0
        for node in nodes:
            name = node["metadata"]["name"]
            run, _ = should_run(ds, node)
            here = sorted(by_node.get(name, []), key=_oldest_scheduled_first)
            if run:
                desired += 1
                if here:
                    scheduled += 1
                    pod = here[0]
                    if pod_ready_since(pod) is not None:
                        ready += 1
                        if self._available(ds, pod):
                            available += 1
                    if (pod["metadata"].get("labels") or {}).get(REVISION_HASH) == current:
                        updated += 1
            elif here:
                misscheduled += 1
        status: Obj = {
            "currentNumberScheduled": scheduled,
            "numberMisscheduled": misscheduled,
            "desiredNumberScheduled": desired,
            "numberReady": ready,
            "observedGeneration": int(ds["metadata"].get("generation") or 0),
            "updatedNumberScheduled": updated,
            "numberAvailable": available,
            "numberUnavailable": desired - available,
        }
        status = {
            k: v
            for k, v in status.items()
            if v
            or k
            in (
                "currentNumberScheduled",
                "numberMisscheduled",
                "desiredNumberScheduled",
                "numberReady",
            )
        }
        old = ds.get("status") or {}
        if old.get("collisionCount") is not None:
            status["collisionCount"] = old["collisionCount"]
        if status != old:
            updated_ds = dict(ds)
            updated_ds["status"] = status
            self.api.update_status(updated_ds)
        min_ready = int((ds.get("spec") or {}).get("minReadySeconds") or 0)
        if min_ready > 0 and ready != available:
            return Result(requeue_after=float(min_ready))
        return None

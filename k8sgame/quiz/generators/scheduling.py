"""Where the scheduler puts a pod: two or three nodes with seeded allocatable cpu and memory,
sometimes a taint, a label the pod's nodeSelector wants, or pods already requesting part of a
node; a pod with requests. Each variant is built so that at most one node passes the
scheduler's filters (the real scheduler picks at random among equally scored nodes, the
simulator by name: K8S-FACTS §9.3), then the engine's scheduler places the pod and decides.
A pod that fits nowhere stays Pending, and the explanation quotes the FailedScheduling event
the scheduler recorded (K8S-FACTS §9.6)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import yaml

from k8sgame.content.language import LANGUAGES
from k8sgame.content.text import QUIZ_MESSAGES, Text, say
from k8sgame.engine.cluster import Cluster
from k8sgame.measure import MeasureError
from k8sgame.quiz.generators.cluster import NAMESPACE, fresh_cluster, node, pod_manifest, text
from k8sgame.quiz.generators.registry import generator
from k8sgame.quiz.model import Option, Question

PENDING = ""  # the answer when no node takes the pod
REASONS = ("cpu", "memory", "taint", "label", "busy")
NODE_CPU_M = (1000, 2000, 4000, 8000)
NODE_MEMORY_MI = (1024, 2048, 4096, 8192, 16384)
POD_CPU_M = (1500, 2000, 3000)
POD_MEMORY_MI = (1536, 3072, 6144)
SELECTOR = ("disktype", "ssd")
FILLER_MEMORY = "256Mi"  # what the pod already on a busy node requests besides cpu
OTHER_DISK = "hdd"
TOLERATED = {"key": "dedicated", "value": "batch", "effect": "NoSchedule"}
UNTOLERATED = (
    {"key": "dedicated", "value": "gpu", "effect": "NoSchedule"},
    {"key": "maintenance", "value": "true", "effect": "NoSchedule"},
    {"key": "dedicated", "value": "database", "effect": "NoExecute"},
)


def cpu_text(millis: int) -> str:
    return str(millis // 1000) if millis % 1000 == 0 else f"{millis}m"


def memory_text(mib: int) -> str:
    return f"{mib // 1024}Gi" if mib % 1024 == 0 else f"{mib}Mi"


def taint_text(taint: dict[str, str]) -> str:
    return f"{taint['key']}={taint['value']}:{taint['effect']}"


@dataclass
class Machine:
    """One node of the variant, and why the pod does (``fits``) or does not fit it."""

    name: str
    reason: str
    cpu: int
    memory: int
    labels: dict[str, str] = field(default_factory=dict)
    taints: list[dict[str, str]] = field(default_factory=list)
    requested: int = 0  # milli-cpu requested by pods already bound there

    def manifest(self) -> dict[str, Any]:
        return node(
            self.name,
            cpu_text(self.cpu),
            memory_text(self.memory),
            labels=self.labels,
            taints=self.taints,
        )

    def shown(self) -> dict[str, Any]:
        """What the prompt shows of the node."""
        data: dict[str, Any] = {"name": self.name}
        if self.labels:
            data["labels"] = dict(self.labels)
        if self.taints:
            data["taints"] = [dict(t) for t in self.taints]
        data["allocatable"] = {"cpu": cpu_text(self.cpu), "memory": memory_text(self.memory)}
        if self.requested:
            data["requested"] = {"cpu": cpu_text(self.requested), "memory": FILLER_MEMORY}
        return data


def _machine(
    rng: random.Random, name: str, reason: str, cpu: int, memory: int, selector: bool
) -> Machine:
    fit_cpu = [c for c in NODE_CPU_M if c >= cpu]
    fit_memory = [m for m in NODE_MEMORY_MI if m >= memory]
    machine = Machine(name, reason, rng.choice(fit_cpu), rng.choice(fit_memory))
    if reason == "cpu":
        machine.cpu = rng.choice([c for c in NODE_CPU_M if c < cpu])
    elif reason == "memory":
        machine.memory = rng.choice([m for m in NODE_MEMORY_MI if m < memory])
    elif reason == "busy":
        # Room for the pod on paper, but pods already there leave 500m too little.
        machine.requested = machine.cpu - cpu + 500
    elif reason == "taint":
        machine.taints = [dict(rng.choice(UNTOLERATED))]
    if selector:
        if reason == "label":
            if rng.random() < 0.5:
                machine.labels = {SELECTOR[0]: OTHER_DISK}
        else:
            machine.labels = {SELECTOR[0]: SELECTOR[1]}
    return machine


def _filler(machine: Machine) -> dict[str, Any]:
    """A pod already bound to ``machine`` that requests its ``requested`` cpu."""
    requests = {"cpu": cpu_text(machine.requested), "memory": FILLER_MEMORY}
    container = {"name": "app", "image": "nginx:1.27", "resources": {"requests": requests}}
    return pod_manifest(f"existing-{machine.name}", [container], nodeName=machine.name)


def _reason(machine: Machine, cpu: int, memory: int) -> Text:
    fields: dict[str, Any] = {"node": machine.name}
    if machine.reason == "fits":
        key = "fits_tolerated" if machine.taints else "fits"
        fields["taint"] = taint_text(machine.taints[0]) if machine.taints else ""
    elif machine.reason == "cpu":
        key = "cpu"
        fields.update(free=cpu_text(machine.cpu), request=cpu_text(cpu))
    elif machine.reason == "busy":
        key = "busy"
        fields.update(
            used=cpu_text(machine.requested),
            allocatable=cpu_text(machine.cpu),
            free=cpu_text(machine.cpu - machine.requested),
            request=cpu_text(cpu),
        )
    elif machine.reason == "memory":
        key = "memory"
        fields.update(free=memory_text(machine.memory), request=memory_text(memory))
    elif machine.reason == "taint":
        key = "taint"
        fields["taint"] = taint_text(machine.taints[0])
    else:
        key = "label"
        fields["label"] = f"{SELECTOR[0]}={SELECTOR[1]}"
    return text(f"generated.scheduling.reason_{key}", **fields)


def _with_reasons(key: str, reasons: list[Text], **fields: Any) -> Text:
    """Message ``key`` with ``reasons`` listed one per line, in each language."""
    en, ko = (
        say(
            key,
            language,
            table=QUIZ_MESSAGES,
            reasons="\n".join(f"- {reason.get(language)}" for reason in reasons),
            **fields,
        )
        for language in LANGUAGES
    )
    return Text(en, ko)


def placement(cluster: Cluster, pod: str) -> tuple[str, str]:
    """The node the pod was bound to (PENDING if none) and the scheduler's last
    FailedScheduling message for it ("" if none)."""
    obj = cluster.api.peek("Pod", pod, NAMESPACE)
    if obj is None:
        raise MeasureError(f"pod {pod} does not exist")
    failed = [
        event
        for event in cluster.api.list("Event", NAMESPACE)
        if (event.get("involvedObject") or {}).get("name") == pod
        and event.get("reason") == "FailedScheduling"
    ]
    message = str(failed[-1].get("message")) if failed else ""
    return str((obj.get("spec") or {}).get("nodeName") or PENDING), message


@generator("scheduling", ("scheduler", "resource-requests", "taints-tolerations", "node-selection"))
def scheduling(seed: int) -> Question:
    rng = random.Random(seed)
    count = rng.choice((2, 3, 3))
    names = [f"node-{index}" for index in range(1, count + 1)]
    target = PENDING if rng.random() < 0.25 else rng.choice(names)
    cpu, memory = rng.choice(POD_CPU_M), rng.choice(POD_MEMORY_MI)
    failing = [name for name in names if name != target]
    reasons = dict(zip(failing, rng.sample(REASONS, len(failing)), strict=True))
    selector = "label" in reasons.values() or rng.random() < 0.2
    machines = [
        _machine(rng, name, reasons.get(name, "fits"), cpu, memory, selector) for name in names
    ]
    tolerate = target != PENDING and rng.random() < 0.3
    if tolerate:
        next(m for m in machines if m.name == target).taints = [dict(TOLERATED)]

    requests = {"cpu": cpu_text(cpu), "memory": memory_text(memory)}
    container = {"name": "app", "image": "nginx:1.27", "resources": {"requests": requests}}
    spec: dict[str, Any] = {}
    if selector:
        spec["nodeSelector"] = {SELECTOR[0]: SELECTOR[1]}
    if tolerate or rng.random() < 0.15:
        key, value, effect = TOLERATED["key"], TOLERATED["value"], TOLERATED["effect"]
        spec["tolerations"] = [{"key": key, "operator": "Equal", "value": value, "effect": effect}]
    manifest = pod_manifest("web", [container], **spec)

    cluster = fresh_cluster(seed, [m.manifest() for m in machines])
    for machine in machines:
        if machine.requested:
            cluster.api.create(_filler(machine))
    cluster.settle()
    cluster.api.create(manifest)
    cluster.run_for(2)
    answer, message = placement(cluster, "web")
    if answer != target:
        raise MeasureError(f"designed for {target or 'Pending'}, the scheduler chose {answer}")

    why = [_reason(m, cpu, memory) for m in machines]
    if answer == PENDING:
        explanation = _with_reasons(
            "generated.scheduling.explanation_pending", why, message=message
        )
    else:
        explanation = _with_reasons("generated.scheduling.explanation_scheduled", why, node=answer)
    nodes = yaml.safe_dump([m.shown() for m in machines], sort_keys=False).rstrip()
    shown = yaml.safe_dump(manifest, sort_keys=False).rstrip()
    options = [Option(Text(name, name), name == answer) for name in names]
    options.append(Option(text("generated.scheduling.option_pending"), answer == PENDING))
    concepts = ["scheduler", "resource-requests"]
    if any(m.taints for m in machines):
        concepts.append("taints-tolerations")
    if selector:
        concepts.append("node-selection")
    return Question(
        id=f"scheduling-{seed}",
        kind="single",
        prompt=text("generated.scheduling.prompt", nodes=nodes, spec=shown),
        explanation=explanation,
        concepts=tuple(concepts),
        difficulty=3,
        options=tuple(options),
        generator="scheduling",
        seed=seed,
    )

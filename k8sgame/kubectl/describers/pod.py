"""The Pod describer (``kubectl/pkg/describe/describe.go`` ``PodDescriber``) and the pod
template block the workload describers share (``DescribePodTemplate``), both built from the
same container, volume and toleration writers.

Text is laid out as kubectl's describers write it: tab-separated lines through Go's
tabwriter, ending with the Events table. Since kubectl 1.35 event messages carry the
involved object's field path (``spec.containers{web}: ...``).
"""

from __future__ import annotations

from typing import Any

from k8sgame.engine.timefmt import parse_rfc3339
from k8sgame.kubectl.describers.quantity import format_quantity
from k8sgame.kubectl.describers.registry import DescribeContext
from k8sgame.kubectl.describers.text import (
    L1,
    L2,
    L3,
    annotations_multiline,
    finish,
    format_label_selector,
    labels_multiline,
    rfc1123z,
)
from k8sgame.kubectl.duration import human_duration


def _state(name: str, state: dict[str, Any], out: list[str]) -> None:
    if "running" in state:
        out.append(f"{L2}{name}:\tRunning")
        out.append(f"{L3}Started:\t{rfc1123z(state['running'].get('startedAt'))}")
    elif "terminated" in state:
        t = state["terminated"]
        out.append(f"{L2}{name}:\tTerminated")
        if t.get("reason"):
            out.append(f"{L3}Reason:\t{t['reason']}")
        if t.get("message"):
            out.append(f"{L3}Message:\t{t['message']}")
        out.append(f"{L3}Exit Code:\t{t.get('exitCode', 0)}")
        out.append(f"{L3}Started:\t{rfc1123z(t.get('startedAt'))}")
        out.append(f"{L3}Finished:\t{rfc1123z(t.get('finishedAt'))}")
    else:
        out.append(f"{L2}{name}:\tWaiting")
        reason = (state.get("waiting") or {}).get("reason")
        if reason:
            out.append(f"{L3}Reason:\t{reason}")


def probe_text(probe: dict[str, Any]) -> str:
    """``DescribeProbe``: handler, then delay/timeout/period and the thresholds."""
    if probe.get("httpGet") is not None:
        action = probe["httpGet"]
        handler = f"http-get {str(action.get('scheme') or 'HTTP').lower()}://{action.get('host') or ''}:{action.get('port')}{action.get('path') or '/'}"
    elif probe.get("tcpSocket") is not None:
        handler = (
            f"tcp-socket {probe['tcpSocket'].get('host') or ''}:{probe['tcpSocket'].get('port')}"
        )
    elif probe.get("exec") is not None:
        handler = f"exec [{' '.join(str(a) for a in probe['exec'].get('command') or [])}]"
    elif probe.get("grpc") is not None:
        handler = f"grpc <pod>:{probe['grpc'].get('port')} {probe['grpc'].get('service') or ''}"
    else:
        handler = "unknown"
    return (
        f"{handler} delay={probe.get('initialDelaySeconds', 0)}s timeout={probe.get('timeoutSeconds', 1)}s "
        f"period={probe.get('periodSeconds', 10)}s #success={probe.get('successThreshold', 1)} #failure={probe.get('failureThreshold', 3)}"
    )


def _ports(ports: list[dict[str, Any]], key: str) -> str:
    return ", ".join(f"{p.get(key, 0)}/{p.get('protocol', 'TCP')}" for p in ports) or "<none>"


def _env_value(entry: dict[str, Any]) -> str:
    source = entry.get("valueFrom")
    if source is None:
        return str(entry.get("value", ""))
    if source.get("fieldRef"):
        ref = source["fieldRef"]
        return f"({ref.get('apiVersion', 'v1')}:{ref.get('fieldPath')})"
    if source.get("resourceFieldRef"):
        ref = source["resourceFieldRef"]
        return f"{ref.get('resource')} ({ref.get('containerName') or ''})"
    for key, word in (("configMapKeyRef", "config map"), ("secretKeyRef", "secret")):
        if source.get(key):
            ref = source[key]
            return f"<set to the key '{ref.get('key')}' of {word} '{ref.get('name')}'>\tOptional: {str(bool(ref.get('optional'))).lower()}"
    return ""


def describe_containers(
    label: str,
    specs: list[dict[str, Any]],
    statuses: list[dict[str, Any]],
    out: list[str],
    space: str = "",
) -> None:
    """``describeContainers``: a pod's containers with their statuses, or a pod template's
    (no statuses; ``space`` "  " indents the label and puts one more space before each
    container's name, as ``DescribePodTemplate`` does)."""
    by_name = {s.get("name"): s for s in statuses}
    name_indent = " " if space else ""
    out.append(f"{space}{label}:{'' if specs else ' <none>'}")
    for spec in specs:
        status = by_name.get(spec.get("name"))
        out.append(f"{L1}{name_indent}{spec.get('name')}:")
        if status is not None:
            out.append(f"{L2}Container ID:\t{status.get('containerID', '')}")
        out.append(f"{L2}Image:\t{spec.get('image', '')}")
        if status is not None:
            out.append(f"{L2}Image ID:\t{status.get('imageID', '')}")
        ports = spec.get("ports") or []
        out.append(
            f"{L2}{'Ports' if len(ports) > 1 else 'Port'}:\t{_ports(ports, 'containerPort')}"
        )
        out.append(
            f"{L2}{'Host Ports' if len(ports) > 1 else 'Host Port'}:\t{_ports(ports, 'hostPort')}"
        )
        for field, word in (("command", "Command"), ("args", "Args")):
            if spec.get(field):
                out.append(f"{L2}{word}:")
                out.extend(f"{L3}{arg}" for arg in spec[field])
        if status is not None:
            _state("State", status.get("state") or {}, out)
            if status.get("lastState"):
                _state("Last State", status["lastState"], out)
            out.append(f"{L2}Ready:\t{'True' if status.get('ready') else 'False'}")
            out.append(f"{L2}Restart Count:\t{status.get('restartCount', 0)}")
        resources = spec.get("resources") or {}
        for group, word in (("limits", "Limits"), ("requests", "Requests")):
            if resources.get(group):
                out.append(f"{L2}{word}:")
                out.extend(
                    f"{L3}{name}:\t{format_quantity(value)}"
                    for name, value in sorted(resources[group].items())
                )
        for kind, word in (
            ("livenessProbe", "Liveness"),
            ("readinessProbe", "Readiness"),
            ("startupProbe", "Startup"),
        ):
            if spec.get(kind):
                out.append(f"{L2}{word}:\t{probe_text(spec[kind])}")
        for source in spec.get("envFrom") or []:
            out.append(f"{L2}Environment Variables from:")
            for key, word in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
                if source.get(key):
                    optional = str(bool(source[key].get("optional"))).lower()
                    out.append(f"{L3}{source[key].get('name')}\t{word}\tOptional: {optional}")
        env = spec.get("env") or []
        if env:
            out.append(f"{L2}Environment:")
            out.extend(f"{L3}{entry.get('name')}:\t{_env_value(entry)}" for entry in env)
        else:
            out.append(f"{L2}Environment:\t<none>")
        mounts = spec.get("volumeMounts") or []
        if mounts:
            out.append(f"{L2}Mounts:")
            for mount in mounts:
                flags = ["ro" if mount.get("readOnly") else "rw"]
                if mount.get("subPath"):
                    flags.append(f'path="{mount["subPath"]}"')
                out.append(
                    f"{L3}{mount.get('mountPath')} from {mount.get('name')} ({','.join(flags)})"
                )
        else:
            out.append(f"{L2}Mounts:\t<none>")


def describe_volumes(volumes: list[dict[str, Any]], out: list[str], space: str = "") -> None:
    """``describeVolumes``; a pod template's (``space`` "  ") indents the label and puts one
    more space before each volume's name."""
    if not volumes:
        out.append(f"{space}Volumes:\t<none>")
        return
    out.append(f"{space}Volumes:")
    name_indent = " " if space else ""
    for volume in volumes:
        out.append(f"{L1}{name_indent}{volume.get('name')}:")
        if volume.get("projected") is not None:
            out.append(
                f"{L2}Type:\tProjected (a volume that contains injected data from multiple sources)"
            )
            for source in volume["projected"].get("sources") or []:
                if source.get("serviceAccountToken"):
                    out.append(
                        f"{L2}TokenExpirationSeconds:\t{source['serviceAccountToken'].get('expirationSeconds', 3607)}"
                    )
                if source.get("configMap"):
                    out.append(f"{L2}ConfigMapName:\t{source['configMap'].get('name')}")
                    out.append(
                        f"{L2}Optional:\t{str(bool(source['configMap'].get('optional'))).lower()}"
                    )
                if source.get("downwardAPI"):
                    out.append(f"{L2}DownwardAPI:\ttrue")
        elif volume.get("configMap") is not None:
            out.append(f"{L2}Type:\tConfigMap (a volume populated by a ConfigMap)")
            out.append(f"{L2}Name:\t{volume['configMap'].get('name')}")
            out.append(f"{L2}Optional:\t{str(bool(volume['configMap'].get('optional'))).lower()}")
        elif volume.get("secret") is not None:
            out.append(f"{L2}Type:\tSecret (a volume populated by a Secret)")
            out.append(f"{L2}SecretName:\t{volume['secret'].get('secretName')}")
            out.append(f"{L2}Optional:\t{str(bool(volume['secret'].get('optional'))).lower()}")
        elif volume.get("emptyDir") is not None:
            out.append(f"{L2}Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)")
            out.append(f"{L2}Medium:\t{volume['emptyDir'].get('medium', '')}")
            out.append(f"{L2}SizeLimit:\t{volume['emptyDir'].get('sizeLimit') or '<unset>'}")
        else:
            out.append(f"{L2}Type:\t{next((k for k in volume if k != 'name'), 'unknown')}")


def _toleration(t: dict[str, Any]) -> str:
    text = str(t.get("key") or "")
    if t.get("value"):
        text += f"={t['value']}"
    if t.get("effect"):
        text += f":{t['effect']}"
    if t.get("operator") == "Exists" and not t.get("value"):
        text += " op=Exists" if (t.get("key") or t.get("effect")) else "op=Exists"
    if t.get("tolerationSeconds") is not None:
        text += f" for {t['tolerationSeconds']}s"
    return text


def tolerations_multiline(
    title: str, tolerations: list[dict[str, Any]] | None, out: list[str]
) -> None:
    """``printPodTolerationsMultiline``: one toleration a line, ``<none>`` when empty."""
    if not tolerations:
        out.append(f"{title}:\t<none>")
        return
    out.extend(
        f"{title + ':' if i == 0 else ''}\t{_toleration(t)}" for i, t in enumerate(tolerations)
    )


def _topology_spread_constraints(
    constraints: list[dict[str, Any]], out: list[str], space: str
) -> None:
    """``describeTopologySpreadConstraints``, sorted by topology key."""
    ordered = sorted(constraints, key=lambda c: str(c.get("topologyKey") or ""))
    for index, c in enumerate(ordered):
        text = (
            f"{c.get('topologyKey') or ''}:{c.get('whenUnsatisfiable') or ''}"
            f" when max skew {c.get('maxSkew', 0)} is exceeded"
        )
        if c.get("labelSelector") is not None:
            text += f" for selector {format_label_selector(c['labelSelector'])}"
        out.append(f"{space}{'Topology Spread Constraints:' if index == 0 else ''}\t{text}")


def describe_pod_template(template: dict[str, Any] | None, out: list[str]) -> None:
    """``DescribePodTemplate``: the ``Pod Template:`` block of the workload describers
    (ReplicaSet, Deployment, ...): the template's labels, containers without statuses,
    volumes, node selectors and tolerations (always shown), indented one level. The
    workloads' templates are Go values, never nil: a missing one reads as empty."""
    out.append("Pod Template:")
    template = template or {}
    md, spec = template.get("metadata") or {}, template.get("spec") or {}
    labels_multiline(f"{L1}Labels", md.get("labels"), out)
    if md.get("annotations"):
        annotations_multiline(f"{L1}Annotations", md["annotations"], out)
    if spec.get("serviceAccountName"):
        out.append(f"{L1}Service Account:\t{spec['serviceAccountName']}")
    if spec.get("initContainers"):
        describe_containers("Init Containers", spec["initContainers"], [], out, L1)
    describe_containers("Containers", spec.get("containers") or [], [], out, L1)
    describe_volumes(spec.get("volumes") or [], out, L1)
    _topology_spread_constraints(spec.get("topologySpreadConstraints") or [], out, L1)
    if spec.get("priorityClassName"):
        out.append(f"{L1}Priority Class Name:\t{spec['priorityClassName']}")
    labels_multiline(f"{L1}Node-Selectors", spec.get("nodeSelector"), out)
    tolerations_multiline(f"{L1}Tolerations", spec.get("tolerations"), out)


def describe_pod(pod: dict[str, Any], events: list[dict[str, Any]] | None, now: float) -> str:
    """``describePod``; ``events`` None leaves the Events section out (``--show-events=false``)."""
    md, spec, status = pod["metadata"], pod.get("spec") or {}, pod.get("status") or {}
    out = [f"Name:\t{md['name']}", f"Namespace:\t{md.get('namespace', '')}"]
    if spec.get("priority") is not None:
        out.append(f"Priority:\t{spec['priority']}")
    out.append(f"Service Account:\t{spec.get('serviceAccountName', '')}")
    out.append(
        f"Node:\t{spec['nodeName'] + '/' + status.get('hostIP', '') if spec.get('nodeName') else '<none>'}"
    )
    if status.get("startTime"):
        out.append(f"Start Time:\t{rfc1123z(status['startTime'])}")
    labels_multiline("Labels", md.get("labels"), out)
    annotations_multiline("Annotations", md.get("annotations"), out)
    if md.get("deletionTimestamp") and status.get("phase") not in ("Succeeded", "Failed"):
        remaining = parse_rfc3339(md["deletionTimestamp"]) - now
        out.append(f"Status:\tTerminating (lasts {human_duration(remaining)})")
        out.append(f"Termination Grace Period:\t{md.get('deletionGracePeriodSeconds', 0)}s")
    else:
        out.append(f"Status:\t{status.get('phase', '')}")
    if status.get("reason"):
        out.append(f"Reason:\t{status['reason']}")
    if status.get("message"):
        out.append(f"Message:\t{status['message']}")
    out.append(f"IP:\t{status.get('podIP', '')}")
    ips = status.get("podIPs") or []
    if ips:
        out.append("IPs:")
        out.extend(f"{L1}IP:\t{ip.get('ip')}" for ip in ips)
    else:
        out.append("IPs:\t<none>")
    owner = next((r for r in md.get("ownerReferences") or [] if r.get("controller")), None)
    if owner:
        out.append(f"Controlled By:\t{owner.get('kind')}/{owner.get('name')}")
    if spec.get("initContainers"):
        describe_containers(
            "Init Containers",
            spec["initContainers"],
            status.get("initContainerStatuses") or [],
            out,
        )
    describe_containers(
        "Containers", spec.get("containers") or [], status.get("containerStatuses") or [], out
    )
    if status.get("conditions"):
        out.append(f"Conditions:\n{L1}Type\tStatus")
        out.extend(f"{L1}{c.get('type')} \t{c.get('status')} " for c in status["conditions"])
    describe_volumes(spec.get("volumes") or [], out)
    out.append(f"QoS Class:\t{status.get('qosClass', '')}")
    labels_multiline("Node-Selectors", spec.get("nodeSelector"), out)
    tolerations_multiline("Tolerations", spec.get("tolerations"), out)
    return finish(out, events, now)


def describe_pod_in_context(pod: dict[str, Any], ctx: DescribeContext) -> str:
    # PodDescriber searches events by the pod's reference with the kind cleared.
    return describe_pod(pod, ctx.search_events(pod), ctx.now)

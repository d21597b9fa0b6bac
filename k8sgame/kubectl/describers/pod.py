"""The Pod describer (``kubectl/pkg/describe/describe.go`` ``PodDescriber``) and the pod
template block the workload describers share (``DescribePodTemplate``), both built from the
same container, volume and toleration writers.

Text is laid out as kubectl's describers write it: tab-separated lines through Go's
tabwriter, ending with the Events table. Since kubectl 1.35 event messages carry the
involved object's field path (``spec.containers{web}: ...``).
"""

from __future__ import annotations

import math
from typing import Any

from k8sgame.engine.timefmt import parse_rfc3339
from k8sgame.kubectl import gofmt
from k8sgame.kubectl.describers.quantity import Quantity, format_quantity, quantity
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
from k8sgame.kubectl.sort_by import go_sort


def _go_sorted(items: list[dict[str, Any]], field: str) -> list[dict[str, Any]]:
    """Go's ``sort.Sort``/``sort.Slice`` by a string field: pdqsort, which is not stable
    (though an insertion sort, so stable, up to 12 items)."""

    def key(item: object) -> str:
        return str(item.get(field) or "") if isinstance(item, dict) else ""

    ordered: list[object] = list(items)
    go_sort(ordered, lambda a, b: key(a) < key(b))
    return [item for item in ordered if isinstance(item, dict)]


def _state(name: str, state: dict[str, Any], out: list[str]) -> None:
    """``describeStatus``: running, waiting, terminated, else a bare ``Waiting``."""
    if state.get("running") is not None:
        out.append(f"{L2}{name}:\tRunning")
        out.append(f"{L3}Started:\t{rfc1123z(state['running'].get('startedAt'))}")
    elif state.get("waiting") is not None:
        out.append(f"{L2}{name}:\tWaiting")
        if state["waiting"].get("reason"):
            out.append(f"{L3}Reason:\t{state['waiting']['reason']}")
    elif state.get("terminated") is not None:
        t = state["terminated"]
        out.append(f"{L2}{name}:\tTerminated")
        if t.get("reason"):
            out.append(f"{L3}Reason:\t{t['reason']}")
        if t.get("message"):
            out.append(f"{L3}Message:\t{t['message']}")
        out.append(f"{L3}Exit Code:\t{t.get('exitCode', 0)}")
        if int(t.get("signal") or 0) > 0:
            out.append(f"{L3}Signal:\t{t['signal']}")
        out.append(f"{L3}Started:\t{rfc1123z(t.get('startedAt'))}")
        out.append(f"{L3}Finished:\t{rfc1123z(t.get('finishedAt'))}")
    else:
        out.append(f"{L2}{name}:\tWaiting")


# net/url shouldEscape(c, encodePath): what a path keeps as it is.
_PATH_SAFE = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~$&+,/:;=@"
)


def _escape_path(path: str) -> str:
    """``url.URL.EscapedPath`` for a URL built with only ``Path`` set: every byte outside
    the unreserved and path-allowed reserved characters becomes ``%XX``."""
    if path == "*":
        return path
    return "".join(
        chr(byte) if chr(byte) in _PATH_SAFE else f"%{byte:02X}" for byte in path.encode()
    )


def probe_text(probe: dict[str, Any]) -> str:
    """``DescribeProbe``: handler, then delay/timeout/period and the thresholds."""
    if probe.get("exec") is not None:
        handler = f"exec [{' '.join(str(a) for a in probe['exec'].get('command') or [])}]"
    elif probe.get("httpGet") is not None:
        action = probe["httpGet"]
        host, port = str(action.get("host") or ""), str(action.get("port", 0))
        if ":" in host:  # net.JoinHostPort
            host = f"[{host}]"
        path = _escape_path(str(action.get("path") or "/"))
        if not path.startswith("/"):  # url.URL.String adds the slash after a host
            path = "/" + path
        handler = f"http-get {str(action.get('scheme') or 'HTTP').lower()}://{host}:{port}{path}"
    elif probe.get("tcpSocket") is not None:
        handler = (
            f"tcp-socket {probe['tcpSocket'].get('host') or ''}:{probe['tcpSocket'].get('port')}"
        )
    elif probe.get("grpc") is not None:
        handler = f"grpc <pod>:{probe['grpc'].get('port')} {probe['grpc'].get('service') or ''}"
    else:
        handler = "unknown"
    return (
        f"{handler} delay={probe.get('initialDelaySeconds', 0)}s timeout={probe.get('timeoutSeconds', 1)}s "
        f"period={probe.get('periodSeconds', 10)}s #success={probe.get('successThreshold', 1)} #failure={probe.get('failureThreshold', 3)}"
    )


def _ports(ports: list[dict[str, Any]], key: str) -> str:
    """``describeContainerPorts`` / ``describeContainerHostPorts``: ``port/protocol`` with the
    port's name in parentheses when it has one, comma-separated."""
    texts = []
    for port in ports:
        text = f"{port.get(key) or 0}/{port.get('protocol') or 'TCP'}"
        if port.get("name"):
            text += f" ({port['name']})"
        texts.append(text)
    return ", ".join(texts)


def _port_line(out: list[str], word: str, text: str) -> None:
    # describeContainerBasicInfo: the plural label when the text holds a comma.
    if "," in text:
        out.append(f"{L2}{word}s:\t{text}")
    else:
        out.append(f"{L2}{word}:\t{text or '<none>'}")


# runtime.DefaultMetaV1FieldSelectorConversion: kubectl's scheme registers no field label
# conversions for Pod, so EnvValueRetriever resolves only these two paths.
_RESOLVABLE_FIELDS = {
    "metadata.name": lambda pod: (pod.get("metadata") or {}).get("name") or "",
    "metadata.namespace": lambda pod: (pod.get("metadata") or {}).get("namespace") or "",
}


def _field_ref_value(ref: dict[str, Any], pod: dict[str, Any] | None) -> str:
    """``EnvValueRetriever(pod)``; a pod template has no resolver and shows nothing."""
    if pod is None or str(ref.get("apiVersion") or "").count("/") > 1:
        return ""
    resolve = _RESOLVABLE_FIELDS.get(str(ref.get("fieldPath") or ""))
    return str(resolve(pod)) if resolve else ""


def _ceil_div(value: int, divisor: int) -> str:
    # int64(math.Ceil(float64(value) / float64(divisor)))
    return str(math.ceil(float(value) / float(divisor)))


def _resource_field_value(ref: dict[str, Any], container: dict[str, Any]) -> str:
    """``resourcehelper.ExtractContainerResourceValue`` (kubectl/pkg/util/resource): the
    container's own limit or request (zero when unset) over the divisor, rounded up;
    ``containerName`` is not consulted. An unsupported resource gives the empty string."""
    raw_divisor = ref.get("divisor")
    divisor = quantity(raw_divisor) if raw_divisor not in (None, "") else Quantity()
    if divisor.value == 0:
        divisor = quantity("1")
    resource = str(ref.get("resource") or "")
    group, _, name = resource.partition(".")
    if group not in ("limits", "requests") or not (
        name in ("cpu", "memory", "ephemeral-storage") or name.startswith("hugepages-")
    ):
        return ""
    values = ((container.get("resources") or {}).get(group)) or {}
    amount = quantity(values[name]) if values.get(name) is not None else Quantity()
    if name == "cpu":
        return _ceil_div(amount.milli_value(), divisor.milli_value())
    return _ceil_div(amount.int_value(), divisor.int_value())


def _env_lines(container: dict[str, Any], pod: dict[str, Any] | None, out: list[str]) -> None:
    """``describeContainerEnvVars``."""
    env = container.get("env") or []
    out.append(f"{L2}Environment:{'' if env else chr(9) + '<none>'}")
    for entry in env:
        name, source = entry.get("name"), entry.get("valueFrom")
        if source is None:
            for index, part in enumerate(str(entry.get("value") or "").split("\n")):
                out.append(f"{L3}{name}:\t{part}" if index == 0 else f"{L3}\t{part}")
        elif source.get("fieldRef") is not None:
            ref = source["fieldRef"]
            value = _field_ref_value(ref, pod)
            out.append(
                f"{L3}{name}:\t{value} ({ref.get('apiVersion') or ''}:{ref.get('fieldPath') or ''})"
            )
        elif source.get("resourceFieldRef") is not None:
            ref = source["resourceFieldRef"]
            resource = str(ref.get("resource") or "")
            value = _resource_field_value(ref, container)
            if value == "0" and resource in ("limits.cpu", "limits.memory"):
                value = "node allocatable"
            out.append(f"{L3}{name}:\t{value} ({resource})")
        elif source.get("secretKeyRef") is not None:
            ref = source["secretKeyRef"]
            out.append(
                f"{L3}{name}:\t<set to the key '{ref.get('key') or ''}' in secret '{ref.get('name') or ''}'>"
                f"\tOptional: {'true' if ref.get('optional') else 'false'}"
            )
        elif source.get("configMapKeyRef") is not None:
            ref = source["configMapKeyRef"]
            out.append(
                f"{L3}{name}:\t<set to the key '{ref.get('key') or ''}' of config map '{ref.get('name') or ''}'>"
                f"\tOptional: {'true' if ref.get('optional') else 'false'}"
            )


def _env_from_lines(sources: list[dict[str, Any]], out: list[str]) -> None:
    """``describeContainerEnvFrom``: one heading, then ``name  Kind[ with prefix 'p']  Optional``."""
    out.append(f"{L2}Environment Variables from:")
    for source in sources:
        name, kind, optional = "", "", False
        if source.get("configMapRef") is not None:
            ref, kind = source["configMapRef"], "ConfigMap"
            name, optional = ref.get("name") or "", bool(ref.get("optional"))
        elif source.get("secretRef") is not None:
            ref, kind = source["secretRef"], "Secret"
            name, optional = ref.get("name") or "", bool(ref.get("optional"))
        prefix = source.get("prefix") or ""
        if prefix:
            kind += f" with prefix '{prefix}'"
        out.append(f"{L3}{name}\t{kind}\tOptional: {'true' if optional else 'false'}")


def _mount_lines(container: dict[str, Any], out: list[str]) -> None:
    """``describeContainerVolumes``: mounts sorted by mount path, then any devices sorted by
    device path (under ``Devices:\t<none>`` when there are no mounts, as upstream writes it)."""
    mounts = _go_sorted(container.get("volumeMounts") or [], "mountPath")
    none = "" if mounts else "\t<none>"
    out.append(f"{L2}Mounts:{none}")
    for mount in mounts:
        flags = ["ro" if mount.get("readOnly") else "rw"]
        if mount.get("subPath"):
            flags.append(f"path={gofmt.quote(str(mount['subPath']))}")
        out.append(f"{L3}{mount.get('mountPath')} from {mount.get('name')} ({','.join(flags)})")
    devices = _go_sorted(container.get("volumeDevices") or [], "devicePath")
    if devices:
        out.append(f"{L2}Devices:{none}")
        out.extend(f"{L3}{d.get('devicePath')} from {d.get('name')}" for d in devices)


def _command_lines(spec: dict[str, Any], out: list[str]) -> None:
    """``describeContainerCommand``: each entry split on newlines, a line each."""
    for field, word in (("command", "Command"), ("args", "Args")):
        if spec.get(field):
            out.append(f"{L2}{word}:")
            for entry in spec[field]:
                out.extend(f"{L3}{part}" for part in str(entry).split("\n"))


def _seccomp_lines(context: dict[str, Any] | None, level: str, out: list[str]) -> None:
    profile = (context or {}).get("seccompProfile")
    if profile is None:
        return
    out.append(f"{level}SeccompProfile:\t{profile.get('type') or ''}")
    if profile.get("type") == "Localhost":
        inner = L3 if level == L2 else ""
        out.append(f"{inner}LocalhostProfile:\t{profile.get('localhostProfile') or ''}")


def describe_containers(
    label: str,
    specs: list[dict[str, Any]],
    statuses: list[dict[str, Any]],
    out: list[str],
    space: str = "",
    pod: dict[str, Any] | None = None,
) -> None:
    """``describeContainers``: a pod's containers with their statuses, or a pod template's
    (no statuses; ``space`` "  " indents the label and puts one more space before each
    container's name, as ``DescribePodTemplate`` does). ``pod`` resolves ``fieldRef``
    variables (``EnvValueRetriever``); a template has none."""
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
        _port_line(out, "Port", _ports(ports, "containerPort"))
        _port_line(out, "Host Port", _ports(ports, "hostPort"))
        _seccomp_lines(spec.get("securityContext"), L2, out)
        _command_lines(spec, out)
        if status is not None:
            _state("State", status.get("state") or {}, out)
            if (status.get("lastState") or {}).get("terminated") is not None:
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
        if spec.get("envFrom"):
            _env_from_lines(spec["envFrom"], out)
        _env_lines(spec, pod, out)
        _mount_lines(spec, out)


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
    ordered = _go_sorted(tolerations, "key")  # sort.Slice by key
    out.extend(f"{title + ':' if i == 0 else ''}\t{_toleration(t)}" for i, t in enumerate(ordered))


def _topology_spread_constraints(
    constraints: list[dict[str, Any]], out: list[str], space: str
) -> None:
    """``describeTopologySpreadConstraints``, sorted by topology key."""
    ordered = _go_sorted(constraints, "topologyKey")
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
    if spec.get("priorityClassName"):
        out.append(f"Priority Class Name:\t{spec['priorityClassName']}")
    if spec.get("runtimeClassName"):
        out.append(f"Runtime Class Name:\t{spec['runtimeClassName']}")
    if spec.get("serviceAccountName"):
        out.append(f"Service Account:\t{spec['serviceAccountName']}")
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
    _seccomp_lines(spec.get("securityContext"), "", out)
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
    if status.get("nominatedNodeName"):
        out.append(f"NominatedNodeName:\t{status['nominatedNodeName']}")
    if spec.get("initContainers"):
        describe_containers(
            "Init Containers",
            spec["initContainers"],
            status.get("initContainerStatuses") or [],
            out,
            pod=pod,
        )
    describe_containers(
        "Containers",
        spec.get("containers") or [],
        status.get("containerStatuses") or [],
        out,
        pod=pod,
    )
    if spec.get("readinessGates"):
        out.append(f"Readiness Gates:\n{L1}Type\tStatus")
        for gate in spec["readinessGates"]:
            kind = gate.get("conditionType")
            found = next((c for c in status.get("conditions") or [] if c.get("type") == kind), None)
            out.append(f"{L1}{kind} \t{found.get('status') if found else '<none>'} ")
    if status.get("conditions"):
        out.append(f"Conditions:\n{L1}Type\tStatus")
        out.extend(f"{L1}{c.get('type')} \t{c.get('status')} " for c in status["conditions"])
    describe_volumes(spec.get("volumes") or [], out)
    out.append(f"QoS Class:\t{status.get('qosClass', '')}")
    labels_multiline("Node-Selectors", spec.get("nodeSelector"), out)
    tolerations_multiline("Tolerations", spec.get("tolerations"), out)
    _topology_spread_constraints(spec.get("topologySpreadConstraints") or [], out, "")
    return finish(out, events, now)


def describe_pod_in_context(pod: dict[str, Any], ctx: DescribeContext) -> str:
    # PodDescriber searches events by the pod's reference with the kind cleared.
    return describe_pod(pod, ctx.search_events(pod), ctx.now)

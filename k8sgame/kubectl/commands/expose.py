"""``kubectl expose (-f FILE | TYPE NAME | TYPE/NAME)`` (``kubectl/pkg/cmd/expose/expose.go``
and the ``polymorphichelpers`` it calls): a Service for a Pod, Service, ReplicationController,
Deployment or ReplicaSet.

What kubectl reads off the object unless a flag gives it: the selector (a pod's labels, a
controller's ``matchLabels``, a Service's selector), the ports (every distinct container port,
or the Service's ports; several are named ``port-1``, ``port-2``...), each port's protocol and
the labels (the object's own). The Service has no ``type`` unless ``--type`` is given. As
upstream, what one object filled in stays filled in for the next one (``-f`` with several)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from k8sgame.engine.errors import ApiError
from k8sgame.kubectl.commands import generators
from k8sgame.kubectl.commands.expose_introspection import (
    EXPOSABLE,
    make_labels,
    map_based_selector,
    ports_for_object,
    protocols_for_object,
)
from k8sgame.kubectl.commands.get import resolve_kind, resource_args
from k8sgame.kubectl.commands.targets import NO_RESOURCES, documents
from k8sgame.kubectl.commands.write_options import dry_run_mode, dry_run_suffix
from k8sgame.kubectl.errors import Collected, KubectlError, aggregate
from k8sgame.kubectl.go_strconv import atoi, atoi_error
from k8sgame.kubectl.parser import Flag, Invocation
from k8sgame.kubectl.printing import Output, check_object_output, print_objects, resource_label
from k8sgame.kubectl.result import Result
from k8sgame.kubectl.verbs import Effect, handles, register_verb

if TYPE_CHECKING:
    from k8sgame.engine.api.registry import KindInfo
    from k8sgame.kubectl.session import KubectlSession

register_verb(
    "expose",
    (
        *generators.OUTPUT_FLAGS,
        Flag("filename", short="f", repeat=True),
        Flag("port", default=""),
        Flag("target-port", default=""),
        Flag("protocol", default=""),
        Flag("type", default=""),
        Flag("name", default=""),
        Flag("selector", default=""),
        Flag("labels", short="l", default=""),
        Flag("cluster-ip", default=""),
        Flag("external-ip", default=""),
        Flag("load-balancer-ip", default=""),
        Flag("session-affinity", default=""),
    ),
    effect=Effect.CHANGES,
)

# validation.DNS1035LabelMaxLength: a longer object name is cut for the Service's.
MAX_NAME = 63


class Failed(Exception):
    """One object could not be exposed; the visit goes on with the next one."""

    def __init__(self, error: Collected) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass
class ExposeOptions:
    """``ExposeServiceOptions``: the flags, and what introspection filled in (kept for the
    next object, as upstream keeps it on the options)."""

    selector: str
    port: str
    labels: str
    headless: bool = False  # --cluster-ip=None: a Service without ports is fine
    ports: str = ""
    protocols: dict[str, list[str]] = field(default_factory=dict)
    default_name: str = ""


def _int32(value: int) -> int:
    """Go's ``int32(value)``: wraps around."""
    return (value + 2**31) % 2**32 - 2**31


def parse_labels(text: str) -> dict[str, str]:
    """expose.go ``parseLabels``: ``k=v`` pairs, comma-separated."""
    labels = {}
    for spec in text.split(","):
        parts = spec.split("=")
        if len(parts) != 2:
            raise KubectlError(f"unexpected label spec: {spec}")
        if not parts[0]:
            raise KubectlError("unexpected empty label key")
        labels[parts[0]] = parts[1]
    return labels


def _service_ports(options: ExposeOptions, inv: Invocation) -> list[dict[str, Any]]:
    """createService's ports: one per number (``--port`` or the object's), named
    ``port-N`` when there are several, ``port-N-<protocol>`` for each protocol of a number
    the object serves over several; ``--protocol`` wins over the object's."""
    text = options.ports or options.port
    if not text:
        return []
    pieces = text.split(",")
    flag_protocol = inv.flag("protocol") or ""
    ports: list[dict[str, Any]] = []
    for index, piece in enumerate(pieces, 1):
        number = atoi(piece)
        if number is None:
            raise KubectlError(atoi_error(piece))
        name = f"port-{index}" if len(pieces) > 1 else ""
        protocol = flag_protocol
        if not protocol:
            protocol = "TCP"
            found = options.protocols.get(piece) or []
            if len(found) == 1:
                protocol = found[0]
            elif found:
                for each in found:
                    ports.append(_port(f"port-{index}-{each.lower()}", each, number))
                continue
        ports.append(_port(name, protocol, number))
    return ports


def _port(name: str, protocol: str, number: int) -> dict[str, Any]:
    port: dict[str, Any] = {"name": name} if name else {}
    port.update(protocol=protocol, port=_int32(number))
    return port


def _target_port(text: str) -> int | str:
    """``intstr.Parse``: an int32 number, else the text as a port name."""
    number = atoi(text)
    return number if number is not None and -(2**31) <= number < 2**31 else text


def create_service(options: ExposeOptions, inv: Invocation) -> dict[str, Any]:
    """expose.go ``createService``: keys in Go struct order, for ``-o json``."""
    if not options.selector:
        raise KubectlError("selector must be specified")
    selector = parse_labels(options.selector)
    labels = parse_labels(options.labels) if options.labels else None
    name = inv.flag("name") or options.default_name
    if not name:
        raise KubectlError("name must be specified")
    ports = _service_ports(options, inv)
    target = inv.flag("target-port")
    for port in ports:
        port["targetPort"] = _target_port(target) if target else port["port"]
    spec: dict[str, Any] = {}
    if ports:
        spec["ports"] = ports
    spec["selector"] = selector
    if inv.flag("cluster-ip"):
        spec["clusterIP"] = inv.flag("cluster-ip")
    kind = inv.flag("type")
    if kind:
        spec["type"] = kind
    if inv.flag("external-ip"):
        spec["externalIPs"] = [inv.flag("external-ip")]
    affinity = inv.flag("session-affinity")
    if affinity:
        if affinity not in ("None", "ClientIP"):
            raise KubectlError(f"unknown session affinity: {affinity}")
        spec["sessionAffinity"] = affinity
    if kind == "LoadBalancer" and inv.flag("load-balancer-ip"):
        spec["loadBalancerIP"] = inv.flag("load-balancer-ip")
    metadata: dict[str, Any] = {"name": name}
    if labels is not None:
        metadata["labels"] = labels
    return {
        "kind": "Service",
        "apiVersion": "v1",
        "metadata": metadata,
        "spec": spec,
        "status": {"loadBalancer": {}},
    }


def _introspect(options: ExposeOptions, info: KindInfo, obj: dict[str, Any]) -> None:
    """What RunExpose reads off the object for the flags that were not given."""
    group_kind = (info.group, info.kind)
    if group_kind not in EXPOSABLE:
        shown = f"{info.kind}.{info.group}" if info.group else info.kind
        raise KubectlError(f"cannot expose a {shown}")
    metadata = obj.get("metadata")
    name = metadata.get("name") if isinstance(metadata, dict) else None
    options.default_name = str(name or "")[:MAX_NAME]
    if not options.selector:
        try:
            options.selector = map_based_selector(info.kind, obj)
        except KubectlError as error:
            raise KubectlError(
                "couldn't retrieve selectors via --selector flag or introspection: " + error.message
            ) from None
    if not options.port:
        ports = ports_for_object(info.kind, obj)
        if not ports and not options.headless:
            raise KubectlError("couldn't find port via --port flag or introspection")
        if len(ports) == 1:
            options.port = ports[0]
        elif ports:
            options.ports = ",".join(ports)
    protocols = protocols_for_object(info.kind, obj)
    if protocols:
        options.protocols = protocols
    if not options.labels:
        options.labels = make_labels(obj["metadata"].get("labels"))


def _targets(
    session: KubectlSession, inv: Invocation
) -> list[tuple[KindInfo, dict[str, Any] | None, ApiError | None]]:
    """The builder's objects: each ``-f`` document as written (not read from the server),
    then each named object, fetched (its error kept, as ContinueOnError does)."""
    namespace = inv.flag("namespace") or session.namespace
    found: list[tuple[KindInfo, dict[str, Any] | None, ApiError | None]] = []
    for _, obj in documents(session, inv.flag("filename") or []):
        found.append((resolve_kind(session, str(obj.get("kind"))), obj, None))
    if inv.args:
        for info, names in resource_args(session, list(inv.args)):
            if not names:
                raise KubectlError("resource(s) were provided, but no name was specified")
            for name in names:
                try:
                    obj = session.api.get(info.kind, name, namespace)
                except ApiError as error:
                    found.append((info, None, error))
                    continue
                found.append((info, obj, None))
    if not found:
        raise NO_RESOURCES
    return found


def _expose_one(
    session: KubectlSession,
    inv: Invocation,
    options: ExposeOptions,
    target: tuple[KindInfo, dict[str, Any] | None, ApiError | None],
    output: Output,
    mode: str,
) -> str:
    """One object's Service, printed (client dry run) or created; what to print."""
    info, obj, error = target
    if error is not None:
        raise Failed(error)
    assert obj is not None
    _introspect(options, info, obj)
    service = create_service(options, inv)
    service_info = session.api.kind_info("Service")
    namespace = inv.flag("namespace") or ("" if mode == "client" else session.namespace)
    if namespace:
        # ObjectMeta's field order: the namespace comes right after the name.
        name = service["metadata"].pop("name")
        service["metadata"] = {"name": name, "namespace": namespace, **service["metadata"]}
    if mode != "client":
        try:
            service = session.api.create(service, dry_run=mode == "server")
        except ApiError as failure:
            raise Failed(failure) from None
    if output.format:
        return print_objects([(service_info, service)], output, struct_order=mode == "client")
    label = resource_label(service_info, service["metadata"]["name"])
    return f"{label} exposed{dry_run_suffix(mode)}\n"


@handles("expose")
def expose(session: KubectlSession, inv: Invocation) -> Result:
    """Check ``--dry-run`` and ``-o``, find the objects, and expose each in turn; the errors
    are printed together at the end, as ``CheckErr`` prints an aggregate."""
    mode = dry_run_mode(inv)
    output = check_object_output(session, inv.flag("output") or "")
    options = ExposeOptions(
        selector=inv.flag("selector") or "",
        port=inv.flag("port") or "",
        labels=inv.flag("labels") or "",
        headless=inv.flag("cluster-ip") == "None",
    )
    result = Result()
    errors: list[Collected] = []
    printed = 0
    for target in _targets(session, inv):
        try:
            text = _expose_one(session, inv, options, target, output, mode)
            # The one YAML printer writes "---" before every object after its first.
            if output.format == "yaml" and printed:
                text = "---\n" + text
            result.stdout += text
            printed += 1
        except Failed as failure:
            errors.append(failure.error)
        except KubectlError as error:
            errors.append(error)
    if errors:
        result.stderr += aggregate(errors)
        result.exit_code = 1
    return result

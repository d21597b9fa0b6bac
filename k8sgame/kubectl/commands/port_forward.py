"""``kubectl port-forward TYPE/NAME [LOCAL_PORT:]REMOTE_PORT...`` (kubectl's
``pkg/cmd/portforward/portforward.go`` with client-go's ``tools/portforward``).

The target is a pod (``NAME`` or ``pod/NAME``) or anything that selects pods
(``deploy/web``, ``svc/web``...): the pod is the one ``attachable.py`` picks. Named remote
ports are looked up in the pod's container ports; through a Service, a port is the
Service's and becomes its target port in the pod. The pod must be Running. Then kubectl
listens on each local port at each ``--address`` (``localhost`` is 127.0.0.1 and ::1) and
prints ``Forwarding from ADDRESS:LOCAL -> REMOTE`` for every listener it makes.

In a terminal the command would block until Ctrl-C; here it keeps running in the
background, as ``kubectl port-forward ... &`` does in a shell (a trailing ``&`` is
accepted and dropped). Each forwarded port becomes a ``Forward`` of the cluster's network:
a connection from the player's machine to ``127.0.0.1:LOCAL`` reaches the pod's own
loopback. A forward ends when its pod is deleted or replaced; its local port is then free.

A local port another forward holds is taken on every address (``address already in use``);
an address the player's machine does not have cannot be listened on (``cannot assign
requested address``). ``:REMOTE`` asks the kernel for a free port: here one of Linux's
ephemeral range, drawn from the cluster's seed, the time and the target, so a replay picks
the same. Not modelled: the ``Handling connection for 8080`` lines the running forward
prints as connections arrive, and kubectl giving up (``lost connection to pod``) after a
connection to a port where nothing listens.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from k8sgame.engine.errors import go_quote
from k8sgame.engine.network.fabric import LOOPBACK, WORKSTATION_IP, Forward
from k8sgame.engine.timefmt import parse_go_duration
from k8sgame.kubectl.commands.attachable import attachable_pod
from k8sgame.kubectl.commands.get import resolve_kind
from k8sgame.kubectl.errors import KubectlError
from k8sgame.kubectl.go_strconv import atoi
from k8sgame.kubectl.parser import Flag, Invocation
from k8sgame.kubectl.result import Result
from k8sgame.kubectl.verbs import Args, Effect, handles, register_verb

if TYPE_CHECKING:
    from k8sgame.engine.api.registry import KindInfo
    from k8sgame.kubectl.session import KubectlSession

register_verb(
    "port-forward",
    (
        # A StringSlice: every value is a comma list; none given means localhost.
        Flag("address", repeat=True),
        Flag("pod-running-timeout", "duration", default="1m0s"),
    ),
    # Not a write (no change against par), but it must be replayed: it starts a forward.
    effect=Effect.WAITS,
    args=Args.POD,
)

USAGE_HINT = "See 'kubectl port-forward -h' for help and examples"
# Linux's net.ipv4.ip_local_port_range: where a listen on port 0 gets its port.
EPHEMERAL_PORTS = (32768, 60999)
# The player's machine: its loopback, its address on the nodes' network, and the
# wildcards of both families.
_OWN_V4 = (ipaddress.IPv4Address(WORKSTATION_IP), ipaddress.IPv4Address("0.0.0.0"))
_OWN_V6 = (ipaddress.IPv6Address("::1"), ipaddress.IPv6Address("::"))

IN_USE = "address already in use"
NOT_HERE = "cannot assign requested address"


# -- port specifications ----------------------------------------------------------------------


def _parse_uint16(text: str) -> tuple[int | None, str]:
    """strconv.ParseUint(text, 10, 16): the value, or None and Go's error text."""
    if not re.fullmatch(r"[0-9]+", text):
        return None, f"strconv.ParseUint: parsing {go_quote(text)}: invalid syntax"
    value = int(text)
    if value > 0xFFFF:
        return None, f"strconv.ParseUint: parsing {go_quote(text)}: value out of range"
    return value, ""


def split_port(spec: str) -> tuple[str, str]:
    """portforward.go's splitPort: ``LOCAL:REMOTE``, else the first piece twice (so
    ``1:2:3`` means port 1, as kubectl reads it)."""
    parts = spec.split(":")
    if len(parts) == 2:
        return parts[0], parts[1]
    return parts[0], parts[0]


def _ports_of(pod: dict[str, Any], init: bool = True) -> list[dict[str, Any]]:
    spec = pod.get("spec") or {}
    groups = [spec.get("containers") or []]
    if init:
        groups.append(spec.get("initContainers") or [])
    return [p for group in groups for c in group for p in c.get("ports") or []]


def container_port_by_name(pod: dict[str, Any], name: str) -> int:
    """util.LookupContainerPortNumberByName: the containers', then the init containers'."""
    for port in _ports_of(pod):
        if str(port.get("name") or "") == name:
            return int(port.get("containerPort") or 0)
    raise KubectlError(f"Pod '{pod['metadata']['name']}' does not have a named port '{name}'")


def service_port_by_name(svc: dict[str, Any], name: str) -> int:
    """util.LookupServicePortNumberByName (an unnamed port answers to ``""``)."""
    for port in (svc.get("spec") or {}).get("ports") or []:
        if str(port.get("name") or "") == name:
            return int(port.get("port") or 0)
    raise KubectlError(f"Service '{svc['metadata']['name']}' does not have a named port '{name}'")


def container_port_for_service_port(svc: dict[str, Any], pod: dict[str, Any], number: int) -> int:
    """util.LookupContainerPortNumberByServicePort: the target port in ``pod`` of the
    Service's port ``number`` (itself for a headless Service or an unset target)."""
    spec = svc.get("spec") or {}
    for port in spec.get("ports") or []:
        if int(port.get("port") or 0) != number:
            continue
        if spec.get("clusterIP") == "None":
            return number
        target = port.get("targetPort")
        if isinstance(target, str):
            return container_port_by_name(pod, target)
        return int(target) if target else number
    raise KubectlError(f"Service {svc['metadata']['name']} does not have a service port {number}")


def translate_service_ports(
    specs: list[str], svc: dict[str, Any], pod: dict[str, Any]
) -> list[str]:
    """translateServicePortToTargetPort: each Service port (a number or a port name)
    becomes the pod's port; a bare name listens on the Service port's number."""
    translated = []
    for spec in specs:
        local, remote = split_port(spec)
        number = atoi(remote)
        if number is None:
            number = service_port_by_name(svc, remote)
            if local == remote:
                local = str(number)
        remote = str(container_port_for_service_port(svc, pod, number))
        translated.append(f"{local}:{remote}" if local != remote else remote)
    return translated


def convert_named_ports(specs: list[str], pod: dict[str, Any]) -> list[str]:
    """convertPodNamedPortToNumber: a named remote port becomes the container port."""
    converted = []
    for spec in specs:
        local, remote = split_port(spec)
        if remote == "":
            raise KubectlError("remote port cannot be empty")
        number = remote if atoi(remote) is not None else str(container_port_by_name(pod, remote))
        converted.append(f"{local}:{number}" if local != remote else number)
    return converted


def _udp_only(ports: list[dict[str, Any]], number_field: str) -> set[int]:
    udp = {int(p.get(number_field) or 0) for p in ports if p.get("protocol") == "UDP"}
    tcp = {int(p.get(number_field) or 0) for p in ports if p.get("protocol") == "TCP"}
    return udp - tcp


def check_udp_ports(specs: list[str], obj: dict[str, Any], is_service: bool) -> None:
    """checkUDPPortInService / checkUDPPortInPod: a remote port that is UDP only (among
    the Service's ports, or the pod's containers') cannot be forwarded."""
    if is_service:
        udp_only = _udp_only((obj.get("spec") or {}).get("ports") or [], "port")
    else:
        udp_only = _udp_only(_ports_of(obj, init=False), "containerPort")
    for spec in specs:
        _, remote = split_port(spec)
        number = atoi(remote)
        if number is None:
            if is_service:
                number = service_port_by_name(obj, remote)
            else:
                number = container_port_by_name(obj, remote)
        if number in udp_only:
            raise KubectlError(f"UDP protocol is not supported for {remote}")


def parse_ports(specs: list[str]) -> list[list[int]]:
    """client-go's parsePorts: ``[local, remote]`` for each spec (local 0: any free port)."""
    forwards = []
    for spec in specs:
        parts = spec.split(":")
        if len(parts) > 2:
            raise KubectlError(f"invalid port format '{spec}'")
        local_text = parts[0] if len(parts) == 1 or parts[0] else "0"
        remote_text = parts[-1]
        local, problem = _parse_uint16(local_text)
        if local is None:
            raise KubectlError(f"error parsing local port '{local_text}': {problem}")
        remote, problem = _parse_uint16(remote_text)
        if remote is None:
            raise KubectlError(f"error parsing remote port '{remote_text}': {problem}")
        if remote == 0:
            raise KubectlError("remote port must be > 0")
        forwards.append([local, remote])
    return forwards


# -- listen addresses -----------------------------------------------------------------------


@dataclass(frozen=True)
class ListenAddress:
    """One address to listen on: its text, ``tcp4`` or ``tcp6``, and whether its failure
    fails the port only when every ``localhost`` address failed (``all``) or at once
    (``any``)."""

    address: str
    protocol: str
    failure_mode: str

    @property
    def ip(self) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
        parsed = _parse_ip(self.address)
        assert parsed is not None
        if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
            return parsed.ipv4_mapped
        return parsed


def _parse_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """netutils.ParseIPSloppy: Go's IP parser, which reads IPv4 parts with leading zeros
    as decimal."""
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    parts = text.split(".")
    if len(parts) == 4 and all(re.fullmatch(r"[0-9]{1,3}", p) for p in parts):
        if all(int(p) <= 255 for p in parts):
            return ipaddress.IPv4Address(".".join(str(int(p)) for p in parts))
    return None


def listen_addresses(values: list[str]) -> list[ListenAddress]:
    """client-go's parseAddresses: ``localhost`` is 127.0.0.1 and ::1 (kept unless given
    on their own), other words must be IP addresses; sorted by their text."""
    parsed: dict[str, ListenAddress] = {}
    for address in values:
        if address == "localhost":
            parsed.setdefault("127.0.0.1", ListenAddress("127.0.0.1", "tcp4", "all"))
            parsed.setdefault("::1", ListenAddress("::1", "tcp6", "all"))
            continue
        ip = _parse_ip(address)
        if ip is None:
            raise KubectlError(f"{address} is not a valid IP")
        v4 = isinstance(ip, ipaddress.IPv4Address) or ip.ipv4_mapped is not None
        parsed[address] = ListenAddress(address, "tcp4" if v4 else "tcp6", "any")
    return sorted(parsed.values(), key=lambda a: a.address)


def _join_host_port(host: str, port: int) -> str:
    """net.JoinHostPort."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _assignable(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether the player's machine has the address (or it is a wildcard)."""
    if isinstance(ip, ipaddress.IPv4Address):
        return ip in LOOPBACK or ip in _OWN_V4
    return ip in _OWN_V6


def _wildcard(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return ip.is_unspecified


# -- the command -----------------------------------------------------------------------------


def _target(session: KubectlSession, word: str, namespace: str) -> tuple[KindInfo, dict[str, Any]]:
    """``builder.ResourceNames("pods", word)``: the object ``TYPE/NAME`` or pod ``NAME``."""
    kind_word, name = "pods", word
    if "/" in word:
        pieces = word.split("/")
        if len(pieces) != 2:
            raise KubectlError("arguments in resource/name form may not have more than one slash")
        kind_word, name = pieces
        if not kind_word or not name or len([w for w in kind_word.split(",") if w]) != 1:
            raise KubectlError(
                "arguments in resource/name form must have a single resource and name"
            )
    info = resolve_kind(session, kind_word)
    obj = session.api.get(info.kind, name, namespace if info.namespaced else "")
    return info, obj


def _ended(session: KubectlSession, forward: Forward) -> bool:
    """Whether a running forward has ended: its pod is gone, replaced, or has no address
    (the network refuses its local port then)."""
    pod = session.api.peek("Pod", forward.pod, forward.namespace)
    if pod is None or pod["metadata"].get("uid") != forward.uid:
        return True
    return not (pod.get("status") or {}).get("podIP")


def _free_port(session: KubectlSession, taken: set[int], key: str) -> int:
    """A port of the ephemeral range no forward holds, drawn from the cluster's seed."""
    low, high = EPHEMERAL_PORTS
    span = high - low + 1
    text = f"{session.cluster.network.seed}:port-forward:{session.cluster.now!r}:{key}"
    start = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big") % span
    for step in range(span):
        port = low + (start + step) % span
        if port not in taken:
            return port
    raise KubectlError("no free port")  # 28 232 forwards at once: not a game's concern


class _Listeners:
    """The sockets this command has bound, by port, and the ports running forwards hold."""

    def __init__(self, held: set[int]) -> None:
        self.held = held
        self.bound: dict[int, list[tuple[str, Any]]] = {}

    def bind(self, address: ListenAddress, port: int) -> str:
        """Listen on ``address:port``: the errno's text when that fails, else nothing."""
        ip = address.ip
        if not _assignable(ip):
            return NOT_HERE
        if port in self.held:
            return IN_USE
        mine = self.bound.setdefault(port, [])
        for protocol, other in mine:
            if protocol == address.protocol and (other == ip or _wildcard(other) or _wildcard(ip)):
                return IN_USE
        mine.append((address.protocol, ip))
        return ""


@handles("port-forward")
def run(session: KubectlSession, inv: Invocation) -> Result:
    """portforward.go Complete, then RunPortForward, then client-go's ForwardPorts."""
    # Ports after "--" are arguments too (cobra passes them on).
    args = [*inv.args, *inv.rest]
    if args and args[-1] == "&":
        args.pop()  # the shell's "run in the background": the game always does
    elif args and args[-1].endswith("&") and not args[-1].endswith("&&"):
        args[-1] = args[-1][:-1]
    if len(args) < 2:
        raise KubectlError("TYPE/NAME and list of ports are required for port-forward", USAGE_HINT)
    namespace = inv.flag("namespace") or session.namespace
    timeout = parse_go_duration(str(inv.flag("pod-running-timeout")))
    if timeout <= 0:
        raise KubectlError("--pod-running-timeout must be higher than zero", USAGE_HINT)
    info, obj = _target(session, args[0], namespace)
    pod = attachable_pod(session, info, obj, timeout)
    specs = args[1:]
    if info.kind == "Service":
        check_udp_ports(specs, obj, is_service=True)
        specs = translate_service_ports(specs, obj, pod)
    else:
        check_udp_ports(specs, pod, is_service=False)
        specs = convert_named_ports(specs, pod)
    # RunPortForward reads the pod again.
    name = pod["metadata"]["name"]
    pod = session.api.get("Pod", name, namespace)
    phase = (pod.get("status") or {}).get("phase") or ""
    if phase != "Running":
        raise KubectlError(
            f"unable to forward port because pod is not running. Current status={phase}"
        )
    values = inv.flag("address") or ["localhost"]
    addresses = listen_addresses([a for value in values for a in value.split(",") if a])
    if not addresses:
        raise KubectlError("you must specify at least 1 address")
    ports = parse_ports(specs)
    return _listen(session, pod, addresses, ports)


def _listen(
    session: KubectlSession,
    pod: dict[str, Any],
    addresses: list[ListenAddress],
    ports: list[list[int]],
) -> Result:
    """client-go's forward(): listen on every port at every address, then run."""
    forwards = session.cluster.network.forwards
    for local in [p for p, f in forwards.items() if _ended(session, f)]:
        del forwards[local]
    md = pod["metadata"]
    listeners = _Listeners(set(forwards))
    result = Result()
    listening = False
    opened: list[list[int]] = []
    for port in ports:
        errors: list[str] = []
        failed = {"all": 0, "any": 0}
        succeeded = {"all": 0, "any": 0}
        for address in addresses:
            if port[0] == 0 and _assignable(address.ip):
                taken = set(forwards) | set(listeners.bound)
                port[0] = _free_port(session, taken, f"{md['uid']}:{port[1]}")
            where = _join_host_port(address.address, port[0])
            problem = listeners.bind(address, port[0])
            if problem:
                errors.append(
                    f"unable to create listener: Error listen {address.protocol} {where}: "
                    f"bind: {problem}"
                )
                failed[address.failure_mode] += 1
                continue
            succeeded[address.failure_mode] += 1
            result.stdout += f"Forwarding from {where} -> {port[1]}\n"
        if succeeded["all"] + succeeded["any"]:
            # A listener made before another address failed stays open all the same.
            opened.append(port)
        if (succeeded["all"] == 0 and failed["all"]) or failed["any"]:
            result.stderr += (
                f"Unable to listen on port {port[0]}: Listeners failed to create with the "
                f"following errors: [{' '.join(errors)}]\n"
            )
        else:
            listening = True
    if not listening:
        pairs = " ".join(f"{{{local} {remote}}}" for local, remote in ports)
        result.stderr += f"error: unable to listen on any of the requested ports: [{pairs}]\n"
        result.exit_code = 1
        return result
    for local, remote in opened:
        forwards.setdefault(local, Forward(md["namespace"], md["name"], md["uid"], remote))
    return result

"""``kubectl create service clusterip|nodeport|loadbalancer|externalname NAME``
(``kubectl/pkg/cmd/create/create_service.go``).

The Service is labelled ``app: NAME`` and selects those labels (an ExternalName one too);
each ``--tcp=port[:targetPort]`` is a TCP port named after the flag's text with ``:`` turned
into ``-``; ``--node-port`` goes on every port, ``--clusterip`` sets the cluster IP (``None``:
headless) and ``--external-name`` the name an ExternalName Service stands for. The server's
errors come back wrapped in ``failed to create <Type> service: ``."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from k8sgame.engine.api.names import dns1123_subdomain
from k8sgame.engine.errors import ApiError, go_quote
from k8sgame.engine.kinds.pod.validation import port_name_problems
from k8sgame.kubectl.commands import generators
from k8sgame.kubectl.commands.write_options import dry_run_mode, dry_run_suffix
from k8sgame.kubectl.errors import KubectlError
from k8sgame.kubectl.parser import Flag, Invocation
from k8sgame.kubectl.printing import check_object_output, print_objects, resource_label
from k8sgame.kubectl.result import Result
from k8sgame.kubectl.verbs import Args, Effect, handles, register_verb

if TYPE_CHECKING:
    from k8sgame.kubectl.session import KubectlSession

TCP_FLAG = Flag("tcp", repeat=True)
# The subcommand word, the Service type it makes and the flags it adds to --tcp.
TYPES: dict[str, tuple[str, tuple[Flag, ...]]] = {
    "clusterip": ("ClusterIP", (Flag("clusterip", default=""),)),
    "nodeport": ("NodePort", (Flag("node-port", "int", default=0),)),
    "loadbalancer": ("LoadBalancer", ()),
    # None until given: cobra's MarkFlagRequired checks that the flag was set at all.
    "externalname": ("ExternalName", (Flag("external-name"),)),
}
# cobra's help for "kubectl create service" alone (DefaultSubCommandRun prints it to stderr).
GROUP_HELP = """\
Create a service using a specified subcommand.

Aliases:
service, svc

Available Commands:
  clusterip      Create a ClusterIP service
  externalname   Create an ExternalName service
  loadbalancer   Create a LoadBalancer service
  nodeport       Create a NodePort service

Usage:
  kubectl create service [flags] [options]

Use "kubectl create service <command> --help" for more information about a given command.
Use "kubectl options" for a list of global command-line options (applies to all commands).
"""

register_verb("create service", (), aliases=("create svc",), args=Args.NONE)
for _word, (_, _extra) in TYPES.items():
    register_verb(
        f"create service {_word}",
        (*generators.OUTPUT_FLAGS, TCP_FLAG, *_extra),
        effect=Effect.CHANGES,
        args=Args.NONE,
    )

_UINT = re.compile(r"[0-9]+")
_INT = re.compile(r"[+-]?[0-9]+")
_PORT_RANGE = "must be between 1 and 65535, inclusive"


def _parse_port(text: str) -> int:
    """``utilsnet.ParsePort(text, true)``: ``strconv.ParseUint(text, 10, 16)``."""
    if not _UINT.fullmatch(text):
        raise KubectlError(f"strconv.ParseUint: parsing {go_quote(text)}: invalid syntax")
    if int(text) > 65535:
        raise KubectlError(f"strconv.ParseUint: parsing {go_quote(text)}: value out of range")
    return int(text)


def parse_ports(spec: str) -> tuple[int, int | str]:
    """``parsePorts``: ``port`` or ``port:target``; a numeric target must be a valid port
    number, any other a valid port name (its problems joined with ``,``)."""
    parts = spec.split(":")
    port = _parse_port(parts[0])
    if len(parts) == 1:
        return port, port
    target = parts[1]
    # strconv.Atoi takes a sign and fails beyond int64: such a target is checked as a name.
    if _INT.fullmatch(target) and -(2**63) <= int(target) < 2**63:
        if not 1 <= int(target) <= 65535:
            raise KubectlError(_PORT_RANGE)
        return port, int(target)
    problems = port_name_problems(target)
    if problems:
        raise KubectlError(",".join(problems))
    return port, target


def tcp_specs(inv: Invocation) -> list[str]:
    """The ``--tcp`` values: a StringSlice, so each may hold several, comma-separated."""
    return [part for value in inv.flag("tcp") or [] for part in value.split(",") if value]


def _service(name: str, kind: str, inv: Invocation, specs: list[str]) -> dict[str, Any]:
    """``createService``: keys in Go struct order, for ``-o json``."""
    node_port = int(inv.flag("node-port") or 0)
    ports = []
    for spec in specs:
        port, target = parse_ports(spec)
        entry: dict[str, Any] = {
            "name": spec.replace(":", "-"),
            "protocol": "TCP",
            "port": port,
            "targetPort": target,
        }
        if node_port:
            entry["nodePort"] = node_port
        ports.append(entry)
    spec_out: dict[str, Any] = {}
    if ports:
        spec_out["ports"] = ports
    spec_out["selector"] = {"app": name}
    if inv.flag("clusterip"):
        spec_out["clusterIP"] = inv.flag("clusterip")
    spec_out["type"] = kind
    if inv.flag("external-name"):
        spec_out["externalName"] = inv.flag("external-name")
    return {
        "kind": "Service",
        "apiVersion": "v1",
        "metadata": generators.metadata_of(name, inv.flag("namespace"), labels={"app": name}),
        "spec": spec_out,
        "status": {"loadBalancer": {}},
    }


def _validate(kind: str, inv: Invocation, specs: list[str]) -> None:
    """``ServiceOptions.Validate``."""
    cluster_ip = inv.flag("clusterip") or ""
    if cluster_ip == "None" and kind != "ClusterIP":
        raise KubectlError("ClusterIP=None can only be used with ClusterIP service type")
    if cluster_ip != "None" and not specs and kind != "ExternalName":
        raise KubectlError("at least one tcp port specifier must be provided")
    if kind == "ExternalName":
        external = inv.flag("external-name") or ""
        if dns1123_subdomain(external):
            raise KubectlError(f"invalid service external name {external}")


@handles(*(f"create service {word}" for word in TYPES))
def create_service(session: KubectlSession, inv: Invocation) -> Result:
    """Check the flags as cobra and ``Complete``/``Validate`` do, in their order, then print
    the Service (client dry run) or create it."""
    word = inv.verb.rsplit(" ", 1)[-1]
    kind = TYPES[word][0]
    if word == "externalname" and inv.flag("external-name") is None:
        raise KubectlError('required flag(s) "external-name" not set')
    if len(inv.args) != 1:
        raise generators.usage_error(inv.verb, f"exactly one NAME is required, got {len(inv.args)}")
    name = inv.args[0]
    mode = dry_run_mode(inv)
    output = check_object_output(session, inv.flag("output") or "")
    specs = tcp_specs(inv)
    _validate(kind, inv, specs)
    service = _service(name, kind, inv, specs)
    info = session.api.kind_info("Service")
    if mode != "client":
        service["metadata"]["namespace"] = inv.flag("namespace") or session.namespace
        try:
            service = session.api.create(service, dry_run=mode == "server")
        except ApiError as error:
            # create_service.go wraps the error as text: the API server's own message, which
            # has no "The " before the kind.
            message = (
                error.message.removeprefix("The ") if error.reason == "Invalid" else error.message
            )
            raise KubectlError(f"failed to create {kind} service: {message}") from None
    if output.format:
        return Result(
            stdout=print_objects([(info, service)], output, struct_order=mode == "client")
        )
    return Result(stdout=f"{resource_label(info, name)} created{dry_run_suffix(mode)}\n")


@handles("create service")
def service_group(session: KubectlSession, inv: Invocation) -> Result:
    """``kubectl create service`` alone prints its help to stderr and fails; with words
    after it, ``RequireNoArguments`` calls them an unknown command."""
    if inv.args:
        raise generators.usage_error(
            "create service", f"unknown command {go_quote(' '.join(inv.args))}"
        )
    return Result(stderr=GROUP_HELP, exit_code=1)

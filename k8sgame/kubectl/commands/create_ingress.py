"""``kubectl create ingress NAME --rule=host/path=service:port[,tls[=secret]]``
(``kubectl/pkg/cmd/create/create_ingress.go`` at v0.35.7).

Each ``--rule`` adds a path to the rule of its host (one rule per host, in first-seen
order); the path is ``Exact``, or ``Prefix`` without its last character when it ends in
``*``; the port is a number when it reads as one (``intstr.Parse``), else a port name. A
``,tls`` or ``,tls=SECRET`` suffix adds the host to the TLS entry of that secret (one entry
per secret; a host is added once). ``--default-backend=svc:port``, ``--class`` and
``--annotation=key=value`` (repeatable) fill in the rest; ``metadata.namespace`` is written
only when ``-n`` is given. The checks are ``Validate``'s, in its order: something to route,
each rule against kubectl's pattern (which is anchored at the start only, so text after a
valid rule is not looked at), each annotation, then the default backend's ``name:port``
shape. Server errors come back as ``failed to create ingress: <server message>``.

Rules that pass the pattern but that ``buildHTTPIngressPath`` cannot split (a ``,`` inside
the path, a second ``=`` before the Service) make kubectl panic on an index out of range; the
sandbox prints the panic's first line and exits with Go's status 2 (the goroutine trace that
follows it in kubectl is left out)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from k8sgame.engine.errors import ApiError
from k8sgame.kubectl.commands import generators
from k8sgame.kubectl.commands.write_options import dry_run_mode, dry_run_suffix
from k8sgame.kubectl.errors import KubectlError
from k8sgame.kubectl.go_strconv import atoi
from k8sgame.kubectl.parser import Flag, Invocation
from k8sgame.kubectl.printing import check_object_output, print_objects, resource_label
from k8sgame.kubectl.result import Result
from k8sgame.kubectl.verbs import Args, Effect, handles, register_verb

if TYPE_CHECKING:
    from k8sgame.kubectl.session import KubectlSession

register_verb(
    "create ingress",
    (
        *generators.OUTPUT_FLAGS,
        Flag("class", default=""),
        Flag("rule", repeat=True),
        Flag("default-backend", default=""),
        Flag("annotation", repeat=True),
    ),
    aliases=("create ing",),
    effect=Effect.CHANGES,
    args=Args.NONE,
)

# create_ingress.go ruleRegex (regexHostPathSvc + regexTLS); Go's \w is ASCII only.
RULE_PATTERN = re.compile(
    r"^(?P<host>[\w\*\-\.]*)(?P<path>/.*)=(?P<svcname>[\w\-]+):(?P<svcport>[\w\-]+)"
    r"(,(?P<istls>tls)=?(?P<secretname>[\w\-]+)?)?",
    re.ASCII,
)
NOTHING_TO_ROUTE = (
    "not enough information provided: every ingress has to either specify a default-backend "
    "(which catches all traffic) or a list of rules (which catch specific paths)"
)


class GoPanic(Exception):
    """What makes kubectl panic: Go's runtime error text."""


def _index(parts: list[str], index: int) -> str:
    """``parts[index]`` as Go indexes a slice: out of range is a panic."""
    if index >= len(parts):
        raise GoPanic(f"runtime error: index out of range [{index}] with length {len(parts)}")
    return parts[index]


def validate_options(rules: list[str], annotations: list[str], default_backend: str) -> None:
    """``CreateIngressOptions.Validate``, with its messages, in its order."""
    if not default_backend and not rules:
        raise KubectlError(NOTHING_TO_ROUTE)
    for rule in rules:
        if not RULE_PATTERN.match(rule):
            raise KubectlError(
                f"rule {rule} is invalid and should be in format "
                "host/path=svcname:svcport[,tls[=secret]]"
            )
    for annotation in annotations:
        if "=" not in annotation:
            raise KubectlError(
                f"annotation {annotation} is invalid and should be in format key=[value]"
            )
    if default_backend and len(default_backend.split(":")) != 2:
        raise KubectlError("default-backend should be in format servicename:serviceport")


def backend_port(text: str) -> dict[str, Any]:
    """``parseServiceBackendPort``: ``intstr.Parse`` (``strconv.Atoi``, then int32) makes a
    number, anything else a name; a zero number or an empty name is left out."""
    value = atoi(text)
    if value is not None:
        number = (value + 2**31) % 2**32 - 2**31
        return {"number": number} if number else {}
    return {"name": text} if text else {}


def service_backend(text: str) -> dict[str, Any]:
    """``buildIngressBackendSvc``: ``name:port`` into a Service backend."""
    parts = text.split(":")
    name, port = _index(parts, 0), _index(parts, 1)
    return {"service": {"name": name, "port": backend_port(port)}}


def http_path(path_and_service: str) -> dict[str, Any]:
    """``buildHTTPIngressPath``: ``path=svc:port`` (the path without its leading ``/``)."""
    parts = path_and_service.split("=")
    path = "/" + parts[0]
    service = _index(parts, 1)
    path_type = "Exact"
    if path.endswith("*"):
        path_type, path = "Prefix", path[:-1]
    return {"path": path, "pathType": path_type, "backend": service_backend(service)}


def ingress_rules(rules: list[str]) -> list[dict[str, Any]]:
    """``buildIngressRules``: one rule per host, its paths in the order given."""
    built: list[dict[str, Any]] = []
    for rule in rules:
        host, _, rest = rule.split(",")[0].partition("/")
        path = http_path(rest)
        same_host = next((r for r in built if r.get("host", "") == host), None)
        if same_host is not None:
            same_host["http"]["paths"].append(path)
            continue
        entry: dict[str, Any] = {"host": host} if host else {}
        entry["http"] = {"paths": [path]}
        built.append(entry)
    return built


def ingress_tls(rules: list[str]) -> list[dict[str, Any]]:
    """``buildTLSRules``: a rule with exactly one ``,`` asks for TLS (whatever follows the
    comma); its host joins the entry of the same secret, or starts a new entry; each host
    is taken once."""
    entries: list[dict[str, Any]] = []
    seen_hosts: set[str] = set()
    for rule in rules:
        pieces = rule.split(",")
        if len(pieces) != 2:
            continue
        host = rule.split("/", 1)[0]
        secret_parts = pieces[1].split("=")
        secret = secret_parts[1] if len(secret_parts) > 1 else ""
        if host in seen_hosts:
            continue
        same_secret = next((e for e in entries if e.get("secretName", "") == secret), None)
        seen_hosts.add(host)
        if same_secret is not None:
            hosts = [*same_secret.pop("hosts", []), host]
            # Go struct order: hosts before secretName.
            rest = dict(same_secret)
            same_secret.clear()
            same_secret.update({"hosts": hosts, **rest})
            continue
        entry: dict[str, Any] = {}
        if host:
            entry["hosts"] = [host]
        if secret:
            entry["secretName"] = secret
        if entry:
            entries.append(entry)
    return entries


def build_ingress(name: str, inv: Invocation) -> dict[str, Any]:
    """``createIngress``: the Ingress with keys in Go struct order (for ``-o json``)."""
    rules: list[str] = inv.flag("rule") or []
    annotations = dict(a.split("=", 1) for a in inv.flag("annotation") or [])
    spec: dict[str, Any] = {}
    if inv.flag("class"):
        spec["ingressClassName"] = inv.flag("class")
    if inv.flag("default-backend"):
        spec["defaultBackend"] = service_backend(inv.flag("default-backend"))
    tls = ingress_tls(rules)
    if tls:
        spec["tls"] = tls
    built = ingress_rules(rules)
    if built:
        spec["rules"] = built
    return {
        "kind": "Ingress",
        "apiVersion": "networking.k8s.io/v1",
        "metadata": generators.metadata_of(
            name,
            inv.flag("namespace"),
            annotations={k: annotations[k] for k in sorted(annotations)},
        ),
        "spec": spec,
        "status": {"loadBalancer": {}},
    }


def _create(session: KubectlSession, ingress: dict[str, Any], inv: Invocation, mode: str) -> Any:
    """Send the Ingress to the API server; its errors come back wrapped as kubectl wraps
    them (the Invalid message without the "The " kubectl adds elsewhere)."""
    ingress["metadata"]["namespace"] = inv.flag("namespace") or session.namespace
    try:
        return session.api.create(ingress, dry_run=mode == "server")
    except ApiError as error:
        message = error.message.removeprefix("The ") if error.reason == "Invalid" else error.message
        raise KubectlError(f"failed to create ingress: {message}") from None


@handles("create ingress")
def create_ingress(session: KubectlSession, inv: Invocation) -> Result:
    """``Complete`` (one NAME, the dry-run mode, the output format), ``Validate``, then
    print the Ingress (client dry run) or create it."""
    if len(inv.args) != 1:
        raise generators.usage_error(inv.verb, f"exactly one NAME is required, got {len(inv.args)}")
    name = inv.args[0]
    mode = dry_run_mode(inv)
    output = check_object_output(session, inv.flag("output") or "")
    validate_options(
        inv.flag("rule") or [], inv.flag("annotation") or [], inv.flag("default-backend") or ""
    )
    try:
        ingress = build_ingress(name, inv)
    except GoPanic as panic:
        return Result(stderr=f"panic: {panic}\n\ngoroutine 1 [running]:\n", exit_code=2)
    info = session.api.kind_info("Ingress")
    if mode != "client":
        ingress = _create(session, ingress, inv, mode)
    if output.format:
        return Result(
            stdout=print_objects([(info, ingress)], output, struct_order=mode == "client")
        )
    return Result(stdout=f"{resource_label(info, name)} created{dry_run_suffix(mode)}\n")

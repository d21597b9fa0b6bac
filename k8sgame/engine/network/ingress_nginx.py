"""ingress-nginx (kubernetes/ingress-nginx) as the traffic path sees it.

A pod whose image is an Ingress controller (the catalog's ``ingress_controller``) answers
HTTP on port 80 by the Ingresses of its class, reading the cluster when the request comes:

* **Which Ingresses.** Its flags (``--controller-class``, default ``k8s.io/ingress-nginx``;
  ``--ingress-class``, default ``nginx``; ``--watch-ingress-without-class``) decide, as
  ``internal/ingress/controller/store`` does: an Ingress whose ``ingressClassName`` names an
  IngressClass with this controller, or whose ``kubernetes.io/ingress.class`` annotation
  equals ``--ingress-class``; one with neither only with ``--watch-ingress-without-class``.
* **Which backend.** ``ingress_routing.route`` (host, then path), then the Service's port by
  number or name, then the Service's ready endpoints — ingress-nginx sends to pod addresses
  itself, not through the cluster IP — one picked at random.
* **What the client gets.** The backend's own answer; nginx's error pages otherwise: 404
  from the default backend when nothing matches, 503 ``Service Temporarily Unavailable``
  when the Service is missing or has no ready endpoint, 502 ``Bad Gateway`` when the pod
  refuses, 504 ``Gateway Time-out`` after ``proxy-connect-timeout`` (5 s) when nothing
  answers. The controller pod is the client of the onward connection, so NetworkPolicy
  applies to it (a default-deny policy in the app's namespace stops it unless the
  ``ingress-nginx`` namespace is let in).

``IngressStatusSync`` writes ``status.loadBalancer.ingress`` from the ``--publish-service``
Service (its load-balancer addresses; a ClusterIP or NodePort Service's cluster IP) and
records ``Sync`` events, as the controller's status updater and its sync queue do: when an
Ingress, a Service or a class changes, and every 60 s.

TLS: port 443 serves the same rules over TLS with a self-signed certificate (the
controller's fake one, or the host's TLS Secret: the sandbox has no certificate authority
the player's tools trust, so curl needs ``-k``); plain HTTP to a host an Ingress lists under
``tls`` gets ``308 Permanent Redirect`` (the ``ssl-redirect`` default).

Not modelled: which certificate is served (curl cannot show it), annotations (rewrites, regex paths, canaries, session
affinity), the admission webhook, the controller's access log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.clock import SimClock
from k8sgame.engine.controllers.base import Informer, QueueController, Result
from k8sgame.engine.errors import ApiError
from k8sgame.engine.events import NORMAL, EventRecorder
from k8sgame.engine.network.ingress_routing import request_host, route
from k8sgame.engine.store import DELETED, WatchEvent

DEFAULT_CONTROLLER_CLASS = "k8s.io/ingress-nginx"
DEFAULT_INGRESS_CLASS = "nginx"
CLASS_ANNOTATION = "kubernetes.io/ingress.class"
EVENT_SOURCE = "nginx-ingress-controller"
HTTP_PORT = 80
HTTPS_PORT = 443
# What a client sees of the controller's certificates: its own fake one, or a TLS Secret's,
# both self-signed here (the sandbox has no certificate authority the player's tools trust).
CERTIFICATE_PROBLEM = "self-signed certificate"
# status.go: the leader updates every Ingress's status this often.
STATUS_SYNC_SECONDS = 60.0
# ingress-nginx's ConfigMap default proxy-connect-timeout.
PROXY_CONNECT_TIMEOUT = 5.0
# The status lines nginx sends (ngx_http_status_lines), where they differ from RFC names.
STATUS_LINES = {
    308: "Permanent Redirect",
    404: "Not Found",
    502: "Bad Gateway",
    503: "Service Temporarily Unavailable",
    504: "Gateway Time-out",
}


def error_page(status: int) -> str:
    """nginx's built-in error page with ``server_tokens off`` (ingress-nginx's default)."""
    title = f"{status} {STATUS_LINES[status]}"
    return (
        f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
        f"<center><h1>{title}</h1></center>\r\n"
        "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    )


@dataclass(frozen=True)
class ControllerConfig:
    """The flags of one controller pod that decide what it serves."""

    namespace: str
    controller_class: str = DEFAULT_CONTROLLER_CLASS
    ingress_class: str = DEFAULT_INGRESS_CLASS
    watch_without_class: bool = False
    publish_service: str = ""


def _argv(pod: dict[str, Any]) -> list[str]:
    containers = (pod.get("spec") or {}).get("containers") or []
    if not containers:
        return []
    container = containers[0]
    return [str(a) for a in (container.get("command") or []) + (container.get("args") or [])]


def config_of(pod: dict[str, Any]) -> ControllerConfig:
    """What a controller pod's command line says (``$(POD_NAMESPACE)`` expanded, as the
    kubelet expands it from the downward API in the upstream manifests)."""
    namespace = str(pod["metadata"].get("namespace") or "default")
    values: dict[str, str] = {}
    for arg in _argv(pod):
        if not arg.startswith("--"):
            continue
        name, eq, value = arg[2:].partition("=")
        values[name] = value.replace("$(POD_NAMESPACE)", namespace) if eq else "true"
    return ControllerConfig(
        namespace=namespace,
        controller_class=values.get("controller-class", DEFAULT_CONTROLLER_CLASS),
        ingress_class=values.get("ingress-class", DEFAULT_INGRESS_CLASS),
        watch_without_class=values.get("watch-ingress-without-class", "false") == "true",
        publish_service=values.get("publish-service", ""),
    )


def serves(ingress: dict[str, Any], config: ControllerConfig, classes: dict[str, Any]) -> bool:
    """Whether the controller with ``config`` takes ``ingress`` (``classes``: the
    IngressClasses by name)."""
    class_name = (ingress.get("spec") or {}).get("ingressClassName")
    if class_name:
        ingress_class = classes.get(str(class_name))
        controller = ((ingress_class or {}).get("spec") or {}).get("controller")
        return controller == config.controller_class
    annotation = (ingress["metadata"].get("annotations") or {}).get(CLASS_ANNOTATION)
    if annotation is not None:
        return annotation == config.ingress_class
    return config.watch_without_class


def served_ingresses(api: Client, config: ControllerConfig) -> list[dict[str, Any]]:
    """The Ingresses a controller with ``config`` serves, not being deleted."""
    classes = {c["metadata"]["name"]: c for c in api.view("IngressClass")}
    return [
        ing
        for ing in api.view("Ingress")
        if not ing["metadata"].get("deletionTimestamp") and serves(ing, config, classes)
    ]


@dataclass(frozen=True)
class Upstream:
    """Where a request goes after the rules: a pod address and port, or the error status
    the controller answers itself."""

    ip: str = ""
    port: int = 0
    status: int = 0


def tls_hosts(ingresses: list[dict[str, Any]]) -> set[str]:
    """The hosts an Ingress's ``tls`` section names."""
    return {
        str(h).lower()
        for ing in ingresses
        for tls in (ing.get("spec") or {}).get("tls") or []
        for h in tls.get("hosts") or []
    }


def upstreams(
    api: Client, proxy: Any, config: ControllerConfig, host: str, path: str, https: bool = False
) -> list[Upstream]:
    """Every upstream the controller could pick for a request (one error status when it
    answers by itself). Plain HTTP to a host with TLS is redirected (ssl-redirect, on by
    default: 308)."""
    served = served_ingresses(api, config)
    if not https and request_host(host) in tls_hosts(served):
        return [Upstream(status=308)]
    found = route(served, host, path)
    if found is None or found.service is None:
        return [Upstream(status=404)]
    svc = api.peek("Service", found.service, found.namespace)
    if svc is None:
        return [Upstream(status=503)]
    wanted = found.port
    port = None
    for candidate in (svc.get("spec") or {}).get("ports") or []:
        by_number = isinstance(wanted, int) and int(candidate.get("port") or 0) == wanted
        if by_number or (isinstance(wanted, str) and candidate.get("name") == wanted):
            port = candidate
            break
    if port is None:
        return [Upstream(status=503)]
    endpoints = proxy.endpoints(found.namespace, found.service, str(port.get("name") or ""), "")
    ready = sorted((e.ip, e.port) for e in endpoints if e.ready)
    if not ready:
        return [Upstream(status=503)]
    return [Upstream(ip, number) for ip, number in ready]


class IngressStatusSync(QueueController[tuple[str, str]]):
    """The controller's status updater: each served Ingress gets the publish Service's
    addresses, and a ``Sync`` event when it is created or changed."""

    name = EVENT_SOURCE
    kinds = ("Ingress", "Service", "IngressClass")

    def __init__(
        self,
        api: Client,
        informer: Informer,
        clock: SimClock,
        controllers: Callable[[], list[dict[str, Any]]],
        reader: Client | None = None,
    ) -> None:
        """``controllers()`` gives the Ready controller pods (the network box knows which
        running containers are Ingress controllers). ``reader`` stands for the controller's
        informer cache (default: ``api``); writes go through ``api``."""
        super().__init__(api, informer, clock)
        self.reader = reader or api
        self.recorder = EventRecorder(api, clock)
        self.controllers = controllers
        self._seen: dict[tuple[str, str], int] = {}

    def on_event(self, event: WatchEvent) -> None:
        if event.kind == "Ingress":
            md = event.obj["metadata"]
            key = (md["namespace"], md["name"])
            if event.type == DELETED:
                self._seen.pop(key, None)
                return
            self.queue.add(key)
            return
        # A Service or a class changed: every Ingress may be affected.
        for ing in self.reader.view("Ingress"):
            self.queue.add((ing["metadata"]["namespace"], ing["metadata"]["name"]))

    def reconcile(self, key: tuple[str, str]) -> Result | None:
        namespace, name = key
        ingress = self.reader.peek("Ingress", name, namespace)
        if ingress is None:
            return None
        controllers = self.controllers()
        classes = {c["metadata"]["name"]: c for c in self.reader.view("IngressClass")}
        config = next((c for c in map(config_of, controllers) if serves(ingress, c, classes)), None)
        if config is None:
            # No controller takes it yet: look again at the status updater's period.
            return Result(requeue_after=STATUS_SYNC_SECONDS)
        generation = int(ingress["metadata"].get("generation") or 1)
        if self._seen.get(key) != generation:
            self._seen[key] = generation
            self.recorder.record(ingress, NORMAL, "Sync", "Scheduled for sync", EVENT_SOURCE)
        addresses = self._published(config)
        current = ((ingress.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
        if [dict(a) for a in current] == addresses:
            return Result(requeue_after=STATUS_SYNC_SECONDS)
        obj = self.api.get("Ingress", name, namespace)
        obj["status"] = {"loadBalancer": {"ingress": addresses} if addresses else {}}
        try:
            self.api.update_status(obj)
        except ApiError as error:
            if error.reason not in ("NotFound", "Conflict"):
                raise
            return Result(requeue_after=1.0)
        return None

    def _published(self, config: ControllerConfig) -> list[dict[str, Any]]:
        """``statusAddressFromService``: what the publish Service offers, sorted."""
        if not config.publish_service:
            return []
        namespace, _, name = config.publish_service.rpartition("/")
        svc = self.reader.peek("Service", name, namespace or config.namespace)
        if svc is None:
            return []
        spec = svc.get("spec") or {}
        kind = spec.get("type")
        out: list[dict[str, Any]]
        if kind == "ExternalName":
            out = [{"hostname": spec.get("externalName")}]
        elif kind == "LoadBalancer":
            out = []
            for ing in ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []:
                out.append(
                    {"ip": ing["ip"]} if ing.get("ip") else {"hostname": ing.get("hostname")}
                )
            out += [{"ip": ip} for ip in spec.get("externalIPs") or []]
        elif kind == "NodePort" and spec.get("externalIPs"):
            out = [{"ip": ip} for ip in spec["externalIPs"]]
        else:
            out = [{"ip": spec.get("clusterIP")}] if spec.get("clusterIP") else []
        return sorted(out, key=lambda a: (a.get("hostname") or "", a.get("ip") or ""))

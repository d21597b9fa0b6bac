"""The Service environment variables the kubelet gives every container
(``pkg/kubelet/envvars/envvars.go`` ``FromServices``, ``kubelet_pods.go``
``getServiceEnvVarMap``).

From the Services that exist when the container starts: every Service of the pod's
namespace when ``enableServiceLinks`` is true (the default), and always the ``kubernetes``
Service of ``default`` unless the namespace has its own Service of that name. Services
without a cluster IP (headless, ExternalName) give none. A Service created later reaches a
container only when it starts again."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.kinds.service import is_service_ip_set

MASTER_NAMESPACE = "default"
MASTER_SERVICES = ("kubernetes",)


def env_name(service: str) -> str:
    """``makeEnvVariableName``: upper case, ``-`` and ``.`` as ``_``, a leading digit
    guarded by ``_``."""
    name = service.upper().replace("-", "_").replace(".", "_")
    return "_" + name if name[:1].isdigit() else name


def _variables(svc: dict[str, Any]) -> dict[str, str]:
    spec = svc.get("spec") or {}
    prefix = env_name(svc["metadata"]["name"])
    ip = str(spec["clusterIP"])
    ports = spec.get("ports") or []
    out: dict[str, str] = {f"{prefix}_SERVICE_HOST": ip}
    if not ports:
        return out
    first = ports[0]
    out[f"{prefix}_SERVICE_PORT"] = str(first.get("port"))
    for port in ports:
        if port.get("name"):
            out[f"{prefix}_SERVICE_PORT_{env_name(str(port['name']))}"] = str(port.get("port"))
    out[f"{prefix}_PORT"] = (
        f"{str(first.get('protocol') or 'TCP').lower()}://{ip}:{first.get('port')}"
    )
    for port in ports:
        protocol = str(port.get("protocol") or "TCP")
        number = port.get("port")
        base = f"{prefix}_PORT_{number}_{protocol.upper()}"
        out[base] = f"{protocol.lower()}://{ip}:{number}"
        out[f"{base}_PROTO"] = protocol.lower()
        out[f"{base}_PORT"] = str(number)
        out[f"{base}_ADDR"] = ip
    return out


def service_env(pod: dict[str, Any], api: Client) -> dict[str, str]:
    """The variables for a container of ``pod`` starting now."""
    namespace = pod["metadata"].get("namespace", "")
    links = (pod.get("spec") or {}).get("enableServiceLinks") is not False
    chosen: dict[str, dict[str, Any]] = {}
    # Services without a cluster IP never enter the map (getServiceEnvVarMap), so a headless
    # one cannot hide default/kubernetes.
    for svc in api.view("Service", MASTER_NAMESPACE):
        name = svc["metadata"]["name"]
        if is_service_ip_set(svc) and (
            name in MASTER_SERVICES or (links and namespace == MASTER_NAMESPACE)
        ):
            chosen[name] = svc
    if links and namespace != MASTER_NAMESPACE:
        for svc in api.view("Service", namespace):
            if is_service_ip_set(svc):
                chosen[svc["metadata"]["name"]] = svc  # the namespace's own one wins
    env: dict[str, str] = {}
    for name in sorted(chosen):
        env.update(_variables(chosen[name]))
    return env

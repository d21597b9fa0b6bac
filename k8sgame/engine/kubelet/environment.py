"""A container's environment and mounted files, read from ConfigMaps, Secrets, the downward API
and projected volumes (a service account token included).

Messages from ``pkg/kubelet/kubelet_pods.go`` ``makeEnvironmentVariables`` and the volume
plugins (kubelet.md §6): ``configmap "x" not found``, ``couldn't find key k in ConfigMap
ns/x``; ``optional: true`` skips what is missing.
"""

from __future__ import annotations

import base64
import re
from typing import Any

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.errors import go_quote
from k8sgame.engine.kubelet.service_env import service_env
from k8sgame.engine.quantity import QuantityError, cpu_millis, memory_bytes


class ConfigError(Exception):
    """CreateContainerConfigError: the message the kubelet puts in the waiting state."""


_VAR_REF = re.compile(r"\$\(([^)]*)\)|\$\$")


def expand(value: str, env: dict[str, str]) -> str:
    """Kubernetes ``$(VAR)`` expansion: known variables replaced, ``$$`` escapes a dollar."""

    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group(1)
        return env[name] if name in env else match.group(0)

    return _VAR_REF.sub(replace, value)


def _source(
    api: Client, kind: str, name: str, namespace: str, with_binary: bool = False
) -> dict[str, str] | None:
    """A ConfigMap's or Secret's data; environment variables never see ``binaryData``."""
    obj = api.peek(kind, name, namespace)
    if obj is None:
        return None
    if kind == "Secret":
        return {
            k: base64.b64decode(v).decode(errors="replace")
            for k, v in (obj.get("data") or {}).items()
        }
    data = dict(obj.get("data") or {})
    if with_binary:
        for key, value in (obj.get("binaryData") or {}).items():
            data[key] = base64.b64decode(value).decode(errors="replace")
    return data


def _field_ref(pod: dict[str, Any], path: str) -> str:
    md, spec, status = pod["metadata"], pod.get("spec") or {}, pod.get("status") or {}
    simple = {
        "metadata.name": md.get("name", ""),
        "metadata.namespace": md.get("namespace", ""),
        "metadata.uid": md.get("uid", ""),
        "spec.nodeName": spec.get("nodeName", ""),
        "spec.serviceAccountName": spec.get("serviceAccountName", ""),
        "status.podIP": status.get("podIP", ""),
        "status.hostIP": status.get("hostIP", ""),
    }
    if path in simple:
        return str(simple[path])
    match = re.fullmatch(r"metadata\.(labels|annotations)\['([^']*)'\]", path)
    if match:
        return str((md.get(match.group(1)) or {}).get(match.group(2), ""))
    return ""


def _resource_ref(container: dict[str, Any], ref: dict[str, Any]) -> str:
    resource = str(ref.get("resource", ""))
    group, _, name = resource.partition(".")
    value = ((container.get("resources") or {}).get(group) or {}).get(name)
    try:
        if name == "cpu":
            # Rounded up to whole cores with the default divisor of 1.
            return str(-(-cpu_millis(value or "0") // 1000)) if value else "0"
        return str(memory_bytes(value)) if value else "0"
    except QuantityError:
        return "0"


def resolve_env(pod: dict[str, Any], container: dict[str, Any], api: Client) -> dict[str, str]:
    """The environment the pod spec gives the container (the runtime adds the image's own
    defaults under it); raises ConfigError like the kubelet."""
    namespace = pod["metadata"].get("namespace", "")
    # The Service variables: ``$(VAR)`` sees them, and they come after the declared ones
    # (which win on a clash).
    services = service_env(pod, api)
    env: dict[str, str] = {}
    declared: dict[str, str] = {}
    for source in container.get("envFrom") or []:
        prefix = source.get("prefix") or ""
        for kind, ref_key in (("ConfigMap", "configMapRef"), ("Secret", "secretRef")):
            ref = source.get(ref_key)
            if not ref:
                continue
            data = _source(api, kind, ref.get("name", ""), namespace)
            if data is None:
                if ref.get("optional"):
                    continue
                raise ConfigError(f'{kind.lower()} "{ref.get("name", "")}" not found')
            for key, value in data.items():
                declared[prefix + key] = value
    for entry in container.get("env") or []:
        name = entry.get("name", "")
        source = entry.get("valueFrom")
        if source is None:
            declared[name] = expand(str(entry.get("value") or ""), {**services, **declared})
            continue
        if source.get("fieldRef"):
            declared[name] = _field_ref(pod, source["fieldRef"].get("fieldPath", ""))
        elif source.get("resourceFieldRef"):
            declared[name] = _resource_ref(container, source["resourceFieldRef"])
        for kind, ref_key in (("ConfigMap", "configMapKeyRef"), ("Secret", "secretKeyRef")):
            ref = source.get(ref_key)
            if not ref:
                continue
            object_name, key = ref.get("name", ""), ref.get("key", "")
            data = _source(api, kind, object_name, namespace)
            if data is None:
                if ref.get("optional"):
                    break
                raise ConfigError(f'{kind.lower()} "{object_name}" not found')
            if key not in data:
                if ref.get("optional"):
                    break
                raise ConfigError(f"couldn't find key {key} in {kind} {namespace}/{object_name}")
            declared[name] = data[key]
    env.update(declared)
    env.update((key, value) for key, value in services.items() if key not in declared)
    return env


def volume_problem(pod: dict[str, Any], api: Client) -> tuple[str, str] | None:
    """(volume name, error) for the first ConfigMap/Secret volume, or projected ConfigMap/Secret
    source, that cannot be mounted."""
    namespace = pod["metadata"].get("namespace", "")
    for volume in (pod.get("spec") or {}).get("volumes") or []:
        sources = [(k, v) for k, v in volume.items() if k in ("configMap", "secret")]
        for part in (volume.get("projected") or {}).get("sources") or []:
            sources.extend((k, v) for k, v in part.items() if k in ("configMap", "secret"))
        for key, source in sources:
            problem = _missing(api, namespace, key, source or {})
            if problem is not None:
                return volume.get("name", ""), problem
    return None


def _missing(api: Client, namespace: str, key: str, source: dict[str, Any]) -> str | None:
    kind = "ConfigMap" if key == "configMap" else "Secret"
    object_name = source.get("name" if key == "configMap" else "secretName") or source.get(
        "name", ""
    )
    data = _source(api, kind, object_name, namespace, with_binary=True)
    if source.get("optional"):
        return None
    if data is None:
        return f'{kind.lower()} "{object_name}" not found'
    for item in source.get("items") or []:
        if item.get("key") not in data:
            return f"{kind.lower()} references non-existent config key: {item.get('key')}"
    return None


def mounted_files(
    pod: dict[str, Any], container: dict[str, Any], api: Client, refreshed_only: bool = False
) -> dict[str, str]:
    """Files the container sees from ConfigMap, Secret, downward API and projected volumes:
    path -> content. ``refreshed_only`` leaves out ``subPath`` mounts, which the kubelet
    never updates once the container started."""
    volumes = {v.get("name"): v for v in (pod.get("spec") or {}).get("volumes") or []}
    files: dict[str, str] = {}
    for mount in container.get("volumeMounts") or []:
        volume = volumes.get(mount.get("name")) or {}
        base = str(mount.get("mountPath", "")).rstrip("/")
        sub_path = mount.get("subPath")
        if sub_path and refreshed_only:
            continue
        for path, content in volume_files(pod, volume, api).items():
            if sub_path:
                if path == sub_path:
                    files[base] = content
            else:
                files[f"{base}/{path}"] = content
    return files


def volume_files(pod: dict[str, Any], volume: dict[str, Any], api: Client) -> dict[str, str]:
    """The files one volume holds, by path inside it (what is missing is left out: the
    mount waits for it, ``volume_problem``)."""
    files: dict[str, str] = {}
    for key, source in volume.items():
        if key == "projected":
            for part in (source or {}).get("sources") or []:
                for part_key, part_source in part.items():
                    files.update(_source_files(pod, part_key, part_source or {}, api))
        elif key != "name":
            files.update(_source_files(pod, key, source or {}, api))
    return files


def _source_files(
    pod: dict[str, Any], key: str, source: dict[str, Any], api: Client
) -> dict[str, str]:
    namespace = pod["metadata"].get("namespace", "")
    if key in ("configMap", "secret"):
        kind, name_field = ("ConfigMap", "name") if key == "configMap" else ("Secret", "secretName")
        # A projected secret names its Secret with ``name``, a secret volume with secretName.
        object_name = source.get(name_field) or source.get("name", "")
        data = _source(api, kind, object_name, namespace, with_binary=True) or {}
        items = source.get("items")
        pairs = [(i.get("key"), i.get("path")) for i in items] if items else [(k, k) for k in data]
        return {str(path): data[data_key] for data_key, path in pairs if data_key in data}
    if key == "downwardAPI":
        files = {}
        for item in source.get("items") or []:
            if item.get("fieldRef"):
                files[str(item.get("path"))] = _volume_field_ref(pod, item["fieldRef"])
            elif item.get("resourceFieldRef"):
                ref = item["resourceFieldRef"]
                container: dict[str, Any] = next(
                    (
                        c
                        for c in (pod.get("spec") or {}).get("containers") or []
                        if c.get("name") == ref.get("containerName")
                    ),
                    {},
                )
                files[str(item.get("path"))] = _resource_ref(container, ref)
        return files
    if key == "serviceAccountToken":
        # The kubelet writes a token the API server signed (TokenRequest). The simulated
        # cluster signs nothing, and says so in the file rather than pass off a fake JWT.
        account = (pod.get("spec") or {}).get("serviceAccountName") or "default"
        subject = f"system:serviceaccount:{namespace}:{account}"
        return {str(source.get("path", "token")): f"k8sgame-simulated-token:{subject}"}
    return {}


def _volume_field_ref(pod: dict[str, Any], field_ref: dict[str, Any]) -> str:
    """A downward API volume file: what an env var gets, and the whole label and annotation
    maps as ``key="value"`` lines in key order (``fieldpath.FormatMap``: Go's %q quoting, no
    newline after the last line)."""
    path = field_ref.get("fieldPath", "")
    if path in ("metadata.labels", "metadata.annotations"):
        values = pod["metadata"].get(path.split(".")[1]) or {}
        return "\n".join(f"{key}={go_quote(str(values[key]))}" for key in sorted(values))
    return _field_ref(pod, path)


def volume_mount_paths(
    pod: dict[str, Any], container: dict[str, Any]
) -> tuple[list[str], list[str]]:
    """Mount points of whole volumes, and the writable ones among them (emptyDir, hostPath,
    persistent volumes); ConfigMap, Secret, projected and downward API volumes are read-only."""
    volumes = {v.get("name"): v for v in (pod.get("spec") or {}).get("volumes") or []}
    whole: list[str] = []
    writable: list[str] = []
    for mount in container.get("volumeMounts") or []:
        if mount.get("subPath"):
            continue
        path = str(mount.get("mountPath", ""))
        volume = volumes.get(mount.get("name")) or {}
        whole.append(path)
        if any(
            volume.get(k) is not None
            for k in ("emptyDir", "hostPath", "persistentVolumeClaim", "ephemeral", "nfs")
        ):
            if not mount.get("readOnly"):
                writable.append(path)
    return whole, writable

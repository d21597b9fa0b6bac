"""The security context the kubelet applies to a container (``pkg/securitycontext``'s
``DetermineEffectiveSecurityContext`` and ``kuberuntime/security_context_others.go``).

The pod's ``spec.securityContext`` gives defaults for ``runAsUser``, ``runAsGroup`` and
``runAsNonRoot``; the container's own ``securityContext`` wins field by field.
``readOnlyRootFilesystem``, ``capabilities`` and ``privileged`` exist only on the container;
``fsGroup`` and ``supplementalGroups`` only on the pod.

Before creating the container the kubelet checks ``runAsNonRoot`` (``verifyRunAsNonRoot``):
against ``runAsUser`` when it is set, else against the image's user as the runtime reports
it (``getImageUser``: a numeric uid, or a name; an image without USER counts as uid 0). A
failure is a ``CreateContainerConfigError`` the next sync retries.
"""

from __future__ import annotations

from typing import Any

from k8sgame.engine.images.catalog import ImageSpec
from k8sgame.engine.images.identity import RunAs, image_user_id
from k8sgame.engine.kubelet.context import pod_ref

# Fields a container's securityContext overrides the pod's with.
_SHARED = ("runAsUser", "runAsGroup", "runAsNonRoot")


def effective_context(pod: dict[str, Any], container: dict[str, Any]) -> dict[str, Any]:
    """The container's security context with the pod's defaults filled in."""
    pod_sc = (pod.get("spec") or {}).get("securityContext") or {}
    out = {k: pod_sc[k] for k in _SHARED if pod_sc.get(k) is not None}
    for key, value in (container.get("securityContext") or {}).items():
        if value is not None:
            out[key] = value
    return out


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def run_as(pod: dict[str, Any], container: dict[str, Any]) -> RunAs:
    """What the runtime is asked for: user, group, extra groups and a read-only root."""
    sc = effective_context(pod, container)
    pod_sc = (pod.get("spec") or {}).get("securityContext") or {}
    extra = [g for g in [pod_sc.get("fsGroup"), *(pod_sc.get("supplementalGroups") or [])]]
    return RunAs(
        user=_int(sc.get("runAsUser")),
        group=_int(sc.get("runAsGroup")),
        supplemental_groups=tuple(g for g in extra if _int(g) is not None),
        read_only_root=sc.get("readOnlyRootFilesystem") is True,
    )


def verify_run_as_non_root(
    pod: dict[str, Any], container: dict[str, Any], image: ImageSpec | None
) -> str | None:
    """The kubelet's refusal to create a container that would break ``runAsNonRoot``
    (``verifyRunAsNonRoot``'s words), or None."""
    sc = effective_context(pod, container)
    if sc.get("runAsNonRoot") is not True:
        return None
    where = f'(pod: "{pod_ref(pod)}", container: {container.get("name", "")})'
    user = _int(sc.get("runAsUser"))
    if user is not None:
        if user == 0:
            return f"container's runAsUser breaks non-root policy {where}"
        return None
    uid, name = image_user_id(image.user if image is not None else "")
    if uid is None:
        return (
            f"container has runAsNonRoot and image has non-numeric user ({name}), "
            f"cannot verify user is non-root {where}"
        )
    if uid == 0:
        return f"container has runAsNonRoot and image will run as root {where}"
    return None

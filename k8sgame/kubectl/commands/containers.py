"""Which container a pod command means when ``-c`` is not given (kubectl's
``podcmd.FindOrDefaultContainerByName`` and the logs helper's copy of it)."""

from __future__ import annotations

from typing import Any

# podcmd.DefaultContainerAnnotationName: the container kubectl picks when none is named.
DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container"


def all_container_names(pod: dict[str, Any]) -> str:
    """podcmd.AllContainerNames: the containers, then ephemeral and init ones, marked."""
    spec = pod.get("spec") or {}
    names = [c.get("name", "") for c in spec.get("containers") or []]
    names += [f"{c.get('name', '')} (ephem)" for c in spec.get("ephemeralContainers") or []]
    names += [f"{c.get('name', '')} (init)" for c in spec.get("initContainers") or []]
    return ", ".join(names)


def default_container(pod: dict[str, Any], wanted: str | None) -> tuple[str, str]:
    """(container name, kubectl's ``Defaulted container`` notice or ""): the named one, the
    default-container annotation's, or the first, with the notice when the pod has more."""
    if wanted:
        return wanted, ""
    spec = pod.get("spec") or {}
    containers = spec.get("containers") or []
    names = [c.get("name", "") for c in containers]
    annotated = ((pod["metadata"].get("annotations")) or {}).get(DEFAULT_CONTAINER_ANNOTATION)
    missing = ""
    if annotated:
        if annotated in names + [c.get("name") for c in spec.get("initContainers") or []]:
            return annotated, ""
        missing = (
            f'Default container name "{annotated}" not found in pod {pod["metadata"]["name"]}\n'
        )
    several = len(containers) > 1 or spec.get("initContainers") or spec.get("ephemeralContainers")
    notice = f'Defaulted container "{names[0]}" out of: {all_container_names(pod)}\n'
    return names[0], missing + (notice if several else "")

"""``kubectl create deployment`` (``kubectl/pkg/cmd/create/create_deployment.go``): a
Deployment labelled ``app: NAME`` that selects those labels, one container per ``--image``,
``--replicas`` (1) and ``--port`` for the first container. Keys are in Go struct order, and
``strategy: {}`` and ``status: {}`` appear as kubectl prints them."""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING, Any

from k8sgame.engine.controllers.deployment.revisions import SAFE_ALPHABET
from k8sgame.engine.labels import SelectorError
from k8sgame.engine.labels import parse as parse_selector
from k8sgame.kubectl.commands import generators
from k8sgame.kubectl.errors import KubectlError
from k8sgame.kubectl.parser import Flag, Invocation
from k8sgame.kubectl.verbs import Args, Effect, handles, register_verb

if TYPE_CHECKING:
    from k8sgame.kubectl.session import KubectlSession

register_verb(
    "create deployment",
    (
        *generators.OUTPUT_FLAGS,
        Flag("image", repeat=True),
        Flag("port", "int", default=-1),
        Flag("replicas", "int", "r", 1),
    ),
    aliases=("create deploy",),
    effect=Effect.CHANGES,
    args=Args.NONE,
)


def container_name(image: str, seed: str) -> str:
    """``buildPodSpec``'s name for an image's container: the last path part without its tag
    or digest; ``_`` and ``.`` become ``-`` and five random characters are added
    (``sanitizeAndUniquify``). The characters come from a hash of ``seed`` (what the command
    saw) rather than a random source, so a replay gives the same names."""
    name = image.rsplit("/", 1)[-1].split(":", 1)[0].split("@", 1)[0]
    if "_" in name or "." in name:
        digest = hashlib.sha256(f"{seed}|{image}".encode()).digest()
        suffix = "".join(SAFE_ALPHABET[b % len(SAFE_ALPHABET)] for b in digest[:5])
        name = name.replace("_", "-").replace(".", "-") + "-" + suffix
    return name


def _deployment(session: KubectlSession, inv: Invocation) -> dict[str, Any]:
    if len(inv.args) != 1:
        raise generators.usage_error(
            "create deployment", f"exactly one NAME is required, got {len(inv.args)}"
        )
    name = inv.args[0]
    images: list[str] = inv.flag("image") or []
    if not images:
        raise KubectlError('required flag(s) "image" not set')
    command = list(inv.rest)
    if len(images) > 1 and command:
        raise KubectlError("cannot specify multiple --image options and command")
    # Unlike run, create deployment does not check the image: a bad reference reaches the
    # pods, whose containers wait with InvalidImageName.
    seed = f"{name}|{session.cluster.now}"
    containers: list[dict[str, Any]] = []
    for image in images:
        container: dict[str, Any] = {"name": container_name(image, seed), "image": image}
        if command:
            container["command"] = list(command)
        container["resources"] = {}
        containers.append(container)
    if inv.flag("port") >= 0:
        first = containers[0]
        resources = first.pop("resources")
        first["ports"] = [{"containerPort": inv.flag("port")}]
        first["resources"] = resources
    labels = {"app": name}
    return {
        "kind": "Deployment",
        "apiVersion": "apps/v1",
        "metadata": generators.metadata_of(name, inv.flag("namespace"), labels=dict(labels)),
        "spec": {
            "replicas": inv.flag("replicas"),
            "selector": {"matchLabels": dict(labels)},
            "template": {
                "metadata": {"labels": dict(labels)},
                "spec": {"containers": containers},
            },
            "strategy": {},
        },
        "status": {},
    }


generators.BUILDERS["create deployment"] = _deployment
handles("create deployment")(generators.run)


register_verb(
    "create poddisruptionbudget",
    (
        *generators.OUTPUT_FLAGS,
        Flag("min-available"),
        Flag("max-unavailable"),
        Flag("selector"),
    ),
    aliases=("create pdb",),
    effect=Effect.CHANGES,
    args=Args.NONE,
)
# create_pdb.go: what --min-available and --max-unavailable accept on the client.
_BUDGET_VALUE = re.compile(r"^[0-9]+%?$")


def _int_or_string(text: str) -> int | str:
    """``intstr.Parse``: digits are an int, anything else a string."""
    return int(text) if text.isdigit() else text


def _label_selector(text: str) -> dict[str, Any]:
    """``metav1.ParseToLabelSelector``: ``k=v`` into matchLabels, the rest as expressions."""
    try:
        parsed = parse_selector(text)
    except SelectorError as error:
        raise KubectlError(f'couldn\'t parse the selector string "{text}": {error}') from None
    selector: dict[str, Any] = {}
    for requirement in parsed.requirements:
        if requirement.operator == "In" and len(requirement.values) == 1:
            selector.setdefault("matchLabels", {})[requirement.key] = requirement.values[0]
            continue
        expression: dict[str, Any] = {"key": requirement.key, "operator": requirement.operator}
        if requirement.values:
            expression["values"] = list(requirement.values)
        selector.setdefault("matchExpressions", []).append(expression)
    return selector


def _pod_disruption_budget(session: KubectlSession, inv: Invocation) -> dict[str, Any]:
    if len(inv.args) != 1:
        raise generators.usage_error(
            "create poddisruptionbudget", f"exactly one NAME is required, got {len(inv.args)}"
        )
    name = inv.args[0]
    minimum, maximum, selector = (
        inv.flag("min-available"),
        inv.flag("max-unavailable"),
        inv.flag("selector"),
    )
    if not selector:
        raise KubectlError("a selector must be specified")
    if not minimum and not maximum:
        raise KubectlError("one of min-available or max-unavailable must be specified")
    if minimum and maximum:
        raise KubectlError("min-available and max-unavailable cannot be both specified")
    for flag, value in (("min-available", minimum), ("max-unavailable", maximum)):
        if value and not _BUDGET_VALUE.match(value):
            raise KubectlError(f"invalid format specified for {flag}")
    spec: dict[str, Any] = {}
    if minimum:
        spec["minAvailable"] = _int_or_string(minimum)
    spec["selector"] = _label_selector(selector)
    if maximum:
        spec["maxUnavailable"] = _int_or_string(maximum)
    return {
        "kind": "PodDisruptionBudget",
        "apiVersion": "policy/v1",
        "metadata": generators.metadata_of(name, inv.flag("namespace")),
        "spec": spec,
        "status": {
            "disruptionsAllowed": 0,
            "currentHealthy": 0,
            "desiredHealthy": 0,
            "expectedPods": 0,
        },
    }


generators.BUILDERS["create poddisruptionbudget"] = _pod_disruption_budget
handles("create poddisruptionbudget")(generators.run)

"""Object generators: ``kubectl run`` and ``kubectl create namespace|configmap|secret generic|
serviceaccount``.

Each builds the object kubectl's generator builds (``kubectl/pkg/cmd/run/run.go``,
``kubectl/pkg/cmd/create/create_{namespace,configmap,secret,serviceaccount}.go``), with keys in Go struct
order so ``--dry-run=client -o json`` prints them as kubectl does. Without a dry run the
object is created in the cluster.
"""

from __future__ import annotations

import base64
import re
from typing import TYPE_CHECKING, Any

from k8sgame.engine.errors import ApiError
from k8sgame.engine.images.reference import InvalidImageName, parse_reference
from k8sgame.engine.kinds.config_data import CONFIG_KEY_FMT, CONFIG_KEY_MSG
from k8sgame.kubectl.commands.write_options import DRY_RUN_FLAG, dry_run_mode
from k8sgame.kubectl.errors import KubectlError, NotModelledError, server_error
from k8sgame.kubectl.parser import Flag, Invocation
from k8sgame.kubectl.printing import Output, check_object_output, print_objects, resource_label
from k8sgame.kubectl.result import Result
from k8sgame.kubectl.verbs import Args, Effect, handles, register_verb

if TYPE_CHECKING:
    from k8sgame.kubectl.session import KubectlSession

OUTPUT_FLAGS = (DRY_RUN_FLAG, Flag("output", short="o"))

register_verb(
    "run",
    (
        *OUTPUT_FLAGS,
        Flag("image"),
        Flag("restart", default="Always"),
        Flag("env", repeat=True),
        Flag("labels", short="l"),
        Flag("annotations", repeat=True),
        Flag("port"),
        Flag("command", "bool", default=False),
        Flag("image-pull-policy"),
        Flag("expose", "bool", default=False),
        Flag("rm", "bool", default=False),
        Flag("stdin", "bool", "i", False),
        Flag("tty", "bool", "t", False),
        Flag("attach", "bool", default=False),
    ),
    effect=Effect.CHANGES,
    args=Args.NONE,
)
register_verb(
    "create namespace", OUTPUT_FLAGS, aliases=("create ns",), effect=Effect.CHANGES, args=Args.NONE
)
register_verb(
    "create serviceaccount",
    OUTPUT_FLAGS,
    aliases=("create sa",),
    effect=Effect.CHANGES,
    args=Args.NONE,
)
register_verb(
    "create configmap",
    (*OUTPUT_FLAGS, Flag("from-literal", repeat=True), Flag("from-file", repeat=True)),
    aliases=("create cm",),
    effect=Effect.CHANGES,
    args=Args.NONE,
)
register_verb("create secret", (), args=Args.NONE)
register_verb(
    "create secret generic",
    (
        *OUTPUT_FLAGS,
        Flag("from-literal", repeat=True),
        Flag("from-file", repeat=True),
        Flag("type"),
    ),
    effect=Effect.CHANGES,
    args=Args.NONE,
)
register_verb(
    "create secret docker-registry",
    (
        *OUTPUT_FLAGS,
        Flag("docker-server", default="https://index.docker.io/v1/"),
        *(Flag(f"docker-{part}") for part in ("username", "password", "email")),
        Flag("from-file", repeat=True),
    ),
    effect=Effect.CHANGES,
    args=Args.NONE,
)
register_verb(
    "create secret tls",
    (*OUTPUT_FLAGS, Flag("cert"), Flag("key")),
    effect=Effect.CHANGES,
    args=Args.NONE,
)

RESTART_POLICIES = ("Always", "OnFailure", "Never")
_CONFIG_KEY = re.compile(f"^{CONFIG_KEY_FMT}$")


def usage_error(verb: str, message: str) -> KubectlError:
    """``cmdutil.UsageErrorf``: the message plus a pointer to the verb's help."""
    return KubectlError(message, f"See 'kubectl {verb} -h' for help and examples")


def _key_values(specs: list[str], error: str) -> list[tuple[str, str]]:
    pairs = []
    for spec in specs:
        key, sep, value = spec.partition("=")
        if not sep or not key:
            raise KubectlError(error.format(spec=spec))
        pairs.append((key, value))
    return pairs


def _labels(text: str) -> dict[str, str]:
    labels = {}
    for spec in text.split(","):
        key, sep, value = spec.partition("=")
        if not sep or not key:
            raise KubectlError(f"unexpected label spec: {spec}")
        labels[key] = value
    return labels


def _namespace(session: KubectlSession, inv: Invocation) -> str:
    return inv.flag("namespace") or session.namespace


def metadata_of(name: str, namespace: str | None, **maps: dict[str, str]) -> dict[str, Any]:
    """ObjectMeta in struct order: name, namespace, then labels and annotations."""
    md: dict[str, Any] = {"name": name}
    if namespace:
        md["namespace"] = namespace
    for key in ("labels", "annotations"):
        if maps.get(key):
            md[key] = maps[key]
    return md


def _pod(session: KubectlSession, inv: Invocation) -> dict[str, Any]:
    if not inv.args:
        raise usage_error("run", "NAME is required for run")
    name, extra = inv.args[0], [*inv.args[1:], *inv.rest]
    image = inv.flag("image")
    if not image:
        raise KubectlError('required flag(s) "image" not set')
    try:
        parse_reference(image)
    except InvalidImageName:
        raise KubectlError(f'Invalid image name "{image}": invalid reference format') from None
    restart = inv.flag("restart") or "Always"
    if restart not in RESTART_POLICIES:
        raise usage_error("run", f"invalid restart policy: {restart}")
    attached = inv.flag("stdin") or inv.flag("tty") or inv.flag("attach")
    if inv.flag("rm") and not attached:
        raise usage_error("run", "--rm should only be used for attached containers")
    if attached and dry_run_mode(inv) != "none":
        raise usage_error(
            "run",
            "--dry-run=[server|client] can't be used with attached containers options "
            "(--attach, --stdin, or --tty)",
        )
    if inv.flag("expose") and not inv.flag("port"):
        raise usage_error("run", "--port must be set when exposing a service")
    env = _key_values(inv.flag("env"), "invalid env: {spec}")
    container: dict[str, Any] = {"name": name, "image": image}
    if extra:
        container["command" if inv.flag("command") else "args"] = extra
    if inv.flag("port"):
        try:
            container["ports"] = [{"containerPort": int(inv.flag("port"))}]
        except ValueError:
            port = inv.flag("port")
            raise KubectlError(f'strconv.Atoi: parsing "{port}": invalid syntax') from None
    if env:
        container["env"] = [{"name": key, "value": value} for key, value in env]
    container["resources"] = {}
    if inv.flag("image-pull-policy"):
        container["imagePullPolicy"] = inv.flag("image-pull-policy")
    labels = _labels(inv.flag("labels")) if inv.flag("labels") else {"run": name}
    annotations = dict(_key_values(inv.flag("annotations"), "invalid annotation: {spec}"))
    if attached:
        raise NotModelledError("attach_not_modelled", name=name)
    if inv.flag("expose"):
        raise NotModelledError("expose_not_modelled")
    return {
        "kind": "Pod",
        "apiVersion": "v1",
        "metadata": metadata_of(
            name, inv.flag("namespace"), labels=labels, annotations=annotations
        ),
        "spec": {"containers": [container], "restartPolicy": restart, "dnsPolicy": "ClusterFirst"},
        "status": {},
    }


def _one_name(inv: Invocation) -> str:
    if len(inv.args) != 1:
        raise usage_error(inv.verb, f"exactly one NAME is required, got {len(inv.args)}")
    return inv.args[0]


def _namespace_object(session: KubectlSession, inv: Invocation) -> dict[str, Any]:
    name = _one_name(inv)
    return {
        "kind": "Namespace",
        "apiVersion": "v1",
        "metadata": {"name": name},
        "spec": {},
        "status": {},
    }


def _service_account(session: KubectlSession, inv: Invocation) -> dict[str, Any]:
    """``createServiceAccount``: a name, and the namespace only when one was given."""
    return {
        "kind": "ServiceAccount",
        "apiVersion": "v1",
        "metadata": metadata_of(_one_name(inv), inv.flag("namespace")),
    }


def _data_entries(session: KubectlSession, inv: Invocation, kind: str) -> list[tuple[str, str]]:
    """``--from-literal`` and ``--from-file`` entries, keys checked as kubectl checks them."""
    entries = _key_values(
        inv.flag("from-literal"), "invalid literal source {spec}, expected key=value"
    )
    for spec in inv.flag("from-file"):
        key, sep, path = spec.partition("=")
        if not sep:
            path, key = spec, spec.rstrip("/").rsplit("/", 1)[-1]
        for source, text in session.files(path):
            entries.append((key if sep else source.rsplit("/", 1)[-1], text))
    seen: set[str] = set()
    name = inv.args[0] if inv.args else ""
    for key, _ in entries:
        if not _CONFIG_KEY.match(key):
            problem = (
                f"{CONFIG_KEY_MSG} (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', "
                f"regex used for validation is '{CONFIG_KEY_FMT}')"
            )
            # create_configmap.go and create_secret.go word these two differently.
            raise KubectlError(
                f'"{key}" is not a valid key name for a ConfigMap: {problem}'
                if kind == "ConfigMap"
                else f'"{key}" is not valid key name for a Secret {problem}'
            )
        if key in seen:
            raise KubectlError(
                f'cannot add key "{key}", another key by that name already exists in Data for'
                f' ConfigMap "{name}"'
                if kind == "ConfigMap"
                else f"cannot add key {key}, another key by that name already exists"
            )
        seen.add(key)
    return entries


def _config_map(session: KubectlSession, inv: Invocation) -> dict[str, Any]:
    name = _one_name(inv)
    obj: dict[str, Any] = {
        "kind": "ConfigMap",
        "apiVersion": "v1",
        "metadata": metadata_of(name, inv.flag("namespace")),
    }
    entries = _data_entries(session, inv, "ConfigMap")
    if entries:
        obj["data"] = dict(entries)
    return obj


def _secret(session: KubectlSession, inv: Invocation) -> dict[str, Any]:
    name = _one_name(inv)
    obj: dict[str, Any] = {
        "kind": "Secret",
        "apiVersion": "v1",
        "metadata": metadata_of(name, inv.flag("namespace")),
    }
    entries = _data_entries(session, inv, "Secret")
    if entries:
        obj["data"] = {
            key: base64.b64encode(value.encode("utf-8")).decode("ascii") for key, value in entries
        }
    if inv.flag("type"):
        obj["type"] = inv.flag("type")
    return obj


BUILDERS = {
    "run": _pod,
    "create namespace": _namespace_object,
    "create configmap": _config_map,
    "create serviceaccount": _service_account,
    "create secret generic": _secret,
}


@handles(
    "create namespace",
    "create configmap",
    "create secret generic",
    "create serviceaccount",
    "run",
)
def run(session: KubectlSession, inv: Invocation) -> Result:
    """Build the object, then print it (dry run) or create it."""
    output = check_object_output(session, inv.flag("output") or "")
    mode = dry_run_mode(inv)
    return write_generated(session, inv, BUILDERS[inv.verb](session, inv), output, mode)


def write_generated(
    session: KubectlSession, inv: Invocation, obj: dict[str, Any], output: Output, mode: str
) -> Result:
    """Print a generated object (client dry run) or create it and print what was made."""
    info = session.api.kind_info(obj["kind"])
    label = resource_label(info, obj["metadata"]["name"])
    if mode == "client":
        if output.format:
            return Result(stdout=print_objects([(info, obj)], output, struct_order=True))
        return Result(stdout=f"{label} created (dry run)\n")
    if info.namespaced:
        obj["metadata"]["namespace"] = _namespace(session, inv)
    try:
        created = session.api.create(obj, dry_run=mode == "server")
    except ApiError as error:
        # create configmap, secret and deployment wrap the server's error in words of their own.
        wrapped = {
            "ConfigMap": "failed to create configmap: ",
            "ServiceAccount": "failed to create serviceaccount: ",
            "Secret": "failed to create secret ",
            "Deployment": "failed to create deployment: ",
            "Job": "failed to create job: ",
            "CronJob": "failed to create cronjob: ",
            "PodDisruptionBudget": "failed to create poddisruptionbudgets: ",
            "RoleBinding": "failed to create rolebinding: ",
            "ClusterRoleBinding": "failed to create clusterrolebinding: ",
        }
        if obj["kind"] in wrapped and inv.verb != "run":
            # The API server's own message has no "The " before the kind (NewInvalid).
            message = (
                error.message.removeprefix("The ") if error.reason == "Invalid" else error.message
            )
            raise KubectlError(wrapped[obj["kind"]] + message) from None
        return Result(stderr=server_error(error), exit_code=1)
    if output.format:
        return Result(stdout=print_objects([(info, created)], output))
    suffix = " (server dry run)" if mode == "server" else ""
    return Result(stdout=f"{label} created{suffix}\n")


@handles("create secret")
def secret_group(session: KubectlSession, inv: Invocation) -> Result:
    """``kubectl create secret`` alone lists its subcommands on stderr and fails."""
    return Result(
        stderr=(
            "Available Commands:\n"
            "  docker-registry   Create a secret for use with a Docker registry\n"
            "  generic           Create a secret from a local file, directory, or literal value\n"
            "  tls               Create a TLS secret\n\n"
            "Usage:\n  kubectl create secret (docker-registry | generic | tls) [options]\n"
        ),
        exit_code=1,
    )


@handles("create secret docker-registry", "create secret tls")
def secret_unmodelled(session: KubectlSession, inv: Invocation) -> Result:
    raise NotModelledError("secret_type_not_modelled", kind=inv.verb.rsplit(" ", 1)[-1])

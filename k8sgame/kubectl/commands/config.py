"""``kubectl config`` over the session's kubeconfig (``k8sgame.kubectl.kubeconfig``): list
and view its clusters, users and contexts, choose the current context, and set a context's
cluster, user and namespace, with kubectl 1.35's output and errors (``kubectl/pkg/cmd/config``:
current_context.go, get_contexts.go, get_users.go, get_clusters.go, use_context.go,
set_context.go, view.go; client-go's ``clientcmd/api/helpers.go`` MinifyConfig). The others
say that the sandbox does not model them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from k8sgame.kubectl.errors import KubectlError, NotModelledError, PlainError
from k8sgame.kubectl.jsonpath import print_template
from k8sgame.kubectl.kubeconfig import CONTEXT as CONTEXT  # re-exported: info.py's server
from k8sgame.kubectl.kubeconfig import SERVER as SERVER
from k8sgame.kubectl.kubeconfig import USER as USER
from k8sgame.kubectl.kubeconfig import Context, KubeConfig
from k8sgame.kubectl.parser import Flag, Invocation
from k8sgame.kubectl.printing import parse_output
from k8sgame.kubectl.result import Result
from k8sgame.kubectl.serialize import to_json, to_yaml
from k8sgame.kubectl.tabwriter import render
from k8sgame.kubectl.verbs import Args, Effect, handles, register_verb

if TYPE_CHECKING:
    from k8sgame.kubectl.session import KubectlSession

# config view shows certificate data as this word (kubectl's ShortenConfig); --raw, which
# would print it, is not modelled: the sandbox has no certificates.
OMITTED = "DATA+OMITTED"

register_verb("config", (), args=Args.NONE)
register_verb("config current-context", (), args=Args.NONE)
register_verb("config get-clusters", (), args=Args.NONE)
register_verb("config get-users", (), args=Args.NONE)
register_verb(
    "config get-contexts",
    (Flag("no-headers", "bool", default=False), Flag("output", short="o", default="")),
    args=Args.NONE,
)
register_verb(
    "config set-context",
    (
        Flag("cluster", default=""),
        Flag("current", "bool", default=False),
        Flag("namespace", short="n", default=""),
        Flag("user", default=""),
    ),
    effect=Effect.CONFIGURES,
    args=Args.NONE,
)
register_verb(
    "config use-context", (), aliases=("config use",), effect=Effect.CONFIGURES, args=Args.NONE
)
register_verb(
    "config view",
    (
        Flag("flatten", "bool", default=False),
        Flag("merge", "bool", default=True),
        Flag("minify", "bool", default=False),
        Flag("output", short="o", default="yaml"),
    ),
    args=Args.NONE,
)
SUBCOMMANDS = (
    "current-context",
    "get-clusters",
    "get-contexts",
    "get-users",
    "set-context",
    "use-context",
    "view",
)


@handles("config")
def group(session: KubectlSession, inv: Invocation) -> Result:
    """``kubectl config`` alone (or with a subcommand the sandbox lacks)."""
    raise NotModelledError("config_subcommands", subcommands=", ".join(SUBCOMMANDS))


@handles("config current-context")
def current_context(session: KubectlSession, inv: Invocation) -> Result:
    current = session.kubeconfig.current_context
    if not current:
        raise KubectlError("current-context is not set")
    return Result(stdout=f"{current}\n")


@handles("config get-contexts")
def get_contexts(session: KubectlSession, inv: Invocation) -> Result:
    output = inv.flag("output")
    if output not in ("", "name"):
        raise KubectlError(
            f"--output {output} is not available in kubectl config get-contexts;"
            " resetting to default output format"
        )
    kubeconfig = session.kubeconfig
    wanted = inv.args or list(kubeconfig.contexts)
    names = sorted(name for name in wanted if name in kubeconfig.contexts)
    # get_contexts.go collects the names it lacks, each its own error.
    unknown = [f"context {name} not found" for name in wanted if name not in kubeconfig.contexts]
    result = Result()
    if output == "name":
        result.stdout = "".join(f"{name}\n" for name in names)
    else:
        rows = (
            []
            if inv.flag("no-headers")
            else [["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"]]
        )
        for name in names:
            context = kubeconfig.contexts[name]
            current = "*" if name == kubeconfig.current_context else " "
            rows.append([current, name, context.cluster, context.user, context.namespace])
        result.stdout = render(rows)
    if unknown:
        # CheckErr: one error gets "error: ", an aggregate of more is printed a line each.
        error = KubectlError(unknown[0]) if len(unknown) == 1 else PlainError("\n".join(unknown))
        result.stderr = error.render(session.language)
        result.exit_code = 1
    return result


@handles("config get-users")
def get_users(session: KubectlSession, inv: Invocation) -> Result:
    names = sorted(session.kubeconfig.users)
    return Result(stdout="NAME\n" + "".join(f"{name}\n" for name in names))


@handles("config get-clusters")
def get_clusters(session: KubectlSession, inv: Invocation) -> Result:
    # get_clusters.go prints in Go's map order; the sandbox sorts.
    names = sorted(session.kubeconfig.clusters)
    return Result(stdout="NAME\n" + "".join(f"{name}\n" for name in names))


@handles("config set-context")
def set_context(session: KubectlSession, inv: Invocation) -> Result:
    if len(inv.args) > 1:
        raise KubectlError(
            _unexpected_args(inv.args), "See 'kubectl config set-context -h' for help and examples"
        )
    name = inv.args[0] if inv.args else ""
    if not name and not inv.flag("current"):
        raise KubectlError("you must specify a non-empty context name or --current")
    if name and inv.flag("current"):
        raise KubectlError("you cannot specify both a context name and --current")
    kubeconfig = session.kubeconfig
    if inv.flag("current"):
        if not kubeconfig.current_context:
            raise KubectlError("no current context is set")
        name = kubeconfig.current_context
    cluster = inv.flag("cluster")
    if cluster and cluster not in kubeconfig.clusters:
        # A context on a cluster the kubeconfig lacks would talk to no server.
        raise NotModelledError(
            "flag_not_modelled", flags=f"--cluster={cluster}", command="config set-context"
        )
    existing = kubeconfig.contexts.get(name)
    context = existing or Context(cluster="", user="")
    # set_context.go changes only the fields whose flags were given (a StringFlag's
    # Provided); the sandbox reads an empty value as not given.
    if cluster:
        context.cluster = cluster
    if inv.flag("user"):
        context.user = inv.flag("user")
    if inv.flag("namespace"):
        context.namespace = inv.flag("namespace")
    kubeconfig.contexts[name] = context
    verb = "modified" if existing is not None else "created"
    return Result(stdout=f'Context "{name}" {verb}.\n')


def _unexpected_args(args: list[str]) -> str:
    """helpErrorf's "Unexpected args: %v" of a Go string slice."""
    return f"Unexpected args: [{' '.join(args)}]"


@handles("config use-context")
def use_context(session: KubectlSession, inv: Invocation) -> Result:
    if len(inv.args) != 1:
        raise KubectlError(
            _unexpected_args(inv.args), "See 'kubectl config use-context -h' for help and examples"
        )
    name = inv.args[0]
    if not name:
        raise KubectlError("empty context names are not allowed")
    if name not in session.kubeconfig.contexts:
        raise KubectlError(f'no context exists with the name: "{name}"')
    session.kubeconfig.current_context = name
    return Result(stdout=f'Switched to context "{name}".\n')


def _kubeconfig(kubeconfig: KubeConfig) -> dict[str, Any]:
    """The kubeconfig as ``config view`` shows it (credentials omitted), in the Go struct's
    key order (``clientcmd/api/v1`` Config), which ``-o json`` keeps; each list sorted by
    name, as the conversion from the maps sorts them."""
    contexts = []
    for name, context in sorted(kubeconfig.contexts.items()):
        fields: dict[str, Any] = {"cluster": context.cluster, "user": context.user}
        if context.namespace:
            fields["namespace"] = context.namespace
        contexts.append({"name": name, "context": fields})
    config: dict[str, Any] = {
        "kind": "Config",
        "apiVersion": "v1",
        "clusters": [
            {"name": name, "cluster": {"server": server, "certificate-authority-data": OMITTED}}
            for name, server in sorted(kubeconfig.clusters.items())
        ],
        "users": [
            {"name": name, "user": {"client-certificate-data": OMITTED, "client-key-data": OMITTED}}
            for name in sorted(kubeconfig.users)
        ],
        "contexts": contexts,
        "current-context": kubeconfig.current_context,
    }
    return config


def _minify(kubeconfig: KubeConfig, context_flag: str) -> KubeConfig:
    """clientcmdapi.MinifyConfig: only the current context (``--context``'s, when given)
    and its cluster and user."""
    current = context_flag or kubeconfig.current_context
    if not current:
        raise KubectlError("current-context must exist in order to minify")
    context = kubeconfig.contexts.get(current)
    if context is None:
        raise KubectlError(f"cannot locate context {current}")
    minified = KubeConfig()
    minified.current_context = current
    minified.contexts[current] = context
    if context.cluster:
        if context.cluster not in kubeconfig.clusters:
            raise KubectlError(f"cannot locate cluster {context.cluster}")
        minified.clusters[context.cluster] = kubeconfig.clusters[context.cluster]
    if context.user:
        if context.user not in kubeconfig.users:
            raise KubectlError(f"cannot locate user {context.user}")
        minified.users[context.user] = kubeconfig.users[context.user]
    return minified


@handles("config view")
def view(session: KubectlSession, inv: Invocation) -> Result:
    output = parse_output(session, inv.flag("output"))
    if output.format not in ("yaml", "json", "jsonpath", "jsonpath-as-json"):
        raise NotModelledError(
            "flag_not_modelled", flags=f"-o {output.format}", command="config view"
        )
    kubeconfig = session.kubeconfig
    if inv.flag("minify"):
        kubeconfig = _minify(kubeconfig, inv.flag("context") or "")
    config = _kubeconfig(kubeconfig)
    if output.format.startswith("jsonpath"):
        as_json = output.format != "jsonpath"
        return Result(stdout=print_template(output.argument, config, as_json=as_json))
    # kubectl prints YAML with sorted keys (it goes through a JSON map), JSON in struct order.
    return Result(stdout=to_yaml(config) if output.format == "yaml" else to_json(config, False))

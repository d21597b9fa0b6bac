"""``kubectl config``: the sandbox's kubeconfig has one cluster, one user and one context
(``k8sgame``); the subcommands that read it or change its namespace work, the others say that
the sandbox does not model them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from k8sgame.kubectl.errors import KubectlError, NotModelledError
from k8sgame.kubectl.jsonpath import print_template
from k8sgame.kubectl.parser import Flag, Invocation
from k8sgame.kubectl.printing import parse_output
from k8sgame.kubectl.result import Result
from k8sgame.kubectl.serialize import to_json, to_yaml
from k8sgame.kubectl.tabwriter import render
from k8sgame.kubectl.verbs import Args, Effect, handles, register_verb

if TYPE_CHECKING:
    from k8sgame.kubectl.session import KubectlSession

CONTEXT = "k8sgame"
SERVER = "https://127.0.0.1:6443"
USER = "admin"
# config view shows certificate data as this word (kubectl's ShortenConfig); --raw, which
# would print it, is not modelled: the sandbox has no certificates.
OMITTED = "DATA+OMITTED"

register_verb("config", (), args=Args.NONE)
register_verb("config current-context", (), args=Args.NONE)
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
SUBCOMMANDS = ("current-context", "get-contexts", "set-context", "use-context", "view")


@handles("config")
def group(session: KubectlSession, inv: Invocation) -> Result:
    """``kubectl config`` alone (or with a subcommand the sandbox lacks)."""
    raise NotModelledError("config_subcommands", subcommands=", ".join(SUBCOMMANDS))


@handles("config current-context")
def current_context(session: KubectlSession, inv: Invocation) -> Result:
    return Result(stdout=f"{CONTEXT}\n")


@handles("config get-contexts")
def get_contexts(session: KubectlSession, inv: Invocation) -> Result:
    output = inv.flag("output")
    if output not in ("", "name"):
        raise KubectlError(f"output must be one of '' or 'name': {output}")
    wanted = inv.args or [CONTEXT]
    unknown = [name for name in wanted if name != CONTEXT]
    result = Result()
    if output == "name":
        result.stdout = "".join(f"{name}\n" for name in wanted if name == CONTEXT)
    else:
        rows = (
            []
            if inv.flag("no-headers")
            else [["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"]]
        )
        if CONTEXT in wanted:
            rows.append(["*", CONTEXT, CONTEXT, USER, _namespace_cell(session)])
        result.stdout = render(rows)
    if unknown:
        # get_contexts.go collects the missing names into one error.
        result.stderr = f"error: context {', '.join(unknown)} not found\n"
        result.exit_code = 1
    return result


def _namespace_cell(session: KubectlSession) -> str:
    return session.namespace if session.namespace_set else ""


@handles("config set-context")
def set_context(session: KubectlSession, inv: Invocation) -> Result:
    name = inv.args[0] if inv.args else ""
    if inv.flag("current") and name:
        raise KubectlError("you cannot specify a context name and --current")
    if not inv.flag("current") and not name:
        raise KubectlError(
            "you must specify a non-empty context name or --current",
            "See 'kubectl config set-context -h' for help and examples",
        )
    if name not in ("", CONTEXT) or inv.flag("cluster") or inv.flag("user"):
        raise NotModelledError("config_one_context", context=CONTEXT)
    if inv.flag("namespace"):
        session.namespace = inv.flag("namespace")
        session.namespace_set = True
    return Result(stdout=f'Context "{CONTEXT}" modified.\n')


@handles("config use-context")
def use_context(session: KubectlSession, inv: Invocation) -> Result:
    if len(inv.args) != 1:
        raise KubectlError(
            "Unexpected args: " + str(inv.args),
            "See 'kubectl config use-context -h' for help and examples",
        )
    if inv.args[0] != CONTEXT:
        raise KubectlError(f'no context exists with the name: "{inv.args[0]}"')
    return Result(stdout=f'Switched to context "{CONTEXT}".\n')


def _kubeconfig(session: KubectlSession) -> dict[str, Any]:
    """The sandbox's kubeconfig as ``config view`` shows it (credentials omitted), in the Go
    struct's key order (``clientcmd/api/v1`` Config), which ``-o json`` keeps."""
    context: dict[str, Any] = {"cluster": CONTEXT, "user": USER}
    if session.namespace_set:
        context["namespace"] = session.namespace
    return {
        "kind": "Config",
        "apiVersion": "v1",
        "clusters": [
            {"name": CONTEXT, "cluster": {"server": SERVER, "certificate-authority-data": OMITTED}}
        ],
        "users": [
            {"name": USER, "user": {"client-certificate-data": OMITTED, "client-key-data": OMITTED}}
        ],
        "contexts": [{"name": CONTEXT, "context": context}],
        "current-context": CONTEXT,
    }


@handles("config view")
def view(session: KubectlSession, inv: Invocation) -> Result:
    output = parse_output(session, inv.flag("output"))
    if output.format not in ("yaml", "json", "jsonpath", "jsonpath-as-json"):
        raise NotModelledError(
            "flag_not_modelled", flags=f"-o {output.format}", command="config view"
        )
    config = _kubeconfig(session)
    if output.format.startswith("jsonpath"):
        as_json = output.format != "jsonpath"
        return Result(stdout=print_template(output.argument, config, as_json=as_json))
    # kubectl prints YAML with sorted keys (it goes through a JSON map), JSON in struct order.
    return Result(stdout=to_yaml(config) if output.format == "yaml" else to_json(config, False))

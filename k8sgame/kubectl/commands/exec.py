"""``kubectl exec POD [-c CONTAINER] -- COMMAND [ARGS...]`` for what the fake images support."""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8sgame.kubectl.commands.containers import default_container
from k8sgame.kubectl.errors import KubectlError
from k8sgame.kubectl.parser import Flag, Invocation
from k8sgame.kubectl.result import Result
from k8sgame.kubectl.verbs import Args, Effect, handles, register_verb

if TYPE_CHECKING:
    from k8sgame.kubectl.session import KubectlSession

register_verb(
    "exec",
    (
        Flag("container", short="c"),
        Flag("stdin", "bool", "i", False),
        Flag("tty", "bool", "t", False),
        Flag("quiet", "bool", "q", False),
    ),
    effect=Effect.CHANGES,
    args=Args.POD,
)


@handles("exec")
def run(session: KubectlSession, inv: Invocation) -> Result:
    if not inv.args:
        raise KubectlError("pod, type/name or --filename must be specified")
    if len(inv.args) > 1:
        raise KubectlError(
            "exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead"
        )
    if not inv.rest:
        raise KubectlError("you must specify at least one command for the container")
    target = inv.args[0].split("/", 1)[-1]
    namespace = inv.flag("namespace") or session.namespace
    pod = session.api.get("Pod", target, namespace)
    # exec.go looks for a default container only when -c is not given; a wrong -c is the
    # API server's to refuse.
    container, notice = default_container(pod, inv.flag("container"))
    result = Result(stderr="" if inv.flag("quiet") else notice)
    answer = session.cluster.exec(target, list(inv.rest), namespace, container, session.api)
    result.stdout += answer.output
    if answer.exit_code:
        result.stderr += f"command terminated with exit code {answer.exit_code}\n"
        result.exit_code = answer.exit_code
    return result

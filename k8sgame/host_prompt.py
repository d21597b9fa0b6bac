"""The game prompt's lines that run on a machine instead of through kubectl: ``curl ...``
on the player's own machine, outside the cluster, and ``ssh NODE COMMAND`` on a node.

Both answer as the real tools would in a terminal: the command's output (its standard
output and error in the order written) and its exit status. ``ssh`` to a name that is no
node fails as OpenSSH does when the name does not resolve (exit status 255).
"""

from __future__ import annotations

from k8sgame.content.prompt_words import CURL, SSH
from k8sgame.content.text import say
from k8sgame.engine.cluster import Cluster
from k8sgame.kubectl.result import Result


def is_host_line(line: str) -> bool:
    """Whether ``line`` is a ``curl`` or ``ssh`` line of the game prompt."""
    return line.split(None, 1)[:1] in ([CURL.word], [SSH.word])


def run_host_line(cluster: Cluster, line: str, language: str) -> Result:
    """Run a ``curl`` or ``ssh`` line; simulated time moves on by the command's duration."""
    words = line.split(None, 2)
    if words[0] == CURL.word:
        answer = cluster.run_outside(line.strip())
    else:
        if len(words) < 3:
            text = say("cli.ssh_usage", language)
            return Result(stderr=f"error: {text}\n", exit_code=1)
        node, command = words[1], words[2]
        found = cluster.run_on_node(node, command)
        if found is None:
            return Result(
                stderr=f"ssh: Could not resolve hostname {node}: Name or service not known\n",
                exit_code=255,
            )
        answer = found
    return Result(stdout=answer.output, exit_code=answer.exit_code)

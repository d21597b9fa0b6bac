"""The network client programs of the images and where they come from: BusyBox's
``nslookup``, ``nc`` and ``wget`` (every image with BusyBox utilities) and ``curl`` (images
whose catalog entry names a curl version).

They run with the pod's network (``network.client.PodNetwork``): in a command started by
``kubectl exec``, an exec probe, and the container's own processes, which the kubelet plans
ahead of the cluster's clock — there a program waits (``WaitEvent``) until the cluster
reaches the moment it runs, and asks the network as it is then. Without a network (a
process planned outside a cluster) the programs say so, in the simulator's words, and exit
2. What the network answers depends on the moment, so a shell loop around them is never
folded into a repeating pattern.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from k8sgame.engine.images.shell.curl import curl
from k8sgame.engine.images.shell.nc import nc
from k8sgame.engine.images.shell.net_client import NetClient, unsupported_text
from k8sgame.engine.images.shell.nslookup import nslookup
from k8sgame.engine.images.shell.timeline import Gen, WaitEvent
from k8sgame.engine.images.shell.wget import wget

if TYPE_CHECKING:
    from k8sgame.engine.images.shell.interpreter import Shell

BUSYBOX_NET_TOOLS = ("nc", "nslookup", "wget")
_PROGRAMS: dict[str, Callable[[NetClient, list[str]], Gen]] = {
    "curl": curl,
    "nc": nc,
    "nslookup": nslookup,
    "wget": wget,
}


def run_net_tool(shell: Shell, env: Mapping[str, str], name: str, argv: list[str]) -> Gen:
    """Run the network program ``name`` with ``argv``; returns its exit status."""
    client = NetClient(shell, env)
    if client.net is None:
        yield from client.err(unsupported_text(name, "the network outside kubectl exec"))
        return 2
    client.run_state.taint += 1
    clock = client.run_state.clock
    if clock is not None:
        # A container's own process is planned ahead of the cluster: the program asks the
        # network as it is when the program runs, so the plan waits for that moment.
        while client.now > clock() + 1e-9:
            yield WaitEvent(client.run_state.now)
    return (yield from _PROGRAMS[name](client, argv[1:]))

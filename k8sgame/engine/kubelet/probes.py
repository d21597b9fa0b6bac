"""Running one probe against a simulated process, with the kubelet's result texts.

Outputs as the kubelet prints them after ``Liveness probe failed: `` (kubelet.md §3):
``HTTP probe failed with statuscode: 500``, ``Get "http://ip:port/path": dial tcp ip:port:
connect: connection refused``, ``... context deadline exceeded (Client.Timeout exceeded while
awaiting headers)``, ``dial tcp ip:port: connect: connection refused``, an exec command's own
output, ``command "..." timed out``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SUCCESS, FAILURE, UNKNOWN = "Success", "Failure", "Unknown"
KINDS = {"livenessProbe": "Liveness", "readinessProbe": "Readiness", "startupProbe": "Startup"}
INITIAL_RESULT = {"livenessProbe": SUCCESS, "readinessProbe": FAILURE, "startupProbe": UNKNOWN}


@dataclass(frozen=True)
class ProbeOutcome:
    result: str
    output: str = ""


SUCCEEDED = ProbeOutcome(SUCCESS)


def resolve_port(port: Any, container: dict[str, Any]) -> int | None:
    """A probe port: a number, or the name of one of the container's ports."""
    if type(port) is int:
        return port
    if isinstance(port, str):
        if port.isdigit():
            return int(port)
        for declared in container.get("ports") or []:
            if declared.get("name") == port:
                return int(declared.get("containerPort") or 0)
    return None


def run_probe(
    probe: dict[str, Any], container: dict[str, Any], process: Any, offset: float, pod_ip: str
) -> ProbeOutcome:
    """Probe ``process`` ``offset`` seconds after it started."""
    timeout = float(probe.get("timeoutSeconds") or 1)
    if probe.get("httpGet") is not None:
        action = probe["httpGet"]
        port = resolve_port(action.get("port"), container)
        if port is None:
            return ProbeOutcome(UNKNOWN, f"unable to find port {action.get('port')!r}")
        path = action.get("path") or "/"
        answer = process.http_get(port, path, offset)
        if answer.status is not None and answer.latency <= timeout and 200 <= answer.status < 400:
            return SUCCEEDED
        host = action.get("host") or pod_ip
        url = f"{str(action.get('scheme') or 'HTTP').lower()}://{host}:{port}{path}"
        if answer.status is None:
            return ProbeOutcome(
                FAILURE, f'Get "{url}": dial tcp {host}:{port}: connect: connection refused'
            )
        if answer.latency > timeout:
            return ProbeOutcome(
                FAILURE,
                f'Get "{url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            )
        if 200 <= answer.status < 400:
            return ProbeOutcome(SUCCESS)
        return ProbeOutcome(FAILURE, f"HTTP probe failed with statuscode: {answer.status}")
    if probe.get("tcpSocket") is not None or probe.get("grpc") is not None:
        action = probe.get("tcpSocket") or probe.get("grpc") or {}
        port = resolve_port(action.get("port"), container)
        host = action.get("host") or pod_ip
        if port is not None and process.listening(port, offset):
            return ProbeOutcome(SUCCESS)
        return ProbeOutcome(FAILURE, f"dial tcp {host}:{port}: connect: connection refused")
    if probe.get("exec") is not None:
        argv = [str(a) for a in probe["exec"].get("command") or []]
        answer = process.exec(argv, offset)
        if answer.duration > timeout:
            return ProbeOutcome(FAILURE, f'command "{" ".join(argv)}" timed out')
        if answer.exit_code == 0:
            return ProbeOutcome(SUCCESS)
        return ProbeOutcome(FAILURE, answer.output.rstrip("\n"))
    return ProbeOutcome(UNKNOWN, "missing probe handler")

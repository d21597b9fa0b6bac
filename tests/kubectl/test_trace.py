"""``trace``: which component wrote what since the last kubectl command — the pod-creation
chain watched, not only read."""

from __future__ import annotations

from k8sgame.engine.trace import LIMIT
from k8sgame.kubectl.trace import component
from k8sgame.levels.pack import find_level
from k8sgame.levels.play import LevelRun
from k8sgame.sandbox import run_script


def _outputs(tmp_path, lines: str) -> dict[str, str]:
    script = tmp_path / "script.txt"
    script.write_text(lines, encoding="utf-8")
    results = run_script(script)
    return {f"{i}:{r.command}": r.result.stdout + r.result.stderr for i, r in enumerate(results)}


def test_a_new_pod_is_created_bound_and_started_by_their_components(tmp_path):
    out = _outputs(tmp_path, "run web --image=nginx\ntrace\nsleep 20s\ntrace\n")
    first = out["1:trace"].splitlines()
    assert first[:4] == [
        "     +0s  kubectl: created Pod/web",
        "     +0s  kube-scheduler: bound Pod/web to node node-1",
        "     +0s  kube-scheduler: Pod/web: PodScheduled - → True",
        "     +0s  kube-scheduler: event Scheduled on Pod/web: Successfully assigned default/web to node-1",
    ]
    assert (
        "     +0s  kubelet (node-1): Pod/web: container web - → waiting (ContainerCreating)"
        in first
    )
    # sleep is not a kubectl command: the trace goes on from the run.
    later = out["3:trace"].splitlines()
    assert later[: len(first)] == first
    assert '     +1s  kubelet (node-1): event Pulling on Pod/web: Pulling image "nginx"' in later
    assert "   +4.6s  kubelet (node-1): Pod/web: phase Pending → Running" in later
    assert (
        "   +4.6s  kubelet (node-1): Pod/web: container web waiting (ContainerCreating) → running"
        in later
    )


def test_a_deletion_is_marked_by_kubectl_and_finished_by_the_kubelet(tmp_path):
    out = _outputs(tmp_path, "run web --image=nginx\nsleep 20s\ndelete pod web\ntrace\n")
    lines = out["3:trace"].splitlines()
    assert lines[0] == "     +0s  kubectl: marked Pod/web for deletion (grace period 30s)"
    assert (
        lines[1] == "     +0s  kubelet (node-1): event Killing on Pod/web: Stopping container web"
    )
    assert lines[-1] == "   +1.3s  kubelet (node-1): removed Pod/web from the API"


def test_a_read_writes_nothing_and_heartbeats_are_left_out(tmp_path):
    out = _outputs(tmp_path, "get nodes\nsleep 2m\ntrace\n")
    assert out["2:trace"] == "nothing was written since the last kubectl command\n"


def test_trace_at_a_levels_prompt_in_korean():
    run = LevelRun(find_level("liveness-wrong-port"), language="ko")
    run.run_line("delete pod web --wait=false")
    shown = run.run_line("trace").stdout
    assert "     +0s  kubectl: Pod/web에 삭제 표시 (유예 시간 30초)" in shown
    assert not any(action.text == "trace" for action in run.log)  # a read: not replayed


def test_components_are_named_from_their_api_identities():
    assert component("kubernetes-admin") == "kubectl"
    assert component("system:node:node-2") == "kubelet (node-2)"
    assert component("system:kube-scheduler") == "kube-scheduler"
    assert (
        component("system:serviceaccount:kube-system:generic-garbage-collector")
        == "kube-controller-manager (generic-garbage-collector)"
    )
    assert component("-") == "kube-apiserver"
    assert LIMIT >= 100

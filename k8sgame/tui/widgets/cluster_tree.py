"""The cluster view: nodes with their pods, status in words and colour (the words are
kubectl's, so the view reads the same without colour)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Tree

from k8sgame.kubectl.kinds.node import node_status
from k8sgame.kubectl.kinds.pod import pod_row
from k8sgame.tui.actions import localize
from k8sgame.tui.text import ui

_GOOD = frozenset({"Running", "Completed", "Succeeded"})
_WAITING = frozenset({"Pending", "ContainerCreating", "PodInitializing", "Terminating"})


def status_style(status: str, ready: str) -> str:
    """Green for running and ready, yellow for on the way, red for anything in trouble."""
    if status == "Running":
        done, _, total = ready.partition("/")
        return "green" if done == total else "yellow"
    if status in _GOOD:
        return "dim green"
    if status in _WAITING or (status.startswith("Init:") and "Err" not in status):
        return "yellow"
    return "bold red"


def pod_label(pod: dict[str, Any], now: float) -> Text:
    row = pod_row(pod, now)
    label = Text()
    label.append(row.name, style="bold")
    label.append(f"  {row.ready}  ")
    label.append(row.status, style=status_style(row.status, row.ready))
    if row.restarts not in ("0", ""):
        label.append(f"  ↻ {row.restarts}", style="yellow")
    return label


def node_label(node: dict[str, Any]) -> Text:
    status = node_status(node)
    label = Text()
    label.append(node["metadata"]["name"], style="bold")
    troubled = status != "Ready"
    label.append(f"  {'⚠ ' if troubled else ''}{status}", style="bold red" if troubled else "green")
    return label


class ClusterTree(Tree[str]):
    """Nodes and the pods bound to them; the data of a pod entry is its name."""

    def __init__(self, language: str, **kwargs: Any) -> None:
        super().__init__(ui("play.cluster", language), **kwargs)
        self.language = language
        self.show_root = False
        localize(self, "cluster", language, prefix="screen.")
        self._signature: tuple = ()

    @property
    def selected_pod(self) -> str | None:
        node = self.cursor_node
        return node.data if node is not None and node.data else None

    def show(self, nodes: list[dict[str, Any]], pods: list[dict[str, Any]], now: float) -> None:
        """Redraw when what is shown changed, keeping the selected pod selected."""
        by_node: dict[str, list[dict[str, Any]]] = {}
        for pod in pods:
            by_node.setdefault(pod["spec"].get("nodeName") or "", []).append(pod)
        entries = []
        for node in nodes:
            node_pods = by_node.get(node["metadata"]["name"], [])
            entries.append((node_label(node), [pod_label(p, now) for p in node_pods], node_pods))
        unscheduled = by_node.get("", [])
        signature = (
            *((str(label), tuple(map(str, labels))) for label, labels, _ in entries),
            tuple(str(pod_label(p, now)) for p in unscheduled),
        )
        if signature == self._signature:
            return
        self._signature = signature
        selected = self.selected_pod
        self.clear()
        cursor = None
        for label, pod_labels, node_pods in entries:
            branch = self.root.add(label, expand=True, allow_expand=False)
            for pod, pod_text in zip(node_pods, pod_labels, strict=True):
                leaf = branch.add_leaf(pod_text, data=pod["metadata"]["name"])
                if pod["metadata"]["name"] == selected:
                    cursor = leaf
        if unscheduled:
            branch = self.root.add(
                Text(ui("play.unscheduled", self.language), style="yellow"), expand=True
            )
            for pod in unscheduled:
                leaf = branch.add_leaf(pod_label(pod, now), data=pod["metadata"]["name"])
                if pod["metadata"]["name"] == selected:
                    cursor = leaf
        if cursor is not None:
            self.move_cursor(cursor)

"""``kubectl top pod`` and ``kubectl top node``: usage from the simulated metrics-server.

Follows kubectl 1.35 (``staging/src/k8s.io/kubectl``, tag v0.35.x): ``pkg/cmd/top/top_pod.go``,
``top_node.go`` for options, validation and errors, ``pkg/metricsutil/metrics_printer.go`` for
the table and ``metrics_sorter.go`` for the order. The numbers come from
``k8sgame/engine/metrics.py`` (scrapes every 15 s; CPU needs two of them).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from k8sgame.engine.errors import go_quote
from k8sgame.engine.quantity import QuantityError, parse_quantity
from k8sgame.engine.timefmt import go_duration, parse_rfc3339
from k8sgame.kubectl.commands.get import selector_flag
from k8sgame.kubectl.errors import KubectlError
from k8sgame.kubectl.parser import Flag, Invocation
from k8sgame.kubectl.result import Result
from k8sgame.kubectl.tabwriter import render_tabbed
from k8sgame.kubectl.verbs import handles, register_verb

if TYPE_CHECKING:
    from k8sgame.kubectl.session import KubectlSession

POD_FLAGS = (
    Flag("selector", short="l"),
    Flag("sort-by"),
    Flag("containers", "bool", default=False),
    Flag("all-namespaces", "bool", "A", False),
    Flag("no-headers", "bool", default=False),
    Flag("use-protocol-buffers", "bool", default=True),
    Flag("sum", "bool", default=False),
    Flag("show-swap", "bool", default=False),
)
NODE_FLAGS = (
    Flag("selector", short="l"),
    Flag("sort-by"),
    Flag("no-headers", "bool", default=False),
    Flag("use-protocol-buffers", "bool", default=True),
    Flag("show-capacity", "bool", default=False),
    Flag("show-swap", "bool", default=False),
)
register_verb("top", ())
register_verb("top pod", POD_FLAGS, aliases=("top pods", "top po"))
register_verb("top node", NODE_FLAGS, aliases=("top nodes", "top no"))

SORT_BY_CPU = "cpu"
SORT_BY_MEMORY = "memory"
# top_pod.go metricsCreationDelay: older pods without metrics are reported by name.
METRICS_CREATION_DELAY = 120.0
MIB = 1024 * 1024
CPU, MEMORY, SWAP = "cpu", "memory", "swap"
UNKNOWN = "<unknown>"


@dataclass(frozen=True)
class Usage:
    """A ``v1.ResourceList`` of usage: CPU in nanocores, memory and swap in bytes."""

    cpu_nanocores: int = 0
    memory_bytes: int = 0
    swap_bytes: int = 0

    def milli_value(self, resource: str) -> int:
        """``Quantity.MilliValue()`` (rounds up)."""
        if resource == CPU:
            return -(-self.cpu_nanocores // 1_000_000)
        return self.value(resource) * 1000

    def value(self, resource: str) -> int:
        """``Quantity.Value()`` (CPU rounds up to whole cores)."""
        if resource == CPU:
            return -(-self.cpu_nanocores // 1_000_000_000)
        return self.memory_bytes if resource == MEMORY else self.swap_bytes

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.cpu_nanocores + other.cpu_nanocores,
            self.memory_bytes + other.memory_bytes,
            self.swap_bytes + other.swap_bytes,
        )


@dataclass(frozen=True)
class PodRow:
    """What the printer needs of one ``PodMetrics``: its containers' usage in API order."""

    namespace: str
    name: str
    containers: tuple[tuple[str, Usage], ...]

    def total(self) -> Usage:
        """``getPodMetrics``: the containers' usage added up."""
        total = Usage()
        for _, usage in self.containers:
            total += usage
        return total


def _measured(show_swap: bool) -> tuple[str, ...]:
    return (CPU, MEMORY, SWAP) if show_swap else (CPU, MEMORY)


def _usage_text(resource: str, usage: Usage) -> str:
    """``printSingleResourceUsage``: ``%vm`` millicores, ``%vMi`` (truncated) for bytes."""
    if resource == CPU:
        return f"{usage.milli_value(CPU)}m"
    return f"{usage.value(resource) // MIB}Mi"


def _usage_cells(
    usage: Usage,
    measured: Sequence[str],
    available: Mapping[str, int] | None,
    missing: Sequence[str] = (),
) -> list[str]:
    """``printAllResourceUsages``: each value, then its percentage of ``available`` (given as
    milli-values) when that resource is listed there."""
    cells = []
    for resource in measured:
        if resource in missing:
            cells += [UNKNOWN, UNKNOWN]
            continue
        cells.append(_usage_text(resource, usage))
        if available is not None and resource in available:
            fraction = 0.0
            if available[resource] != 0:
                fraction = usage.milli_value(resource) / available[resource] * 100
            cells.append(f"{int(fraction)}%")
    return cells


def _line(cells: Sequence[str]) -> str:
    """``printValue`` for each cell: every one tab-terminated, then the newline."""
    return "".join(f"{cell}\t" for cell in cells) + "\n"


def _pod_sort_key(sort_by: str, with_namespace: bool) -> Any:
    if sort_by == SORT_BY_CPU:
        return lambda row: -row.total().milli_value(CPU)
    if sort_by == SORT_BY_MEMORY:
        return lambda row: -row.total().value(MEMORY)
    if with_namespace:
        return lambda row: (row.namespace, row.name)
    return lambda row: row.name


def _usage_sort_key(sort_by: str) -> Any:
    if sort_by == SORT_BY_CPU:
        return lambda item: -item[1].milli_value(CPU)
    if sort_by == SORT_BY_MEMORY:
        return lambda item: -item[1].value(MEMORY)
    return lambda item: item[0]


def print_pod_metrics(
    rows: Sequence[PodRow],
    containers: bool = False,
    with_namespace: bool = False,
    no_headers: bool = False,
    sort_by: str = "",
    total: bool = False,
    show_swap: bool = False,
) -> str:
    """``TopCmdPrinter.PrintPodMetrics``.

    Go's ``sort.Sort`` is not stable; for up to 12 items it is an insertion sort, which is,
    and metrics-server lists pods by namespace and name, so ties keep that order. Python's
    stable sort gives the same result there (and a name order for ties beyond 12 items).
    """
    if not rows:
        return ""
    measured = _measured(show_swap)
    columns = ["NAME", "CPU(cores)", "MEMORY(bytes)"] + (["SWAP(bytes)"] if show_swap else [])
    width = len(columns)
    text = ""
    if not no_headers:
        head = []
        if with_namespace:
            head.append("NAMESPACE")
            width += 1
        if containers:
            head.append("POD")
            width += 1
        # columnWidth only grows with the headers (so --no-headers --sum misaligns, as upstream).
        text += _line(head + columns)
    ordered = sorted(rows, key=_pod_sort_key(sort_by, with_namespace))
    for row in ordered:
        prefix = [row.namespace] if with_namespace else []
        if containers:
            for name, usage in sorted(row.containers, key=_usage_sort_key(sort_by)):
                text += _line([*prefix, row.name, name, *_usage_cells(usage, measured, None)])
        else:
            text += _line([*prefix, row.name, *_usage_cells(row.total(), measured, None)])
    if total:
        # printPodResourcesSum: two rules under the last two columns, then the totals.
        grand = Usage()
        for row in ordered:
            grand += row.total()
        text += _line([""] * (width - 2) + ["________", "________"])
        text += _line([""] * (width - 3) + ["", *_usage_cells(grand, measured, None)])
    return render_tabbed(text)


def print_node_metrics(
    rows: Sequence[tuple[str, Usage]],
    available: Mapping[str, Mapping[str, int]],
    no_headers: bool = False,
    sort_by: str = "",
    show_swap: bool = False,
    missing: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """``TopCmdPrinter.PrintNodeMetrics``: ``available`` maps node names to milli-values of
    allocatable (or capacity); listed nodes without metrics follow as ``<unknown>`` lines.
    Upstream prints those in Go map order (random); here they come in name order."""
    if not rows:
        return ""
    measured = _measured(show_swap)
    remaining = dict(available)
    text = ""
    if not no_headers:
        columns = ["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"]
        text += _line(columns + (["SWAP(bytes)", "SWAP(%)"] if show_swap else []))
    for name, usage in sorted(rows, key=_usage_sort_key(sort_by)):
        node_missing = (missing or {}).get(name, ())
        text += _line([name, *_usage_cells(usage, measured, remaining.get(name, {}), node_missing)])
        remaining.pop(name, None)
    for name in sorted(remaining):
        text += _line([name] + [UNKNOWN, UNKNOWN] * len(measured))
    return render_tabbed(text)


# -- commands ------------------------------------------------------------------------------


def _complete(inv: Invocation, use: str, path: str) -> str:
    """``Complete``: at most one NAME (cmdutil.UsageErrorf otherwise)."""
    if len(inv.args) > 1:
        raise KubectlError(use, f"See '{path} -h' for help and examples")
    return inv.args[0] if inv.args else ""


def _validate_sort(inv: Invocation) -> str:
    sort_by = inv.flag("sort-by") or ""
    if sort_by and sort_by not in (SORT_BY_CPU, SORT_BY_MEMORY):
        raise KubectlError("--sort-by accepts only cpu or memory")
    return str(sort_by)


def _pod_row(metrics: Any) -> PodRow:
    return PodRow(
        metrics.namespace,
        metrics.name,
        tuple((c.name, Usage(c.cpu_nanocores, c.memory_bytes)) for c in metrics.containers),
    )


def _check_pod_age(session: KubectlSession, pod: Mapping[str, Any]) -> None:
    """``checkPodAge``: a pod older than two minutes without metrics is an error."""
    stamp = pod["metadata"].get("creationTimestamp")
    age = session.cluster.now - (parse_rfc3339(stamp) if stamp else 0.0)
    if age > METRICS_CREATION_DELAY:
        md = pod["metadata"]
        raise KubectlError(
            f"Metrics not available for pod {md.get('namespace', '')}/{md['name']}, "
            f"age: {go_duration(age)}"
        )


@handles("top pod")
def top_pod(session: KubectlSession, inv: Invocation) -> Result:
    """``kubectl top pod [NAME | -l label]``."""
    name = _complete(inv, "pod [NAME | -l label]", "kubectl top pod")
    sort_by = _validate_sort(inv)
    if name and inv.flag("selector"):
        raise KubectlError("only one of NAME or selector can be provided")
    selector = selector_flag(inv)
    namespace = inv.flag("namespace") or session.namespace
    all_namespaces = bool(inv.flag("all-namespaces"))
    metrics_server = session.cluster.metrics
    if name:
        items = [metrics_server.get_pod(name, namespace)]
    else:
        items = metrics_server.list_pods(None if all_namespaces else namespace, selector)
    result = Result()
    if not items:
        # verifyEmptyMetrics lists the pods of o.Namespace, even with --all-namespaces.
        pods = session.api.list("Pod", namespace, selector)
        if pods:
            for pod in pods:
                _check_pod_age(session, pod)
            raise KubectlError("metrics not available yet")
        result.stderr = (
            "No resources found\n"
            if all_namespaces
            else f"No resources found in {namespace} namespace.\n"
        )
    result.stdout = print_pod_metrics(
        [_pod_row(m) for m in items],
        containers=bool(inv.flag("containers")),
        with_namespace=all_namespaces,
        no_headers=bool(inv.flag("no-headers")),
        sort_by=sort_by,
        total=bool(inv.flag("sum")),
        show_swap=bool(inv.flag("show-swap")),
    )
    return result


def _milli_values(resources: Mapping[str, Any]) -> dict[str, int]:
    """A node's ResourceList as ``Quantity.MilliValue()`` per resource."""
    values = {}
    for resource, amount in resources.items():
        try:
            values[str(resource)] = math.ceil(parse_quantity(amount) * 1000)
        except QuantityError:
            continue
    return values


@handles("top node")
def top_node(session: KubectlSession, inv: Invocation) -> Result:
    """``kubectl top node [NAME | -l label]``."""
    name = _complete(inv, "node [NAME | -l label]", "kubectl top node")
    sort_by = _validate_sort(inv)
    if name and inv.flag("selector"):
        raise KubectlError("only one of NAME or --selector can be provided")
    selector = selector_flag(inv)
    metrics_server = session.cluster.metrics
    items = [metrics_server.get_node(name)] if name else metrics_server.list_nodes(selector)
    if not items:
        raise KubectlError("metrics not available yet")
    store = session.api
    nodes = [store.get("Node", name)] if name else store.list("Node", None, selector)
    field = "capacity" if inv.flag("show-capacity") else "allocatable"
    available: dict[str, dict[str, int]] = {}
    missing: dict[str, list[str]] = {}
    for node in nodes:
        status = node.get("status") or {}
        node_name = node["metadata"]["name"]
        available[node_name] = _milli_values(status.get(field) or {})
        swap = ((status.get("nodeInfo") or {}).get("swap") or {}).get("capacity")
        if swap is not None:
            available[node_name][SWAP] = int(swap) * 1000
        else:
            missing[node_name] = [SWAP]  # RegisterMissingResource
    text = print_node_metrics(
        [(m.name, Usage(m.cpu_nanocores, m.memory_bytes)) for m in items],
        available,
        no_headers=bool(inv.flag("no-headers")),
        sort_by=sort_by,
        show_swap=bool(inv.flag("show-swap")),
        missing=missing,
    )
    return Result(stdout=text)


@handles("top")
def top_group(session: KubectlSession, inv: Invocation) -> Result:
    """``kubectl top`` alone lists its subcommands on stderr and fails (``DefaultSubCommandRun``:
    the help, shortened here as for ``create secret``; an argument is an unknown command)."""
    if inv.args:
        raise KubectlError(
            f"unknown command {go_quote(' '.join(inv.args))}",
            "See 'kubectl top -h' for help and examples",
        )
    return Result(
        stderr=(
            "Available Commands:\n"
            "  node          Display resource (CPU/memory) usage of nodes\n"
            "  pod           Display resource (CPU/memory) usage of pods\n\n"
            "Usage:\n  kubectl top [flags] [options]\n"
        ),
        exit_code=1,
    )

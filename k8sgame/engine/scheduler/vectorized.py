"""Array forms of the hot path: resource filtering and the two resource scores, for every
node at once.

Big clusters (the documented limit is 5,000 nodes) would spend most of each cycle looping in
Python over the same few integers per node. These arrays hold those integers in node-name
order; the arithmetic is the same integer and float64 arithmetic as ``filters.py`` and
``scores.py`` (a test checks both give the same placements).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from k8sgame.engine.scheduler.cache import NodeInfo

MAX_NODE_SCORE = 100


class NodeArrays:
    """Per-node totals in name order, kept in step with the scheduler cache."""

    def __init__(self, nodes: list[NodeInfo]) -> None:
        self.nodes = nodes
        self.index = {info.name: position for position, info in enumerate(nodes)}

        def column(values: list[int]) -> np.ndarray:
            return np.array(values, dtype=np.int64)

        self.alloc_cpu = column([n.allocatable.get("cpu", 0) for n in nodes])
        self.alloc_mem = column([n.allocatable.get("memory", 0) for n in nodes])
        self.alloc_pods = column([n.allocatable.get("pods", 0) for n in nodes])
        self.req_cpu = np.zeros(len(nodes), dtype=np.int64)
        self.req_mem = np.zeros(len(nodes), dtype=np.int64)
        self.nz_cpu = np.zeros(len(nodes), dtype=np.int64)
        self.nz_mem = np.zeros(len(nodes), dtype=np.int64)
        self.pods = np.zeros(len(nodes), dtype=np.int64)
        self.plain = np.array([n.plain for n in nodes], dtype=bool)
        self.prefer_no_schedule = np.array([n.prefer_no_schedule for n in nodes], dtype=bool)
        for info in nodes:
            self.sync(info)

    def sync(self, info: NodeInfo) -> None:
        """Copy one node's running totals after a pod was added or removed."""
        position = self.index.get(info.name)
        if position is None:
            return
        self.req_cpu[position] = info.requested.get("cpu", 0)
        self.req_mem[position] = info.requested.get("memory", 0)
        self.nz_cpu[position] = info.non_zero_requested.get("cpu", 0)
        self.nz_mem[position] = info.non_zero_requested.get("memory", 0)
        self.pods[position] = len(info.pods)

    def resource_fit(self, cpu: int, memory: int) -> np.ndarray:
        """Nodes where a pod requesting only cpu/memory passes NodeResourcesFit."""
        fits = self.pods + 1 <= self.alloc_pods
        if cpu > 0:
            fits &= cpu <= self.alloc_cpu - self.req_cpu
        if memory > 0:
            fits &= memory <= self.alloc_mem - self.req_mem
        return fits

    def first_feasible(self, fits: np.ndarray, start: int, wanted: int) -> tuple[np.ndarray, int]:
        """Walk from ``start`` (wrapping) and take the first ``wanted`` feasible nodes.

        Returns their positions in walk order and how many nodes the walk processed.
        """
        count = len(fits)
        walk = (np.arange(count) + start) % count
        hits = np.flatnonzero(fits[walk])
        if len(hits) >= wanted:
            return walk[hits[:wanted]], int(hits[wanted - 1]) + 1
        return walk[hits], count

    def resource_scores(
        self, positions: np.ndarray, cpu: int, memory: int, nz_cpu: int, nz_mem: int
    ) -> np.ndarray | None:
        """LeastAllocated + BalancedAllocation (weights 1 and 1) for the given nodes, or None
        when a node has no cpu or memory to divide by (the scalar code handles that case)."""
        alloc_cpu = self.alloc_cpu[positions]
        alloc_mem = self.alloc_mem[positions]
        if not (alloc_cpu > 0).all() or not (alloc_mem > 0).all():
            return None
        used_cpu = self.nz_cpu[positions] + nz_cpu
        used_mem = self.nz_mem[positions] + nz_mem
        cpu_score = np.where(
            used_cpu <= alloc_cpu, (alloc_cpu - used_cpu) * MAX_NODE_SCORE // alloc_cpu, 0
        )
        mem_score = np.where(
            used_mem <= alloc_mem, (alloc_mem - used_mem) * MAX_NODE_SCORE // alloc_mem, 0
        )
        total = (cpu_score + mem_score) // 2
        if cpu or memory:
            cpu_fraction = np.minimum((self.req_cpu[positions] + cpu) / alloc_cpu, 1.0)
            mem_fraction = np.minimum((self.req_mem[positions] + memory) / alloc_mem, 1.0)
            std = np.abs(cpu_fraction - mem_fraction) / 2
            total = total + np.trunc((1 - std) * MAX_NODE_SCORE).astype(np.int64)
        return total

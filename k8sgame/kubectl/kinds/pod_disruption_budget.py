"""How kubectl shows a PodDisruptionBudget: ``kubectl get pdb`` (``printPodDisruptionBudget``:
MIN AVAILABLE and MAX UNAVAILABLE, ``N/A`` when unset, ALLOWED DISRUPTIONS) and its describer
(``describePodDisruptionBudget``: no labels, conditions or eviction policy)."""

from __future__ import annotations

from typing import Any

from k8sgame.kubectl.describers.registry import DescribeContext
from k8sgame.kubectl.describers.text import finish, format_label_selector
from k8sgame.kubectl.tables import KindView, TableSpec, age


def _limit(value: Any) -> str:
    return "N/A" if value is None else str(value)


def _columns(pdb: dict[str, Any], now: float) -> list[str]:
    spec, status = pdb.get("spec") or {}, pdb.get("status") or {}
    return [
        pdb["metadata"]["name"],
        _limit(spec.get("minAvailable")),
        _limit(spec.get("maxUnavailable")),
        str(int(status.get("disruptionsAllowed") or 0)),
        age(pdb, now),
    ]


def describe_pod_disruption_budget(pdb: dict[str, Any], ctx: DescribeContext) -> str:
    md, spec, status = pdb["metadata"], pdb.get("spec") or {}, pdb.get("status") or {}
    out = [f"Name:\t{md['name']}", f"Namespace:\t{md.get('namespace', '')}"]
    if spec.get("minAvailable") is not None:
        out.append(f"Min available:\t{spec['minAvailable']}")
    elif spec.get("maxUnavailable") is not None:
        out.append(f"Max unavailable:\t{spec['maxUnavailable']}")
    selector = spec.get("selector")
    out.append(
        f"Selector:\t{format_label_selector(selector) if selector is not None else '<unset>'}"
    )
    out.append("Status:")
    out.append(f"    Allowed disruptions:\t{int(status.get('disruptionsAllowed') or 0)}")
    out.append(f"    Current:\t{int(status.get('currentHealthy') or 0)}")
    out.append(f"    Desired:\t{int(status.get('desiredHealthy') or 0)}")
    out.append(f"    Total:\t{int(status.get('expectedPods') or 0)}")
    return finish(out, ctx.search_events(pdb, "PodDisruptionBudget"), ctx.now)


VIEW = KindView(
    "PodDisruptionBudget",
    TableSpec(("NAME", "MIN AVAILABLE", "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS", "AGE"), _columns),
    describe_pod_disruption_budget,
)

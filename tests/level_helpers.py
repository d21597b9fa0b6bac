"""Helpers that play a level's answers headlessly, as the level tests and benchmarks do."""

from __future__ import annotations

from k8sgame.levels.checker import Report, finish
from k8sgame.levels.model import Answer, Level
from k8sgame.levels.play import LevelRun, perform


def play(level: Level, answer: Answer | None, seed: int = 0) -> tuple[LevelRun, Report]:
    """Start the level, play ``answer`` (None: do nothing) and run to a verdict."""
    run = LevelRun(level, seed)
    if answer is not None:
        results = perform(run, answer)
        failed = [
            (line, result.stderr)
            for line, result in zip(answer.commands, results, strict=True)
            if result.exit_code
        ]
        assert not failed or answer is not level.solution, f"solution commands failed: {failed}"
    return run, finish(run)


def verdict(report: Report) -> tuple:
    """What must not depend on the seed: won or not, and every line's state."""
    return report.won, tuple((line.id, line.state) for line in report.lines)


# The namespaces the simulated components run in: their service accounts are components.
COMPONENT_NAMESPACES = ("kube-system", "local-path-storage", "metallb-system", "ingress-nginx")


def component_refusals(cluster) -> list[str]:
    """The requests of cluster components that authorization refused: none should be (the
    bootstrap policy must grant every component what it does)."""
    found = []
    for attrs, reason in cluster.apiserver.refusals:
        user = attrs.user.name
        account = user.removeprefix("system:serviceaccount:")
        if account != user:
            component = account.split(":")[0] in COMPONENT_NAMESPACES
        else:
            component = user.startswith(("system:kube-", "system:node:", "system:apiserver"))
        if component:
            found.append(f"{user} {attrs.verb} {attrs.combined_resource} ({reason})")
    return found

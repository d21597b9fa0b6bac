"""The headless sandbox: run a script of kubectl lines against a fresh simulated cluster.

The contract is DESIGN.md's: one kubectl command per line without the leading ``kubectl``,
``sleep DURATION`` to advance simulated time, ``#`` comments; ``-f`` paths are relative to the
script; ``--json`` prints one object per command line. A line that fails reports itself and the
run goes on, like a shell script; the exit status is non-zero if any line failed.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from k8sgame.catalog_loader import load_default_catalog
from k8sgame.content.prompt_words import START_KUBELET, STOP_KUBELET, TRACE
from k8sgame.content.text import say
from k8sgame.engine.cluster import Cluster
from k8sgame.engine.timefmt import parse_go_duration
from k8sgame.host_prompt import is_host_line, run_host_line
from k8sgame.kubectl.files import directory_source
from k8sgame.kubectl.result import Result, write_in_order
from k8sgame.kubectl.session import KubectlSession
from k8sgame.kubectl.trace import render_trace
from k8sgame.manifests import ManifestError, parse_manifests


def parse_sleep(text: str) -> float | None:
    """``30`` (seconds) or a Go duration such as ``2m``, ``1h30m``, ``500ms`` -> seconds
    (None if invalid or negative)."""
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    try:
        seconds = parse_go_duration(text)
    except ValueError:
        return None
    return seconds if seconds >= 0 and not text.startswith("+") else None


@dataclass
class LineResult:
    command: str
    result: Result
    time: float


def _applies_nodes(lines: list[str], base: Path) -> bool:
    """Whether the script applies a Node manifest (then the default nodes are left out)."""
    for line in lines:
        try:
            words = shlex.split(line)
        except ValueError:
            continue
        for index, word in enumerate(words):
            path = None
            if word in ("-f", "--filename") and index + 1 < len(words):
                path = words[index + 1]
            elif word.startswith("--filename="):
                path = word.split("=", 1)[1]
            elif word.startswith("-f") and len(word) > 2:
                path = word[2:].lstrip("=")
            if not path:
                continue
            target = base / path
            files = sorted(target.glob("*.y*ml")) if target.is_dir() else [target]
            for file in files:
                try:
                    if any(
                        m.obj.get("kind") == "Node"
                        for m in parse_manifests(file.read_text(encoding="utf-8"), str(file))
                    ):
                        return True
                except (OSError, UnicodeDecodeError, ManifestError):
                    continue
    return False


def run_script(script: Path, seed: int = 0) -> list[LineResult]:
    """Run every command line of ``script``; returns one result per command line."""
    lines = script.read_text(encoding="utf-8").splitlines()
    base = script.parent
    nodes: list[dict[str, Any]] | None = [] if _applies_nodes(lines, base) else None
    cluster = Cluster(load_default_catalog(), seed=seed, nodes=nodes)
    session = KubectlSession(cluster, files=directory_source(base))
    results = []
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("sleep ") or line == "sleep":
            seconds = parse_sleep(line[5:].strip())
            if seconds is None:
                result = Result(
                    stderr=f"error: line {number}: invalid duration {line[5:].strip()!r}\n",
                    exit_code=1,
                )
            else:
                cluster.run_for(seconds)
                result = Result()
        elif line == TRACE.word:
            result = Result(stdout=render_trace(cluster.tracer, session.language))
        elif is_host_line(line):
            cluster.tracer.mark()
            result = run_host_line(cluster, line, session.language)
        elif line.split()[0] in (STOP_KUBELET.word, START_KUBELET.word):
            result = _kubelet_line(cluster, line.split(), session.language)
        else:
            command = line[len("kubectl ") :] if line.startswith("kubectl ") else line
            cluster.tracer.mark()
            result = session.run(command)
        results.append(LineResult(line, result, cluster.now))
    return results


def _kubelet_line(cluster: Cluster, words: list[str], language: str) -> Result:
    """``stop-kubelet NODE`` / ``start-kubelet NODE`` in a script."""
    if len(words) != 2:
        text = say("cli.kubelet_usage", language, word=words[0])
        return Result(stderr=f"error: {text}\n", exit_code=1)
    cluster.tracer.mark()
    stop = words[0] == STOP_KUBELET.word
    if not (cluster.stop_kubelet(words[1]) if stop else cluster.start_kubelet(words[1])):
        return Result(
            stderr=f"error: {say('cli.no_kubelet', language, node=words[1])}\n", exit_code=1
        )
    key = "cli.kubelet_stopped" if stop else "cli.kubelet_started"
    return Result(stdout=say(key, language, node=words[1]) + "\n")


def print_results(results: list[LineResult], as_json: bool, out, err) -> int:
    """Print as a terminal would (or as JSON lines); returns the exit status."""
    for item in results:
        if as_json:
            record = {
                "command": item.command,
                "exit_code": item.result.exit_code,
                "stdout": item.result.stdout,
                "stderr": item.result.stderr,
                "time": item.time,
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            write_in_order(item.result, out, err)
    return 1 if any(item.result.exit_code for item in results) else 0

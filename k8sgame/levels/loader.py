"""Loading level files: safe YAML, the schema, the rules between fields, and a trial start of
the cluster. Every problem is reported as ``file:line:column: message``; nothing in a level
file is ever executed, and files it points to must stay inside the pack."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from k8sgame.content.concepts import concept_ids
from k8sgame.content.text import Text
from k8sgame.datafile.diagnostics import DataFileError, Diagnostic, locate, read_data_text
from k8sgame.datafile.located import LocatedError, load_located
from k8sgame.datafile.schema import Problem, duration_seconds
from k8sgame.engine.network.metallb import Pool
from k8sgame.engine.network.setup import DEFAULT_PLUGIN, NetworkSetup
from k8sgame.levels.model import (
    Answer,
    Choice,
    GoalLine,
    Interview,
    Level,
    Option,
    StartingCluster,
    WrongAnswer,
)
from k8sgame.levels.spec import LEVEL, REFS

DEFAULT_HORIZON = 300.0
LEVEL_SUFFIXES = (".yaml", ".yml")


class LevelError(DataFileError):
    """A level file (or pack) that cannot be used; ``diagnostics`` says every problem found."""


def read_level_text(path: Path) -> str:
    """A level file's text; raises LevelError (never OSError or UnicodeError)."""
    return read_data_text(path, LevelError)


def load_level(path: Path, pack_root: Path | None = None, *, try_start: bool = True) -> Level:
    """Load and check one level file. ``pack_root`` (default: the grandparent directory,
    ``levels/`` for ``levels/<chapter>/<id>.yaml``) bounds the files it may point to."""
    path = Path(path)
    root = Path(pack_root) if pack_root is not None else path.resolve().parent.parent
    return load_level_text(read_level_text(path), str(path), path.parent, root, try_start=try_start)


def _step_action(step: dict[str, Any]) -> tuple[str, str]:
    """What one step of the cluster's past does, and to what."""
    for what in ("kubectl", "stop_kubelet", "start_kubelet"):
        if what in step:
            return what, str(step[what])
    raise KeyError("a step names no action")


def load_level_text(
    text: str,
    source: str,
    base: Path | None = None,
    pack_root: Path | None = None,
    *,
    try_start: bool = True,
) -> Level:
    """Load a level from its text; ``base`` is the directory of the file (for ``{path: ...}``
    file references, which must stay under ``pack_root``)."""
    try:
        located = load_located(text)
    except LocatedError as error:
        raise LevelError([Diagnostic(source, error.line, error.column, error.message)]) from None
    data = located.data
    if not isinstance(data, dict):
        raise LevelError(
            [Diagnostic(source, 1, 1, "a level file is a mapping (id: ..., title: ...)")]
        )
    problems: list[Problem] = []
    LEVEL.check(data, (), problems, REFS)
    if not problems:
        _check_rules(data, source, problems)
    if problems:
        raise LevelError(locate(source, located, problems))
    files = _files(data.get("files") or {}, ("files",), base, pack_root, problems)
    solution = _answer(data["solution"], ("solution",), base, pack_root, problems)
    wrong = tuple(
        WrongAnswer(
            item["id"],
            _answer(item, ("wrong", index), base, pack_root, problems),
            item["fails"],
            Text.from_data(item["feedback"]),
        )
        for index, item in enumerate(data.get("wrong") or [])
    )
    choices = tuple(
        _choice(item, ("choices", index), base, pack_root, problems)
        for index, item in enumerate(data.get("choices") or [])
    )
    if problems:
        raise LevelError(locate(source, located, problems))
    cluster = data["cluster"]
    level = Level(
        id=data["id"],
        chapter=data["chapter"],
        order=data["order"],
        difficulty=data["difficulty"],
        concepts=tuple(data["concepts"]),
        estimated_minutes=data["estimated_minutes"],
        title=Text.from_data(data["title"]),
        briefing=Text.from_data(data["briefing"]),
        explanation=Text.from_data(data["explanation"]),
        debrief=Text.from_data(data["debrief"]["text"]),
        interview=tuple(
            Interview(Text.from_data(item["question"]), Text.from_data(item["answer"]))
            for item in data["debrief"]["interview"]
        ),
        cluster=StartingCluster(
            namespace=cluster.get("namespace", "default"),
            nodes=tuple(cluster["nodes"]) if "nodes" in cluster else None,
            images=cluster.get("images"),
            manifests=tuple(cluster.get("manifests") or ()),
            warmup=duration_seconds(cluster.get("warmup", 0)) or 0.0,
            steps=tuple(
                (duration_seconds(step.get("after", 0)) or 0.0, *_step_action(step))
                for step in cluster.get("steps") or ()
            ),
            network=_network(cluster.get("network")),
            ingress_controller=str((cluster.get("network") or {}).get("ingressController") or ""),
        ),
        files=files,
        horizon=duration_seconds(data.get("horizon", DEFAULT_HORIZON)) or DEFAULT_HORIZON,
        goal=tuple(
            GoalLine(line["id"], Text.from_data(line["text"]), line["check"])
            for line in data["goal"]
        ),
        hints=tuple(Text.from_data(hint) for hint in data["hints"]),
        par=data["par"],
        solution=solution,
        wrong=wrong,
        choices=choices,
        source=source,
    )
    if try_start:
        from k8sgame.levels.start import start_problems

        found = start_problems(level)
        if found:
            raise LevelError(locate(source, located, found))
    return level


def _check_rules(data: dict[str, Any], source: str, problems: list[Problem]) -> None:
    """Rules between fields that a schema cannot say."""
    name = Path(source).name
    stem = name.rsplit(".", 1)[0]
    if name.endswith(LEVEL_SUFFIXES) and stem != data["id"] and source != "<text>":
        problems.append(Problem(("id",), f'"{data["id"]}" must match the file name "{name}"'))
    parent = Path(source).parent.name
    if (
        source != "<text>"
        and parent
        and parent != data["chapter"]
        and name.endswith(LEVEL_SUFFIXES)
    ):
        problems.append(
            Problem(("chapter",), f'"{data["chapter"]}" must match the directory "{parent}"')
        )
    known = concept_ids()
    for index, concept in enumerate(data["concepts"]):
        if concept not in known:
            problems.append(
                Problem(
                    ("concepts", index),
                    f'unknown concept id "{concept}" (see assets/concepts.yaml)',
                )
            )
    line_ids: set[str] = set()
    for index, line in enumerate(data["goal"]):
        if line["id"] in line_ids:
            problems.append(
                Problem(("goal", index, "id"), f'duplicate goal line id "{line["id"]}"')
            )
        line_ids.add(line["id"])
    seen: set[str] = set()
    all_choice_ids = {choice["id"] for choice in data.get("choices") or []}
    for index, wrong in enumerate(data.get("wrong") or []):
        if wrong["id"] in seen:
            problems.append(
                Problem(("wrong", index, "id"), f'duplicate wrong answer id "{wrong["id"]}"')
            )
        seen.add(wrong["id"])
        if wrong["fails"] not in line_ids | all_choice_ids:
            problems.append(
                Problem(
                    ("wrong", index, "fails"),
                    f'no goal line or choice has the id "{wrong["fails"]}"',
                )
            )
    choice_ids: set[str] = set()
    for index, choice in enumerate(data.get("choices") or []):
        where = ("choices", index)
        if choice["id"] in choice_ids:
            problems.append(Problem((*where, "id"), f'duplicate choice id "{choice["id"]}"'))
        choice_ids.add(choice["id"])
        if choice["id"] in line_ids:
            problems.append(Problem((*where, "id"), f'"{choice["id"]}" is also a goal line id'))
        kinds = {"value" if "value" in option else "commands" for option in choice["options"]}
        if len(kinds) > 1:
            problems.append(
                Problem((*where, "options"), "options are all values or all commands, not both")
            )
        elif kinds == {"value"} and "measure" not in choice:
            problems.append(Problem(where, 'value options need a "measure" the engine takes'))
        elif kinds == {"commands"} and "measure" in choice:
            problems.append(
                Problem(
                    (*where, "measure"), "commands options are judged by the goal, not a measure"
                )
            )
        for line_id in choice.get("lines") or []:
            if line_id not in line_ids:
                problems.append(Problem((*where, "lines"), f'no goal line has the id "{line_id}"'))
    names = [node["name"] for node in (data["cluster"].get("nodes") or [])]
    for index, node_name in enumerate(names):
        if node_name in names[:index]:
            problems.append(
                Problem(("cluster", "nodes", index, "name"), f'duplicate node "{node_name}"')
            )


def _files(
    entries: dict[str, Any],
    where: tuple,
    base: Path | None,
    pack_root: Path | None,
    problems: list[Problem],
) -> dict[str, str]:
    files: dict[str, str] = {}
    for name, value in entries.items():
        if ".." in name.split("/"):
            problems.append(
                Problem((*where, name), f'file name "{name}" leaves the working directory', True)
            )
            continue
        if isinstance(value, str):
            files[name] = value
            continue
        text = _pack_file(str(value["path"]), (*where, name, "path"), base, pack_root, problems)
        if text is not None:
            files[name] = text
    return files


def _pack_file(
    relative: str, where: tuple, base: Path | None, pack_root: Path | None, problems: list[Problem]
) -> str | None:
    if base is None or pack_root is None:
        problems.append(Problem(where, "file references need a level file inside a pack"))
        return None
    if Path(relative).is_absolute() or "\\" in relative:
        problems.append(Problem(where, f'"{relative}" must be a relative path inside the pack'))
        return None
    root = pack_root.resolve()
    target = (base / relative).resolve()
    if not target.is_relative_to(root):
        problems.append(Problem(where, f'"{relative}" is outside the level pack ({pack_root})'))
        return None
    try:
        data = target.read_bytes()
    except OSError as exc:
        problems.append(Problem(where, f'cannot read "{relative}": {exc.strerror or exc}'))
        return None
    if len(data) > 200_000:
        problems.append(Problem(where, f'"{relative}" is larger than 200000 bytes'))
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        problems.append(Problem(where, f'"{relative}" is not UTF-8 text'))
        return None


def _answer(
    data: dict[str, Any],
    where: tuple,
    base: Path | None,
    pack_root: Path | None,
    problems: list[Problem],
) -> Answer:
    files = _files(data.get("files") or {}, (*where, "files"), base, pack_root, problems)
    return Answer(tuple(str(c) for c in data["commands"]), files)


def _choice(
    data: dict[str, Any],
    where: tuple,
    base: Path | None,
    pack_root: Path | None,
    problems: list[Problem],
) -> Choice:
    options = []
    for index, item in enumerate(data["options"]):
        label = Text.from_data(item["label"]) if "label" in item else None
        if "commands" in item:
            answer = _answer(item, (*where, "options", index), base, pack_root, problems)
            options.append(Option(label, None, answer))
        else:
            options.append(Option(label, item["value"]))
    return Choice(
        id=data["id"],
        question=Text.from_data(data["question"]),
        options=tuple(options),
        single=bool(data.get("single", True)),
        measure=data.get("measure"),
        tolerance=duration_seconds(data.get("tolerance", 0)) or 0.0,
        lines=tuple(data.get("lines") or ()),
        explanation=Text.from_data(data["explanation"]) if "explanation" in data else None,
    )


def _network(data: Any) -> NetworkSetup | None:
    """The level's ``cluster.network`` (already checked against the schema)."""
    if not data:
        return None
    addresses = tuple(data.get("loadBalancerPool") or ())
    return NetworkSetup(
        plugin=data.get("plugin", DEFAULT_PLUGIN),
        pools=(Pool("default-pool", addresses),) if addresses else (),
        outside_hosts=dict(data.get("outsideHosts") or {}),
    )

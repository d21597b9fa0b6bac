"""``k8sgame levels validate|list|check``: the level tools of the command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from k8sgame.content.text import say
from k8sgame.engine.timefmt import go_duration
from k8sgame.heap import freeze_startup_data
from k8sgame.kubectl.errors import KubectlError
from k8sgame.kubectl.files import directory_source
from k8sgame.kubectl.result import write_in_order
from k8sgame.levels.checker import Report, check, finish
from k8sgame.levels.loader import LEVEL_SUFFIXES, Diagnostic, LevelError, load_level
from k8sgame.levels.pack import (
    chapter_check,
    cross_check,
    default_pack_dir,
    find_level,
    level_files,
    load_chapters,
    load_pack,
)
from k8sgame.levels.play import LevelRun

USAGE = """usage: k8sgame levels validate [PATH]
       k8sgame levels list [--lang en|ko]
       k8sgame levels check LEVEL --script FILE [--seed N] [--json] [--lang en|ko]
"""


def main(args: list[str], out: TextIO | None = None, err: TextIO | None = None) -> int:
    """``k8sgame levels ...``; returns the exit status (3: a checked level was not won)."""
    out = out or sys.stdout
    err = err or sys.stderr
    if not args or args[0] in ("-h", "--help", "help"):
        out.write(USAGE)
        return 0 if args else 2
    command, rest = args[0], args[1:]
    if command == "validate":
        return _validate(rest, out, err)
    if command == "list":
        return _list(rest, out, err)
    if command == "check":
        return _check(rest, out, err)
    err.write(USAGE + f"error: unknown levels command {command!r}\n")
    return 2


def _parser(prog: str) -> argparse.ArgumentParser:
    return argparse.ArgumentParser(prog=f"k8sgame levels {prog}")


def _parse(parser: argparse.ArgumentParser, args: list[str]) -> argparse.Namespace | int:
    try:
        return parser.parse_args(args)
    except SystemExit as exit_:
        return int(exit_.code or 0)


def _validate(args: list[str], out: TextIO, err: TextIO) -> int:
    parser = _parser("validate")
    parser.add_argument(
        "path", nargs="?", help="a level file or a pack directory (default: the shipped levels)"
    )
    options = _parse(parser, args)
    if isinstance(options, int):
        return options
    target = Path(options.path) if options.path else default_pack_dir()
    problems: list[Diagnostic] = []
    count = 0
    if target.is_dir():
        files = level_files(target)
        levels = []
        for path in files:
            try:
                levels.append(load_level(path, target))
            except LevelError as error:
                problems.extend(error.diagnostics)
        problems.extend(cross_check(levels))
        problems.extend(chapter_check(target, levels))
        count = len(files)
        if not files:
            problems.append(
                Diagnostic(str(target), 0, 0, "no level files (<chapter>/<id>.yaml) here")
            )
    elif target.suffix in LEVEL_SUFFIXES or target.is_file():
        count = 1
        try:
            load_level(target)
        except LevelError as error:
            problems.extend(error.diagnostics)
    else:
        problems.append(Diagnostic(str(target), 0, 0, "no such file or directory"))
    for problem in problems:
        err.write(f"{problem}\n")
    if problems:
        return 1
    out.write(say("cli.valid", count=count) + "\n")
    return 0


def _list(args: list[str], out: TextIO, err: TextIO) -> int:
    parser = _parser("list")
    parser.add_argument("--lang", choices=("en", "ko"), default="en")
    options = _parse(parser, args)
    if isinstance(options, int):
        return options
    try:
        levels = load_pack(default_pack_dir(), try_start=False)
        titles = {c.id: c.title.get(options.lang) for c in load_chapters(default_pack_dir())}
    except LevelError as error:
        err.write(f"{error}\n")
        return 1
    chapter = None
    for level in levels:
        if level.chapter != chapter:
            chapter = level.chapter
            heading = say("cli.list_heading", options.lang, chapter=chapter, title=titles[chapter])
            out.write(heading + "\n")
        out.write(
            say(
                "cli.list_entry",
                options.lang,
                order=level.order,
                id=level.id,
                title=level.title.get(options.lang),
                difficulty=level.difficulty,
                minutes=level.estimated_minutes,
            )
            + "\n"
        )
    return 0


def _check(args: list[str], out: TextIO, err: TextIO) -> int:
    parser = _parser("check")
    parser.add_argument("level", help="a level id or a level file")
    parser.add_argument(
        "--script", required=True, help="one command per line, as in k8sgame sandbox"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--json", action="store_true", help="one JSON object per line, then the verdict"
    )
    parser.add_argument("--lang", choices=("en", "ko"), default="en")
    options = _parse(parser, args)
    if isinstance(options, int):
        return options
    try:
        level = find_level(options.level)
    except LevelError as error:
        err.write(f"{error}\n")
        return 1
    try:
        lines = Path(options.script).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        err.write(f"error: cannot read script {options.script}: {exc}\n")
        return 1
    language = options.lang
    run = LevelRun(level, options.seed, language)
    freeze_startup_data()
    _script_files(run, Path(options.script).parent)
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        result = run.run_line(line)
        report = check(run)
        if options.json:
            out.write(
                json.dumps(
                    {
                        "command": line,
                        "exit_code": result.exit_code,
                        "stdout": result.stdout,
                        "stderr": result.stderr,
                        "time": run.cluster.now,
                        "goal": _lines_json(report, language),
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
        else:
            write_in_order(result, out, err)
    report = finish(run)
    if options.json:
        out.write(json.dumps(_verdict_json(report, run, language), ensure_ascii=False) + "\n")
    else:
        out.write("\n" + _verdict_text(report, run, language))
    return 0 if report.won else 3


def _script_files(run: LevelRun, base: Path) -> None:
    """Files next to the script are readable by -f too (after the level's own files)."""
    level_files_source = run.session.files
    from_disk = directory_source(base)

    def read(path: str) -> list[tuple[str, str]]:
        try:
            return level_files_source(path)
        except KubectlError:
            return from_disk(path)

    run.session.files = read


def _lines_json(report: Report, language: str) -> list[dict[str, str]]:
    items = [
        {
            "id": line.id,
            "state": line.state,
            "text": line.text.get(language),
            "reason": line.reason.render(language),
        }
        for line in report.lines
    ]
    items += [
        {
            "id": f"choice:{choice.id}",
            "state": choice.state,
            "text": choice.question.get(language),
            "reason": choice.reason.render(language),
        }
        for choice in report.choices
    ]
    return items


def _verdict_json(report: Report, run: LevelRun, language: str) -> dict[str, object]:
    verdict: dict[str, object] = {
        "level": run.level.id,
        "won": report.won,
        "time": run.cluster.now,
        "goal": _lines_json(report, language),
    }
    if report.win is not None:
        verdict["score"] = {
            "commands": report.win.commands,
            "changes": report.win.changes,
            "par": report.win.par,
            "hints": report.win.hints,
            "stars": report.win.stars,
        }
    return verdict


def _verdict_text(report: Report, run: LevelRun, language: str) -> str:
    lines = [
        say("cli.level_heading", language, id=run.level.id, title=run.level.title.get(language))
    ]
    for line in report.lines:
        lines.append(
            "  "
            + say(
                "cli.line",
                language,
                state=say(f"states.{line.state}", language),
                text=line.text.get(language),
            )
        )
        if line.state != "met":
            lines.append("      " + line.reason.render(language))
    for choice in report.choices:
        lines.append(
            "  "
            + say(
                "cli.choice",
                language,
                state=say(f"states.{choice.state}", language),
                question=choice.question.get(language),
            )
        )
        if choice.state != "met":
            lines.append("      " + choice.reason.render(language))
    if report.win is not None:
        win = report.win
        lines.append(
            say(
                "cli.won",
                language,
                time=go_duration(win.time),
                changes=win.changes,
                par=win.par,
                commands=win.commands,
                hints=win.hints,
                stars=win.stars,
            )
        )
    else:
        lines.append(say("cli.not_won", language, horizon=go_duration(run.level.horizon)))
    return "\n".join(lines) + "\n"

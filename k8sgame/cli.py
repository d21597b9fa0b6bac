"""The ``k8sgame`` command: the game screen, or the headless sandbox and level tools."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from functools import cache
from typing import Any

from k8sgame import __version__

USAGE = f"""k8sgame {__version__} — learn Kubernetes by fixing a simulated cluster.

usage: k8sgame                        open the game
       k8sgame [--help] [--version]
       k8sgame sandbox                open the sandbox in the game
       k8sgame sandbox --script FILE [--seed N] [--json]
       k8sgame levels list [--lang en|ko]
       k8sgame levels validate [PATH]
       k8sgame levels check LEVEL --script FILE [--seed N] [--json] [--lang en|ko]
       k8sgame quiz [--topic T] [--count N] [--seed S] [--lang en|ko] [--banks DIR]
       k8sgame quiz topics [--lang en|ko]
       k8sgame quiz review [--lang en|ko]
       k8sgame quiz mock [--count N] [--minutes M] [--lang en|ko]
       k8sgame progress export [FILE] | import FILE [--lang en|ko]

  sandbox --script FILE   run kubectl lines from FILE against a fresh simulated cluster
                          (see docs/sandbox.md)
  levels                  list, validate and check levels headlessly (see docs/levels.md)
  quiz                    practise interview questions in the terminal (see docs/quiz.md)
  progress                copy your progress to a JSON file, or merge one in (docs/game.md)
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``k8sgame`` console script."""
    try:
        return _main(argv)
    except BrokenPipeError:
        # The reader went away (``k8sgame levels list | head``): stop quietly, as a shell
        # tool does, and keep Python from complaining again when it flushes at exit.
        sys.stdout = open(os.devnull, "w")
        return 1


def _main(argv: Sequence[str] | None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args in (["--version"], ["-V"]):
        print(f"k8sgame {__version__}")
        return 0
    if not args:
        return _play()
    if args == ["sandbox"]:
        return _play(start="sandbox")
    if args and args[0] == "sandbox":
        return _sandbox(args[1:])
    if args and args[0] == "levels":
        from k8sgame.levels.commands import main as levels_main

        return levels_main(args[1:])
    if args and args[0] == "progress":
        return _progress(args[1:])
    if args and args[0] == "quiz":
        return _quiz(args[1:])
    print(USAGE, end="")
    if args and args[0] not in ("-h", "--help", "help"):
        print(f"\nerror: unknown command {args[0]!r}", file=sys.stderr)
        return 2
    return 0


def _quiz(args: list[str]) -> int:
    """The quiz in the terminal, keeping answers and review cards with the game's progress."""
    from k8sgame.content.text import SCREEN_WORDS, message
    from k8sgame.progress import open_progress
    from k8sgame.quiz.commands import main as quiz_main

    store, opened = open_progress()
    notice = None
    if opened is not None:
        fields = {"path": opened.path, "detail": opened.detail}
        notice = message(opened.key, None, table=SCREEN_WORDS, **fields)
    try:
        return quiz_main(args, levels_for=_levels_teaching, book=store, notice=notice)
    finally:
        store.close()


def _progress(args: list[str]) -> int:
    """``k8sgame progress export [FILE]`` (standard output without FILE) and
    ``k8sgame progress import FILE``."""
    import argparse
    from pathlib import Path

    from k8sgame.content.text import SCREEN_WORDS, say
    from k8sgame.progress import open_progress
    from k8sgame.progress.transfer import TransferError, export_progress, import_progress

    parser = argparse.ArgumentParser(prog="k8sgame progress")
    parser.add_argument("action", choices=["export", "import"])
    parser.add_argument("file", nargs="?", help="the JSON file (export: default standard output)")
    parser.add_argument("--lang", choices=["en", "ko"], default="en")
    try:
        options = parser.parse_args(args)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    language = options.lang
    store, opened = open_progress()
    try:
        if opened is not None:
            print(
                say(
                    opened.key, language, table=SCREEN_WORDS, path=opened.path, detail=opened.detail
                ),
                file=sys.stderr,
            )
        if options.action == "export":
            text = export_progress(store)
            if options.file in (None, "-"):
                sys.stdout.write(text)
                return 0
            Path(options.file).write_text(text, encoding="utf-8")
            counts = {
                "results": len(store.results()),
                "answers": len(store.answers()),
                "cards": len(store.review_cards()),
            }
            print(
                say("progress.exported", language, table=SCREEN_WORDS, path=options.file, **counts)
            )
            return 0
        if options.file is None:
            parser.print_usage(sys.stderr)
            return 2
        try:
            text = Path(options.file).read_text(encoding="utf-8")
            exported = import_progress(store, text)
        except (OSError, UnicodeDecodeError, TransferError) as error:
            detail = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            print(
                say(
                    "progress.import_error",
                    language,
                    table=SCREEN_WORDS,
                    path=options.file,
                    detail=detail,
                ),
                file=sys.stderr,
            )
            return 1
        counts = {
            "results": len(exported.results),
            "answers": len(exported.answers),
            "cards": len(exported.review_cards),
        }
        print(say("progress.imported", language, table=SCREEN_WORDS, path=options.file, **counts))
        return 0
    finally:
        store.close()


def _levels_teaching(concept: str, language: str) -> list[str]:
    """Titles of the shipped levels that teach ``concept`` (for the quiz's report)."""
    return [level.title.get(language) for level in _shipped_levels() if concept in level.concepts]


@cache
def _shipped_levels() -> tuple[Any, ...]:
    from k8sgame.levels.loader import LevelError
    from k8sgame.levels.pack import default_pack_dir, load_pack

    try:
        return tuple(load_pack(default_pack_dir(), try_start=False))
    except LevelError:
        return ()


def _play(start: str | None = None) -> int:
    """Open the game screen (Textual is imported only here, so the headless tools stay light)."""
    from k8sgame.tui.app import GameApp

    GameApp(start=start).run()
    return 0


def _sandbox(args: list[str]) -> int:
    import argparse
    from pathlib import Path

    from k8sgame.sandbox import print_results, run_script

    parser = argparse.ArgumentParser(
        prog="k8sgame sandbox", description="Run kubectl lines against a simulated cluster."
    )
    parser.add_argument("--script", required=True, help="file with one kubectl command per line")
    parser.add_argument(
        "--seed", type=int, default=0, help="random seed of the cluster (default 0)"
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per command line")
    try:
        options = parser.parse_args(args)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    script = Path(options.script)
    try:
        results = run_script(script, options.seed)
    except (OSError, UnicodeDecodeError) as exc:
        print(f"error: cannot read script {options.script}: {exc}", file=sys.stderr)
        return 1
    return print_results(results, options.json, sys.stdout, sys.stderr)

"""The ``k8sgame`` command. Until the game screen exists it prints a short usage text."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from k8sgame import __version__

USAGE = f"""k8sgame {__version__} — learn Kubernetes by fixing a simulated cluster.

The game screen is not built yet. What works today is the cluster engine, which the
test suite exercises (see README.md and docs/engine.md).

usage: k8sgame [--help] [--version]
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``k8sgame`` console script."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args in (["--version"], ["-V"]):
        print(f"k8sgame {__version__}")
        return 0
    print(USAGE, end="")
    if args and args[0] not in ("-h", "--help", "help"):
        print(f"\nerror: unknown command {args[0]!r}", file=sys.stderr)
        return 2
    return 0

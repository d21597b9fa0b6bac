"""A small, deterministic POSIX-shell subset that runs inside fake containers.

The package reads like the shell: ``syntax`` (lexer and parser), ``interpreter``,
``arithmetic``, ``coreutils`` (the utilities), ``messages`` (each shell's error texts),
``filesystem`` and ``timeline`` (what a run produces), and the network client programs:
``net_tools`` (which image has which), ``net_client`` (what they share), ``nslookup``,
``nc``, ``wget`` and ``curl``.

Nothing is executed for real: a script is interpreted into a timeline of events (log lines,
file changes, a program starting) in simulated seconds. Long or endless scripts are produced
lazily, and a loop whose state repeats exactly is turned into a periodic tail, so
``while true; do echo hello; sleep 10; done`` costs two iterations however long it runs.

Supported (anything else behaves as the real shell would for an unknown command,
``sh: foo: not found`` with status 127, or prints a clear "not supported" error, status 2):

* lists and operators: ``;``, newlines, ``&&``, ``||``, ``!``, ``|`` (one stage after the
  other: the left side's whole output becomes the right side's input), ``{ ...; }``,
  ``( ... )``, ``if/elif/else/fi``, ``while``/``until ...; do ...; done``,
  ``for x in ...; do ...; done``, ``break``, ``continue``, ``exit [N]``, comments;
* words: '...', "...", backslash escapes, ``$VAR``, ``${VAR}``, ``${VAR:-x}`` (also ``-``,
  ``:=``, ``=``, ``:+``, ``+``, ``${#VAR}``), ``$?``, ``$$``, ``$0``-``$9``, ``$#``,
  ``$@``, ``$(...)``, backticks and ``$((...))`` integer arithmetic; unquoted expansions
  split on whitespace; no globbing;
* assignments ``X=1``, ``X=1 cmd``; redirections ``>``, ``>>``, ``<``, ``2>&1``, ``>&2``,
  ``>/dev/null``;
* builtins: ``: true false exit echo printf test [ export unset set (-e) cd pwd exec wait``,
  ``read [-r] VAR...`` (from a ``<`` redirection or a pipe);
* utilities, where the image has them (busybox or GNU flavour, with their own error texts):
  ``sleep N`` (also ``1m``, ``infinity``), ``cat``, ``ls``, ``touch``, ``rm [-f] [-r]``,
  ``mkdir [-p]``, ``env``, ``printenv``, ``echo``, ``printf``, ``true``, ``false``, ``test``,
  ``hostname``, ``date``, ``whoami``, ``id [-u|-g|-G] [-n]``, ``head``, ``tail [-f]``,
  ``grep [-qvicFE]`` (BRE subset);
* network clients, in commands run by ``kubectl exec`` (the pod's network comes with them):
  BusyBox's ``nslookup``, ``wget`` and ``nc -z`` where the image has BusyBox, ``curl``
  where the catalog names its version; they read ``/etc/resolv.conf`` and ``/etc/hosts``
  and print the real programs' words (see each module);
* ``sh -c SCRIPT``, ``sh FILE``, ``bash -c`` where the image has bash, and the image's own
  programs (``exec nginx -g 'daemon off;'``).

Not supported: ``&`` background jobs, functions, ``case``, here-documents, globbing, ``trap``,
``kill``, ``ps``; the network from a container's own processes and exec probes (the
network clients say so there).

Simplifications: a loop iteration takes at least 0.01 s (a busy loop prints 100 lines a
second and burns a whole CPU); a file written with ``>>`` keeps its last 64 KiB.
"""

from __future__ import annotations

from k8sgame.engine.images.shell.filesystem import ERRNO, FileSystem, MountedTree
from k8sgame.engine.images.shell.interpreter import Run, Shell, Stage, ToCapture, binary_table
from k8sgame.engine.images.shell.timeline import (
    Event,
    FileEvent,
    Forever,
    LogEvent,
    NeverEndsEvent,
    PeriodicEvent,
    StageEvent,
    StartError,
    TickEvent,
    WaitEvent,
)

__all__ = [
    "ERRNO",
    "Event",
    "FileEvent",
    "FileSystem",
    "Forever",
    "LogEvent",
    "MountedTree",
    "NeverEndsEvent",
    "PeriodicEvent",
    "Run",
    "Shell",
    "Stage",
    "StageEvent",
    "StartError",
    "TickEvent",
    "ToCapture",
    "WaitEvent",
    "binary_table",
]

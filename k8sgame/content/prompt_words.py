"""The game's own words at the kubectl prompt, besides kubectl's verbs: one table.

The levels box runs ``sleep``, ``hint``, ``answer``, ``trace``, ``stop-kubelet`` /
``start-kubelet``, ``curl`` (on the player's machine) and ``ssh NODE`` (the sandbox script
too); the game screen runs ``edit`` (and
an editor's name on a file), ``ls`` and ``cat`` on the level's working directory. Tab
completion offers them all.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PromptWord:
    word: str
    usage: str  # how it is typed, for help and completion
    runs_in: str  # "level" (the level run) or "screen" (the game screen)


SLEEP = PromptWord("sleep", "sleep DURATION", "level")
HINT = PromptWord("hint", "hint", "level")
ANSWER = PromptWord("answer", "answer CHOICE LETTERS", "level")
TRACE = PromptWord("trace", "trace", "level")
# A node's kubelet stopped or started, as ``systemctl stop kubelet`` on the node would.
STOP_KUBELET = PromptWord("stop-kubelet", "stop-kubelet NODE", "level")
START_KUBELET = PromptWord("start-kubelet", "start-kubelet NODE", "level")
# Shell lines on machines that are not pods: the player's own (outside the cluster) and a node.
CURL = PromptWord("curl", "curl [OPTIONS] URL", "level")
SSH = PromptWord("ssh", "ssh NODE COMMAND", "level")
EDIT = PromptWord("edit", "edit TYPE/NAME | edit FILE", "screen")
LS = PromptWord("ls", "ls", "screen")
CAT = PromptWord("cat", "cat FILE", "screen")

PROMPT_WORDS: dict[str, PromptWord] = {
    w.word: w
    for w in (SLEEP, HINT, ANSWER, TRACE, STOP_KUBELET, START_KUBELET, CURL, SSH, EDIT, LS, CAT)
}
# Editors a player may type on a file name; each opens the game's editor.
EDITORS = ("vi", "vim", "nano")

"""Short answers compared by meaning-bearing characters, not by typing habits.

Both the player's answer and each accepted form are normalised the same way: Unicode NFKC
(full-width letters, compatibility jamo), case folded, every character that is not a letter
or digit turned into a space. Then:

- a form with Hangul in it is looked for with all spaces removed, anywhere in the answer: Korean
  spacing varies, and particles (은, 는, 이, 가, 을, 를, 의, 에서 …) attach to the end of a word,
  so "API 서버가" and "API서버" both hold "api서버";
- a Latin form must stand as whole words (an English plural ``s``/``es`` allowed), with any
  spacing between its words: "etcd" is in "etcd에" and "the etcd cluster" but not in
  "etcdctl", and "api server" is in "API-Server" and "apiserver".
"""

from __future__ import annotations

import re
import unicodedata

MAX_ANSWER_CHARACTERS = 5000


def normalise(text: str) -> str:
    """Lower-case letters and digits separated by single spaces."""
    folded = unicodedata.normalize("NFKC", text[:MAX_ANSWER_CHARACTERS]).casefold()
    kept = "".join(ch if ch.isalnum() else " " for ch in folded)
    return " ".join(kept.split())


def has_hangul(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff" for ch in text)


def says(answer: str, form: str) -> bool:
    """Whether the answer contains the accepted ``form`` (both raw text)."""
    wanted = normalise(form)
    if not wanted:
        return False
    given = normalise(answer)
    if has_hangul(wanted):
        return wanted.replace(" ", "") in given.replace(" ", "")
    words = r"\s*".join(re.escape(word) for word in wanted.split())
    pattern = rf"(?<![a-z0-9]){words}(?:e?s)?(?![a-z0-9])"
    return re.search(pattern, given) is not None

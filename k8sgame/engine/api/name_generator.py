"""Random name suffixes: ``generateName`` and the ``kube-api-access-*`` volume.

The alphabet is ``utilrand.String``'s (``apiserver/pkg/storage/names`` SimpleNameGenerator):
no vowels, so generated names never spell words. The seeded RNG keeps them reproducible.
"""

from __future__ import annotations

from random import Random

SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


def random_suffix(rng: Random, length: int = 5) -> str:
    """``length`` random characters from the suffix alphabet."""
    return "".join(rng.choice(SUFFIX_ALPHABET) for _ in range(length))

"""Keeping data that lives for the whole run (the image catalog, loaded levels) out of the
garbage collector's way.

A full collection walks every object in the process; with the catalog and a level pack
loaded that takes 40-50 ms on a 2-core machine, long enough to make one goal check in a
hundred miss its frame. Freezing what is loaded at startup moves it to the permanent
generation, so later collections only walk what the cluster simulations allocate.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# gc's third threshold counts young collections between full ones; this many never come.
_NO_FULL_COLLECTION = 2**30


def freeze_startup_data() -> None:
    """Call once the long-lived data is loaded (catalogs, levels, assets)."""
    gc.collect()
    gc.freeze()


@contextmanager
def young_collections_only() -> Iterator[None]:
    """No full collection inside the block: a look-ahead check allocates a whole copy of
    the cluster, and a full collection landing in it costs 30-40 ms. The young generations
    are still collected; a full collection may come right after, or in ``collect_while_idle``."""
    young, middle, full = gc.get_threshold()
    gc.set_threshold(young, middle, _NO_FULL_COLLECTION)
    try:
        yield
    finally:
        gc.set_threshold(young, middle, full)


def collect_while_idle() -> None:
    """A full collection at a moment nobody waits on (after an answer is on screen)."""
    gc.collect()

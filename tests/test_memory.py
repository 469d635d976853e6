"""A dropped graph gives its memory back through reference counting alone."""

from __future__ import annotations

import gc
import tracemalloc

from autograd import Value

# CPython keeps freed objects of a few kinds for reuse (up to 2,000 tuples of each
# length, 100 floats: about 0.2 MB), so that much may stay allocated after a drop.
FREE_LISTS = 300_000


def test_memory_returns_when_a_graph_is_dropped_with_the_cyclic_gc_off() -> None:
    gc.collect()
    gc.disable()  # only reference counting can free anything below
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        x = Value(0.5)
        y = x
        for _ in range(30_000):
            y = (y * 0.999).tanh() + x
        y.backward()
        kept = tracemalloc.get_traced_memory()[0] - base
        del x, y
        left = tracemalloc.get_traced_memory()[0] - base
    finally:
        tracemalloc.stop()
        gc.enable()
    assert kept > 90_000 * 100  # the graph really was there: 90,000 nodes, 16 MB
    assert left <= FREE_LISTS, (kept, left)

"""One cell of the benchmark, in its own process: python cell.py WORKLOAD ENGINE SIZE RUNS [GC].

Prints one line of JSON: {"figures": {...}} or {"skipped": why} or {"error": what}.
`run.py` starts one of these per cell, so no cell inherits another's heap or caches.
The environment variable GLASSGRAD_CHECKOUT names another checkout to benchmark as
"ours" (an earlier commit, to measure what a change bought).
"""

from __future__ import annotations

import gc
import json
import os
import sys
import traceback
from pathlib import Path

# Benchmark the checkout this file is in, installed or not.
sys.path.insert(
    0, os.environ.get("GLASSGRAD_CHECKOUT") or str(Path(__file__).resolve().parent.parent)
)

import engines
import workloads


def main(argv: list[str]) -> dict[str, object]:
    workload, engine_name, size, runs = argv[0], argv[1], int(argv[2]), int(argv[3])
    collector = argv[4] if len(argv) > 4 else "on"
    try:
        engine = engines.load(engine_name)
        version = engine.version()
        if collector == "off":
            gc.disable()
        figures = workloads.WORKLOADS[workload](engine, size, runs)
    except engines.Unsupported as why:
        return {"skipped": str(why)}
    except Exception as error:
        last = traceback.extract_tb(error.__traceback__)[-1]
        where = f"{Path(last.filename).name}:{last.lineno}"
        return {"error": f"{type(error).__name__}: {str(error)[:120]} ({where})"}
    return {"figures": figures, "version": version}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))

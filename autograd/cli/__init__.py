"""The command line: `python -m autograd COMMAND` (or `glassgrad COMMAND`).

Commands: demo, train, draw, step, export. `main.py` reads the arguments, `parser.py`
turns a typed expression into a graph, `demo.py` is the whole story in one command.
"""

from .main import main

__all__ = ["main"]

"""Check derivatives: gradcheck, hypothesis strategies that generate expressions, rule swaps.

- `gradcheck(f, inputs)`: the engine's gradients against central finite differences;
  a failure raises GradcheckError whose message is a table.
- `values()`, `expressions(...)`: hypothesis strategies for property tests of your own
  code (hypothesis is imported only when a strategy is made).
- `replace_rule(name, derivative)`: swap one rule of the ops table for a while, to
  watch a checker catch a wrong derivative.
- `check_rule(op)`: one operation's rule (yours, from `define_op`, or a built-in) at
  drawn points, against Richardson-extrapolated differences, on floats, Values and
  NumPy, kinks reported with both one-sided derivatives.
"""

from .differences import Check, GradcheckError, GradcheckResult, gradcheck
from .expression import Expression
from .rule_check import RuleCheck, RuleCheckError, RuleCheckResult, check_rule
from .rules import replace_rule
from .strategies import BOUND, expressions, values

__all__ = [
    "BOUND",
    "Check",
    "Expression",
    "GradcheckError",
    "GradcheckResult",
    "RuleCheck",
    "RuleCheckError",
    "RuleCheckResult",
    "check_rule",
    "expressions",
    "gradcheck",
    "replace_rule",
    "values",
]

"""Turn an expression typed by a user, such as "sigmoid(x*w + b)", into a graph of Values.

The text is parsed with `ast` and checked against a whitelist: numbers, variable names,
`+ - * / **`, unary `-` and `+`, and calls of the engine's functions (FUNCTIONS). It is
never given to `eval`; anything else raises `ExpressionError` naming the unsupported part.

>>> y = build("sigmoid(x*w + b)", {"x": 0.6, "w": 0.8, "b": 0.2})
>>> round(y.data, 4)
0.6637
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from typing import Any

from ..engine import Value, _to_float

Number = Value | float

# name -> (function, the smallest and largest number of arguments)
FUNCTIONS: dict[str, tuple[Callable[..., Value], int, int]] = {
    "exp": (Value.exp, 1, 1),
    "log": (Value.log, 1, 1),
    "sqrt": (Value.sqrt, 1, 1),
    "tanh": (Value.tanh, 1, 1),
    "sigmoid": (Value.sigmoid, 1, 1),
    "relu": (Value.relu, 1, 1),
    "leaky_relu": (Value.leaky_relu, 1, 2),
    "softplus": (Value.softplus, 1, 1),
    "sin": (Value.sin, 1, 1),
    "cos": (Value.cos, 1, 1),
    "abs": (Value.__abs__, 1, 1),
}
BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}
UNARY: dict[type[ast.unaryop], Callable[[Any], Any]] = {
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
}
TOO_DEEP = "the expression is too long or nested too deeply"
ALLOWED = "numbers, variables, + - * / **, unary -, and the functions " + ", ".join(FUNCTIONS)

_SYMBOLS = {
    "FloorDiv": "//",
    "Mod": "%",
    "MatMult": "@",
    "LShift": "<<",
    "RShift": ">>",
    "BitOr": "|",
    "BitXor": "^",
    "BitAnd": "&",
    "Invert": "~",
    "Not": "not",
}
_KINDS = {
    "Attribute": "attribute access",
    "Lambda": "lambda",
    "Subscript": "indexing",
    "Compare": "comparison",
    "BoolOp": "boolean operator",
    "IfExp": "conditional expression",
    "NamedExpr": "assignment expression",
    "Starred": "unpacking",
    "JoinedStr": "f-string",
}


class ExpressionError(ValueError):
    """The expression cannot be turned into a graph; the message says which part and why."""


def variables(text: str) -> list[str]:
    """The variable names in `text`, in order of first appearance (checks the whole text)."""
    tree = _parse(text)
    callees = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    first_seen: dict[str, tuple[int, int]] = {}
    for node in ast.walk(tree):
        _check(node, text)
        if isinstance(node, ast.Name) and id(node) not in callees:
            if node.id in FUNCTIONS:
                raise ExpressionError(f"`{node.id}` is a function: call it, as in {node.id}(x)")
            where = (node.lineno, node.col_offset)
            first_seen[node.id] = min(first_seen.get(node.id, where), where)
    return sorted(first_seen, key=first_seen.__getitem__)


def build(text: str, values: Mapping[str, float]) -> Value:
    """The graph of `text` with each variable a leaf Value labelled by its name.

    Every variable must have a value in `values`, and every value must be used.
    """
    names = variables(text)
    unknown = [name for name in names if name not in values]
    if unknown:
        listed = ", ".join(f"`{name}`" for name in unknown)
        hint = " ".join(f"{name}=..." for name in unknown)
        raise ExpressionError(f"unknown name {listed}: give it a value, as in {hint}")
    unused = [name for name in values if name not in names]
    if unused:
        raise ExpressionError(f"{', '.join(unused)} given a value but not used in {text!r}")
    leaves = {name: Value(values[name], label=name) for name in names}
    try:
        result = _evaluate(_parse(text).body, leaves)
    except RecursionError:
        raise ExpressionError(TOO_DEEP) from None
    except (ArithmeticError, ValueError) as error:
        raise ExpressionError(f"cannot compute {text!r}: {error}") from error
    return result if isinstance(result, Value) else Value(result)


def _parse(text: str) -> ast.Expression:
    try:
        return ast.parse(text.strip(), mode="eval")
    except SyntaxError as error:
        raise ExpressionError(f"not a valid expression: {error.msg}") from None
    except (RecursionError, MemoryError):  # the parser's own limits, which vary by version
        raise ExpressionError(TOO_DEEP) from None
    except ValueError as error:  # such as an integer literal of more than 4300 digits
        raise ExpressionError(f"not a valid expression: {error}") from None


def _segment(text: str, node: ast.AST) -> str:
    return ast.get_source_segment(text.strip(), node) or type(node).__name__


def _check(node: ast.AST, text: str) -> None:
    """Raise ExpressionError unless `node` is on the whitelist."""
    if isinstance(node, (ast.Expression, ast.Name, ast.Load, ast.operator, ast.unaryop)):
        return  # operators are checked with the expression that holds them
    if isinstance(node, ast.BinOp):
        _check_operator(node.op, BINARY, node, text)
    elif isinstance(node, ast.UnaryOp):
        _check_operator(node.op, UNARY, node, text)
    elif isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise ExpressionError(f"unsupported constant `{_segment(text, node)}`: use numbers")
    elif isinstance(node, ast.Call):
        _check_call(node, text)
    else:
        kind = _KINDS.get(type(node).__name__, type(node).__name__)
        raise ExpressionError(f"unsupported {kind} `{_segment(text, node)}` (allowed: {ALLOWED})")


def _check_operator(op: ast.AST, allowed: Mapping[type, object], node: ast.AST, text: str) -> None:
    if type(op) not in allowed:
        symbol = _SYMBOLS.get(type(op).__name__, type(op).__name__)
        raise ExpressionError(
            f"unsupported operator `{symbol}` in `{_segment(text, node)}` (allowed: {ALLOWED})"
        )


def _check_call(node: ast.Call, text: str) -> None:
    if not isinstance(node.func, ast.Name):
        _check(node.func, text)  # names the attribute access, lambda, ... being called
        raise ExpressionError(f"unsupported call `{_segment(text, node)}` (allowed: {ALLOWED})")
    name = node.func.id
    if name not in FUNCTIONS:
        raise ExpressionError(
            f"unsupported function `{name}` in `{_segment(text, node)}` "
            f"(allowed: {', '.join(FUNCTIONS)})"
        )
    if node.keywords:
        raise ExpressionError(f"`{_segment(text, node)}`: {name}() takes no keyword arguments")
    _, least, most = FUNCTIONS[name]
    if not least <= len(node.args) <= most:
        wanted = str(least) if least == most else f"{least} or {most}"
        raise ExpressionError(
            f"`{_segment(text, node)}`: {name}() takes {wanted} argument(s), got {len(node.args)}"
        )


def _evaluate(node: ast.expr, leaves: dict[str, Value]) -> Number:
    """The value of a checked expression: Values where a variable is involved, else floats."""
    if isinstance(node, ast.Constant):
        assert isinstance(node.value, (int, float)), "checked by _check"
        return _to_float(node.value, "a constant")  # 400 digits saturate to inf, as in the engine
    if isinstance(node, ast.Name):
        return leaves[node.id]
    if isinstance(node, ast.UnaryOp):
        return _apply(UNARY[type(node.op)], _evaluate(node.operand, leaves))
    if isinstance(node, ast.BinOp):
        left, right = _evaluate(node.left, leaves), _evaluate(node.right, leaves)
        return _apply(BINARY[type(node.op)], left, right)
    assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    function = FUNCTIONS[node.func.id][0]
    operand, *rest = (_evaluate(arg, leaves) for arg in node.args)
    if any(isinstance(extra, Value) for extra in rest):
        raise ExpressionError(f"{node.func.id}(): only its first argument may hold variables")
    return _apply(function, operand, *rest)


def _apply(function: Callable[..., Any], first: Number, *rest: Number) -> Number:
    """function(first, *rest); on plain numbers through a Value, so that constants get
    the engine's domain checks and overflow policy, and the result is a float again."""
    if isinstance(first, Value) or any(isinstance(r, Value) for r in rest):
        result: Value = function(first, *rest)
        return result
    constant: Value = function(Value(first), *rest)
    return constant.data

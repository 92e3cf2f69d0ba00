"""A safe arithmetic evaluator: the expression is parsed with ``ast`` and walked; nothing is
``eval``-ed, no name outside the tables below can be reached.

Accepted: integers and decimals (``1_000``, ``2.5e3``), ``+ - * / // % **`` (``^`` also means
power: people and small models write ``2^10``; bitwise xor has no place here), unary ``+``/``-``,
parentheses, the functions in ``FUNCTIONS`` and the constants ``pi``, ``e``, ``tau``.

Limits keep one call cheap: the expression's length and number of AST nodes, the size of any
integer (``MAX_INT_BITS``; ``9**9**9`` is refused before it is computed) and ``factorial``'s
argument. Every refusal is a ``CalculatorError`` saying what is wrong.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable

from graphs.tools.base import ToolError

Number = int | float

MAX_EXPRESSION_CHARS = 1000
MAX_NODES = 500
MAX_INT_BITS = 4096
"""Integers up to about 1233 decimal digits."""
MAX_FACTORIAL = 500
"""factorial(500) has 3767 bits; larger arguments are refused before they are computed."""

CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e, "tau": math.tau}


class CalculatorError(ToolError):
    """The expression cannot be evaluated; the message says why."""


def _log(x: Number, base: Number = math.e) -> float:
    return math.log(x, base)


def _factorial(n: Number) -> int:
    if isinstance(n, float):
        if not n.is_integer():
            raise CalculatorError(f"factorial needs a whole number, got {n:g}")
        n = int(n)
    if not 0 <= n <= MAX_FACTORIAL:
        raise CalculatorError(f"factorial needs a whole number from 0 to {MAX_FACTORIAL}, got {n}")
    return math.factorial(n)


def _round(x: Number, digits: Number = 0) -> Number:
    if isinstance(digits, float) and not digits.is_integer():
        raise CalculatorError("round's digits must be a whole number")
    places = int(digits)
    return round(x) if places == 0 else round(x, places)


FUNCTIONS: dict[str, Callable[..., Number]] = {
    "abs": abs,
    "round": _round,
    "min": min,
    "max": max,
    "sqrt": math.sqrt,
    "cbrt": math.cbrt,
    "exp": math.exp,
    "log": _log,
    "ln": math.log,
    "log10": math.log10,
    "log2": math.log2,
    "sin": math.sin,
    "cos": math.cos,
    "tan": math.tan,
    "asin": math.asin,
    "acos": math.acos,
    "atan": math.atan,
    "atan2": math.atan2,
    "sinh": math.sinh,
    "cosh": math.cosh,
    "tanh": math.tanh,
    "degrees": math.degrees,
    "radians": math.radians,
    "hypot": math.hypot,
    "floor": math.floor,
    "ceil": math.ceil,
    "factorial": _factorial,
    "gcd": math.gcd,
}

_BINARY: dict[type[ast.operator], Callable[[Number, Number], Number]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
}


def evaluate(expression: str) -> Number:
    """The value of ``expression``: an ``int`` when every step stays whole (``7 // 2``,
    ``2 ** 10``), else a finite ``float``.

    Raises ``CalculatorError`` for a syntax error, an unknown name or function, unsupported
    syntax (attributes, strings, comparisons, ...), division by zero, a math domain error
    (``sqrt(-1)``), a result too large, or an expression over the size limits.
    """
    text = expression.strip()
    if not text:
        raise CalculatorError("the expression is empty")
    if len(text) > MAX_EXPRESSION_CHARS:
        raise CalculatorError(f"the expression is longer than {MAX_EXPRESSION_CHARS} characters")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as error:
        raise CalculatorError(f"{text!r} is not an arithmetic expression ({error.msg})") from None
    except (ValueError, RecursionError, MemoryError):
        raise CalculatorError(f"{text!r} is not an arithmetic expression") from None
    if sum(1 for _ in ast.walk(tree)) > MAX_NODES:
        raise CalculatorError(f"the expression has more than {MAX_NODES} parts")
    value = _eval(tree.body)
    if isinstance(value, float) and not math.isfinite(value):
        raise CalculatorError("the result is not a finite number")
    return value


def format_number(value: Number) -> str:
    """``14``, ``0.333333333333``, ``1.5e+20``: integers in full, floats to 12 significant
    digits (what double arithmetic can vouch for)."""
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return format(value, ".12g")


def _eval(node: ast.expr) -> Number:
    if isinstance(node, ast.Constant):
        if isinstance(node.value, int | float) and not isinstance(node.value, bool):
            return node.value
        raise CalculatorError(f"{node.value!r} is not a number")
    if isinstance(node, ast.Name):
        if node.id in CONSTANTS:
            return CONSTANTS[node.id]
        raise CalculatorError(f"unknown name '{node.id}' (constants: {', '.join(CONSTANTS)})")
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        operand = _eval(node.operand)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp):
        return _binary(node)
    if isinstance(node, ast.Call):
        return _call(node)
    raise CalculatorError(f"unsupported syntax: {_describe(node)}")


def _binary(node: ast.BinOp) -> Number:
    left, right = _eval(node.left), _eval(node.right)
    if isinstance(node.op, ast.Pow | ast.BitXor):
        return _power(left, right)
    operation = _BINARY.get(type(node.op))
    if operation is None:
        raise CalculatorError(f"unsupported operator {_describe_operator(node.op)}")
    try:
        return _checked(operation(left, right))
    except ZeroDivisionError:
        raise CalculatorError("division by zero") from None
    except OverflowError:
        raise CalculatorError("the result is too large") from None


def _power(base: Number, exponent: Number) -> Number:
    if base == 0 and exponent < 0:
        raise CalculatorError("division by zero (0 to a negative power)")
    whole = isinstance(base, int) and isinstance(exponent, int)
    if whole and exponent > 0 and abs(base) > 1 and exponent * math.log2(abs(base)) > MAX_INT_BITS:
        raise CalculatorError(f"the result would have more than {MAX_INT_BITS} bits")
    try:
        result = base**exponent
    except OverflowError:
        raise CalculatorError("the result is too large") from None
    if isinstance(result, complex):
        raise CalculatorError("a negative number to a fractional power has no real value")
    return _checked(result)


def _call(node: ast.Call) -> Number:
    if not isinstance(node.func, ast.Name):
        raise CalculatorError(f"unsupported syntax: {_describe(node.func)} cannot be called")
    name = node.func.id
    function = FUNCTIONS.get(name)
    if function is None:
        raise CalculatorError(f"unknown function '{name}' (functions: {', '.join(FUNCTIONS)})")
    if node.keywords:
        raise CalculatorError(f"{name}() takes its arguments by position only")
    arguments = [_eval(argument) for argument in node.args]
    if name == "gcd" and any(isinstance(a, float) for a in arguments):
        raise CalculatorError("gcd needs whole numbers")
    try:
        return _checked(function(*arguments))
    except CalculatorError:
        raise
    except TypeError:
        raise CalculatorError(f"wrong number of arguments for {name}()") from None
    except ZeroDivisionError:
        raise CalculatorError(f"division by zero in {name}()") from None
    except OverflowError:
        raise CalculatorError(f"the result of {name}() is too large") from None
    except ValueError:
        raise CalculatorError(f"{name}() is not defined for these arguments") from None


def _checked(value: Number) -> Number:
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise CalculatorError(f"the result would have more than {MAX_INT_BITS} bits")
    return value


def _describe(node: ast.AST) -> str:
    names = {
        ast.Attribute: "attribute access",
        ast.Subscript: "indexing",
        ast.Compare: "comparisons",
        ast.BoolOp: "and/or",
        ast.Lambda: "lambda",
        ast.List: "lists",
        ast.Tuple: "tuples",
        ast.Dict: "dicts",
        ast.JoinedStr: "f-strings",
        ast.IfExp: "if-expressions",
        ast.NamedExpr: "assignment",
    }
    return names.get(type(node), type(node).__name__)


def _describe_operator(op: ast.operator) -> str:
    symbols = {
        ast.LShift: "<<",
        ast.RShift: ">>",
        ast.BitOr: "|",
        ast.BitAnd: "&",
        ast.MatMult: "@",
    }
    return symbols.get(type(op), type(op).__name__)

"""Format a number for readers: one rounding rule (half away from zero) for glued figures and tables alike."""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from analysis.present import precision

# The Python format specs chapters pass as `fmt` ("{:.1f}", "{:,.0f}"): fixed decimals, optional separators.
_FORMAT_SPEC = re.compile(r"^\{:(?P<thousands>,?)\.(?P<decimals>\d+)f\}$")


# A negative figure is printed with a true minus sign, as typeset text has it, never a hyphen.
MINUS = "\u2212"


def fmt_number(value, decimals: int = 0, thousands: bool = True) -> str:
    """`value` rounded half away from zero to `decimals` places (12.5 -> "13", 0.125 -> "0.13", -0.25 -> "−0.3"),
    with comma thousands separators unless `thousands` is False (years, codes), and a minus sign (U+2212)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, Decimal, np.integer, np.floating)):
        raise TypeError(f"fmt_number expects a number, got {value!r} ({type(value).__name__})")
    if not isinstance(decimals, int) or decimals < 0:
        raise ValueError(f"fmt_number: decimals must be a whole number >= 0, got {decimals!r}")
    if not isinstance(value, (int, np.integer)) and not math.isfinite(value):
        raise ValueError(f"fmt_number: cannot format {value!r}; a missing number must be shown as missing")
    exact = _exact(value)
    rounded = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # never print "-0" or "-0.0"
    return f"{rounded:{',' if thousands else ''}.{decimals}f}".replace("-", MINUS)


def format_spec(fmt: str) -> tuple[int, bool]:
    """The (decimals, thousands) a Python format string such as "{:,.1f}" asks for."""
    match = _FORMAT_SPEC.match(fmt)
    if match is None:
        raise ValueError(f"number format {fmt!r} not understood; expected a fixed-decimals format "
                         "such as '{:.0f}', '{:.1f}' or '{:,.0f}'")
    return int(match["decimals"]), bool(match["thousands"])


def fmt_interval(low, high, decimals: int = 0, thousands: bool = True) -> str:
    """A confidence interval as readers see it in the text: "10.6 to 12.5"."""
    return f"{fmt_number(low, decimals, thousands)} to {fmt_number(high, decimals, thousands)}"


def fmt_compared(value, reference, decimals: int = 0, thousands: bool = True,
                 finer: bool = True) -> tuple[str, str, str]:
    """`value`, `reference` and how far apart they are (its size; the caller says which way, and says "about the
    same" where it prints as 0). The difference is the unrounded one, and all three are at `decimals` places where it
    agrees with what a reader subtracts from the two printed figures; where it does not, all three are at one more
    place (215.6 against 200.2: "215.6", "200.2", "15.4", never "216", "200", "15"; 215.4 against 200.2: "215",
    "200", "15"), where the figures can bear it (`finer` False: a survey estimate or a ratio whose interval is wider
    than that place, or a figure rebuilt from rounded published ones). Never more than one more place: where even that
    does not agree (about one pair in sixteen), or the extra place is not taken, the difference is the one a reader
    subtracts from the printed figures, within one in its last place of the unrounded difference (247.634 against
    200.377: "247.6", "200.4", "47.2"; 3.16 against 2.93 where `finer` is False: "3.2", "2.9", "0.3")."""
    exact_value, exact_reference = _exact(value), _exact(reference)
    exact = abs(exact_value - exact_reference)
    for places in (decimals, decimals + 1)[: 2 if finer else 1]:
        shown = [fmt_number(x, places, thousands) for x in (exact_value, exact_reference, exact)]
        subtracted = abs(_read(shown[0]) - _read(shown[1]))
        if subtracted == _read(shown[2]):
            return shown[0], shown[1], shown[2]
    return shown[0], shown[1], fmt_number(subtracted, places, thousands)


def places(text: str) -> int:
    """How many decimal places a printed figure has ("15.4" -> 1): an interval beside it is shown to the same."""
    return len(text.partition(".")[2])


def is_zero(text: str) -> bool:
    """Whether a printed figure reads as 0 ("0", "0.0"): a difference a reader must be told is "about the same"."""
    return _read(text) == 0


def _exact(value) -> Decimal:
    """`value` as the exact decimal fmt_number rounds. repr gives the shortest decimal that round-trips, so 2.675
    rounds as the 2.675 a reader sees; a float is first taken to the register's precision, so a last-bit difference
    between CPUs cannot tip 2.45 to 2.4."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (int, np.integer)):
        return Decimal(int(value))
    return Decimal(repr(precision.for_figure(float(value))))


def _read(text: str) -> Decimal:
    """A figure as a reader reads it back from fmt_number's text."""
    return Decimal(text.replace(",", "").replace(MINUS, "-"))


def fmt_percent_change(value, reference) -> str:
    """`value`'s change from `reference` as a whole percentage of the reference, its size only ("55%")."""
    return f"{fmt_number(abs(100 * (value / reference - 1)), 0)}%"

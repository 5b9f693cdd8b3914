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
    if isinstance(value, (int, np.integer)):
        exact = Decimal(int(value))
    else:
        if not math.isfinite(value):
            raise ValueError(f"fmt_number: cannot format {value!r}; a missing number must be shown as missing")
        # repr gives the shortest decimal that round-trips, so 2.675 rounds as the 2.675 a reader sees; a float is
        # first taken to the register's precision, so a last-bit difference between CPUs cannot tip 2.45 to 2.4.
        exact = value if isinstance(value, Decimal) else Decimal(repr(precision.for_figure(float(value))))
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


def fmt_difference(value, reference, decimals: int = 0, thousands: bool = True) -> str:
    """How far `value` is from `reference` (its size; the caller says which way), from the unrounded figures, at the
    places the two figures are shown to; where that would disagree with what a reader subtracts from the printed
    figures, or where it would print a non-zero difference as 0, at one more place and no more (215.6 against 200.2
    shown as 216 and 200: "15.4", never "15" or "16" alone; 19.04 against 16.16 shown as 19.0 and 16.2: "2.88", never
    "2.9" or "2.880"; 12.3 against 12.0, both shown as 12: "0.3", never "0")."""
    exact = Decimal(repr(precision.for_figure(float(abs(value - reference)))))
    printed = abs(_printed(value, decimals) - _printed(reference, decimals))
    shown = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return fmt_number(exact, decimals + (shown != printed or (shown == 0 and exact != 0)), thousands)


def _printed(value, decimals: int) -> Decimal:
    """`value` as a reader reads it back from fmt_number's text."""
    return Decimal(fmt_number(value, decimals, False).replace(MINUS, "-"))


def fmt_percent_change(value, reference) -> str:
    """`value`'s change from `reference` as a whole percentage of the reference, its size only ("55%")."""
    return f"{fmt_number(abs(100 * (value / reference - 1)), 0)}%"

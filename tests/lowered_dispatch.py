"""Print the NPY_DISABLE_CPU_FEATURES value that lowers NumPy to its baseline code paths on this machine."""

from __future__ import annotations

import os
import subprocess
import sys

VARIABLE = "NPY_DISABLE_CPU_FEATURES"

# NumPy reads the variable once, on import: clear it so the list is what this CPU runs, not what a caller disabled.
os.environ.pop(VARIABLE, None)

from numpy._core._multiarray_umath import __cpu_baseline__, __cpu_dispatch__, __cpu_features__  # noqa: E402

# What numpy.show_runtime() lists as "found": the dispatched groups NumPy uses on this CPU.
FOUND = ("from numpy._core._multiarray_umath import __cpu_dispatch__ as d, __cpu_features__ as f;"
         "print(*(x for x in d if f[x]))")


def dispatched() -> list[str]:
    """The dispatched feature groups this CPU supports, highest first."""
    # Only these: NumPy refuses to start when asked to disable a baseline group, and ignores a group the CPU lacks.
    # Each group must be named: disabling X86_V4 leaves AVX512_ICL in use.
    return [group for group in reversed(__cpu_dispatch__) if __cpu_features__.get(group)]


def still_used(value: str) -> list[str]:
    """The dispatched groups a fresh NumPy still uses with the variable set to `value`."""
    run = subprocess.run([sys.executable, "-c", FOUND], env={**os.environ, VARIABLE: value},
                         capture_output=True, text=True, check=True)
    return run.stdout.split()


def main() -> None:
    groups = dispatched()
    if not groups:
        print(f"this CPU runs no dispatched group above NumPy's baseline ({' '.join(__cpu_baseline__)}): "
              "nothing to lower", file=sys.stderr)
        return
    value = " ".join(groups)
    if left := still_used(value):
        sys.exit(f"{VARIABLE}={value!r} leaves NumPy using {' '.join(left)}")
    print(value)


if __name__ == "__main__":
    main()

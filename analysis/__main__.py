"""`python -m analysis`: the command line (analysis/publish/cli.py)."""

import sys

from analysis.publish.cli import main

if __name__ == "__main__":
    sys.exit(main())

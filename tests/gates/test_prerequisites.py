"""`make test` checks for Debian's chromium, pdftotext, node and npm first, and stops with the line that installs them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from analysis import config

SCRIPT = config.REPO_ROOT / "tests" / "prerequisites.sh"
INSTALL = "apt-get install -y"


def _path_with(tmp_path: Path, *programs: str) -> str:
    """A PATH holding bash and stand-ins for `programs`, and nothing else."""
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "bash").symlink_to(shutil.which("bash"))
    for name in programs:
        (folder / name).write_text("#!/bin/sh\nexit 0\n")
        (folder / name).chmod(0o755)
    return str(folder)


def test_missing_programs_are_named_with_the_install_line(tmp_path):
    path = _path_with(tmp_path, "node", "npm")
    result = subprocess.run([SCRIPT, "chromium", "pdftotext", "node", "npm"], env={"PATH": path},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and result.stdout == ""
    # Only the missing programs' packages: node and npm installed another way may conflict with Debian's.
    assert result.stderr == f"error: chromium, pdftotext not installed; install with: {INSTALL} chromium poppler-utils\n"


def test_nothing_is_said_when_every_program_is_there(tmp_path):
    path = _path_with(tmp_path, "chromium", "pdftotext", "node", "npm")
    result = subprocess.run([SCRIPT, "chromium", "pdftotext", "node", "npm"], env={"PATH": path},
                            capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_make_test_stops_before_anything_runs_when_chromium_is_missing(tmp_path):
    path = _path_with(tmp_path, "pdftotext", "node", "npm")
    result = subprocess.run([shutil.which("make"), "--no-print-directory", "-C", str(config.REPO_ROOT), "test"],
                            env={"PATH": path}, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and result.stdout == ""
    assert result.stderr.splitlines()[0] == f"error: chromium not installed; install with: {INSTALL} chromium"

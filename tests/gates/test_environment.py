"""Set-up files: pinned requirements, and a conda environment that wraps them without drifting."""

from __future__ import annotations

import re

import yaml

from analysis import config


def requirement_lines():
    lines = (config.REPO_ROOT / "requirements.txt").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_every_requirement_is_pinned_exactly():
    for line in requirement_lines():
        assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[A-Za-z0-9_.+\-]+", line), line


def test_key_tool_versions_are_the_known_good_ones():
    pins = dict(line.lower().split("==") for line in requirement_lines())
    assert pins["jupyter-book"] == "1.0.4.post1" and pins["sphinx"] == "7.4.7" and pins["myst-nb"] == "1.4.0"
    assert pins["altair"].startswith("6.") and pins["papermill"].startswith("2.7") and pins["nbval"].startswith("0.11")


def test_environment_yml_takes_its_packages_from_requirements_txt():
    env = yaml.safe_load((config.REPO_ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-r requirements.txt" in pip_section
    conda_pkgs = [d for d in env["dependencies"] if isinstance(d, str)]
    # Only the interpreter and pip come from conda, so nothing can disagree with the pins.
    assert sorted(p.split("=")[0] for p in conda_pkgs) == ["pip", "python"]
    assert "python=3.11" in conda_pkgs

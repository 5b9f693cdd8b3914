"""The workflows run with least privilege: a read-only token, Pages rights only where Pages is written, no token left
in a checkout, every action pinned by commit, and only editions built from the default branch published."""

from __future__ import annotations

import re

import pytest
import yaml

from analysis import config

WORKFLOWS = sorted((config.REPO_ROOT / ".github" / "workflows").glob("*.yml"))
# `uses: owner/action@<40 hex digits> # vX.Y.Z`: a commit cannot be moved as a tag can.
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def _steps(workflow: dict):
    for job in workflow["jobs"].values():
        yield from job.get("steps", [])


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_workflow_reads_only_and_leaves_no_token_behind(path):
    workflow = yaml.safe_load(path.read_text())
    assert workflow["permissions"].get("contents") == "read"
    assert set(workflow["permissions"].values()) == {"read"}, "a workflow-wide write permission"
    for name, job in workflow["jobs"].items():
        writes = {k for k, v in job.get("permissions", {}).items() if v == "write"}
        assert writes <= ({"pages", "id-token"} if (path.name, name) == ("pages.yml", "deploy") else set()), name
        assert not (writes and job.get("steps") and any("run" in s for s in job["steps"])), \
            f"{name} runs commands with a write token"
    for step in _steps(workflow):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_by_commit_with_its_version(path):
    lines = [line.split("uses:", 1)[1].strip() for line in path.read_text().splitlines() if "uses:" in line]
    assert lines and all(PINNED.match(line) for line in lines), [x for x in lines if not PINNED.match(x)]


def test_pages_publishes_only_editions_built_from_the_default_branch():
    text = (config.REPO_ROOT / ".github" / "workflows" / "pages.yml").read_text()
    assert "context.payload.repository.default_branch" in text and "compareCommitsWithBasehead" in text
    assert '["identical", "behind"].includes(compared.status)' in text

"""Issue 36: a force's bad file, setting or earlier register stops `python -m analysis edition(s)` before anything is
built, with exit status 2 and one message naming the file, column, row or setting."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from analysis import config
from analysis.publish import editions
from analysis.sources import forces
from tests.fixtures.make_local_survey import COLUMNS, write_survey
from tests.fixtures.make_policeuk import write_folder

pytestmark = pytest.mark.slow  # each case starts the command line (about 5 s)


def _run(args: list[str], tmp_path, **env) -> subprocess.CompletedProcess:
    """The command line, run with its output folders in `tmp_path` never reached: each case must stop first."""
    result = subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True, timeout=120,
                            cwd=config.REPO_ROOT, env={**os.environ, "PYTHONPATH": str(config.REPO_ROOT), **env})
    assert result.returncode == 2, (result.stdout, result.stderr[-2000:])
    assert "Traceback" not in result.stderr and result.stderr.startswith("error: ")
    assert len(result.stderr) < 2000, "the message quotes more than a short excerpt"
    return result


@pytest.fixture
def survey(tmp_path):
    return write_survey(tmp_path / "kent-survey.csv")


@pytest.mark.parametrize("env,message", [
    ({"PCP_LOCAL_SURVEY_MAX_MB": "abc"}, "PCP_LOCAL_SURVEY_MAX_MB='abc': expected a whole number, 1 or more"),
    ({"PCP_LOCAL_SURVEY_MAX_MB": "1.5"}, "PCP_LOCAL_SURVEY_MAX_MB='1.5'"),
    ({"PCP_LOCAL_SURVEY_MAX_MB": "-1"}, "PCP_LOCAL_SURVEY_MAX_MB='-1'"),
    ({"PCP_LOCAL_SURVEY_MAX_MB": "0"}, "PCP_LOCAL_SURVEY_MAX_MB='0'"),
    ({"PCP_SITE_URL": "javascript:alert(1)//"}, "PCP_SITE_URL='javascript:alert(1)//': expected an https:// address"),
])
def test_a_bad_setting_is_named(tmp_path, survey, env, message):
    assert message in _run(["edition", f"--local-survey={survey}", "--", "kent"], tmp_path, **env).stderr


@pytest.mark.parametrize("edit,message", [
    (lambda text: text.replace("area,measure", "area,Area", 1), "column 'area' appears 2 times"),
    (lambda text: text.replace("Kent Police", "Essex Police"), "the file's areas name Essex Police; expected Kent"),
    (lambda text: "#\n" + COLUMNS, "a header and no rows"),
    (lambda text: COLUMNS + "Q1,2024-06-30,Kent Police,Confidence,All,1e309,1e309,,,no,\n",
     "column 'agree' has '1e309', which is not a finite number"),
])
def test_a_bad_survey_stops_before_the_build(tmp_path, survey, edit, message):
    survey.write_text(edit(survey.read_text()))
    assert message in _run(["edition", f"--local-survey={survey}", "--", "kent"], tmp_path).stderr


@pytest.mark.parametrize("path", ["/proc/self/pagemap", "/proc/self/environ"])
def test_a_system_file_is_refused_unread(tmp_path, path):
    result = _run(["edition", f"--local-survey={path}", "--", "kent"], tmp_path, PCP_PROBE_SECRET="hunter2")
    assert "the system's own folder" in result.stderr and "hunter2" not in result.stderr


def test_a_police_uk_month_present_twice_stops_before_the_build(tmp_path):
    folder = write_folder(tmp_path / "kent", months=2, street_rows=100, lsoas=10)
    shutil.copy(folder / "2024-04" / "2024-04-kent-street.csv", folder)
    assert "2024-04 is also in" in _run(["edition", f"--policeuk={folder}", "--", "kent"], tmp_path).stderr


@pytest.mark.parametrize("make,message", [
    (lambda p: os.mkfifo(p), "a named pipe, not a regular file"),
    (lambda p: p.symlink_to("/dev/zero"), "a file under /dev, the system's own folder"),
    (lambda p: p.write_text(json.dumps([{"key": "k", "chapter": ["a"], "text": "1"}])),
     "each with key, chapter and text as text"),
    (lambda p: p.write_bytes(b"[" + b" " * (config.REGISTER_MAX_BYTES + 1) + b"]"), "MB limit for a figure register"),
])
def test_a_bad_since_register_stops_before_the_build(tmp_path, make, message):
    register = tmp_path / "kent.json"
    make(register)
    assert message in _run(["edition", f"--since={register}", "--", "kent"], tmp_path).stderr
    # The same file in SINCE_DIR stops a shard holding Kent before any edition is built.
    shard = next(f"{i}/43" for i in range(1, 44) if editions.shard(forces.force_codes(), f"{i}/43") == ["E23000032"])
    assert message in _run(["editions", f"--shard={shard}", f"--since-dir={tmp_path}"], tmp_path).stderr

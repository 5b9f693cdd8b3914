"""Editions: unknown force, parameter-name guard, skip cache, failure isolation, atomic swap, shards."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from analysis import config
from analysis.publish import editions, shell
from analysis.sources import forces


def test_unknown_force_exits_non_zero_with_closest_names_and_builds_nothing(tmp_path):
    result = subprocess.run([sys.executable, "-m", "analysis", "edition", "Kentt Polise"], capture_output=True,
                            text=True, cwd=config.REPO_ROOT)
    assert result.returncode == 2
    assert "closest" in result.stderr and "Kent Police (kent)" in result.stderr


@pytest.mark.parametrize("name", ["force; import os", "1force", "class", ""])
def test_parameter_names_must_be_identifiers(name):
    with pytest.raises(ValueError, match=r"parameter name .* is not a Python identifier"):
        shell.check_parameters({name: "kent"})
    assert shell.check_parameters({"force": "x; import os"}) == {"force": "x; import os"}


def test_shards_are_disjoint_and_cover_all_43():
    codes = sorted(forces.force_codes())
    parts = [editions.shard(codes, f"{i}/4") for i in range(1, 5)]
    assert sorted(c for p in parts for c in p) == codes
    assert all(not set(a) & set(b) for i, a in enumerate(parts) for b in parts[i + 1:])
    assert editions.shard(codes, "2/4") == editions.shard(list(reversed(codes)), "2/4")
    with pytest.raises(ValueError, match=r"SHARD='5/4'"):
        editions.shard(codes, "5/4")


def test_inputs_hash_changes_with_the_data_manifest(tmp_path):
    root = tmp_path / "repo"
    for name in editions.HASHED:
        source = config.REPO_ROOT / name
        if source.is_dir():
            import shutil

            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            root.mkdir(exist_ok=True)
            (root / name).write_bytes(source.read_bytes())
    before = editions.inputs_hash("E23000032", root)
    assert editions.inputs_hash("E23000032", root) == before
    assert editions.inputs_hash("E23000002", root) != before
    manifest = root / "data" / "manifest.yml"
    manifest.write_text(manifest.read_text().replace("sha256: 6d5b", "sha256: 7d5b", 1))
    assert editions.inputs_hash("E23000032", root) != before


@pytest.fixture
def tiny_book(tmp_path, monkeypatch):
    """Editions of a one-notebook book whose notebook fails for Cumbria; HTML building is stubbed."""
    template = tmp_path / "glance.ipynb"
    params = new_code_cell("force = None")
    params.metadata["tags"] = ["parameters"]
    body = new_code_cell("if force == 'E23000002':\n    raise RuntimeError('deliberate failure')\nprint(force)")
    nbformat.write(new_notebook(cells=[params, body], metadata={"kernelspec": {"name": "python3",
                                                                               "display_name": "Python 3",
                                                                               "language": "python"}}), template)
    monkeypatch.setattr(editions, "GLANCE_TEMPLATE", template)
    monkeypatch.setattr(editions, "_chapters", lambda root: [])

    def fake_html(src, work):
        html = work / "_build" / "html"
        html.mkdir(parents=True)
        (html / "index.html").write_text(src.joinpath("_config.yml").read_text())
        figures = work / "_build" / "figures"
        figures.mkdir(parents=True)
        slug = __import__("yaml").safe_load(src.joinpath("_config.yml").read_text())["sphinx"]["config"][
            "pcp_figures_name"]
        (figures / f"{slug}.json").write_text("[]\n")

    monkeypatch.setattr(editions, "_build_html", fake_html)

    def fake_briefing(staged, printer):
        (staged / "html" / "kent-briefing.pdf").write_bytes(b"%PDF-1.4 stub")

    monkeypatch.setattr(editions, "_print_briefing", fake_briefing)
    monkeypatch.setattr(editions, "_write_data_pack", lambda staged, src, force, built: None)
    return tmp_path


@pytest.mark.slow  # an edition build
def test_one_failing_force_does_not_stop_the_others(tiny_book):
    results = editions.build_many(["E23000002", "E23000032"], jobs=1, out_dir=tiny_book / "out",
                                  figures_dir=tiny_book / "figures")
    status = {r.force: r for r in results}
    assert status["Kent Police"].status == "built"
    assert status["Cumbria Constabulary"].status == "failed"
    assert "at-a-glance.ipynb, cell" in status["Cumbria Constabulary"].detail
    assert "deliberate failure" in status["Cumbria Constabulary"].detail
    assert (tiny_book / "out" / "kent" / "html" / "index.html").exists()
    assert not (tiny_book / "out" / "cumbria").exists()
    assert "Kent Police" in (tiny_book / "out" / "index.html").read_text()
    assert "1 built, 0 skipped, 1 failed" in editions.summary(results)


@pytest.mark.slow  # an edition build
def test_unchanged_inputs_are_skipped_and_a_failure_keeps_the_last_good_edition(tiny_book, monkeypatch):
    out, figs = tiny_book / "out", tiny_book / "figures"
    first = editions.build_edition("kent", out, figs)
    assert first.status == "built"
    assert editions.build_edition("kent", out, figs).status == "skipped"
    good = (out / "kent" / "html" / "index.html").read_text()
    monkeypatch.setattr(editions, "inputs_hash", lambda code, root=config.REPO_ROOT, local=None, since=None: "changed")
    monkeypatch.setattr(shell.NotebookShell, "run", lambda self, nb, params: (_ for _ in ()).throw(RuntimeError("boom")))
    assert editions.build_edition("kent", out, figs).status == "failed"
    assert (out / "kent" / "html" / "index.html").read_text() == good
    assert sorted(p.name for p in out.iterdir()) == [editions.LOCKS, "kent"]  # no temporary folders left behind


@pytest.mark.slow  # an edition build
def test_a_killed_build_leaves_the_last_good_edition_in_place(tmp_path):
    out = tmp_path / "out"
    live = out / "kent"
    (live / "html").mkdir(parents=True)
    (live / "html" / "index.html").write_text("last good")
    (live / "inputs.sha256").write_text("old\n")
    code = ("from pathlib import Path; from analysis.publish import editions; "
            f"editions.build_edition('kent', Path({str(out)!r}), Path({str(tmp_path / 'figs')!r}))")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=config.REPO_ROOT, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline and not list(out.glob(".kent-*/src/book/*.ipynb")):
        time.sleep(0.2)
    assert list(out.glob(".kent-*/src/book/*.ipynb")), "the build never started, so nothing was killed mid-way"
    time.sleep(2)  # mid-way through executing the chapters
    import os

    assert proc.poll() is None, "the build ended before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert (live / "html" / "index.html").read_text() == "last good"
    assert not (tmp_path / "figs" / "kent.json").exists()


@pytest.mark.slow  # an edition build
def test_a_failed_briefing_pdf_fails_the_edition_and_keeps_the_last_good_one(tiny_book, monkeypatch):
    from analysis.publish import briefing

    out, figs = tiny_book / "out", tiny_book / "figures"
    assert editions.build_edition("kent", out, figs).status == "built"
    monkeypatch.setattr(editions, "inputs_hash", lambda code, root=config.REPO_ROOT, local=None, since=None: "changed")

    def bad_pdf(staged, printer):
        raise briefing.BriefingError("kent-briefing.pdf: 5 pages; expected 2 to 4")

    monkeypatch.setattr(editions, "_print_briefing", bad_pdf)
    result = editions.build_edition("kent", out, figs)
    assert result.status == "failed" and "5 pages; expected 2 to 4" in result.detail
    assert (out / "kent" / "html" / "kent-briefing.pdf").read_bytes() == b"%PDF-1.4 stub"
    assert (out / "kent" / "inputs.sha256").read_text().strip() != "changed"


def _last_good(out, slug="kent", name="Kent Police"):
    """A live edition as a finished build leaves it."""
    import json

    live = out / slug
    (live / "html").mkdir(parents=True)
    (live / "html" / "index.html").write_text("last good")
    (live / "edition.json").write_text(json.dumps({"force": name, "code": "E23000032", "slug": slug,
                                                   "built": "2026-12-01 10:00 UTC", "data_version": "x"}))
    return live


@pytest.mark.slow  # an edition build
def test_a_build_killed_mid_swap_leaves_no_second_edition_and_the_next_build_clears_it(tiny_book, tmp_path):
    import shutil

    from analysis.publish import site

    out = tiny_book / "out"
    live = _last_good(out)
    shutil.copytree(live, out / ".kent.old")  # killed between the two renames of swap_in
    (out / ".kent-ab12cd_9").mkdir()  # a killed build's temporary folder
    (out / ".kent-ab12cd_9" / "big").write_bytes(b"x" * 1000)
    assert [m["slug"] for m in editions.built(out)] == ["kent"]
    national = tmp_path / "national"
    national.mkdir()
    (national / "index.html").write_text("<html></html>")
    target = site.assemble(national, out, tmp_path / "site")
    assert sorted(p.name for p in (target / "editions").iterdir()) == ["index.html", "kent"]
    assert (target / "editions" / "index.html").read_text().count("<li data-names=") == 1
    assert editions.build_edition("kent", out, tiny_book / "figures").status == "built"
    assert sorted(p.name for p in out.iterdir()) == [editions.LOCKS, "kent"]


def test_leftovers_of_one_force_never_touch_another_force_with_a_longer_slug(tmp_path):
    for name in (".west-a1b2c3d4", ".west-midlands-a1b2c3d4", ".west.old"):
        (tmp_path / name).mkdir()
    editions.remove_leftovers(tmp_path, "west")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".west-midlands-a1b2c3d4"]


@pytest.mark.slow  # an edition build
def test_a_second_build_of_the_same_force_waits_for_none_and_says_why(tiny_book):
    import filelock

    out = tiny_book / "out"
    (out / editions.LOCKS).mkdir(parents=True)
    with filelock.FileLock(out / editions.LOCKS / "kent.lock"):
        result = editions.build_edition("kent", out, tiny_book / "figures")
    assert result.status == "failed"
    assert "another build of Kent Police" in result.detail and "wait for it to finish" in result.detail
    assert editions.build_edition("kent", out, tiny_book / "figures").status == "built"


def test_a_read_only_editions_folder_gives_one_line_not_a_traceback(tiny_book, monkeypatch):
    import errno

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(editions.tempfile, "mkdtemp", no_space)
    result = editions.build_edition("kent", tiny_book / "out", tiny_book / "figures")
    assert result.status == "failed" and "\n" not in result.detail
    assert result.detail.startswith(f"cannot write the edition into {tiny_book / 'out'}: No space left on device")


def test_terminal_colour_codes_never_reach_the_message(tiny_book, monkeypatch):
    def coloured(self, nb, params):
        raise shell.NotebookFailed("at-a-glance.ipynb, cell 3: \x1b[0;31mOSError\x1b[0m: [Errno 28] No space")

    monkeypatch.setattr(shell.NotebookShell, "run", coloured)
    result = editions.build_edition("kent", tiny_book / "out", tiny_book / "figures")
    assert result.detail == "at-a-glance.ipynb, cell 3: OSError: [Errno 28] No space"


def test_the_summary_prints_the_whole_message():
    detail = "x" * 300 + " 'police_workforce_open_data_2023/workforce': restore it, or update the manifest"
    assert detail in editions.summary([editions.Result("Kent Police", "failed", 1.0, detail)])


def test_a_renamed_local_file_is_rebuilt_not_skipped(tmp_path):
    from tests.fixtures.make_local_survey import write_survey

    survey = write_survey(tmp_path / "kent-survey.csv")
    before = editions.inputs_hash("E23000032", local={"local_survey": str(survey)})
    renamed = survey.rename(tmp_path / "kent-survey-2025.csv")
    assert editions.inputs_hash("E23000032", local={"local_survey": str(renamed)}) != before


@pytest.mark.slow  # an edition build
def test_sigterm_during_a_build_removes_its_temporary_folder(tmp_path):
    import os

    out = tmp_path / "out"
    _last_good(out)
    code = ("from pathlib import Path; from analysis.publish import editions; "
            f"editions.build_edition('kent', Path({str(out)!r}), Path({str(tmp_path / 'figs')!r}))")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=config.REPO_ROOT)
    deadline = time.time() + 60
    while time.time() < deadline and not list(out.glob(".kent-*/src/book/*.ipynb")):
        time.sleep(0.2)
    assert list(out.glob(".kent-*/src/book/*.ipynb")), "the build never started"
    time.sleep(1)
    assert proc.poll() is None, "the build ended before it could be stopped"
    os.kill(proc.pid, signal.SIGTERM)
    assert proc.wait(timeout=60) == 128 + signal.SIGTERM
    assert not list(out.glob(".kent-*")), "the temporary folder was left behind"
    assert (out / "kent" / "html" / "index.html").read_text() == "last good"


# A pool of two workers whose builds only sleep, each writing its pid, as `make editions` would run them.
POOL = """
import os, sys, time
from pathlib import Path
from analysis.publish import briefing, editions, shell
from analysis.sources import forces

class Nothing:
    def __enter__(self): return self
    def __exit__(self, *exc): return False

def build(code, *args, **kwargs):
    Path(sys.argv[1], str(os.getpid())).touch()
    time.sleep(1)
    return editions.Result(code, "built", 1.0)

shell.NotebookShell = briefing.Printer = Nothing
editions.build_edition = build
editions.build_many(sorted(forces.force_codes()), jobs=2, use_cache=False, out_dir=Path(sys.argv[2]),
                    figures_dir=Path(sys.argv[2]) / "figures")
"""


def _alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "\nState:\tZ" in status.read_text())


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_stopping_make_editions_stops_its_workers(tmp_path, sig):
    import os

    pids = tmp_path / "pids"
    pids.mkdir()
    proc = subprocess.Popen([sys.executable, "-c", POOL, str(pids), str(tmp_path / "out")], cwd=config.REPO_ROOT)
    deadline = time.time() + 60
    while time.time() < deadline and len(list(pids.iterdir())) < 2:
        time.sleep(0.1)
    workers = [int(p.name) for p in pids.iterdir()]
    assert len(workers) == 2, "the two workers never started"
    os.kill(proc.pid, sig)
    proc.wait(timeout=60)
    deadline = time.time() + 10
    while time.time() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.1)
    assert not [pid for pid in workers if _alive(pid)], "a worker outlived the build it belonged to"
    # Nor any other process of the build (the queues' manager): each carries the build's arguments.
    while time.time() < deadline and _processes_with(str(pids)):
        time.sleep(0.1)
    assert not _processes_with(str(pids)), "a process of the build outlived it"


def _processes_with(argument: str) -> list[int]:
    """The live processes whose command line has `argument`."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and argument.encode() in (proc / "cmdline").read_bytes().split(b"\0") \
                    and _alive(int(proc.name)):
                found.append(int(proc.name))
        except OSError:
            continue
    return found


class _Runner:
    """A notebook shell that runs nothing: `on_run` sees each notebook's parameters."""

    def __init__(self, on_run):
        self.on_run = on_run

    def run(self, notebook, params):
        self.on_run(params)
        return nbformat.read(notebook, as_version=4)


class _Printer:
    def warm_up(self):
        pass


def test_a_local_file_changed_mid_build_reaches_neither_the_pages_nor_the_hash(tiny_book):
    """The survey swapped from 70% to 40% while the notebooks run, then restored: the edition is built from the
    70% file it hashed, so the next build may rightly skip it (issue 36)."""
    survey = tiny_book / "survey.csv"
    # A valid survey file: the first edition's "What changed" page reads it (the force's own survey first).
    head = "period,period_end,area,measure,estimate,base,weighted\n"
    seventy, forty = (f"{head}2025 Q1,2025-03-31,Kent Police,Confidence,{share},500,yes\n" for share in ("0.70", "0.40"))
    survey.write_text(seventy)
    read = []

    def swap_then_read(params):
        survey.write_text(forty)  # another program rewrites the file mid-build
        read.append(Path(params["local_survey"]).read_text())

    out, figs = tiny_book / "out", tiny_book / "figures"
    result = editions.build_edition("kent", out, figs, runner=_Runner(swap_then_read), printer=_Printer(),
                                    local={"local_survey": str(survey)})
    assert result.status == "built", result.detail
    assert read == [seventy], "the notebooks read the file as changed mid-build, not the build's copy"
    survey.write_text(seventy)
    again = editions.build_edition("kent", out, figs, runner=_Runner(read.append), printer=_Printer(),
                                   local={"local_survey": str(survey)})
    assert again.status == "skipped"  # and rightly: the live edition was built from these very bytes
    meta = __import__("json").loads((out / "kent" / "edition.json").read_text())
    assert meta["local_data"]["local_survey"]["path"] == str(survey.resolve())
    assert not list(out.glob(".kent-*")), "the build's snapshot was left behind"


SPHINX_FULL = ("Running Sphinx v7.4.7\n\nException occurred:\n  File \"sphinx/builders/html/__init__.py\", line 1, in "
               "copy_static_files\nOSError: [Errno 28] No space left on device\nThe full traceback has been saved in "
               "/tmp/sphinx-err.log, if you want to report the issue to the developers.\nPlease also report this if "
               "it was a user error, so that a better error message can be provided next time.\n")


@pytest.mark.parametrize("failure", [
    lambda: editions.EditionError(f"jupyter-book build failed: {SPHINX_FULL}"),
    lambda: __import__("shutil").Error([(f"/src/{i}", f"/dst/{i}", "[Errno 28] No space left on device")
                                        for i in range(5000)]),
], ids=["sphinx", "shutil.Error"])
def test_a_full_disk_gives_one_line(tiny_book, monkeypatch, failure):
    def full(src, work):
        raise failure()

    monkeypatch.setattr(editions, "_build_html", full)
    result = editions.build_edition("kent", tiny_book / "out", tiny_book / "figures", runner=_Runner(lambda p: None),
                                    printer=_Printer())
    assert result.status == "failed" and "\n" not in result.detail and len(result.detail) < 300
    assert result.detail == editions.unwritable(tiny_book / "out", "No space left on device")

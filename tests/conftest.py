"""Shared fixtures: a throwaway data mirror, and tiny frames with known answers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis import config
from analysis.sources import manifest


@pytest.fixture
def mirror(tmp_path, monkeypatch) -> Path:
    """An empty mirror folder that the loader will use instead of ../shared/data/raw."""
    folder = tmp_path / "mirror"
    folder.mkdir()
    monkeypatch.setenv(config.MIRROR_ENV, str(folder))
    monkeypatch.setattr(config, "DOWNLOAD_CACHE", tmp_path / "downloads")
    return folder


@pytest.fixture
def copy_into(mirror):
    """Copy one real raw file into the throwaway mirror and return its path there."""

    def _copy(file_id: str) -> Path:
        entry = manifest.raw_file(file_id)
        target = mirror / entry.path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(config.DEFAULT_MIRROR / entry.path, target)
        target.chmod(0o644)
        return target

    return _copy


@pytest.fixture
def altered(copy_into, monkeypatch):
    """Copy a real raw file into the mirror, let the test change it, and accept its new checksum.

    For testing what a parser does with a changed layout: the manifest check is relaxed for
    that one file only, so the parser (not the checksum) has to catch the problem.
    """
    from analysis.sources import files as sources

    real_verify = sources.verify
    changed: set[str] = set()

    def _verify(path, entry):
        return path if entry.path in changed else real_verify(path, entry)

    monkeypatch.setattr(sources, "verify", _verify)

    def _alter(file_id: str) -> Path:
        path = copy_into(file_id)
        changed.add(manifest.raw_file(file_id).path)
        return path

    return _alter


CHAPTERS = ["01-trust-and-confidence", "02-neighbourhood-policing", "03-procedural-justice",
            "04-contact-with-victims", "05-contact-with-suspects", "06-police-wrongdoing", "07-what-else-matters"]
BOOK_PAGES = ["book/intro.html", *(f"book/{c}.html" for c in CHAPTERS), "book/appendix-data-and-methods.html"]
EDITION_PAGES = ["book/at-a-glance.html", *BOOK_PAGES[1:]]
EDITION_FORCE = "cumbria"


def pytest_configure(config):
    config.addinivalue_line("markers", "gate: checks of the built book and an edition (run by `make check`)")
    config.addinivalue_line("markers", "editions: checks of every edition in _build/editions (`make check-editions`)")
    config.addinivalue_line("markers", "slow: runs papermill, Sphinx or an edition build outside the gates "
                                       "(`make test` runs it, `make unit` leaves it out)")


GATES = Path(__file__).parent / "gates"
# The session fixtures that build the book or an edition, or start chromium: only a gate may use them.
HEAVY_FIXTURES = {"built", "edition", "chrome"}


@pytest.hookimpl(tryfirst=True)  # before -m deselects: every test is checked, whichever lane runs
def pytest_collection_modifyitems(config, items):
    """Stop collection when a marker disagrees with its folder: gate and editions tests live in tests/gates, slow tests
    outside it, and a test using a heavy fixture is a gate, so `make unit` never builds or opens a browser."""
    wrong = []
    for item in items:
        marks = {m.name for m in item.iter_markers()}
        in_gates = GATES in item.path.parents
        if in_gates and "slow" in marks:
            wrong.append(f"{item.nodeid}: slow in tests/gates (mark it gate)")
        if not in_gates and marks & {"gate", "editions"}:
            wrong.append(f"{item.nodeid}: {' and '.join(sorted(marks & {'gate', 'editions'}))} outside tests/gates")
        if HEAVY_FIXTURES & set(getattr(item, "fixturenames", ())) and not marks & {"gate", "editions"}:
            wrong.append(f"{item.nodeid}: uses {', '.join(sorted(HEAVY_FIXTURES & set(item.fixturenames)))} "
                         "without the gate marker")
    if wrong:
        raise pytest.UsageError("markers disagree with folders:\n  " + "\n  ".join(wrong))


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The national book, built with -W into a temporary folder (its _build)."""
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("book")
    jb = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run([str(jb), "build", str(config.REPO_ROOT), "--path-output", str(out),
                             "--warningiserror", "--keep-going"], capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return out / "_build"


@pytest.fixture(scope="session")
def edition(tmp_path_factory) -> Path:
    """A real edition (Cumbria), built the way `make edition` builds it; returns the editions folder."""
    from analysis.publish import editions

    out = tmp_path_factory.mktemp("editions")
    result = editions.build_edition(EDITION_FORCE, out, out / "figures", use_cache=False)
    assert result.status == "built", result.detail
    return out


@pytest.fixture(scope="session")
def chrome(tmp_path_factory):
    """Debian's chromium, headless, with a fresh profile, for the whole session."""
    from tests.gates.browser import browser

    with browser(tmp_path_factory.mktemp("chromium-profile")) as context:
        yield context

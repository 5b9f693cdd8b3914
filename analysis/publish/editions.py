"""Build per-force editions of the book: papermill per chapter, a content-hash skip cache, atomic swap, isolation, shards."""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import io
import json
import multiprocessing
import multiprocessing.managers
import os
import queue
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import filelock
import nbformat
import yaml

from analysis import config
from analysis.measures import force_measures
from analysis.present import register
from analysis.publish import briefing, changes, datapack, landing, shell
from analysis.sources import forces, localfiles

EDITIONS_DIR = config.BUILD_DIR / "editions"
FIGURES_DIR = config.BUILD_DIR / "figures"
GLANCE_TEMPLATE = config.REPO_ROOT / "editions" / "at-a-glance.ipynb"
# What goes into an edition's source tree, besides the chapter notebooks.
BOOK_FILES = ["_config.yml", "_toc.yml", "references.bib"]
# Inputs whose change must rebuild every edition (jupyter-cache alone misses data and helper code).
HASHED = ["analysis", "book", "editions", "data", "_config.yml", "_toc.yml", "references.bib", "requirements.txt"]
# One lock file per edition, in a hidden folder of the editions folder (the index and the site skip hidden names).
LOCKS = ".locks"
# Terminal colour codes (from a notebook's traceback) kept out of the build's messages and logs.
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
PLACEHOLDER = "FORCE_NAME"
SLUG_PLACEHOLDER = "FORCE_SLUG"
PR_SET_PDEATHSIG = 1  # linux/prctl.h  # in the at-a-glance page's link to the briefing PDF


# A full disk, however the failing step words it (errno 28, ENOSPC).
NO_SPACE = re.compile(r"No space left on device|\[Errno 28\]|ENOSPC")


class EditionError(RuntimeError):
    """An edition could not be built; says which notebook and cell."""


def shard(codes: list[str], spec: str | None) -> list[str]:
    """The i-th of N deterministic shards ('i/N', 1-based) of the sorted force codes."""
    codes = sorted(codes)
    if not spec:
        return codes
    try:
        i, n = (int(p) for p in spec.split("/"))
    except ValueError:
        raise ValueError(f"SHARD={spec!r}: expected i/N, like 1/4") from None
    if not 1 <= i <= n:
        raise ValueError(f"SHARD={spec!r}: expected 1 <= i <= N")
    return codes[i - 1::n]


def inputs_hash(force_code: str, root: Path = config.REPO_ROOT, local: dict[str, str] | None = None,
                since: str | None = None) -> str:
    """A content hash of everything an edition depends on, plus the parameters, Python version, local files and the
    earlier register it is compared with."""
    # The site address is printed in the briefing PDF.
    digest = hashlib.sha256(json.dumps({"force": force_code, "python": sys.version,
                                        "site": config.site_url()}).encode())
    if since:
        digest.update(b"since=" + Path(since).read_bytes())
    for name, path in sorted((local or {}).items()):  # a force's own files: content, and the name the page shows
        fp = localfiles.fingerprint(path)
        digest.update(json.dumps([name, fp["name"], fp["sha256"]]).encode())
    for name in HASHED:
        path = root / name
        files = sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts) \
            if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.relative_to(root)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def data_version() -> str:
    """A short hash of the data manifest, shown on the editions index."""
    return hashlib.sha256(config.MANIFEST_PATH.read_bytes()).hexdigest()[:12]


def _chapters(root: Path) -> list[str]:
    """Chapter notebooks (without suffix) in table-of-contents order."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    files = [c["file"] for part in toc.get("parts", []) for c in part.get("chapters", [])]
    return [f for f in files if (root / f"{f}.ipynb").exists()]


def _prepare(nb: nbformat.NotebookNode, nb_path: Path, force: forces.Force) -> None:
    """Write the executed notebook to `nb_path`, its force sections shown (their output, not their code) with the
    force's name in their headings and the injected parameters hidden."""
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if "force-section" in tags:
            cell.metadata["tags"] = [t for t in tags if t != "remove-cell"]
            if cell.cell_type == "markdown":
                cell.source = cell.source.replace(PLACEHOLDER, force.name).replace(SLUG_PLACEHOLDER, force.slug)
            elif "remove-input" not in tags:
                cell.metadata["tags"].append("remove-input")
        if "injected-parameters" in tags:
            cell.metadata["tags"] = tags + ["remove-cell"]
    # Compact JSON through the C encoder: nbformat's indented form goes through pure Python, and only Sphinx reads it.
    nb_path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")


def _source_tree(force: forces.Force, target: Path, local_survey: str | None = None) -> list[Path]:
    """Copy the book into `target`, titled for the force, with the at-a-glance page first (and its first edition's
    "What changed" page, with the force's own survey file where it has one)."""
    root = config.REPO_ROOT
    shutil.copytree(root / "book", target / "book", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    for name in BOOK_FILES:
        shutil.copy2(root / name, target / name)
    shutil.copy2(GLANCE_TEMPLATE, target / "book" / "at-a-glance.ipynb")
    cfg = yaml.safe_load((target / "_config.yml").read_text())
    cfg["title"] = f"{cfg['title']} — {force.name} edition"
    cfg["execute"]["execute_notebooks"] = "off"  # papermill has run every notebook already
    cfg["exclude_patterns"] = cfg.get("exclude_patterns", []) + ["_edition_logs"]
    cfg["sphinx"]["config"]["pcp_figures_name"] = force.slug
    (target / "_config.yml").write_text(yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True))
    toc = yaml.safe_load((target / "_toc.yml").read_text())
    toc["parts"][0]["chapters"][0:0] = [{"file": "book/at-a-glance"}, {"file": f"book/{changes.PAGE}"}]
    first = changes.page(None, force.name, local_survey=local_survey)
    (target / "book" / f"{changes.PAGE}.md").write_text(first, encoding="utf-8")
    (target / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False))
    return [target / "book" / "at-a-glance.ipynb"] + [target / f"{c}.ipynb" for c in _chapters(root)]


def _import_sphinx() -> None:
    """Import Sphinx, jupyter-book and the book's extensions (about a second, once per process)."""
    import jupyter_book.sphinx  # noqa: F401
    import myst_nb.sphinx_ext  # noqa: F401
    import pydata_sphinx_theme  # noqa: F401
    import sphinxcontrib.bibtex  # noqa: F401


def _build_html(src: Path, work: Path) -> None:
    """jupyter-book's Sphinx build over the executed notebooks (no re-execution), strict about warnings.

    Run in this process, as `jupyter-book build` would with --warningiserror --keep-going: a worker keeps Sphinx and
    its extensions imported from edition to edition (about 1 s a build instead of about 3 s in a new process).
    """
    from jupyter_book.sphinx import build_sphinx

    messages = io.StringIO()
    with contextlib.redirect_stderr(messages), contextlib.redirect_stdout(messages):
        result = build_sphinx(src, work / "_build" / "html", noconfig=True, path_config=str(src / "_config.yml"),
                              confoverrides={"external_toc_path": (src / "_toc.yml").as_posix(),
                                             "latex_individualpages": False},
                              builder="html", warningiserror=True, keep_going=True, quiet=True)
    if result != 0:
        raise EditionError(f"jupyter-book build failed: {messages.getvalue()[-1500:] or result}")


@dataclass
class Result:
    force: str
    status: str  # built, skipped or failed
    seconds: float
    detail: str = ""
    pdf_seconds: float = 0.0  # of `seconds`, printing and checking the briefing


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # a file system without hard links
        shutil.copy2(source, target)


def _write_data_pack(staged: Path, src: Path, f: forces.Force, built: str) -> None:
    """The edition's data pack beside its HTML, and (hard-linked) inside it, where the at-a-glance page links it."""
    pack = staged / datapack.folder_name(f.slug)
    datapack.write(pack, f.slug, f.name, datapack.measures(src / "book" / "at-a-glance.ipynb"),
                   datapack.chart_tables(staged / "html"), built, force_measures.for_force(f))
    datapack.published(pack, staged / "html" / pack.name, f.slug, _link_or_copy)


def _print_briefing(staged: Path, printer: briefing.Printer) -> None:
    """The edition's briefing PDF beside its HTML, and (hard-linked) inside it for the at-a-glance page's link."""
    pdf = briefing.make(staged, printer)
    _link_or_copy(pdf, staged / "html" / pdf.name)


def build_edition(force: str, out_dir: Path = EDITIONS_DIR, figures_dir: Path = FIGURES_DIR,
                  use_cache: bool = True, runner: shell.NotebookShell | None = None,
                  printer: briefing.Printer | None = None, local: dict[str, str] | None = None,
                  since: str | None = None) -> Result:
    """Build one edition (HTML and briefing PDF) into a temporary folder, then swap it in; the last good edition
    survives any failure. Give `runner` (a NotebookShell) and `printer` to reuse them across editions; otherwise
    the edition starts and stops its own (the printer's chromium starts only if there is something to print). `local` maps notebook
    parameters (local_survey, policeuk) to a force's own file or folder; `since` is an earlier edition's figure
    register, whose figures the edition's "What changed" page compares with its own."""
    if runner is None:
        with shell.NotebookShell() as own:
            return build_edition(force, out_dir, figures_dir, use_cache, own, printer, local, since)
    if printer is None:
        with briefing.Printer() as own:
            return build_edition(force, out_dir, figures_dir, use_cache, runner, own, local, since)
    start = time.perf_counter()
    f = forces.resolve(force)
    local = {name: str(Path(path).resolve()) for name, path in (local or {}).items() if path}
    try:
        lock = edition_lock(out_dir, f.slug, timeout=0)
        with lock, _stopped_by_sigterm():
            remove_leftovers(out_dir, f.slug)
            work = Path(tempfile.mkdtemp(prefix=f".{f.slug}-", dir=out_dir))
            try:
                # One snapshot per build: the force's files and the earlier register are copied in first, and only
                # the copies are hashed and read, so a file changed mid-build cannot leave a stale edition skipped.
                copies = {name: str(localfiles.snapshot(path, work / "inputs" / name)) for name, path in local.items()}
                since_copy = since and str(changes.snapshot(since, work / "inputs" / "since"))
                digest = inputs_hash(f.code, local=copies, since=since_copy)
                if use_cache and _built_from(f, out_dir) == digest:
                    return Result(f.name, "skipped", time.perf_counter() - start, "inputs unchanged")
                return _build(f, out_dir, figures_dir, runner, printer, copies, local, digest, start, work,
                              since_copy)
            finally:
                shutil.rmtree(work, ignore_errors=True)
    except (localfiles.LocalDataError, changes.ChangesError, config.SettingError) as err:
        return Result(f.name, "failed", time.perf_counter() - start, str(err))
    except filelock.Timeout:
        return Result(f.name, "failed", time.perf_counter() - start,
                      f"another build of {f.name} into {out_dir} is running (it holds {lock.lock_file}); wait for it "
                      "to finish, then build again")
    except OSError as err:  # the editions folder is read-only or full
        return Result(f.name, "failed", time.perf_counter() - start, unwritable(out_dir, err.strerror or str(err)))


def unwritable(out_dir: Path, reason: str) -> str:
    """The one line a build that cannot write its edition ends with."""
    return (f"cannot write the edition into {out_dir}: {reason}; expected a writable folder with free space (the last "
            "good edition is unchanged)")


def edition_lock(out_dir: Path, slug: str, timeout: float) -> filelock.FileLock:
    """The lock a build of one edition holds from its snapshot to its swap, and `make site` while copying it."""
    (out_dir / LOCKS).mkdir(parents=True, exist_ok=True)
    return filelock.FileLock(out_dir / LOCKS / f"{slug}.lock", timeout=timeout)


def remove_leftovers(out_dir: Path, slug: str) -> None:
    """Remove what a killed build of this edition left behind: its temporary folders and a half-swapped old copy.
    Called holding the edition's lock, so no live build owns them."""
    # mkdtemp's suffix has no hyphen, so another force whose slug starts with this one's is never matched.
    temporary = re.compile(rf"\.{re.escape(slug)}-[^-]+")
    for stale in [*(p for p in out_dir.glob(f".{slug}-*") if temporary.fullmatch(p.name)), out_dir / f".{slug}.old"]:
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)


def _stop(signum, frame):
    raise SystemExit(128 + signum)


@contextlib.contextmanager
def _stopped_by_sigterm():
    """Turn SIGTERM into SystemExit while an edition builds, so its `finally` removes the temporary folder."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _build(f: forces.Force, out_dir: Path, figures_dir: Path, runner: shell.NotebookShell,
           printer: briefing.Printer, local: dict[str, str], origins: dict[str, str], digest: str, start: float,
           work: Path, since: str | None = None) -> Result:
    """build_edition's work in `work`, holding the edition's lock: notebooks, HTML, briefing, swap, register. `local`
    maps each parameter to the build's copy of a force's file, `origins` to the file it was copied from."""
    live = out_dir / f.slug
    # Start chromium, and load Sphinx in a thread, while the notebooks run.
    printer.warm_up()
    threading.Thread(target=_import_sphinx, daemon=True).start()
    try:
        src = work / "src"
        notebooks = _source_tree(f, src, local.get("local_survey"))
        for notebook in notebooks:
            _prepare(runner.run(notebook, {"force": f.code, **local}), notebook, f)
        changed = None
        if since:
            changed = changes.compare(changes.read_register(since), register.collect(notebooks))
            (src / "book" / f"{changes.PAGE}.md").write_text(changes.page(changed, f.name, Path(since).name),
                                                             encoding="utf-8")
        _build_html(src, work)
        staged = work / "edition"
        staged.mkdir()
        (work / "_build" / "html").rename(staged / "html")
        shutil.copy2(work / "_build" / "figures" / f"{f.slug}.json", staged / "figures.json")
        built = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        _write_data_pack(staged, src, f, built)
        meta = {"force": f.name, "code": f.code, "slug": f.slug, "data_version": data_version(), "built": built,
                "local_data": {name: {**localfiles.fingerprint(path), "path": origins[name]}
                               for name, path in local.items()},
                "changed": None if changed is None else len(changed)}
        (staged / "edition.json").write_text(json.dumps(meta, indent=1) + "\n")
        printing = time.perf_counter()
        _print_briefing(staged, printer)
        pdf_seconds = time.perf_counter() - printing
        (staged / "inputs.sha256").write_text(digest + "\n")
        swap_in(staged, live)
        figures_dir.mkdir(parents=True, exist_ok=True)
        tmp_register = figures_dir / f".{f.slug}.json.tmp"
        shutil.copy2(live / "figures.json", tmp_register)
        os.replace(tmp_register, figures_dir / f"{f.slug}.json")
        return Result(f.name, "built", time.perf_counter() - start, pdf_seconds=pdf_seconds)
    except Exception as err:  # one force failing must never stop the others
        # Sphinx's "please report this bug" page, or shutil.Error's list of every file (a notebook's own failure
        # already names its notebook and cell in one line)
        if not isinstance(err, shell.NotebookFailed) and NO_SPACE.search(str(err)):
            return Result(f.name, "failed", time.perf_counter() - start, unwritable(out_dir, "No space left on device"))
        known = isinstance(err, (EditionError, shell.NotebookFailed, briefing.BriefingError))
        detail = str(err) if known else "".join(traceback.format_exception_only(err)).strip()
        return Result(f.name, "failed", time.perf_counter() - start, ANSI.sub("", detail))


def swap_in(staged: Path, live: Path) -> None:
    """Replace `live` by `staged` with renames only, so a reader never sees a half-written edition."""
    old = live.with_name(f".{live.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if live.exists():
        live.rename(old)
    staged.rename(live)
    shutil.rmtree(old, ignore_errors=True)


def built(out_dir: Path = EDITIONS_DIR) -> list[dict]:
    """What each live edition in `out_dir` says of itself (force, code, slug, built, data_version), by slug.
    Hidden folders (a build's temporary copy, or the old copy a build killed mid-swap left) are not editions."""
    return [json.loads(p.read_text()) for p in sorted(out_dir.glob("*/edition.json"))
            if not p.parent.name.startswith(".")]


def write_index(out_dir: Path = EDITIONS_DIR) -> Path:
    """The editions landing page (map, searchable list, build time, data version, briefing PDF) for the editions
    as built in `out_dir`; `make site` writes the same page into the published site."""
    metas = built(out_dir)
    static = f"{metas[0]['slug']}/html/_static/" if metas else ""
    page = landing.landing_page(metas, lambda slug: f"{slug}/html/", static, None)
    out_dir.mkdir(parents=True, exist_ok=True)
    index = out_dir / "index.html"
    index.write_text(page, encoding="utf-8")
    return index


def _built_from(f: forces.Force, out_dir: Path) -> str:
    """The inputs hash the live edition was built from ('' when there is none)."""
    stamp = out_dir / f.slug / "inputs.sha256"
    return stamp.read_text().strip() if stamp.exists() else ""


def earlier_register(since_dir: Path | None, slug: str) -> str | None:
    """The earlier edition's register for a force in `since_dir` (<slug>.json, as _build/figures holds them)."""
    path = Path(since_dir) / f"{slug}.json" if since_dir else None
    return str(path) if path and path.is_file() else None


def _die_with_parent() -> None:
    """Make this worker stop when the process that started it dies, even by SIGKILL: Linux sends it SIGTERM
    (PR_SET_PDEATHSIG), which SystemExit turns into closing its chromium and removing its temporary
    folder."""
    signal.signal(signal.SIGTERM, _stop)
    with contextlib.suppress(OSError, AttributeError):  # not Linux: the worker checks its parent between editions
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _server_dies_with_parent() -> None:
    """The queues' manager process stops when the build that started it dies, even by SIGKILL (PR_SET_PDEATHSIG):
    otherwise it outlives the build, asleep for ever."""
    with contextlib.suppress(OSError, AttributeError):  # not Linux: the manager goes when its queues' users have
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _queues() -> multiprocessing.managers.SyncManager:
    """A started manager for the pool's queues, whose server process dies with the build."""
    manager = multiprocessing.managers.SyncManager()
    manager.start(_server_dies_with_parent)
    return manager


def _worker(todo, done, out_dir: Path, figures_dir: Path, since_dir: Path | None = None) -> None:
    """Pool task: take forces off the queue and build them in one notebook shell and with one chromium, kept from edition to
    edition, for as long as the process that started the pool lives."""
    parent = os.getppid()
    _die_with_parent()
    try:
        with shell.NotebookShell() as runner, briefing.Printer() as printer:
            while os.getppid() == parent:  # re-parented: the build was stopped, so build nothing more
                try:
                    code = todo.get_nowait()
                except queue.Empty:
                    return
                since = earlier_register(since_dir, forces.get(code).slug)
                done.put(build_edition(code, out_dir, figures_dir, use_cache=False, runner=runner, printer=printer,
                                       since=since))
    except SystemExit as stopped:  # chromium closed: leave now, or the pool's loop would wait for more
        os._exit(stopped.code if isinstance(stopped.code, int) else 1)


def build_many(codes: list[str], jobs: int = 2, use_cache: bool = True, out_dir: Path = EDITIONS_DIR,
               figures_dir: Path = FIGURES_DIR, since_dir: Path | None = None) -> list[Result]:
    """Build editions in parallel with a progress bar, one notebook shell per worker; returns one result per force. With
    `since_dir` (the last published registers, <slug>.json), each edition lists what changed since its own."""
    from tqdm import tqdm

    started = time.perf_counter()
    chosen = [forces.resolve(c) for c in codes]
    results = [Result(f.name, "skipped", 0.0, "inputs unchanged") for f in chosen
               if use_cache and _built_from(f, out_dir) == inputs_hash(f.code,
                                                                     since=earlier_register(since_dir, f.slug))]
    skipped = {r.force for r in results}
    stale = [f for f in chosen if f.name not in skipped]
    crashes: list[str] = []
    with tqdm(total=len(chosen), initial=len(results), unit="edition") as bar:
        if stale:
            n = min(jobs, len(stale))
            with _queues() as manager, ProcessPoolExecutor(n) as pool, _stops(pool), \
                    _stopped_by_sigterm():
                todo, done = manager.Queue(), manager.Queue()
                for f in stale:
                    todo.put(f.code)
                workers = [pool.submit(_worker, todo, done, out_dir, figures_dir, since_dir) for _ in range(n)]
                while len(results) < len(chosen):
                    try:
                        result = done.get(timeout=1)
                    except queue.Empty:
                        if all(w.done() for w in workers):
                            break  # a worker died; its forces are reported as failed below
                        continue
                    results.append(result)
                    bar.set_postfix_str(f"{result.force}: {result.status}", refresh=False)
                    bar.set_description(f"{time.perf_counter() - started:.0f}s")
                    bar.update()
                crashes = [str(w.exception()) for w in workers if w.done() and w.exception()]
    reported = {r.force for r in results}
    results += [Result(f.name, "failed", 0.0, f"worker stopped: {'; '.join(crashes) or 'unknown'}")
                for f in stale if f.name not in reported]
    write_index(out_dir)
    return sorted(results, key=lambda r: r.force)


@contextlib.contextmanager
def _stops(pool: ProcessPoolExecutor, grace: float = 30.0):
    """If the pool's owner is stopped (SIGTERM, Ctrl-C), stop its workers too, giving each `grace` seconds to remove
    its temporary folder and close its chromium, rather than waiting for them to build the rest."""
    try:
        yield
    except BaseException:
        workers = list((pool._processes or {}).values())  # the executor offers no public way to stop a running task
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.join(grace)
        pool.shutdown(wait=False, cancel_futures=True)
        raise


def summary(results: list[Result]) -> str:
    """A plain-text table of built, skipped and failed editions."""
    lines = [f"{'force':<40} {'status':<8} {'seconds':>8}  detail"]
    # The whole message: a data error's dataset id and its advice come at the end.
    lines += [f"{r.force:<40} {r.status:<8} {r.seconds:>8.1f}  {r.detail}" for r in results]
    counts = {s: sum(r.status == s for r in results) for s in ("built", "skipped", "failed")}
    lines.append(", ".join(f"{n} {s}" for s, n in counts.items()))
    return "\n".join(lines)

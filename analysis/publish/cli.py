"""Command line: build one force edition, all editions (optionally a shard), assemble the site, re-execute the
notebooks, or run the benchmark."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis import config
from analysis.publish import changes, editions
from analysis.sources import forces
from analysis.sources.localfiles import LocalDataError
from analysis.sources.schemas import SchemaError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("edition", help="build one force's edition")
    one.add_argument("force", help="ONS code, name or slug, e.g. E23000032, 'Kent Police' or kent")
    one.add_argument("--force-rebuild", action="store_true", help="ignore the skip-if-unchanged cache")
    one.add_argument("--local-survey", default=None, help="the force's own survey results (CSV, see the README)")
    one.add_argument("--policeuk", default=None, help="the force's own police.uk download folder (YYYY-MM/...)")
    one.add_argument("--since", default=None, help="an earlier edition's figure register (<slug>.json), to list "
                                                    "what changed")
    many = sub.add_parser("editions", help="build every force's edition (or one shard of them)")
    many.add_argument("--shard", default=None, help="i/N: build only the i-th of N deterministic shards")
    many.add_argument("--jobs", type=int, default=2, help="editions built in parallel (default 2)")
    many.add_argument("--force-rebuild", action="store_true", help="ignore the skip-if-unchanged cache")
    many.add_argument("--since-dir", default=None, help="the last published registers (<slug>.json each), to list "
                                                         "what changed in each edition")
    sub.add_parser("site", help="assemble _build/site: the national book and every built edition, sharing one _static")
    sub.add_parser("notebooks", help="re-execute the committed chapter notebooks in place (no timings recorded)")
    timing = sub.add_parser("bench", help="time the editions and the national book, and compare with the naive loop")
    timing.add_argument("--reads-only", action="store_true", help="time only the spreadsheet reads")
    args = parser.parse_args(argv)

    if args.command in ("edition", "editions"):
        try:
            config.site_url(), config.local_survey_limits()  # a bad setting stops here, naming it
        except config.SettingError as err:
            print(f"error: {err}", file=sys.stderr)
            return 2
    if args.command == "edition":
        try:
            force = forces.resolve(args.force)
        except forces.UnknownForceError as err:
            print(f"error: {err}", file=sys.stderr)
            return 2
        try:
            local = _check_local(force.code, args.local_survey, args.policeuk)
            if args.since:
                changes.read_register(args.since)  # a bad file stops here, naming it, and builds nothing
        except (LocalDataError, SchemaError, changes.ChangesError) as err:
            print(f"error: {err}", file=sys.stderr)
            return 2
        results = [editions.build_edition(force.code, use_cache=not args.force_rebuild, local=local,
                                          since=args.since and str(Path(args.since).resolve()))]
        editions.write_index()
    elif args.command == "editions":
        try:
            codes = editions.shard(sorted(forces.force_codes()), args.shard)
            since_dir = args.since_dir and _check_since_dir(Path(args.since_dir), codes)
        except (ValueError, changes.ChangesError) as err:
            print(f"error: {err}", file=sys.stderr)
            return 2
        results = editions.build_many(codes, jobs=args.jobs, use_cache=not args.force_rebuild, since_dir=since_dir)
    elif args.command == "site":
        from analysis.publish import site

        return site.main()
    elif args.command == "notebooks":
        from analysis.publish import notebooks

        notebooks.execute()
        return 0
    else:
        from analysis.publish import bench

        return bench.main(reads_only=args.reads_only)
    print(editions.summary(results))
    return 1 if any(r.status == "failed" for r in results) else 0


def _check_since_dir(folder: Path, codes: list[str]) -> Path:
    """Read every earlier register the shard's editions would compare with, so a bad one stops the build before any
    edition is built, naming it."""
    if not folder.is_dir():
        raise changes.ChangesError(f"{folder}: no such folder; expected the last published figure registers "
                                   "(<force>.json each)")
    for code in codes:
        path = folder / f"{forces.get(code).slug}.json"
        if path.exists() or path.is_symlink():
            changes.read_register(path)
    return folder


def _check_local(force: str, survey: str | None, folder: str | None) -> dict[str, str]:
    """Read a force's own files before building, so a bad file stops with its message and builds nothing."""
    from analysis.chapters.common import policeuk_gap_note
    from analysis.sources import local_survey, policeuk

    local = {}
    if survey:
        local_survey.total_area(local_survey.load(survey), force)  # a survey of another force only is refused here
        local["local_survey"] = str(Path(survey).resolve())
    if folder:
        for kind in policeuk.COLUMNS:
            note = policeuk_gap_note(policeuk.load_folder(folder, kind, force))
            if note:
                print(f"note: {folder} ({kind}): {note}", file=sys.stderr)
        local["policeuk"] = str(Path(folder).resolve())
    return local


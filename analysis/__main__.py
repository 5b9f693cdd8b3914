"""Command line: build one force edition, all editions (optionally a shard), assemble the site, or run the benchmark."""

from __future__ import annotations

import argparse
import sys

from analysis import editions, forces


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("edition", help="build one force's edition")
    one.add_argument("force", help="ONS code, name or slug, e.g. E23000032, 'Kent Police' or kent")
    one.add_argument("--force-rebuild", action="store_true", help="ignore the skip-if-unchanged cache")
    many = sub.add_parser("editions", help="build every force's edition (or one shard of them)")
    many.add_argument("--shard", default=None, help="i/N: build only the i-th of N deterministic shards")
    many.add_argument("--jobs", type=int, default=2, help="editions built in parallel (default 2)")
    many.add_argument("--force-rebuild", action="store_true", help="ignore the skip-if-unchanged cache")
    sub.add_parser("site", help="assemble _build/site: the national book and every built edition, sharing one _static")
    sub.add_parser("bench", help="time the editions and the national book, and compare with the naive loop")
    args = parser.parse_args(argv)

    if args.command == "edition":
        try:
            force = forces.resolve(args.force)
        except forces.UnknownForceError as err:
            print(f"error: {err}", file=sys.stderr)
            return 2
        results = [editions.build_edition(force.code, use_cache=not args.force_rebuild)]
        editions.write_index()
    elif args.command == "editions":
        try:
            codes = editions.shard(sorted(forces.force_codes()), args.shard)
        except ValueError as err:
            print(f"error: {err}", file=sys.stderr)
            return 2
        results = editions.build_many(codes, jobs=args.jobs, use_cache=not args.force_rebuild)
    elif args.command == "site":
        from analysis import site

        return site.main()
    else:
        from analysis import bench

        return bench.main()
    print(editions.summary(results))
    return 1 if any(r.status == "failed" for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())

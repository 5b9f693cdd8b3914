"""What changed since an earlier edition: its figure register against this one's, figure by figure, with the reason
each changed, written as the edition's "What changed" page; for a first edition, the changes the data themselves show
between the two newest comparable periods of each measure (measures/force_measures)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.chapters import at_a_glance, key_points, questions
from analysis.measures import force_measures as fm
from analysis.methods import survey
from analysis.present import inert, tables
from analysis.present.glue import marked
from analysis.present.numbers import fmt_compared, is_zero
from analysis.sources import forces, localfiles
from analysis.sources import local_survey as own_surveys

PAGE = "what-changed"  # the page's name in an edition's book/ folder
NEW_PERIOD = "a new period of data"
NEW_SOURCE = "a new source or edition of the data"
REVISED = "a revised figure, or a change of method (same sources and period)"
ADDED, REMOVED = "added", "removed"


EXPECTED = "the <force>.json an earlier edition's build wrote"


class ChangesError(ValueError):
    """The earlier register cannot be read; says which file and what was expected."""


def _checked(path) -> Path:
    """`path` if it is a regular file (not a pipe, a device or a file under /proc) within the size of a register."""
    p = Path(path)
    try:
        size = localfiles.regular(p, what=EXPECTED).stat().st_size
    except localfiles.LocalDataError as err:
        raise ChangesError(str(err)) from None
    except OSError as err:
        raise ChangesError(f"{p}: cannot be read ({err.strerror or type(err).__name__}); expected {EXPECTED}") from None
    if size > config.REGISTER_MAX_BYTES:
        raise ChangesError(f"{p}: {size / 1e6:,.1f} MB, over the {config.REGISTER_MAX_BYTES / 1e6:,.0f} MB limit for "
                           f"a figure register; expected {EXPECTED}")
    return p


def read_register(path) -> list[dict]:
    """An earlier edition's figure register (the JSON a build writes to _build/figures/<slug>.json)."""
    p = _checked(path)
    try:
        records = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as err:
        raise ChangesError(f"{p}: not a figure register that can be read ({type(err).__name__}); expected the "
                           "<force>.json an earlier edition's build wrote") from None
    if not isinstance(records, list) or not all(
            isinstance(r, dict) and all(isinstance(r.get(field), str) for field in ("key", "chapter", "text"))
            and isinstance(r.get("label", ""), str) for r in records):
        raise ChangesError(f"{p}: not a figure register; expected a list of figures, each with key, chapter and text "
                           "as text")
    return records


def snapshot(path, into: Path) -> Path:
    """A checked copy of an earlier register in `into`, under its own name: the build reads and hashes only the copy."""
    source = _checked(path)
    into.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, into / source.name)
    return into / source.name


def _why(old: dict, new: dict) -> str:
    # A label names its period ("…, 2024/25"): a new label with the same key is a new period.
    if old.get("label") != new.get("label"):
        return NEW_PERIOD
    if sorted(old.get("datasets", [])) != sorted(new.get("datasets", [])):
        return NEW_SOURCE
    return REVISED


def compare(before: list[dict], after: list[dict]) -> pd.DataFrame:
    """Every figure whose text changed, was added or was removed: chapter, key, what it is, old, new, why."""
    old = {(r["chapter"], r["key"]): r for r in before}
    new = {(r["chapter"], r["key"]): r for r in after}
    rows = []
    for key in sorted(old.keys() | new.keys()):
        a, b = old.get(key), new.get(key)
        if a and b and a["text"] == b["text"]:
            continue
        rows.append({"chapter": key[0], "key": key[1], "label": (b or a).get("label", key[1]),
                     "before": a["text"] if a else "", "after": b["text"] if b else "",
                     "why": ADDED if a is None else REMOVED if b is None else _why(a, b)})
    return pd.DataFrame(rows, columns=["chapter", "key", "label", "before", "after", "why"])


def _moved(now: float, before: float, decimals: int, points: bool, finer: bool) -> tuple[str, str, str]:
    """The newest and earlier figures and the change between them, as a reader subtracts them
    (present/numbers.fmt_compared, `finer` as it says); `points` for a change in percentage points."""
    now_text, before_text, gap = fmt_compared(now, before, decimals, finer=finer)
    change = ("no change" if now == before else "about the same" if is_zero(gap) else
              f"{'up' if now > before else 'down'} {gap}" + (" percentage points" if points else ""))
    return now_text, before_text, change


def _own_survey(force: str, local_survey: str | None) -> list[dict]:
    """The headline measure of the force's own survey (the PAS for the Met, or the edition's file) against a year
    earlier, as its at-a-glance row tests it; none where the edition has no survey or no figure a year earlier."""
    df = own_surveys.for_edition(force, local_survey)
    if df is None:
        return []
    area, measure = own_surveys.total_area(df, force), df["measure"].iloc[0]
    moved = survey.changes(df)
    moved = moved[(moved["area"] == area) & (moved["measure"] == measure) & (moved["group"] == own_surveys.ALL)
                  & (moved["against"] == "a year earlier") & (moved["comparison"] != "")]
    name = df.attrs.get("survey_name") or "the force's own survey"
    rows = []
    for r in moved.itertuples():
        now_text, before_text, change = _moved(r.latest_pct, r.other_pct, 0, points=True, finer=False)
        rows.append({"measure": f"{r.measure} ({name}: {area})", "before": f"{before_text}% in {r.other_period}",
                     "after": f"{now_text}% in {r.latest_period}", "change": change,
                     "verdict": f"{at_a_glance.SURVEY_VERDICTS[r.comparison]} ({r.test})"})
    return rows


def data_changes(force: str, local_survey: str | None = None) -> tuple[pd.DataFrame, list[str]]:
    """The force's change on each measure between the two newest comparable periods the measures table holds (its
    newest row that has a previous period), with the verdict and how it was tested, its own survey's headline measure
    first (the key points' order); and the measures that have no two comparable periods by force."""
    rows = fm.for_force(forces.resolve(force))
    changed = rows[rows["previous_value"].notna() & rows["value"].notna()]
    changed = changed[~changed["measure_id"].duplicated()]  # newest first: each measure's newest change
    out = _own_survey(force, local_survey)
    for _, r in changed.iterrows():
        decimals, finer = fm.MEASURES[r["measure_id"]]["decimals"], fm.MEASURES[r["measure_id"]].get("finer", True)
        unit = "%" if r["unit"] == "percent" else ""
        now, before, measure = r["value"], r["previous_value"], r["measure"]
        # A rate per resident not compared (the City of London's) is read as its count of events, as its key point
        # reads it (key_points.BY_COUNT): per resident its searches fell while their number rose.
        by_count = r["reason"] in key_points.BY_COUNT and pd.notna(r["events"]) and pd.notna(r["previous_events"])
        if by_count:
            now, before, decimals, unit, finer = r["events"], r["previous_events"], 0, "", True
            noun = fm.MEASURES[r["measure_id"]]["noun"]
            measure = f"{noun[0].upper()}{noun[1:]} (a count of every one)"
        now_text, before_text, change = _moved(now, before, decimals, points=bool(unit), finer=finer)
        # An untested change gives why (the City's rates per resident), never the test of another verdict.
        untested = r["change_verdict"] == fm.NOT_TESTED
        how = (key_points.BY_COUNT[r["reason"]] if by_count else r["change_test"] if pd.notna(r["change_test"]) else
               r["reason"] if untested and pd.notna(r["reason"]) else r["test"])
        # Where the verdict rests on the control across forces, the correction and the p-value before it.
        corrected = pd.notna(r["change_before_correction"])
        verdict = r["change_verdict"] + (f" {r['change_before_correction']}" if corrected else "")
        # Each figure's period with its grade where readers must be told (a third party's newest against an
        # official older figure says so).
        earlier = rows[(rows["measure_id"] == r["measure_id"]) & (rows["period"] == r["previous_period"])]
        before_when = (marked(r["previous_period"], earlier["datasets"].iloc[0].split("; ")) if len(earlier)
                       else r["previous_period"])
        out.append({"measure": measure,
                    "before": f"{before_text}{unit} {questions.at(r['previous_period'])} {before_when}",
                    "after": f"{now_text}{unit} {questions.at(r['period'])} "
                             f"{marked(r['period'], r['datasets'].split('; '))}", "change": change,
                    # The p-values are already in brackets: the test follows them, never a second pair beside.
                    "verdict": verdict if pd.isna(how) else f"{verdict}; {how}" if corrected else f"{verdict} ({how})"})
    alone = [m for m in dict.fromkeys(rows["measure"]) if m not in set(changed["measure"])]
    return pd.DataFrame(out, columns=["measure", "before", "after", "change", "verdict"]), alone


def page(changed: pd.DataFrame | None, force: str, since: str = "", local_survey: str | None = None) -> str:
    """The edition's "What changed" page (MyST Markdown with the table as HTML, every value escaped); `since` names
    the earlier register's file. A first edition lists what the data show changed (data_changes), with the edition's
    own survey file where it has one (`local_survey`)."""
    since = inert.markdown(since)
    head = "# What changed since the last edition\n\n"
    if changed is None:
        moved, alone = data_changes(force, local_survey)
        table = tables.format_table(
            moved, headers={"measure": "Measure", "before": "Earlier period", "after": "Newest period",
                            "change": "Change", "verdict": "Verdict, and how it was tested"},
            missing="", caption="What the data show changed between each measure's two newest comparable periods")
        return head + (f"This is the first edition for {inert.markdown(force)}: there is no earlier edition's figure "
                       "register to compare it with. What the data themselves show changed for the force, each "
                       "measure's newest period against the previous one of the same series (same definition and "
                       "denominator), is below; a change across a series break is not compared.\n\n"
                       + table.html + "\n\n"
                       + (f"Not compared (no two comparable periods by force, or a series break between them): "
                          f"{inert.markdown('; '.join(alone))}.\n" if alone
                          else ""))
    if changed.empty:
        return head + f"No figure changed since the edition whose register was {since}.\n"
    counts = changed["why"].value_counts()
    summary = "; ".join(f"{n} {why}" for why, n in counts.items())
    n, listed = len(changed), changed.head(config.CHANGES_LISTED)
    table = tables.format_table(
        listed[["chapter", "label", "before", "after", "why"]],
        headers={"chapter": "Page", "label": "Figure", "before": "Before", "after": "Now", "why": "Why"},
        missing="", caption=f"Figures changed since the last edition ({len(listed)} of {n})" if n > len(listed)
        else f"Figures changed since the last edition ({n})", tall=len(listed) > 20)
    # A page of every change of a register tens of thousands of figures long would weigh megabytes.
    each = ("Each is listed with its old and new value and the reason." if n == len(listed) else
            f"The first {len(listed)}, by page and figure, are listed with their old and new value and the reason; "
            "the edition's figure register holds every figure.")
    return head + (f"{n} figure{'' if n == 1 else 's'} changed since the edition whose register was {since} "
                   f"({summary}). {each}\n\n" + table.html + "\n")

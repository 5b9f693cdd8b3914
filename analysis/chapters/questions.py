"""Questions to put to a force's chief officer: in each of the guide's five areas, the guide's advice beside the
force's own figure, turned into a question by the written rules of data/guide_questions.yml over the verdicts of the
force measures table (never over sentences); each question names its figure and period."""

from __future__ import annotations

import html

import pandas as pd
import yaml

from analysis import config
from analysis.chapters import evidence, key_points
from analysis.chapters import guide_and_force as guide
from analysis.measures import force_measures as fm
from analysis.present import tables
from analysis.present.glue import Figure, Section, marked
from analysis.present.numbers import fmt_interval, fmt_number
from analysis.sources import forces

CONDITIONS = {"change": ("rise", "fall"), "funnel": ("above", "below"), "parity": ("above", "below"), "any": (True,)}
PARITY = {"above": fm.ABOVE_PARITY, "below": fm.BELOW_PARITY}


class QuestionsError(ValueError):
    """guide_questions.yml does not say what the rules need; names the area and rule."""


def _load() -> dict[str, dict]:
    with open(config.QUESTIONS_PATH, encoding="utf-8") as fh:
        areas = yaml.safe_load(fh)["areas"]
    where = config.QUESTIONS_PATH.name
    expected = [a[0] for a in guide.AREAS]
    if list(areas) != expected:
        raise QuestionsError(f"{where}: areas {list(areas)} must be the guide's five, in order: {expected}")
    for area, spec in areas.items():
        if not str(spec.get("otherwise", "")).strip():
            raise QuestionsError(f"{where}: area {area!r} has no 'otherwise' question")
        for i, rule in enumerate(spec.get("rules") or [], 1):
            conditions = [c for c in CONDITIONS if c in rule]
            if (rule.get("measure") not in fm.MEASURES or len(conditions) != 1
                    or rule[conditions[0]] not in CONDITIONS[conditions[0]] or not str(rule.get("ask", "")).strip()):
                raise QuestionsError(f"{where}: area {area!r}, rule {i}: needs a measure id of measures.yml, one of "
                                     f"{sorted(CONDITIONS)} with a value it allows, and an 'ask'")
    return areas


RULES = _load()


def _fires(rule: dict, row: pd.Series) -> bool:
    """Whether a rule's condition holds on the newest row of its measure (verdicts as values)."""
    if "any" in rule:  # a rate read only by its count (key_points.BY_COUNT) is no figure to ask about as a rate
        return pd.notna(row["value"]) and row["reason"] not in key_points.BY_COUNT
    if "funnel" in rule:
        return row["funnel_place"] in key_points.SIDES.get(f"{rule['funnel']} 95% limit", ())
    if "parity" in rule:
        return row["vs_parity"] == PARITY[rule["parity"]]
    rise = rule["change"] == "rise"
    if row["test"] == fm.COUNT_TEST:  # a count of every member of staff: a move of the key points' size
        before, after = row["previous_value"], row["value"]
        return bool(pd.notna(before) and before and (after - before) / before * (1 if rise else -1)
                    >= key_points.LARGE_CHANGE)
    if key_points.count_move(row):  # a rate not compared per resident, read by its count of events
        return (row["events"] > row["previous_events"]) == rise
    # A significant change, or a large move in a count of every event that is not significant once the forces' spread
    # is allowed for.
    went_up = pd.notna(row["previous_value"]) and row["value"] > row["previous_value"]
    return row["change_verdict"] == (fm.RISE if rise else fm.FALL) or (key_points.large_move(row) and went_up == rise)


def _figure(rule: dict, row: pd.Series) -> str:
    """The figure a question rests on, with its period (marked with its grade where readers must be told it) and what
    it is compared with."""
    meta = fm.MEASURES[row["measure_id"]]
    decimals = meta["decimals"]
    unit = {"percent": "%", "percentage points": " points"}.get(meta["unit"], "")
    shown = fmt_number(row["value"], decimals) + unit
    period = marked(row["period"], row["datasets"].split("; ")) + (f" ({key_points.OLD})" if row["old"] else "")
    if "change" in rule and key_points.count_move(row):  # read by its count: both counts, and why only those
        return (f"{meta['noun'][0].upper()}{meta['noun'][1:]} (a count of every one): {fmt_number(row['events'], 0)} "
                f"{at(row['period'])} {period}, {'up' if row['events'] > row['previous_events'] else 'down'} from "
                f"{fmt_number(row['previous_events'], 0)} {at(row['previous_period'])} {row['previous_period']}; "
                f"{key_points.BY_COUNT[row['reason']]}")
    # Every figure with an interval gives it, whatever the rule (a ratio's, a rate's, a difference's).
    interval = (f" (95% CI {fmt_interval(row['ci_low'], row['ci_high'], decimals)})"
                if pd.notna(row["ci_low"]) and pd.notna(row["ci_high"]) else "")
    text = f"{meta.get('short_label', meta['label'])}: {shown}{interval} {at(row['period'])} {period}"
    if "change" in rule:
        text += (f", {'up' if row['value'] > row['previous_value'] else 'down'} from "
                 f"{fmt_number(row['previous_value'], decimals)} {at(row['previous_period'])} "
                 f"{row['previous_period']}")
    elif "funnel" in rule:
        text += (f", {fm.FUNNEL_WORDS[row['funnel_place']]} around {row['funnel_centre']} "
                 f"({fmt_number(row['funnel_centre_value'], decimals)}{unit})")
    elif "parity" in rule:
        text += f", significantly {rule['parity']} {meta['parity']}"
    elif pd.notna(row["reason"]):  # a figure the table gives no verdict says why (the City's 3 IOPC reviews)
        text += f"; {row['reason']}"
    return text


def at(period: str) -> str:
    """'at 31 March 2023' for a date, 'in 2024/25' for a period."""
    day = period.split()[0]
    return "at" if day.isdigit() and len(day) <= 2 else "in"


def questions(f: forces.Force) -> pd.DataFrame:
    """Each area's question for the force: the guide's advice, the figure the question rests on (or none) and the
    question."""
    mine = fm.for_force(f)
    mine = mine.assign(old=fm.stale(mine))
    newest = mine[~mine["measure_id"].duplicated()].set_index("measure_id", drop=False)
    if f.code == forces.CITY_OF_LONDON:  # per resident its figures say little: no rule reads them, bar their counts
        newest = newest[~newest["reason"].isin([fm.CITY, fm.DEATHS_CITY]) | newest.apply(key_points.count_move, axis=1)]
    rows = []
    for (area, prefix, page, _, _), (name, spec) in zip(guide.AREAS, RULES.items()):
        advice = next(m for m, _ in evidence.MESSAGES[prefix] if m not in guide.CASE_STUDIES)
        fired = next(((rule, newest.loc[rule["measure"]]) for rule in spec.get("rules") or []
                      if rule["measure"] in newest.index and _fires(rule, newest.loc[rule["measure"]])), None)
        rows.append({"area": area, "page": page, "advice": advice,
                     "figure": _figure(*fired) if fired else "", "question": fired[0]["ask"] if fired
                     else spec["otherwise"]})
    return pd.DataFrame(rows)


def section(f: forces.Force) -> Section:
    """The questions as a table (area linked to its chapter, the guide's advice, the force's figure, the question),
    with a sentence saying who might put them to whom."""
    asked = questions(f)
    body, chief = forces.oversight(f.code)
    shown = pd.DataFrame({
        "area": [f'<a href="{p}.html">{html.escape(a)}</a>' for a, p in zip(asked["area"], asked["page"])],
        "advice": asked["advice"].map(html.escape),
        "question": [(f"{html.escape(fig)}.<br>" if fig else "") + f"<strong>{html.escape(q)}</strong>"
                     for fig, q in zip(asked["figure"], asked["question"])]})
    table = tables.format_table(shown, kind="questions", html_columns=("area", "advice", "question"),
                                headers={"area": "Action area", "advice": "What the guide advises",
                                         "question": f"{f.name}'s figure, and the question"},
                                caption=f"Questions to put to the {chief}")
    intro = (f"Questions {body} could put to {f.name}'s {chief}: in each of the guide's five action areas, the "
             "guide's advice beside the force's own newest figure, turned into a question by written rules, the same "
             "for every force. A figure says where the force stands, not why.")
    return Section(table, None, [Figure("g_questions_intro", intro, "sentence", [],
                                              label="What the questions to the force are")])

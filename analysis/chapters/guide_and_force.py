"""The guide's five action areas beside a force's own figures: for each, the guide's message, the strongest evidence
the book has for it (by what it shows about an effect on confidence), the force's figures against the funnel or the
median force, and what the data cannot say for the force. Where the force stands, never why."""

from __future__ import annotations

import html

import pandas as pd

from analysis.chapters import common, evidence
from analysis.methods import evidence_strength
from analysis.present import evidence_tables, tables
from analysis.present.glue import Section
from analysis.sources import forces

# Area, the register chapter of its messages, its chapter page, the measures (ids of measures/force_measures) that bear
# on it, and what the data cannot say for a force ("" where the figures speak for it).
AREAS = (
    ("Neighbourhood policing", "1", "02-neighbourhood-policing", ("officers_per_100k", "pcsos_per_100k"),
     "How visible or engaged the force's neighbourhood teams are is not in any data this book has by force."),
    ("Procedural and distributive justice", "2", "03-procedural-justice", ("bw_search_ratio", "searches_per_1000"),
     "Whether people feel the force treats them fairly is not published by force in any data this book could obtain."),
    ("Contact with victims", "3", "04-contact-with-victims", (),
     "Victims' satisfaction with {force} is not in any data this book could obtain by force: forces collect it in "
     "their own victim surveys."),
    ("Contact with suspects", "4", "05-contact-with-suspects", ("searches_per_1000", "arrest_gap"), ""),
    ("Tackling wrongdoing", "5", "06-police-wrongdoing", ("deaths_per_million", "iopc_reviews_upheld_pct"), ""),
)


# Headings of the guide that tell a case study rather than give advice: not in "What the guide advises".
CASE_STUDIES = ("How trust moved after the murder of Sarah Everard",)


def strongest(chapter_prefix: str) -> pd.Series:
    """The chapter's finding with the strongest grade as evidence of an effect on confidence (a finding about crime
    only where no other is graded), from its evidence table."""
    rows = evidence.table(chapter_prefix)
    register = evidence.load_register().set_index("id")
    rank = rows["ids"].map(lambda ids: evidence_strength.rank(register.loc[ids.split(", ")]))
    return rows.loc[rank.idxmin()]


def _figures_cell(rows: pd.DataFrame, measure_ids: tuple[str, ...], cannot: str, newest_only: bool = False) -> str:
    """The force's dashboard rows of these measures, each with its period and verdict (only each measure's newest
    period when `newest_only`: the dashboard lists a measure's periods newest first), then what cannot be said; every
    value escaped."""
    mine = rows[rows["measure_id"].isin(measure_ids)]
    if newest_only:
        mine = mine[~mine["measure_id"].duplicated()]
    # The verdict alone (the comparison's first clause); the rest (counts, changes) is in the key measures above.
    lines = [f"{html.escape(r['measure'])}, {html.escape(r['period'])}: <strong>{html.escape(r['force'])}</strong>, "
             f"{html.escape(r['verdict_text'])}" for _, r in mine.iterrows()]
    if cannot:
        lines.append(f"<em>{html.escape(cannot)}</em>")
    return "<br>".join(lines)


def _short_evidence(best: pd.Series) -> str:
    """The strongest evidence in one line: its grade, its finding and its primary in author-year form, linked to
    the register's citation_url where it has one."""
    row = evidence.load_register().set_index("id").loc[best["ids"].split(", ")[0]]
    cite = html.escape(evidence_tables.short_citation(row["study"]))
    if isinstance(row["citation_url"], str) and row["citation_url"].strip():
        cite = f'<a href="{html.escape(row["citation_url"])}">{cite}</a>'
    stated = _stated(best)
    return (f"Strongest evidence (<strong>{html.escape(best['strength'])}</strong>): {html.escape(best['finding'])}. "
            + (f"Its figures: {stated}. " if stated else "") + f"{cite}.")


def _stated(best: pd.Series) -> str:
    """The finding's figures where its source states them, else '' (the areas without are named once, together)."""
    return best["figures"] if isinstance(best["figures"], str) and best["figures"] != evidence_tables.NOT_STATED else ""


def _printed_area(link: str, advice: str, figures: str, who: str) -> str:
    """One area on paper: a block that never breaks across pages, the advice and evidence beside the figures."""
    return (f'<div class="pcp-area"><h3>{link}</h3><div class="pcp-area-columns">'
            f'<div><strong>What the guide advises</strong><br>{advice}</div>'
            f'<div><strong>{html.escape(who)} (newest period of each)</strong><br>{figures}</div></div></div>')


def section(f: forces.Force, rows: pd.DataFrame) -> Section:
    """The five areas as one table for the force: the guide's message, the strongest evidence (its finding, strength
    label and primary citation), and the force's figures. `rows` are the dashboard's (the outcome test and the IOPC
    reviews among them, as every measure, by id). On paper each area is a compact block (the advice and evidence beside
    only each measure's newest period), so the five can run on from one page to the next without a table breaking."""
    figures = f"{f.name}'s figures"
    full, printed, unstated = [], [], []
    for area, prefix, page, measure_ids, cannot in AREAS:
        best = strongest(prefix)
        if not _stated(best):
            unstated.append(area)
        message = html.escape(". ".join(m for m, _ in evidence.MESSAGES[prefix] if m not in CASE_STUDIES) + ".")
        link = f'<a href="{page}.html">{html.escape(area)}</a>'
        cannot = cannot.format(force=f.name)
        stated = f"<br>Its figures: {_stated(best)}" if _stated(best) else ""
        full.append({"area": link, "message": message,
                     "evidence": f"{html.escape(best['finding'])}{stated}<br><strong>"
                                 f"{html.escape(best['strength'])}</strong><br><small>{best['study']}</small>",
                     "force": _figures_cell(rows, measure_ids, cannot)})
        printed.append(_printed_area(link, f"{message}<br>{_short_evidence(best)}",
                                     _figures_cell(rows, measure_ids, cannot, newest_only=True),
                                     figures))
    screen = tables.format_table(
        pd.DataFrame(full), kind="areas", html_columns=("area", "message", "evidence", "force"),
        headers={"area": "Action area (chapter)", "message": "What the guide advises",
                 "evidence": "Strongest evidence the book has", "force": figures},
        caption="The guide's five action areas and this force" + (
            f". For {common.join(unstated)}, the source of the strongest evidence does not state its figures"
            if unstated else ""))
    # "Its figures: not stated in the source", said once for every area it holds for, not once an area.
    note = (f'<p class="pcp-areas-unstated">For {html.escape(common.join(unstated))}, the source of the strongest '
            f'evidence does not state its figures.</p>' if unstated else "")
    return Section(tables.ScreenAndPrint(screen, f'<div class="pcp-areas-printed">{"".join(printed)}{note}</div>'),
                   None, [])

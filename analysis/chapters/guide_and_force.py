"""The guide's five action areas beside a force's own figures: for each, the guide's message, the strongest evidence
the book has for it (by what it shows about an effect on confidence), the force's figures against the funnel or the
median force, and what the data cannot say for the force. Where the force stands, never why."""

from __future__ import annotations

import html

import pandas as pd

from analysis.chapters import evidence
from analysis.methods import evidence_strength
from analysis.present import tables
from analysis.present.glue import Section
from analysis.sources import forces

GRADE_ORDER = [g for g, _ in evidence_strength.GRADES]
# Area, the register chapter of its messages, its chapter page, the dashboard measures that bear on it, and what the
# data cannot say for a force ("" where the figures speak for it).
AREAS = (
    ("Neighbourhood policing", "1", "02-neighbourhood-policing", ("Police officers per 100,000", "PCSOs per 100,000"),
     "How visible or engaged the force's neighbourhood teams are is not in any data this book has by force."),
    ("Procedural and distributive justice", "2", "03-procedural-justice",
     ("Black/White stop and search rate ratio", "Stop and searches per 1,000"),
     "Whether people feel the force treats them fairly is not published by force in any data this book could obtain."),
    ("Contact with victims", "3", "04-contact-with-victims", (),
     "Victims' satisfaction with {force} is not in any data this book could obtain by force: forces collect it in "
     "their own victim surveys."),
    ("Contact with suspects", "4", "05-contact-with-suspects", ("Stop and searches per 1,000",), ""),
    ("Tackling wrongdoing", "5", "06-police-wrongdoing",
     ("Deaths during or following police contact, per million",), ""),
)


def strongest(chapter_prefix: str) -> pd.Series:
    """The chapter's finding with the strongest grade as evidence of an effect on confidence (a finding about crime
    only where no other is graded), from its evidence table."""
    rows = evidence.table(chapter_prefix)
    about_crime = rows["strength"].str.contains(evidence_strength.CRIME_NOTE, regex=False)
    rank = rows["strength"].str.replace(f" ({evidence_strength.CRIME_NOTE})", "", regex=False).map(GRADE_ORDER.index)
    return rows.loc[(rank + 100 * about_crime).idxmin()]


def _figures_cell(rows: pd.DataFrame, families: tuple[str, ...], extra: list[str], cannot: str) -> str:
    """The force's dashboard rows that bear on an area, each with its period and comparison, then what cannot be
    said; every value escaped."""
    mine = rows[rows["measure"].str.startswith(families)] if families else rows.iloc[0:0]
    # The comparison's first clause: the verdict; the rest (counts, changes) is in the key measures above.
    lines = [f"{html.escape(r['measure'])}, {html.escape(r['period'])}: <strong>{html.escape(r['force'])}</strong>, "
             f"{html.escape(r['comparison'].split('; ')[0])}" for _, r in mine.iterrows()]
    lines += [html.escape(e) for e in extra if e]
    if cannot:
        lines.append(f"<em>{html.escape(cannot)}</em>")
    return "<br>".join(lines)


def section(force: str, rows: pd.DataFrame, extra: dict[str, list[str]] | None = None) -> Section:
    """The five areas as one table for the force: the guide's message, the strongest evidence (its finding, strength
    label and primary citation), and the force's figures. `rows` are the dashboard's; `extra` adds sentences by area
    (the outcome test, complaint reviews)."""
    f = forces.resolve(force)
    extra = extra or {}
    out = []
    for area, prefix, page, families, cannot in AREAS:
        best = strongest(prefix)
        message = "; ".join(m for m, _ in evidence.MESSAGES[prefix])
        out.append({"area": f'<a href="{page}.html">{html.escape(area)}</a>', "message": html.escape(message) + ".",
                    "evidence": f"{html.escape(best['finding'])}<br><strong>{html.escape(best['strength'])}"
                                f"</strong><br><small>{best['study']}</small>",
                    "force": _figures_cell(rows, families, extra.get(area, []), cannot.format(force=f.name))})
    table = tables.format_table(
        pd.DataFrame(out), kind="areas", html_columns=("area", "message", "evidence", "force"),
        headers={"area": "Action area (chapter)", "message": "What the guide advises",
                 "evidence": "Strongest evidence the book has", "force": f"{f.name}'s figures"},
        caption="The guide's five action areas and this force")
    return Section(table, None, [])

"""Anti-social behaviour by force area (CSEW, ONS's own tests against England and Wales and the year before), London's
two forces as the one area ONS reports."""

from __future__ import annotations

import pandas as pd

from analysis.methods import stats
from analysis.sources import cache, forces, pfa_tables

ASB_YEARS = (2018, 2019)
ENGLAND_AND_WALES = forces.ENGLAND_AND_WALES
# The CSEW ASB table's one row for London's two forces, which ONS files under the London region code.
LONDON_REGION = "E12000007"
LONDON = LONDON_REGION
LONDON_FORCES = forces.COMBINED_AREAS[LONDON][1]
LONDON_NAME = "London (Metropolitan Police and City of London, reported together)"


@cache.in_memory  # national: every edition reads it again
def asb_table() -> pd.DataFrame:
    """CSEW experience of ASB and recorded crime per 1,000, per force area, both years, with ONS's significance flag.

    ONS reports the Metropolitan Police and the City of London as one row (under the London region code); it is
    kept as one area, `LONDON`, covering both forces, and each London force's edition uses it."""
    frames = []
    for year in ASB_YEARS:
        crime = pfa_tables.recorded_crime_rate(year)
        asb = pfa_tables.asb_experience(year)
        london = asb["area_name"].str.contains("Metropolitan Police", case=False)
        if london.sum() != 1:
            raise ValueError(f"{asb.attrs.get('source', pfa_tables.FILES[year])}: expected one combined London row "
                             f"naming the Metropolitan Police in the ASB table, found {int(london.sum())}")
        asb = asb.assign(area_code=asb["area_code"].where(~london, LONDON))
        asb = asb[asb["area_type"].isin(["force", "England and Wales"]) | london]
        # London's recorded crime rate is the London region's: the two forces' areas together.
        crime = crime.assign(area_code=crime["area_code"].where(
            ~((crime["area_code"] == LONDON_REGION) & (crime["area_type"] == "region")), LONDON))
        frames.append(asb[["area_code", "asb_pct", "ons_significant", "year_ending"]].merge(
            crime[["area_code", "crime_rate"]], on="area_code", how="left", validate="one_to_one"))
    table = pd.concat(frames, ignore_index=True)
    national = table[table["area_code"] == ENGLAND_AND_WALES].set_index("year_ending")["asb_pct"]
    above = table["asb_pct"] > table["year_ending"].map(national)
    table["against_england_and_wales"] = stats.SIMILAR
    table.loc[table["ons_significant"], "against_england_and_wales"] = above.map({True: stats.HIGHER,
                                                                                 False: stats.LOWER})
    table.loc[table["area_code"] == ENGLAND_AND_WALES, "against_england_and_wales"] = ""
    table["area"] = table["area_code"].map(asb_area_name)
    return table


CHANGE_WORDS = {"↑": "a significant rise", "↓": "a significant fall", "": "no significant change"}


def asb_change_flags(year_ending: int) -> pd.Series:
    """ONS's test of each area's ASB share against the year before, from Table P6 ('*↑', '*↓' or blank), in words,
    keyed as asb_table's areas (London's combined row under LONDON)."""
    table = pfa_tables.read_table(year_ending, "Table P6")
    flag = table[pfa_tables.column(table, "Any anti-social behaviour",
                                   "Statistically significantly different from Apr")]
    flag = flag.fillna("").astype(str).str.strip()
    arrow = flag.str[-1:].where(flag.str.startswith("*"), "")
    london = table["area_name"].str.contains("Metropolitan Police", case=False)
    kept = table["area_type"].isin(["force", "England and Wales"]) | london
    codes = table["area_code"].where(~london, LONDON)
    return pd.Series(arrow.map(CHANGE_WORDS).to_numpy(), index=codes.to_numpy(), name="change_on_year_before")[
        kept.to_numpy()]


def asb_area(force_code: str) -> str:
    """The ASB table's area for a force: its own code, or the combined London area for the Met and the City."""
    return LONDON if force_code in LONDON_FORCES else force_code


def asb_area_name(area_code: str) -> str:
    if area_code == LONDON:
        return LONDON_NAME
    return forces.NATIONAL_NAMES.get(area_code) or forces.get(area_code).name

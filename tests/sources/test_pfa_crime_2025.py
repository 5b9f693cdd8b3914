"""ONS Table P1, year ending June 2025: the counts its PROVENANCE.md documents, and each of its checks refusing a file
that fails it with a message naming the file, column and row."""

from __future__ import annotations

import pytest

from analysis.sources import forces, pfa_crime_2025
from analysis.sources.schemas import SchemaError
from tests.sources.test_thirdparty_extracts import edit  # noqa: F401  (the fixture)

FILE = pfa_crime_2025.TABLE_FILE


@pytest.fixture(autouse=True)
def _fresh():
    pfa_crime_2025.load.cache_clear()
    yield
    pfa_crime_2025.load.cache_clear()


def test_the_table_gives_the_43_forces_and_england_and_wales_as_documented():
    table = pfa_crime_2025.load().set_index("pfa_code")["crimes"]
    assert set(table.index) == forces.force_codes() | {forces.ENGLAND_AND_WALES}
    # PROVENANCE.md: 5,204,149 by the forces + 83,163 by British Transport Police = 5,287,312.
    assert table[forces.ENGLAND_AND_WALES] == 5_287_312
    assert table.drop(forces.ENGLAND_AND_WALES).sum() == 5_204_149
    assert table[forces.METROPOLITAN] == 940_619


def test_a_force_total_that_no_longer_adds_up_is_refused(edit):  # noqa: F811
    edit(FILE, lambda t: t.replace('"37,349"', '"37,350"', 1))
    with pytest.raises(SchemaError, match=r"Total recorded crime \(excluding fraud\)'.*add up to 5,287,313"):
        pfa_crime_2025.load()


def test_an_offence_moved_between_columns_is_refused(edit):  # noqa: F811
    # One homicide recorded as unlawful driving: the row still adds up, the columns' totals do not.
    edit(FILE, lambda t: t.replace('W15000004,Dyfed-Powys,"37,349","17,559",4,31,',
                                   'W15000004,Dyfed-Powys,"37,349","17,559",5,30,', 1))
    with pytest.raises(SchemaError, match="column 'Homicide': the 43 forces plus British Transport Police add up"):
        pfa_crime_2025.load()


def test_violence_that_is_not_the_sum_of_its_parts_is_refused(edit):  # noqa: F811
    # One more violent offence in Dyfed-Powys, Wales and England and Wales: every column adds up, the row does not.
    edit(FILE, lambda t: t.replace('Dyfed-Powys,"37,349","17,559"', 'Dyfed-Powys,"37,349","17,560"', 1)
         .replace('WALES,"256,770","106,226"', 'WALES,"256,770","106,227"', 1)
         .replace('[note 3],"5,287,312","1,944,828"', '[note 3],"5,287,312","1,944,829"', 1))
    with pytest.raises(SchemaError, match=r"row K04000001: column 'Violence against the person' is 1,944,829, not "
                                          r"the sum of its five parts \(1,944,828\)"):
        pfa_crime_2025.load()


def test_a_cell_that_is_not_a_count_names_its_column_and_row(edit):  # noqa: F811
    edit(FILE, lambda t: t.replace('W15000004,Dyfed-Powys,"37,349"', 'W15000004,Dyfed-Powys,[x]', 1))
    with pytest.raises(SchemaError, match=r"column 'Total recorded crime \(excluding fraud\)', row \d+ "
                                          r"\(Dyfed-Powys\) holds '\[x\]'"):
        pfa_crime_2025.load()


def test_a_missing_force_is_named(edit):  # noqa: F811
    edit(FILE, lambda t: "\n".join(line for line in t.split("\n") if not line.startswith("W15000004")))
    with pytest.raises(SchemaError, match=r"W15000004"):
        pfa_crime_2025.load()

"""Published stop and search rates (YE March 2023): the loader, the Black/White ratio, rounding ranges, approximate intervals."""

from __future__ import annotations

import pytest

from analysis.sources import forces, search_rates
from analysis.sources.schemas import SchemaError


def test_rates_load_with_codes_and_missing_not_zero():
    rates = search_rates.load_rates()
    assert set(rates["pfa_code"]) == forces.force_codes() | {forces.ENGLAND_AND_WALES}
    assert len(rates) == 44 * len(search_rates.GROUPS)
    city = rates[rates["pfa_code"] == forces.CITY_OF_LONDON]
    assert city["rate"].isna().all()
    assert rates["rate"].isna().sum() == len(search_rates.GROUPS)  # only the City: BTP is not an area
    met = rates[rates["pfa_code"] == "E23000001"].set_index("group")["rate"]
    assert (met["Black"], met["White"]) == (32.8, 11.4)
    national = rates[rates["pfa_code"] == forces.ENGLAND_AND_WALES].set_index("group")["rate"]
    # The 43 territorial forces, as every other year: the row excluding British Transport Police (issue 35).
    assert (national["Black"], national["White"]) == (23.7, 5.8)


def test_a_changed_header_is_refused(altered):
    path = altered(search_rates.BY_AREA_FILE)
    text = path.read_text()
    path.write_text(text.replace('"Black"', '"Black or Black British"', 1))
    search_rates.load_rates.cache_clear()
    try:
        with pytest.raises(SchemaError, match=r"ethnicity-stop-search-by-area.csv: expected a first row"):
            search_rates.load_rates()
    finally:
        search_rates.load_rates.cache_clear()


def test_a_renamed_force_or_stray_text_is_refused(altered):
    path = altered(search_rates.BY_AREA_FILE)
    path.write_text(path.read_text().replace('"Dorset","2.4"', '"Dorset","2.4x"'))
    search_rates.load_rates.cache_clear()
    try:
        with pytest.raises(SchemaError, match=r"rate '2.4x'.*neither a number nor N/A"):
            search_rates.load_rates()
        path.write_text(path.read_text().replace('"Dorset","2.4x"', '"Dorsett","2.4"'))
        search_rates.load_rates.cache_clear()
        with pytest.raises(forces.UnknownForceError, match=r"'Dorsett' is not one of the 43"):
            search_rates.load_rates()
    finally:
        search_rates.load_rates.cache_clear()

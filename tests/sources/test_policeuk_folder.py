"""A force's own police.uk download folder: any number of months, one force, gaps stated, bad folders refused."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from analysis.sources import policeuk
from analysis.sources.localfiles import LocalDataError
from analysis.sources.schemas import SchemaError
from tests.fixtures.make_policeuk import write_folder


@pytest.fixture(scope="module")
def kent(tmp_path_factory):
    return write_folder(tmp_path_factory.mktemp("kent"), months=3, street_rows=600, lsoas=60)


def test_folder_loads_every_month_with_compact_dtypes(kent):
    crimes = policeuk.load_folder(kent, "street", "kent")
    assert len(crimes) == 1800 and crimes.attrs["months"] == ["2024-04", "2024-05", "2024-06"]
    assert crimes.attrs["label"] == "Kent Police, April 2024 to June 2024" and crimes.attrs["missing_months"] == []
    assert isinstance(crimes["Crime type"].dtype, pd.CategoricalDtype) and "Context" not in crimes.columns
    searches = policeuk.load_folder(kent, "stop-and-search")  # the force is taken from the files
    assert searches.attrs["force"] == "E23000032" and set(searches["Month"]) == {"2024-04", "2024-05", "2024-06"}


def test_8_empty_folder(tmp_path):
    with pytest.raises(LocalDataError, match=r"no police.uk 'street' files; expected YYYY-MM/YYYY-MM-<force>-street"
                                             r"\.csv.*the folder is empty"):
        policeuk.load_folder(tmp_path, "street")


def test_6_files_of_another_force(tmp_path):
    folder = write_folder(tmp_path, months=1, street_rows=50, lsoas=10, force="Essex Police", slug="kent")
    with pytest.raises(LocalDataError, match=r"2024-04-kent-street\.csv: 'Falls within' is 'Essex Police'; expected "
                                             r"Kent Police only"):
        policeuk.load_folder(folder, "street", "kent")
    other = write_folder(tmp_path / "essex", months=1, street_rows=50, lsoas=10, force="Essex Police", slug="essex")
    with pytest.raises(LocalDataError, match=r"2024-04-essex-outcomes\.csv: the file name says Essex Police; expected "
                                             r"files for Kent Police only"):
        policeuk.load_folder(other, "outcomes", "kent")


def test_7_a_file_of_another_format(tmp_path):
    folder = write_folder(tmp_path, months=1, street_rows=50, lsoas=10)
    street = folder / "2024-04" / "2024-04-kent-street.csv"
    shutil.copy(folder / "2024-04" / "2024-04-kent-outcomes.csv", street)
    with pytest.raises(SchemaError, match=r"2024-04-kent-street\.csv: not a police.uk 'street' file; expected columns "
                                          r".*looks like a police.uk 'outcomes' file"):
        policeuk.load_folder(folder, "street")
    # An old-layout street file (before Crime ID and Context were added).
    old = pd.read_csv(folder / "2024-04" / "2024-04-kent-outcomes.csv").iloc[:, 1:9]
    old.to_csv(street, index=False)
    with pytest.raises(SchemaError, match=r"not a police.uk 'street' file; expected columns .*lacks \['Crime ID'"):
        policeuk.load_folder(folder, "street")


def test_7_a_misnamed_file(tmp_path):
    (tmp_path / "2024-04").mkdir()
    (tmp_path / "2024-04" / "kent-april-street.csv").write_text("x\n1\n")
    with pytest.raises(LocalDataError, match=r"kent-april-street\.csv: not named like a police.uk archive file"):
        policeuk.load_folder(tmp_path, "street")


def test_9_path_that_does_not_exist(tmp_path):
    with pytest.raises(LocalDataError, match=r"missing: no such folder; expected police.uk files laid out as"):
        policeuk.load_folder(tmp_path / "missing", "street")


def test_10_bom_read_fine_and_non_utf8_explained(tmp_path):
    folder = write_folder(tmp_path, months=1, street_rows=50, lsoas=10)
    street = folder / "2024-04" / "2024-04-kent-street.csv"
    street.write_bytes(b"\xef\xbb\xbf" + street.read_bytes())
    assert len(policeuk.load_folder(folder, "street")) == 50
    data = street.read_bytes()[3:].replace(b"On or near Street 1,", "On or near Caf\u00e9 1,".encode("latin-1"), 1)
    street.write_bytes(data)
    with pytest.raises(LocalDataError, match=r"2024-04-kent-street\.csv, line \d+: byte 0xe9 is not UTF-8 text"):
        policeuk.load_folder(folder, "street")


def test_a_month_with_an_empty_column_still_joins_the_others(tmp_path):
    folder = write_folder(tmp_path, months=2, street_rows=50, lsoas=10)
    may = folder / "2024-05" / "2024-05-kent-street.csv"
    pd.read_csv(may, dtype=str).assign(**{"Last outcome category": ""}).to_csv(may, index=False)
    crimes = policeuk.load_folder(folder, "street")
    assert crimes.loc[crimes["Month"] == "2024-05", "Last outcome category"].isna().all()
    assert crimes.loc[crimes["Month"] == "2024-04", "Last outcome category"].notna().any()


def _one_month(tmp_path):
    folder = write_folder(tmp_path / "kent", months=1, street_rows=30, lsoas=5)
    return folder, folder / "2024-04" / "2024-04-kent-street.csv"


def test_a_link_to_a_file_outside_the_folder_is_refused_and_its_content_never_shown(tmp_path):
    folder, street = _one_month(tmp_path)
    secret = tmp_path / "secret.csv"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    street.unlink()
    street.symlink_to(secret)
    with pytest.raises(LocalDataError, match=r"2024-04-kent-street\.csv: a link to .*secret\.csv, outside the folder")\
            as err:
        policeuk.load_folder(folder, "street", "kent")
    assert "root:x" not in str(err.value)
    # A link to another police.uk file elsewhere is refused too: only the folder's own files are read.
    elsewhere = write_folder(tmp_path / "other", months=1, street_rows=30, lsoas=5)
    street.unlink()
    street.symlink_to(elsewhere / "2024-04" / "2024-04-kent-street.csv")
    with pytest.raises(LocalDataError, match=r"outside the folder"):
        policeuk.load_folder(folder, "street", "kent")


@pytest.mark.parametrize("special, message", [("device", r"a link to /dev/zero, outside the folder"),
                                              ("pipe", r"a named pipe, not a regular file")])
def test_a_device_or_a_pipe_in_the_folder_is_refused_without_reading_it(tmp_path, special, message):
    import os
    import signal

    folder, street = _one_month(tmp_path)
    street.unlink()
    if special == "device":
        street.symlink_to("/dev/zero")  # read, it would fill memory
    else:
        os.mkfifo(street)  # opened, it would hang the build
    def hung(signum, frame):
        raise TimeoutError("the loader opened the pipe and waited for a writer")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)  # so a hang fails the test instead of stalling it
    try:
        with pytest.raises(LocalDataError, match=rf"2024-04-kent-street\.csv: {message}"):
            policeuk.load_folder(folder, "street", "kent")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_header_that_is_not_police_uk_is_named_without_quoting_it(tmp_path):
    folder, street = _one_month(tmp_path)
    street.write_text("secret-header-value,other\n1,2\n")
    with pytest.raises(SchemaError, match=r"not a police.uk 'street' file") as err:
        policeuk.load_folder(folder, "street", "kent")
    assert "secret-header-value" not in str(err.value)


def test_an_unreadable_file_gets_a_message_naming_it_not_a_traceback(tmp_path):
    folder, street = _one_month(tmp_path)
    header = street.read_text().splitlines()[0]
    street.write_text(header + '\n"unterminated,' + "x" * 10 + "\n")
    with pytest.raises(LocalDataError, match=r"2024-04-kent-street\.csv: not a readable CSV file"):
        policeuk.load_folder(folder, "street", "kent")


@pytest.mark.parametrize("copy_to", [".", "2024-05"], ids=["top level", "another month's folder"])
def test_a_month_present_twice_is_refused_naming_both_files(tmp_path, copy_to):
    folder = write_folder(tmp_path / "kent", months=2, street_rows=300, lsoas=30)
    shutil.copy(folder / "2024-04" / "2024-04-kent-street.csv", folder / copy_to)
    with pytest.raises(LocalDataError, match=r"2024-04-kent-street\.csv.*(also in|folder is named)"):
        policeuk.load_folder(folder, "street", "kent")
    if copy_to == ".":
        with pytest.raises(LocalDataError, match=r"2024-04 is also in .*2024-04-kent-street\.csv"):
            policeuk.load_folder(folder, "street", "kent")


def test_a_month_folder_named_for_another_month_is_refused(tmp_path):
    folder = write_folder(tmp_path / "kent", months=1, street_rows=300, lsoas=30)
    (folder / "2024-04").rename(folder / "2024-07")
    with pytest.raises(LocalDataError, match=r"for 2024-04 but its folder is named '2024-07'"):
        policeuk.load_folder(folder, "outcomes", "kent")


@pytest.mark.parametrize("month", ["2024-13", "0000-01"])
def test_a_month_that_is_not_a_calendar_month_is_refused(tmp_path, month):
    folder = write_folder(tmp_path / "kent", months=1, street_rows=300, lsoas=30)
    (folder / "2024-04" / "2024-04-kent-street.csv").rename(folder / "2024-04" / f"{month}-kent-street.csv")
    (folder / "2024-04").rename(folder / month)
    with pytest.raises(LocalDataError, match=rf"{month}-kent-street\.csv: '{month}' .* not a month police\.uk"):
        policeuk.load_folder(folder, "street", "kent")


def test_searches_dated_outside_their_file_s_month_are_refused(tmp_path):
    folder = write_folder(tmp_path / "kent", months=1, street_rows=300, lsoas=30)
    file = folder / "2024-04" / "2024-04-kent-stop-and-search.csv"
    frame = pd.read_csv(file, dtype=str, keep_default_na=False)
    frame.loc[3, "Date"] = "2019-06-01T12:00:00+00:00"
    frame.to_csv(file, index=False)
    with pytest.raises(LocalDataError, match=r"line 5: column 'Date' has '2019-06-01.*expected a date in 2024-04"):
        policeuk.load_folder(folder, "stop-and-search", "kent")


@pytest.mark.parametrize("kind,column,value", [("street", "Longitude", "151.2"), ("street", "Latitude", "-33.8"),
                                               ("street", "Longitude", "1e309"),
                                               ("stop-and-search", "Latitude", "-33.8")])
def test_coordinates_outside_england_and_wales_or_not_finite_are_refused(tmp_path, kind, column, value):
    folder = write_folder(tmp_path / "kent", months=1, street_rows=300, lsoas=30)
    file = folder / "2024-04" / f"2024-04-kent-{kind}.csv"
    frame = pd.read_csv(file, dtype=str, keep_default_na=False)
    frame.loc[0, column], frame.loc[0, "Longitude" if column == "Latitude" else "Latitude"] = value, "0.5" if \
        column == "Latitude" else "51.3"
    frame.to_csv(file, index=False)
    with pytest.raises(LocalDataError, match=rf"line 2: column '{column}' has .*inside England and Wales"):
        policeuk.load_folder(folder, kind, "kent")


def test_a_header_only_file_is_a_missing_month_not_a_month_of_none(tmp_path):
    folder = write_folder(tmp_path / "kent", months=3, street_rows=300, lsoas=30)
    file = folder / "2024-05" / "2024-05-kent-street.csv"
    file.write_text(file.read_text().splitlines()[0] + "\n")
    crimes = policeuk.load_folder(folder, "street", "kent")
    assert crimes.attrs["months"] == ["2024-04", "2024-06"] and crimes.attrs["missing_months"] == ["2024-05"]
    for month in ("2024-04", "2024-06"):
        path = folder / month / f"{month}-kent-street.csv"
        path.write_text(path.read_text().splitlines()[0] + "\n")
    with pytest.raises(LocalDataError, match="header and no records"):
        policeuk.load_folder(folder, "street", "kent")


@pytest.mark.parametrize("char", ["\x00", "\u202e", "\u2067"])
def test_nul_and_text_direction_characters_in_a_label_are_refused(tmp_path, char):
    folder = write_folder(tmp_path / "kent", months=1, street_rows=300, lsoas=30)
    file = folder / "2024-04" / "2024-04-kent-street.csv"
    frame = pd.read_csv(file, dtype=str, keep_default_na=False)
    frame.loc[4, "Location"] = f"On or near {char}teertS"
    frame.to_csv(file, index=False)
    with pytest.raises(LocalDataError, match=rf"line 6: column 'Location' holds the character U\+{ord(char):04X}"):
        policeuk.load_folder(folder, "street", "kent")

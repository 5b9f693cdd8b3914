"""An edition built from a hostile force's files: markup in every free-text field and in the file names stays text in
every page, and no cell of any CSV the edition offers can run as a spreadsheet formula."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from analysis import config
from analysis.present import inert
from analysis.publish import datapack, editions
from tests.fixtures.make_local_survey import write_survey
from tests.fixtures.make_policeuk import write_folder
from tests.gates.browser import serve

MARK = "INJECTED"
IMG = f"<img src=x onerror=\"document.title='{MARK}'\">"
SCRIPT = f"<script>document.title='{MARK}'</script>"
SVG = f"<svg onload=document.title='{MARK}'>"
LINK = f"[read this](javascript:document.title='{MARK}')"
# In a <script> element "<!--" then "<script" changes the HTML parser's state: unescaped in chart data, it swallowed
# the rest of the page into the chart's script (issue 36).
COMMENT = "<!--<script>"
FORMULAS = ['=HYPERLINK("http://example.invalid","click")', "@SUM(1+1)", "+1+2", "-3+4"]
# Every free-text field of the local survey format, each given markup (the force's own area must stay its name).
SURVEY = {"Confidence in local police": f"Confidence{SCRIPT}", "Police treat everyone fairly": f"Fairness{IMG}",
          "Age: 16 to 24": f"Age: 16 to 24{SVG}", "Age: 25 to 54": f"Age: 25 to 54{COMMENT}",
          "2024/25 Q4": f"2024/25 Q4{IMG}", "2024/25 Q3": LINK,
          "Canterbury": IMG, "Dartford": SCRIPT, **dict(zip(["Maidstone", "Medway", "Thanet", "Swale"], FORMULAS))}
# Live markup, as the browser sees the page: an element the payloads would add, or the title they would set.
LIVE = """() => ({title: document.title,
  injected: document.querySelectorAll('img[src="x"], svg[onload], [onerror], a[href^="javascript:"]').length,
  scripts: [...document.scripts].filter(s => s.textContent.includes("document.title='INJECTED'")
                                             && !s.textContent.includes('vegaEmbed')).length,
  text: document.body.innerText, charts: document.querySelectorAll('.pcp-vega').length})"""
SWAPPED = "SWAPPED-MID-BUILD"

pytestmark = pytest.mark.gate  # a real edition build and a browser


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    """A Kent edition built from a survey and a police.uk folder whose text and names carry markup and formulas."""
    tmp = tmp_path_factory.mktemp("hostile")
    survey = write_survey(tmp / "plain.csv")
    text = survey.read_text(encoding="utf-8")
    for plain, hostile_text in SURVEY.items():
        quoted = '"' + hostile_text.replace('"', '""') + '"'
        text = re.sub(rf"(?m)(^|,){re.escape(plain)}(?=,)", lambda m, q=quoted: m.group(1) + q, text)
    named = tmp / f"kent{SVG}\nsurvey{IMG}.csv"
    named.write_text(text, encoding="utf-8")
    survey.unlink()
    folder = write_folder(tmp / f"kent{IMG}\npolice.uk", months=2, street_rows=300, lsoas=40)
    for file in folder.rglob("*-street.csv"):
        frame = pd.read_csv(file, dtype=str, keep_default_na=False)
        frame["Location"] = IMG
        frame["LSOA name"] = SCRIPT
        frame.to_csv(file, index=False)
    out = tmp / "editions"
    # Once the build has made its snapshot and started the notebooks, the survey is rewritten: no page may show it.
    swapped = threading.Thread(target=_swap_once_started, args=(out, named, text.replace("Confidence", SWAPPED)))
    swapped.start()
    result = editions.build_edition("kent", out, out / "figures", use_cache=False,
                                    local={"local_survey": str(named), "policeuk": str(folder)})
    swapped.join()
    assert result.status == "built", result.detail
    assert named.read_text(encoding="utf-8") != text, "the survey was not changed during the build"
    return out / "kent"


def _swap_once_started(out: Path, survey: Path, new_text: str) -> None:
    deadline = time.time() + 300
    while time.time() < deadline and not list(out.glob(".kent-*/src")):
        time.sleep(0.05)
    survey.write_text(new_text, encoding="utf-8")


def test_markup_from_a_force_s_files_and_file_names_stays_text_in_every_page(hostile, chrome):
    pages = [*sorted((hostile / "html" / "book").glob("*.html")), hostile / "briefing.html"]
    assert len(pages) >= 10
    shown = ""
    with serve(hostile) as base:
        for page in pages:
            tab = chrome.new_page()
            try:
                tab.goto(f"{base}/{page.relative_to(hostile).as_posix()}", wait_until="load", timeout=60_000)
                live = tab.evaluate(LIVE)
            finally:
                tab.close()
            assert MARK not in live["title"], f"{page.name}: a payload ran and set the title to {live['title']!r}"
            assert live["injected"] == 0 and live["scripts"] == 0, f"{page.name}: live markup from a force's file"
            assert live["charts"] == page.read_text(encoding="utf-8").count('class="pcp-vega"'), \
                f"{page.name}: a chart's script swallowed the page after it"
            assert SWAPPED not in live["text"], f"{page.name}: shows the survey as changed mid-build"
            shown += live["text"]
    # The payloads were shown, as text, where the page names the measure, area, period and file.
    for text in (f"Confidence{SCRIPT}", IMG, f"kent{SVG} survey{IMG}.csv"):
        assert text in shown, f"{text!r} does not appear as text"


def test_no_csv_cell_an_edition_offers_can_run_as_a_formula(hostile):
    cells = []
    for page in hostile.rglob("*.html"):
        for _, href in datapack.CSV_LINK.findall(page.read_text(encoding="utf-8")):
            table = (page.parent / href).read_text(encoding="utf-8")
            cells += [c for row in csv.reader(io.StringIO(table)) for c in row]
    assert cells, "no chart offered its data as CSV"
    running = [c for c in cells if c.startswith(inert.FORMULA_STARTS) and not _number(c)]
    assert not running, f"cells a spreadsheet would run: {sorted(set(running))[:5]}"
    assert {"'" + f for f in FORMULAS} <= set(cells), "the formula-like area names are not in the chart data"


def _number(cell: str) -> bool:
    """A number ('-0.5'): a spreadsheet reads it as a value, not a formula."""
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_the_edition_records_the_survey_it_was_built_from_not_the_one_changed_mid_build(hostile):
    import json

    meta = json.loads((hostile / "edition.json").read_text())
    survey = meta["local_data"]["local_survey"]
    assert survey["sha256"] != hashlib.sha256(Path(survey["path"]).read_bytes()).hexdigest()
    assert SWAPPED not in (hostile / "figures.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("case", ["NUL", "bidi", "duplicated month"])
def test_nul_bidi_and_a_duplicated_month_stop_the_command_line_before_it_builds(tmp_path, case):
    survey, folder = write_survey(tmp_path / "survey.csv"), None
    if case == "duplicated month":
        folder = write_folder(tmp_path / "police.uk", months=2, street_rows=100, lsoas=10)
        shutil.copy(folder / "2024-04" / "2024-04-kent-street.csv", folder / "2024-05")
        expected = "the file is for 2024-04 but its folder is named '2024-05'"
    else:
        char = "\x00" if case == "NUL" else "\u202e"
        survey.write_text(survey.read_text(encoding="utf-8").replace("Dartford", f"Dart{char}ford"), encoding="utf-8")
        expected = f"holds the character U+{ord(char):04X}"
    args = [f"--local-survey={survey}"] + ([f"--policeuk={folder}"] if folder else [])
    result = subprocess.run([sys.executable, "-m", "analysis", "edition", *args, "--", "kent"], capture_output=True,
                            text=True, timeout=120, cwd=config.REPO_ROOT)
    assert result.returncode == 2 and expected in result.stderr and "Traceback" not in result.stderr

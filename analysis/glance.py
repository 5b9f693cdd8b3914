"""A force's key figures against England and Wales and its comparable forces, with significance-aware wording."""

from __future__ import annotations

import pandas as pd

from analysis import comparable, config, csew, fairness, forces, localfiles, manifest, met_pas, neighbourhood, stats
from analysis import suspects, wider, workforce, wrongdoing
from analysis import stop_search as ss
from analysis.figures import Figure, Section

ENGLAND_AND_WALES = forces.ENGLAND_AND_WALES


def _rate_wording(count, exposure, ref_count, ref_exposure) -> tuple[str, float, float, float]:
    """Compare a force's rate with England and Wales by a Poisson score test: (wording, ratio, low, high)."""
    row = stats.poisson_rate_ratio(count, exposure, ref_count, ref_exposure).iloc[0]
    if pd.isna(row["p_value"]):
        return "too few to say against", row["rate_ratio"], row["ci_low"], row["ci_high"]
    if row["p_value"] >= 1 - config.CONFIDENCE_LEVEL:
        return "similar to", row["rate_ratio"], row["ci_low"], row["ci_high"]
    return ("higher than" if row["rate_ratio"] > 1 else "lower than"), row["rate_ratio"], row["ci_low"], row["ci_high"]


def at_a_glance(force: str) -> Section:
    """The force's key figures: each with England and Wales, its comparable forces and, where sampled, a CI."""
    f = forces.resolve(force)
    peers = comparable.comparable_to(f.code)
    rows, figures = [], [Figure("force_name", f.name, "force", []),
                         Figure("peer_names", ", ".join(forces.get(c).short_name for c in peers), "forces",
                                comparable.DATASETS)]

    # Stop and search per 1,000 residents (latest year): a Poisson comparison with England and Wales.
    rates = suspects.searches_per_1000().set_index("pfa_code")
    me, ew = rates.loc[f.code], rates.loc[ENGLAND_AND_WALES]
    wording, ratio, low, high = _rate_wording(me["searches"], me["population"], ew["searches"], ew["population"])
    year = csew.csew_year(int(me["year_ending"]))
    rows.append({"measure": f"Stop and searches per 1,000 residents, {year}", "force": me["per_1000"],
                 "England and Wales": ew["per_1000"], "comparable forces": rates.loc[peers, "per_1000"].mean(),
                 "comparison": f"{wording} England and Wales (rate ratio {ratio:.2f}, 95% CI {low:.2f} to {high:.2f})"})
    figures += [Figure("g_search_rate", me["per_1000"], "per 1,000", suspects.RATE_DATA, "{:.1f}"),
                Figure("g_search_rate_ew", ew["per_1000"], "per 1,000", suspects.RATE_DATA, "{:.1f}"),
                Figure("g_search_wording", wording, "comparison", suspects.RATE_DATA),
                Figure("g_search_year", year, "year", suspects.RATE_DATA)]

    # Black/White search rate ratio (latest year) with its CI.
    ratios = fairness.rate_ratio_table()
    latest = int(ratios["year_ending"].max())
    bw = ratios[(ratios["group"] == "Black") & (ratios["year_ending"] == latest)].set_index("pfa_code")
    mine = bw.loc[f.code]
    label = mine["label"] if mine["label"] == ss.TOO_FEW else (
        f"{mine['rate_ratio']:.1f} (95% CI {mine['ci_low']:.1f} to {mine['ci_high']:.1f})")
    rows.append({"measure": f"Black/White stop and search rate ratio, {csew.csew_year(latest)}",
                 "force": mine["rate_ratio"], "England and Wales": bw.at[ENGLAND_AND_WALES, "rate_ratio"],
                 "comparable forces": bw.loc[peers, "rate_ratio"].mean(), "comparison": label})
    figures.append(Figure("g_bw_label", label, "ratio", suspects.RATE_DATA))

    # Officers and PCSOs per 100,000 (counts: no sampling error).
    table = neighbourhood.rates()
    table = table[(table["role"] == workforce.NEIGHBOURHOOD_ROLES)]
    wf_year = int(table["year"].max())
    now = table[table["year"] == wf_year].set_index("pfa_code")["per_100k"]
    diff = now[f.code] - now[ENGLAND_AND_WALES]
    rows.append({"measure": f"Officers and PCSOs per 100,000 residents, 31 March {wf_year}", "force": now[f.code],
                 "England and Wales": now[ENGLAND_AND_WALES], "comparable forces": now[peers].mean(),
                 "comparison": f"{abs(diff):.0f} {'more' if diff > 0 else 'fewer'} than England and Wales "
                               "(a staff count, so no sampling error)"})
    figures += [Figure("g_workforce", now[f.code], "per 100,000", neighbourhood.WORKFORCE_DATA),
                Figure("g_workforce_ew", now[ENGLAND_AND_WALES], "per 100,000", neighbourhood.WORKFORCE_DATA),
                Figure("g_workforce_peers", now[peers].mean(), "per 100,000", neighbourhood.WORKFORCE_DATA)]

    # Anti-social behaviour (CSEW, ONS's own test).
    asb = wider.asb_table()
    asb = asb[asb["year_ending"] == max(wider.ASB_YEARS)].set_index("area_code")
    rows.append({"measure": f"Adults experiencing or witnessing ASB, {csew.csew_year(max(wider.ASB_YEARS))} (%)",
                 "force": asb.at[f.code, "asb_pct"], "England and Wales": asb.at[ENGLAND_AND_WALES, "asb_pct"],
                 "comparable forces": asb.reindex(peers)["asb_pct"].mean(),
                 "comparison": f"{asb.at[f.code, 'against_england_and_wales']} (ONS test)"})
    figures.append(Figure("g_asb_wording", asb.at[f.code, "against_england_and_wales"], "comparison",
                          [wider.pfa_tables.FILES[max(wider.ASB_YEARS)]]))

    # Deaths following contact: a count with an exact interval.
    deaths = wrongdoing.deaths_by_force().set_index("pfa_code")
    d = deaths.loc[f.code]
    rows.append({"measure": "Deaths during or following police contact, 2004/05 to 2019/20", "force": d["fatalities"],
                 "England and Wales": deaths["fatalities"].sum(), "comparable forces": deaths.loc[peers, "fatalities"].mean(),
                 "comparison": f"exact 95% interval {d['ci_low']:.0f} to {d['ci_high']:.0f}; a count, not a rate"})
    figures.append(Figure("g_deaths", d["fatalities"], "deaths", wrongdoing.DEATHS_DATA))
    # Shown as a table: "n/a" where a force has no published value (ASB for London's two forces).
    table = pd.DataFrame(rows).round(1).set_index("measure").astype(object).fillna("n/a")
    return Section(table, None, figures)


def local_data(force: str, local_survey: str | None = None, policeuk: str | None = None) -> Section:
    """The force's own files this edition used, each with its sha256, so a reader can tell which files they were."""
    f = forces.resolve(force)
    rows, figures = [], []
    for what, path, key in (("Local survey", local_survey, "g_local_survey"), ("police.uk download", policeuk,
                                                                                "g_policeuk")):
        if path:
            fp = localfiles.fingerprint(path)
            rows.append({"data": what, "file or folder": fp["name"], "sha256": fp["sha256"]})
            figures += [Figure(f"{key}_name", fp["name"], "file", [f"local {fp['name']}"]),
                        Figure(f"{key}_sha256", fp["sha256"], "sha256", [f"local {fp['name']}"])]
        elif what == "Local survey" and f.code == "E23000001":
            rows.append({"data": what, "file or folder": "MOPAC Public Attitude Survey, borough file (public)",
                         "sha256": manifest.raw_file(met_pas.BOROUGH_FILE).sha256})
        else:
            rows.append({"data": what, "file or folder": "none supplied", "sha256": ""})
    return Section(pd.DataFrame(rows), None, figures)

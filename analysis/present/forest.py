"""Charts of a meta-analysis's samples: a caterpillar forest plot (every sample sorted, the pooled estimate, its
interval and the prediction interval) and a funnel of each sample's effect against its standard error."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from analysis.present.theme import COLUMN_WIDTH, GREY, PALETTE, axis_title, finish

ROW_PX = 4  # pixels per sample: 152 samples make a plot about 600 px tall, readable on a phone and a desktop
# Room between the data and the frame, as a share of the data's span: no dot or whisker end sits on an edge.
PAD = 0.04


def padded(low: float, high: float, share: float = PAD) -> tuple[float, float]:
    """A scale's domain that holds low to high with `share` of the span spare at each end (one unit where the span
    is nil)."""
    pad = (high - low) * share or 1.0
    return low - pad, high + pad
POOLED = PALETTE[5]
BAND = PALETTE[4]

_SAMPLE_TOOLTIP = [alt.Tooltip("sample:N", title="Sample"), alt.Tooltip("country:N", title="Country"),
                   alt.Tooltip("n:Q", title="n", format=","), alt.Tooltip("r:Q", title="r", format=".2f")]


def caterpillar(samples: pd.DataFrame, pooled: pd.Series, *, name: str, description: str, source: str, title: str,
                x_title: str, subtitle=None) -> alt.LayerChart:
    """Every sample as a dot with its 95% interval, sorted by value (a caterpillar plot: too many to label, each
    named in its tooltip), over a pale band for the 95% prediction interval, with the pooled estimate as a line in
    a darker band for its 95% confidence interval.

    Expects samples with columns sample, country, n, r, ci_low, ci_high; pooled with estimate_r, hk_ci_low_r,
    hk_ci_high_r, pi_low_r and pi_high_r.
    """
    frame = samples.sort_values(["r", "n"], kind="stable").reset_index(drop=True)
    frame = frame.assign(order=range(1, len(frame) + 1))
    y = alt.Y("order:Q", title=f"{len(frame)} samples, lowest to highest",
              axis=alt.Axis(labels=False, ticks=False, grid=False),
              scale=alt.Scale(domain=list(padded(1, len(frame))), nice=False))
    # From the lowest to the highest end of any interval or band, padded, then out to tenths (never past -1 or 1, where
    # no interval of r reaches): the whole of -1 to 1 would leave most of the plot empty.
    low, high = padded(min(frame["ci_low"].min(), pooled["pi_low_r"]), max(frame["ci_high"].max(), pooled["pi_high_r"]))
    x_scale = alt.Scale(domain=[max(-1.0, np.floor(10 * low) / 10), min(1.0, np.ceil(10 * high) / 10)], nice=False)
    bands = pd.DataFrame({
        "what": ["95% prediction interval", "95% confidence interval of the pooled r"],
        "low": [pooled["pi_low_r"], pooled["hk_ci_low_r"]], "high": [pooled["pi_high_r"], pooled["hk_ci_high_r"]],
        "opacity": [0.25, 0.5],
    })
    band = alt.Chart(bands).mark_rect(color=BAND).encode(
        x=alt.X("low:Q", scale=x_scale, title=axis_title(x_title)), x2="high:Q",
        opacity=alt.Opacity("opacity:Q", legend=None, scale=None),
        tooltip=[alt.Tooltip("what:N", title=" "), alt.Tooltip("low:Q", title="From", format=".2f"),
                 alt.Tooltip("high:Q", title="To", format=".2f")])
    centre = alt.Chart(pd.DataFrame({"r": [pooled["estimate_r"]], "what": ["pooled r"]})).mark_rule(
        color=POOLED, strokeWidth=2).encode(x="r:Q", tooltip=[alt.Tooltip("what:N", title=" "),
                                                             alt.Tooltip("r:Q", format=".2f")])
    zero = alt.Chart(pd.DataFrame({"r": [0.0]})).mark_rule(color="#000", strokeDash=[3, 3]).encode(x="r:Q")
    tooltip = [*_SAMPLE_TOOLTIP, alt.Tooltip("ci_low:Q", title="95% CI from", format=".2f"),
               alt.Tooltip("ci_high:Q", title="95% CI to", format=".2f")]
    base = alt.Chart(frame)
    whiskers = base.mark_rule(color=GREY, strokeWidth=1).encode(x="ci_low:Q", x2="ci_high:Q", y=y, tooltip=tooltip)
    dots = base.mark_point(filled=True, size=10, color=PALETTE[0]).encode(x="r:Q", y=y, tooltip=tooltip)
    chart = alt.layer(band, zero, whiskers, dots, centre, **COLUMN_WIDTH, height=ROW_PX * len(frame))
    return finish(chart, name=name, description=description, source=source, title=title, subtitle=subtitle)


def precision_funnel(samples: pd.DataFrame, centre: float, *, name: str, description: str, source: str, title: str,
                     x_title: str, group: str, subtitle=None) -> alt.LayerChart:
    """Each sample's effect (x) against its standard error (y, zero at the top), with the lines centre ± 1.96 SE
    that 95% of samples would fall within if they differed by chance alone; `group` (a column) gives each sample
    its colour and shape, so colour is never the only cue.

    Expects columns sample, country, n, z and se_z, and the `group` column.
    """
    # Both scales padded from the data (the samples and the limit lines), so no point sits on the frame.
    top = float(samples["se_z"].max()) * (1 + PAD)
    limits = pd.DataFrame({"se_z": [0.0, top, 0.0, top], "side": ["low", "low", "high", "high"]})
    limits = limits.assign(z=centre + limits["se_z"] * limits["side"].map({"low": -1.96, "high": 1.96}))
    # Ticks from zero only: the padding above zero is room for the largest samples, not a standard error below zero.
    y = alt.Y("se_z:Q", title=axis_title("Standard error (larger samples at the top)"),
              scale=alt.Scale(reverse=True, domain=[-PAD * top, top], nice=False), axis=alt.Axis(values=_ticks(top)))
    z = pd.concat([samples["z"], limits["z"]])
    x = alt.X("z:Q", title=axis_title(x_title), scale=alt.Scale(domain=list(padded(z.min(), z.max())), nice=False))
    lines = alt.Chart(limits).mark_line(color=GREY, strokeDash=[4, 3], strokeWidth=1.5).encode(
        x=x, y=y, detail="side:N")
    mid = alt.Chart(pd.DataFrame({"z": [centre]})).mark_rule(color=POOLED, strokeWidth=2).encode(x="z:Q")
    groups = sorted(samples[group].unique())
    dots = alt.Chart(samples).mark_point(filled=True, size=40, opacity=0.8).encode(
        x=x, y=y,
        color=alt.Color(f"{group}:N", title=None, scale=alt.Scale(domain=groups, range=PALETTE[:len(groups)])),
        shape=alt.Shape(f"{group}:N", title=None, scale=alt.Scale(domain=groups, range=["circle", "triangle-up",
                                                                                        "square"][:len(groups)])),
        tooltip=[*_SAMPLE_TOOLTIP, alt.Tooltip("z:Q", title="Fisher z", format=".2f"),
                 alt.Tooltip("se_z:Q", title="Standard error", format=".3f"), alt.Tooltip(f"{group}:N", title=" ")])
    chart = alt.layer(lines, mid, dots, **COLUMN_WIDTH, height=320)
    return finish(chart, name=name, description=description, source=source, title=title, subtitle=subtitle)


def _ticks(top: float) -> list[float]:
    """Round tick values from 0 up to `top`, four to eight of them (steps of 1, 2 or 5 times a power of ten)."""
    power = 10 ** np.floor(np.log10(top / 4))
    step = next(power * m for m in (1, 2, 5, 10) if top / (power * m) <= 8)
    return [round(float(v), 10) for v in np.arange(0, top + step / 1e6, step) if v <= top]

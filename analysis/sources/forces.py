"""The one registry of the 43 territorial police forces, and resolving user input to a force."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import pandas as pd

from analysis import config
from analysis.sources import cache
from analysis.sources.schemas import Column, Schema, validate

# The City of London's resident population is tiny beside its daytime one, so its per-head rates
# are off any chart scale that fits the other 42 forces.
CITY_OF_LONDON = "E23000034"
_CODE = re.compile(r"^(E23000\d{3}|W15000\d{3})$")

REGISTRY_SCHEMA = Schema(
    "force registry",
    (
        Column("pfa_code", "str"),
        Column("name", "str"),
        Column("short_name", "str"),
        Column("slug", "str"),
        Column("name_ons", "str"),
        Column("name_home_office", "str"),
        Column("name_census", "str"),
        Column("region", "str"),
        Column("country", "str", allowed=frozenset({"England", "Wales"})),
        Column("aliases", "str"),
        # Who holds the force to account (whom its briefing addresses) and the title of its chief officer.
        Column("oversight", "str"),
        Column("chief_officer", "str", allowed=frozenset({"chief constable", "Commissioner"})),
    ),
    unique=("pfa_code",),
)


class UnknownForceError(ValueError):
    """Input that names none of the 43 forces; the message lists the closest valid names."""


@dataclass(frozen=True)
class Force:
    """A territorial police force, keyed by its ONS police force area code."""

    code: str
    name: str
    short_name: str
    slug: str
    region: str
    country: str


@cache.in_memory
def registry() -> pd.DataFrame:
    """The 43 forces, one row each, in ONS code order."""
    df = pd.read_csv(config.FORCES_PATH, dtype=str, keep_default_na=False)
    validate(df, REGISTRY_SCHEMA, str(config.FORCES_PATH))
    bad = df.loc[~df["pfa_code"].str.match(_CODE), "pfa_code"]
    if len(df) != 43 or len(bad):
        raise ValueError(f"{config.FORCES_PATH}: expected 43 E23/W15 force codes, got {len(df)} ({list(bad)})")
    return df.sort_values("pfa_code", ignore_index=True, kind="stable")


def force_codes() -> frozenset[str]:
    return frozenset(registry()["pfa_code"])


def code_column() -> Column:
    """The schema column `pfa_code`, which must hold one of the 43 ONS force codes."""
    return Column("pfa_code", "str", allowed=force_codes(), allowed_label="one of the 43 ONS force codes")


def _normalise(text: str) -> str:
    text = text.strip().lower().replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


@cache.in_memory
def _lookup() -> dict[str, str]:
    """Every accepted spelling (normalised) -> ONS code."""
    table: dict[str, str] = {}
    for row in registry().itertuples():
        spellings = [row.pfa_code, row.name, row.short_name, row.slug, row.name_ons,
                     row.name_home_office, row.name_census]
        spellings += (row.aliases or "").split(";")
        for s in filter(None, spellings):
            table[_normalise(s)] = row.pfa_code
    return table


@cache.in_memory
def oversight(code: str) -> tuple[str, str]:
    """Who holds the force to account ("the Police and Crime Commissioner", MOPAC for the Met, the Police Authority
    Board for the City of London) and the title of the chief officer they hold to account."""
    row = registry().set_index("pfa_code").loc[code]
    return row["oversight"], row["chief_officer"]


@cache.in_memory
def get(code: str) -> Force:
    """The force with this ONS code (kept per process: an edition asks for a force some two hundred times)."""
    row = registry().set_index("pfa_code").loc[code]
    return Force(code, row["name"], row["short_name"], row["slug"], row["region"], row["country"])


ENGLAND_AND_WALES = "K04000001"
METROPOLITAN = "E23000001"
# Not an ONS code: the 42 forces other than the Met, a comparison line for national figures the Met dominates.
EW_EXCLUDING_MET = "K04000001-excl-E23000001"
NATIONAL_NAMES = {ENGLAND_AND_WALES: "England and Wales", EW_EXCLUDING_MET: "England and Wales excluding the Met"}
NATIONAL_SHORT_NAMES = {ENGLAND_AND_WALES: "England and Wales", EW_EXCLUDING_MET: "E&W excluding the Met"}
# Areas ONS reports for several forces together: code -> (short label, the force codes it covers). The CSEW
# force-area tables file London's two forces as one row under the London region code.
COMBINED_AREAS = {"E12000007": ("London (Met and City)", (METROPOLITAN, CITY_OF_LONDON))}


def area_names(codes: pd.Series) -> pd.Series:
    """Display names for force codes, with 'England and Wales' (and the excluding-the-Met total) for national rows."""
    names = registry().set_index("pfa_code")["name"].to_dict() | NATIONAL_NAMES
    return codes.map(names)


def with_codes(df: pd.DataFrame, name_col: str, source: str) -> pd.DataFrame:
    """Rows of a published table with the ONS code of the force named in `name_col`; national and other
    non-territorial rows are dropped, and a name that is neither raises an error naming `source` (see code_for)."""
    codes = {n: code_for(n, source) for n in df[name_col].unique()}
    df = df.assign(pfa_code=df[name_col].map(codes))
    return df[df["pfa_code"].notna()]


def add_england_and_wales(df: pd.DataFrame, keys: list[str], values: list[str],
                          without_met: bool = False) -> pd.DataFrame:
    """Append England and Wales totals (sum of the 43 forces) under code K04000001; with `without_met`, also
    the total of the other 42 forces, which shows how far the Metropolitan Police drives a national figure."""
    totals = [df.groupby(keys, as_index=False)[values].sum().assign(pfa_code=ENGLAND_AND_WALES)]
    if without_met:
        rest = df[df["pfa_code"] != METROPOLITAN]
        totals.append(rest.groupby(keys, as_index=False)[values].sum().assign(pfa_code=EW_EXCLUDING_MET))
    return pd.concat([df, *totals], ignore_index=True)


def each_force(values: pd.Series, name: str) -> pd.Series:
    """`values` (keyed by ONS code) for the 43 forces in code order, named `name`: a force without one is missing."""
    return values.reindex(sorted(force_codes())).rename(name).rename_axis("pfa_code")


def resolve(text: str) -> Force:
    """The force named by an ONS code, name, slug or published name variant (any case)."""
    if not isinstance(text, str) or not text.strip():
        raise UnknownForceError(
            f"force must be a non-empty ONS code, name or slug; got {text!r}. "
            "Example: 'E23000032', 'Kent Police' or 'kent'."
        )
    key = _normalise(text)
    code = _lookup().get(key)
    if code is None:
        # Also accept a display name with the force's own word ("Kent Constabulary").
        stripped = re.sub(r"\b(police|constabulary|service)\b", "", key).strip()
        code = _lookup().get(stripped)
    if code is None:
        raise UnknownForceError(f"unknown force {text!r}; closest valid names: {', '.join(closest(text))}")
    return get(code)


def closest(text: str, n: int = 5) -> list[str]:
    """The display names (with slug) nearest to `text`, for error messages."""
    reg = registry()
    by_spelling = _lookup()
    hits = difflib.get_close_matches(_normalise(text), list(by_spelling), n=n * 3, cutoff=0.4)
    codes = list(dict.fromkeys(by_spelling[h] for h in hits))[:n]
    if not codes:
        codes = list(reg["pfa_code"][:n])
    names = reg.set_index("pfa_code")
    return [f"{names.at[c, 'name']} ({names.at[c, 'slug']})" for c in codes]


def is_known_name(name: str) -> bool:
    """Whether code_for knows `name` (a force or a known national row), without building its error message."""
    return _normalise(name) in _lookup() or _normalise(name) in _NON_TERRITORIAL


def code_for(name: str, source: str) -> str | None:
    """Map a force name as printed in a data file to its code; None for non-territorial rows.

    Raises UnknownForceError naming `source` for a name that is neither a force nor one
    of the known non-territorial rows, so a renamed force in a new release cannot vanish.
    """
    code = _lookup().get(_normalise(name))
    if code is not None:
        return code
    if _normalise(name) in _NON_TERRITORIAL:
        return None
    raise UnknownForceError(
        f"{source}: force name {name!r} is not one of the 43 territorial forces "
        f"or a known national row; closest: {', '.join(closest(name))}"
    )


# Rows published beside the 43 forces that the book deliberately leaves out.
_NON_TERRITORIAL = {
    _normalise(n)
    for n in (
        "British Transport Police", "BTP", "HMRC", "Total England and Wales",
        "England and Wales", "England", "Wales", "National Crime Agency",
        # IOPC tables also list these non-territorial appropriate authorities.
        "British Transport", "Ministry of Defence", "SOCA / NCA", "SOCA", "NCA", "Home Office",
    )
}

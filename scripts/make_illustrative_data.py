"""Write the illustrative Council Plan KPI data shipped in ``data/``.

Why this exists: the project must run, render and be tested out of the box, yet no real council
data can be fetched. So this script writes plausible, clearly labelled illustrative figures for
the 63 Council Plan 2025-29 reporting measures of Walsall Council's Performance Management
Framework, in exactly the files ``data/README.md`` describes. It is seeded, so every run writes
byte-identical CSV files; ``tests/test_seed_table.py`` checks that the committed files still
match this script. Sample commentary is written under ``narrative/`` only where a file does not
exist yet: analysts' words are never overwritten.

The figures are invented. They are plausible in size and shape (and loosely follow published
national patterns) but they are not Walsall Council's data.

Deliberate cases a report for 2025/26 Q2 must catch (``check_cases`` verifies on every run that
these lists are exactly what the figures show, so they cannot go stale):

- Off target at the latest value: CFB03, LAH01, LAH05, HFA04, SJA02, QEA01, SEW03, EES01, EES02,
  EES05.
- Year to date with a profiled target: EES02 (council tax collected, cumulative from April) is
  judged at each quarter against its 2025/26 profile (28.5%, 56.0%, 83.5%, then the year's
  96%) and compared only with the same quarter a year earlier: 54.6% at Q2, off target.
- Within tolerance: CFB01, CFB02, CFB05, SCF01, SJA05, ASC03, QEA03.
- Exactly on target: VT03 (85.0% against a target of 85).
- Monitor only (no target): the 20 KPIs without a row in targets.csv, including every KPI with
  no polarity (REC04, CGF02, CGF04, CCH01). REC01 has a target but no figures at all.
- Worsening against both the previous period and the same period a year earlier (beyond the
  change threshold, or with non-overlapping confidence intervals where both figures have
  them): CFB03, CFB04, LAH05, HFA03, HFA04, QEA01, QEA03, SEW03, EES01, EES05. LAH01 and LAH03
  rise, but within overlapping intervals; HFA02, SBG03, CGF03, CCH02 and VT03 are worse on one
  of the two comparisons only.
- SPC (monthly series): special cause of concern at the latest point for HFA04 (long run above
  the mean, lower is better), HFA03 and QEA01 and EES05 (latest point beyond a process limit),
  HFA02, SJA03 and SEW03 (runs above the mean); improving special cause for EES03 (step up
  from 2024-10), ASC01, CGF03, CCH02 and VT01. Limits are recalculated (``spc_rebase``) for
  QEA03 from 2023-10 and EES04 from 2024-04, where the process changed.
- Gaps: CGF02 has no row for 2024-02; CFB05 has blank 2019/20 and 2020/21 rows with the note
  "not collected: ..."; LAH01 has no 2020/21 row; REC02 has no 2020 row (no elections).
- Flags: SJA05 2023/24 revised (with a note); CGF01 2025/26 Q1 provisional (its latest value);
  CCH03 2025/26 Q2 estimated (its latest value); VT02 2022/23 Q3 suppressed (value blank,
  note "suppressed: small numbers").
- Stale: REC03 stops at 2024/25 Q2 although 2025/26 Q1 is due.
- No observations at all: REC01 (a new survey question). Exactly one observation: ASC03.
- Commentary awaited: 2025/26 Q2 has commentary for 10 of the 15 priorities and 41 of the 63
  KPIs (not EES05, although it is an exception); 2025/26 Q1 for 5 priorities and 15 KPIs.

Run: ``python scripts/make_illustrative_data.py [--out DIR]`` (default ``data/``).
"""

from __future__ import annotations

import argparse
import csv
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from pmf_utils.data.periods import (
    Cadence,
    describe_period,
    format_period,
    parse_period,
    parse_quarter,
)
from pmf_utils.data.schema import SPECS

SEED = 20251015
"""Fixed seed: every run writes the same figures."""

REPORT_QUARTER = parse_quarter("2025/26 Q2")
"""The figures are as published by the end of this quarter (30 September 2025)."""

FIRST = {"monthly": "2022-04", "quarterly": "2022/23 Q1"}
"""Where generated monthly and quarterly histories start."""

ROOT = Path(__file__).resolve().parent.parent

# --------------------------------------------------------------------------------------------
# The plan: council, vision, principles, ambitions and priorities (from the seed document)
# --------------------------------------------------------------------------------------------

PLAN: tuple[tuple[str, str], ...] = (
    ("council", "Walsall Council"),
    ("plan_title", "Council Plan 2025-29"),
    ("plan_years", "2025-29"),
    (
        "vision",
        "to be a continuously improving council, delivering excellence, reducing inequalities "
        "and improving life chances for all",
    ),
    ("principle", "Focusing on prevention"),
    ("principle", "Ensuring equity"),
    ("principle", "Working in partnership"),
    ("principle", "Being insight-led"),
    ("principle", "Acting sustainably"),
    ("region_name", "West Midlands"),
    ("neighbours_name", "CIPFA nearest neighbours"),
    ("illustrative", "true"),
)

AMBITIONS: tuple[tuple[str, str], ...] = (
    ("thriving-and-happy", "Thriving and Happy"),
    ("healthy-and-well", "Healthy and Well"),
    ("prosperous-and-innovative", "Prosperous and Innovative"),
    ("proud-of-our-borough", "Proud of our Borough"),
    ("continuously-improving", "Continuously Improving"),
)

# priority_id, ambition_id, name as printed, KPI id prefix
PRIORITIES: tuple[tuple[str, str, str, str], ...] = (
    ("child-friendly-borough", "thriving-and-happy", "Child-friendly borough", "CFB"),
    ("safer-streets-safer-people", "thriving-and-happy", "Safer streets, safer people", "SSP"),
    (
        "resilient-and-empowered-communities",
        "thriving-and-happy",
        "Resilient and Empowered Communities",
        "REC",
    ),
    (
        "living-active-and-healthy-lives",
        "healthy-and-well",
        "Living Active and Healthy Lives",
        "LAH",
    ),
    ("supported-and-cared-for", "healthy-and-well", "Supported and Cared for", "SCF"),
    ("homes-for-all", "healthy-and-well", "Homes for All", "HFA"),
    (
        "supporting-business-and-inclusive-growth",
        "prosperous-and-innovative",
        "Supporting Business and Inclusive Growth",
        "SBG",
    ),
    ("skills-and-jobs-for-all", "prosperous-and-innovative", "Skills and Jobs for All", "SJA"),
    (
        "accessible-services-and-connected-places",
        "prosperous-and-innovative",
        "Accessible Services and Connected Places",
        "ASC",
    ),
    ("a-clean-and-green-future", "proud-of-our-borough", "A clean and green future", "CGF"),
    (
        "celebrating-our-culture-and-heritage",
        "proud-of-our-borough",
        "Celebrating our Culture and Heritage",
        "CCH",
    ),
    ("vibrant-towns", "proud-of-our-borough", "Vibrant Towns", "VT"),
    (
        "a-quality-experience-for-all",
        "continuously-improving",
        "A quality experience for all",
        "QEA",
    ),
    (
        "a-skilled-and-engaged-workforce",
        "continuously-improving",
        "A skilled and engaged workforce",
        "SEW",
    ),
    (
        "efficient-and-effective-services",
        "continuously-improving",
        "Efficient and effective services",
        "EES",
    ),
)

NEIGHBOURS: tuple[str, ...] = (
    "Wolverhampton",
    "Sandwell",
    "Dudley",
    "Oldham",
    "Rochdale",
    "Tameside",
    "Bolton",
    "Wigan",
    "Barnsley",
    "Rotherham",
    "Doncaster",
    "Stoke-on-Trent",
    "Kirklees",
    "Wakefield",
    "Telford and Wrekin",
)
"""A CIPFA-nearest-neighbour-like comparator set of English metropolitan and unitary areas."""

# --------------------------------------------------------------------------------------------
# Series shapes: one generator per shape, parameterised per KPI
# --------------------------------------------------------------------------------------------


def _season_index(period: pd.Period) -> int:
    """Position in the financial year: 0 = April (monthly) or Q1 (quarterly)."""
    if period.freqstr == "M":
        return (period.month - 4) % 12
    return period.quarter - 1


@dataclass(frozen=True)
class Trend:
    """A straight line from ``start`` to ``end`` plus a seasonal swing and random noise.

    ``season`` holds additive offsets from April (monthly) or Q1 (quarterly); ``relative``
    makes the noise a fraction of the value, for counts that swing from tens to hundreds.
    """

    start: float
    end: float
    noise: float = 0.0
    season: tuple[float, ...] = ()
    relative: bool = False

    def generate(
        self, periods: Sequence[pd.Period], frequency: str, rng: np.random.Generator
    ) -> list[float | None]:
        line = np.linspace(self.start, self.end, len(periods))
        draws = rng.normal(0.0, 1.0, len(periods))
        values: list[float | None] = []
        for base, draw, period in zip(line, draws, periods, strict=True):
            value = base + (self.season[_season_index(period)] if self.season else 0.0)
            scale = self.noise * abs(value) if self.relative else self.noise
            values.append(float(value + scale * draw))
        return values


@dataclass(frozen=True)
class Step:
    """A level that shifts from ``before`` to ``after`` at period ``at`` (a change of process)."""

    before: float
    after: float
    at: str
    noise: float = 0.0
    season: tuple[float, ...] = ()

    def generate(
        self, periods: Sequence[pd.Period], frequency: str, rng: np.random.Generator
    ) -> list[float | None]:
        change = parse_period(self.at, frequency)
        draws = rng.normal(0.0, 1.0, len(periods))
        values: list[float | None] = []
        for draw, period in zip(draws, periods, strict=True):
            level = self.after if period >= change else self.before
            level += self.season[_season_index(period)] if self.season else 0.0
            values.append(float(level + self.noise * draw))
        return values


@dataclass(frozen=True)
class Given:
    """Figures written out by hand, from period ``first`` on (``None``: no figure)."""

    first: str
    values: tuple[float | None, ...]

    def periods(self, frequency: str) -> list[pd.Period]:
        start = parse_period(self.first, frequency)
        return [start + i for i in range(len(self.values))]

    def generate(
        self, periods: Sequence[pd.Period], frequency: str, rng: np.random.Generator
    ) -> list[float | None]:
        return list(self.values)


Shape = Trend | Step | Given
Bench = Shape | tuple[float | None, ...] | Mapping[str, float]
"""A benchmark series: a shape, a tuple aligned with a ``Given`` series, or {period: value}."""


@dataclass(frozen=True)
class Mark:
    """What a reader must be told about one figure: a flag, a note, or that it is blank."""

    flag: str = ""
    note: str = ""
    blank: bool = False


@dataclass(frozen=True)
class Target:
    """A target from the start of financial ``year``; ``tolerance`` in the KPI's units."""

    year: str
    target: float
    tolerance: float | None = None
    note: str = ""
    period: str = ""  # a quarter or month of ``year``: a profile target for that period only


@dataclass(frozen=True)
class Kpi:
    """One data-dictionary entry and the recipe for its illustrative history."""

    kpi_id: str
    name: str
    priority_id: str
    definition: str
    methodology: str
    unit: str
    decimals: int
    polarity: str
    frequency: str
    lag: int
    source: str
    owner: str
    benchmark_source: str = ""
    rate_per: int | None = None
    change_threshold: float | None = None
    spc_rebase: str = ""
    year_to_date: bool = False  # figures cumulative from the start of the financial year
    targets: tuple[Target, ...] = ()
    series: Shape | None = None
    end: str | None = None  # last period written, when earlier than due (a stale series)
    den: tuple[float, float] | None = None  # denominator: typical size, relative noise
    ci: str | float | None = None  # "wilson", "poisson" or a survey half-width
    bench: Mapping[str, Bench] = field(default_factory=dict)
    comparators: tuple[str, float] | None = None  # period, spread around the neighbours value
    overrides: Mapping[str, float | tuple[float, int]] = field(default_factory=dict)
    marks: Mapping[str, Mark] = field(default_factory=dict)
    drop: tuple[str, ...] = ()  # periods with no row at all


# Reused wording.
WC = "internal: Walsall Connected CRM"
CHILDRENS_SYSTEM = "internal: children's social care case management system"
ADULTS_SYSTEM = "internal: adult social care case management system"
HR = "internal: HR and payroll system"
FT = "OHID Fingertips"
BUDGET_VARIANCE = (  # £ thousands at each quarter: Q1 to Q3 forecasts, Q4 provisional outturn
    *(2137, 3412, 1806, -583),  # 2022/23
    *(4215, 5634, 3928, 1174),  # 2023/24
    *(3069, 2712, 1488, -296),  # 2024/25
    *(2941, 4627),  # 2025/26
)
MONTHLY_SEASON_CALLS = (-3.0, -0.5, 0, 0, 0.5, 0, 0, 0, 0.5, 0, 0, -2.5)

# --------------------------------------------------------------------------------------------
# The data dictionary: 63 KPIs in the seed's order
# --------------------------------------------------------------------------------------------

KPIS: tuple[Kpi, ...] = (
    # ---- Thriving and Happy / Child-friendly borough ---------------------------------------
    Kpi(
        "CFB01",
        "% of 2.5 year olds reaching the expected level of development",
        "child-friendly-borough",
        definition="Percentage of children reviewed at 2 to 2½ years by the health visiting "
        "service who were at or above the expected level in all five areas of development "
        "(communication, gross motor, fine motor, problem solving, personal-social).",
        methodology="Numerator: children whose Ages and Stages Questionnaire (ASQ-3) scores "
        "were at or above the threshold in all five areas. Denominator: children who had a "
        "2-2½ year review using ASQ-3 in the financial year. Reviews not using ASQ-3 are "
        "excluded.",
        unit="percentage",
        decimals=1,
        polarity="higher",
        frequency="annual-financial",
        lag=8,
        source=f"{FT} (health visitor activity returns)",
        benchmark_source=FT,
        owner="Public Health: 0-19 Healthy Child Programme",
        targets=(
            Target("2023/24", 76, 2, "Council Plan 2022-25"),
            Target("2025/26", 76, 2, "Council Plan 2025-29"),
        ),
        series=Given("2018/19", (74.8, 76.2, 72.5, 73.1, 74.4, 75.6)),
        den=(3500, 0.03),
        ci="wilson",
        bench={
            "england": (82.5, 83.1, 81.8, 80.9, 79.2, 79.6),
            "region": (80.1, 80.8, 78.4, 77.6, 76.9, 77.3),
            "neighbours": (78.6, 79.4, 76.9, 76.2, 75.8, 76.4),
        },
    ),
    Kpi(
        "CFB02",
        "% of children's social care assessments completed within 45 days",
        "child-friendly-borough",
        definition="Percentage of children and family assessments completed within 45 working "
        "days of the referral, the statutory timescale in Working Together to Safeguard "
        "Children.",
        methodology="Numerator: assessments completed in the quarter within 45 working days of "
        "the start of the assessment. Denominator: all assessments completed in the quarter. "
        "Assessments closed as no further action before completion are excluded.",
        unit="percentage",
        decimals=1,
        polarity="higher",
        frequency="quarterly",
        lag=0,
        source=CHILDRENS_SYSTEM,
        benchmark_source="DfE Children in need census (annual, year to March)",
        owner="Children's Services: Children's Social Care",
        targets=(Target("2025/26", 90, 3, "Council Plan 2025-29"),),
        series=Trend(85.0, 89.0, 1.4),
        den=(950, 0.08),
        bench={
            "england": {"2022/23 Q4": 82.4, "2023/24 Q4": 82.9, "2024/25 Q4": 83.5},
            "region": {"2022/23 Q4": 84.0, "2023/24 Q4": 84.6, "2024/25 Q4": 85.1},
            "neighbours": {"2022/23 Q4": 83.1, "2023/24 Q4": 84.2, "2024/25 Q4": 84.8},
        },
    ),
    Kpi(
        "CFB03",
        "% of EHCPs issued within 20 weeks",
        "child-friendly-borough",
        definition="Percentage of new Education, Health and Care Plans issued within the "
        "statutory 20 weeks of the request for an EHC needs assessment.",
        methodology="Numerator: new EHCPs issued in the quarter within 20 weeks of the request, "
        "excluding cases where a legal exception to the time limit applies. Denominator: all "
        "new EHCPs issued in the quarter (same exclusions). Amended plans are excluded.",
        unit="percentage",
        decimals=1,
        polarity="higher",
        frequency="quarterly",
        lag=0,
        source="internal: SEND case management system",
        benchmark_source="DfE Education, health and care plans (SEN2, calendar year)",
        owner="Children's Services: SEND",
        targets=(
            Target("2025/26", 60, 5, "Council Plan 2025-29"),
            Target("2026/27", 65, 5, "Council Plan 2025-29: SEND improvement plan"),
        ),
        series=Trend(63.0, 55.0, 3.0),
        den=(105, 0.12),
        overrides={"2024/25 Q2": 58.0, "2025/26 Q1": 45.0, "2025/26 Q2": 38.0},
        marks={
            "2025/26 Q2": Mark(
                note="requests for assessment up by a third on last year; two educational "
                "psychologist posts vacant"
            )
        },
    ),
    Kpi(
        "CFB04",
        "% of school children permanently excluded from school",
        "child-friendly-borough",
        definition="Permanent exclusions as a percentage of pupils on roll in state-funded "
        "primary, secondary and special schools in Walsall.",
        methodology="Numerator: permanent exclusions in the academic year. Denominator: pupils "
        "on roll (headcount) at the January school census. As published by DfE.",
        unit="percentage",
        decimals=2,
        polarity="lower",
        frequency="annual-academic",
        lag=11,
        source="DfE Suspensions and permanent exclusions in England",
        benchmark_source="DfE Suspensions and permanent exclusions in England",
        owner="Children's Services: Access and Inclusion",
        series=Given("2017/18", (0.12, 0.11, 0.06, 0.07, 0.10, 0.14, 0.16)),
        den=(47500, 0.01),
        bench={
            "england": (0.10, 0.10, 0.06, 0.05, 0.08, 0.11, 0.13),
            "region": (0.11, 0.11, 0.06, 0.06, 0.09, 0.12, 0.14),
            "neighbours": (0.11, 0.11, 0.07, 0.06, 0.10, 0.13, 0.14),
        },
        marks={
            "2019/20": Mark(note="COVID-19 school closures from March 2020"),
            "2020/21": Mark(note="COVID-19 school closures from January 2021"),
        },
    ),
    Kpi(
        "CFB05",
        "School readiness % of children achieving a good level of development at the end of "
        "reception",
        "child-friendly-borough",
        definition="Percentage of children at the end of the reception year who achieved a good "
        "level of development in the Early Years Foundation Stage Profile.",
        methodology="Numerator: children at the expected level in the early learning goals for "
        "communication and language, personal, social and emotional development, physical "
        "development, literacy and mathematics. Denominator: all children assessed at the end "
        "of reception. As published by DfE and OHID.",
        unit="percentage",
        decimals=1,
        polarity="higher",
        frequency="annual-academic",
        lag=3,
        source=f"DfE Early years foundation stage profile results, via {FT}",
        benchmark_source=FT,
        owner="Children's Services: Early Years",
        targets=(
            Target("2023/24", 65, 2, "Council Plan 2022-25"),
            Target("2025/26", 65, 2, "Council Plan 2025-29"),
            Target("2026/27", 66, 2, "Council Plan 2025-29"),
        ),
        series=Given("2017/18", (66.0, 67.5, None, None, 60.1, 62.0, 63.4)),
        den=(4150, 0.02),
        ci="wilson",
        bench={
            "england": (71.5, 71.8, None, None, 65.2, 67.2, 67.7),
            "region": (69.7, 70.4, None, None, 63.5, 65.6, 66.1),
            "neighbours": (68.4, 69.0, None, None, 61.8, 63.9, 64.6),
        },
        comparators=("2023/24", 2.2),
        marks={
            "2019/20": Mark(
                note="not collected: assessments cancelled during COVID-19", blank=True
            ),
            "2020/21": Mark(
                note="not collected: assessments cancelled during COVID-19", blank=True
            ),
            "2021/22": Mark(
                note="EYFS profile reformed from September 2021: not directly comparable with "
                "earlier years"
            ),
        },
    ),
    # ---- Thriving and Happy / Safer streets, safer people ---------------------------------
    Kpi(
        "SSP01",
        "First time entrants into the youth justice system per 100,000 (10-17 yrs population)",
        "safer-streets-safer-people",
        definition="Young people aged 10 to 17 living in Walsall who received their first "
        "youth caution or court conviction in the calendar year, per 100,000 residents aged "
        "10 to 17.",
        methodology="Numerator: first time entrants recorded on the Police National Computer. "
        "Denominator: ONS mid-year population estimate aged 10-17. Crude rate per 100,000.",
        unit="rate",
        rate_per=100000,
        decimals=0,
        polarity="lower",
        frequency="annual-calendar",
        lag=6,
        source=f"Ministry of Justice / Youth Justice Board (PNC), via {FT}",
        benchmark_source=FT,
        owner="Children's Services: Youth Justice Service",
        targets=(
            Target("2023/24", 170, 10, "Youth Justice Plan"),
            Target("2025/26", 170, 10, "Youth Justice Plan"),
        ),
        series=Given("2018", (265, 230, 190, 175, 182, 168, 165)),
        den=(31800, 0.01),
        ci="poisson",
        bench={
            "england": (238, 222, 180, 155, 150, 144, 140),
            "region": (250, 226, 185, 160, 158, 152, 149),
            "neighbours": (256, 231, 191, 170, 171, 160, 158),
        },
    ),
    Kpi(
        "SSP02",
        "Total recorded crime per 1000 population",
        "safer-streets-safer-people",
        definition="Crimes recorded by West Midlands Police in Walsall in the 12 months to the "
        "end of the quarter, per 1,000 residents.",
        methodology="Numerator: police recorded crime (excluding fraud and computer misuse) in "
        "the rolling 12 months to the quarter end, by Community Safety Partnership. "
        "Denominator: ONS mid-year population estimate. The england column holds England and "
        "Wales.",
        unit="rate",
        rate_per=1000,
        decimals=1,
        polarity="lower",
        frequency="quarterly",
        lag=4,
        source="ONS Police recorded crime by Community Safety Partnership area",
        benchmark_source="ONS Police recorded crime (England and Wales; West Midlands region)",
        owner="Community Safety Partnership",
        series=Trend(118.5, 111.0, 0.8),
        bench={
            "england": Trend(91.5, 88.0, 0.3),
            "region": Trend(108.0, 103.0, 0.5),
            "neighbours": Trend(104.0, 100.0, 0.5),
        },
    ),
    Kpi(
        "SSP03",
        "Violent crime - offences per 100,000 population",
        "safer-streets-safer-people",
        definition="Violence against the person offences recorded by the police in Walsall in "
        "the 12 months to the end of the quarter, per 100,000 residents.",
        methodology="Numerator: recorded violence against the person offences (violence with "
        "injury, violence without injury, stalking and harassment, death or serious injury "
        "by unlawful driving, homicide) in the rolling 12 months. Denominator: ONS mid-year "
        "population estimate. The england column holds England and Wales.",
        unit="rate",
        rate_per=100000,
        decimals=0,
        polarity="lower",
        frequency="quarterly",
        lag=4,
        source="ONS Police recorded crime by Community Safety Partnership area",
        benchmark_source="ONS Police recorded crime (England and Wales; West Midlands region)",
        owner="Community Safety Partnership",
        series=Trend(4850, 4520, 30),
        bench={
            "england": Trend(3420, 3290, 15),
            "region": Trend(4410, 4180, 20),
            "neighbours": Trend(4300, 4100, 25),
        },
    ),
    # ---- Thriving and Happy / Resilient and Empowered Communities -------------------------
    Kpi(
        "REC01",
        "Customers empowered to feel confident to complete process independently by Walsall "
        "Connected",
        "resilient-and-empowered-communities",
        definition="Percentage of customers helped at a Walsall Connected centre who say they "
        "now feel confident to complete the same process on their own next time.",
        methodology="Numerator: survey respondents answering 'confident' or 'very confident'. "
        "Denominator: all respondents to the post-visit survey in the month. The question was "
        "added to the survey in 2025/26, so there is no baseline yet.",
        unit="percentage",
        decimals=1,
        polarity="higher",
        frequency="monthly",
        lag=1,
        source="internal: Walsall Connected post-visit customer survey",
        owner="Customer Experience: Walsall Connected",
        targets=(Target("2025/26", 70, None, "provisional until a baseline is established"),),
    ),
    Kpi(
        "REC02",
        "Election turnout (% of those registered)",
        "resilient-and-empowered-communities",
        definition="Ballot papers issued at the scheduled Walsall Council elections in the year "
        "as a percentage of the electorate for those wards.",
        methodology="Numerator: ballot papers issued (including postal votes returned). "
        "Denominator: registered local government electors in the contested wards on polling "
        "day. Years without scheduled borough elections have no figure.",
        unit="percentage",
        decimals=1,
        polarity="higher",
        frequency="annual-calendar",
        lag=0,
        source="internal: Electoral Services declarations of results",
        owner="Democratic Services: Electoral Services",
        series=Given("2018", (30.2, 27.9, None, 30.8, 27.6, 25.9, 28.1)),
        den=(197000, 0.01),
        marks={
            "2021": Mark(note="held with the West Midlands mayoral and PCC elections"),
            "2024": Mark(note="held with the West Midlands mayoral and PCC elections"),
        },
    ),
    Kpi(
        "REC03",
        "Number of residents engaging with Making Connections Walsall",
        "resilient-and-empowered-communities",
        definition="Residents taking part in Making Connections Walsall activities that tackle "
        "loneliness and social isolation during the quarter.",
        methodology="Count of distinct residents recorded by delivery partners as attending at "
        "least one activity or receiving a befriending contact in the quarter. A resident is "
        "counted once per quarter.",
        unit="count",
        decimals=0,
        polarity="higher",
        frequency="quarterly",
        lag=1,
        source="internal: Making Connections Walsall partner returns",
        owner="Communities: Resilient Communities",
        targets=(
            Target("2024/25", 450, 50, "Making Connections Walsall delivery plan"),
            Target("2025/26", 450, 50, "Making Connections Walsall delivery plan"),
        ),
        series=Trend(320, 470, 25),
        end="2024/25 Q2",
    ),
    Kpi(
        "REC04",
        "Total number of residents supported by Walsall Connected",
        "resilient-and-empowered-communities",
        definition="Residents helped in person at Walsall Connected centres in the month. A "
        "demand measure: no polarity.",
        methodology="Count of customer interactions recorded at Walsall Connected centres "
        "(libraries and community hubs), one per resident per visit.",
        unit="count",
        decimals=0,
        polarity="none",
        frequency="monthly",
        lag=0,
        source=WC,
        owner="Customer Experience: Walsall Connected",
        series=Trend(5600, 7200, 250, (400, 100, 0, -100, -350, 0, 100, 0, -600, 200, 0, 300)),
    ),
    # ---- Healthy and Well / Living Active and Healthy Lives -------------------------------
    Kpi(
        "LAH01",
        "% of children in year 6 who are overweight or obese",
        "living-active-and-healthy-lives",
        definition="Percentage of children in Year 6 (aged 10-11) measured by the National "
        "Child Measurement Programme who are overweight or living with obesity.",
        methodology="Numerator: children with a BMI at or above the 85th centile of the UK90 "
        "growth reference. Denominator: Year 6 children with a valid height and weight "
        "measurement in Walsall schools. As published by OHID.",
        unit="percentage",
        decimals=1,
        polarity="lower",
        frequency="annual-academic",
        lag=3,
        source=f"NHS England National Child Measurement Programme, via {FT}",
        benchmark_source=FT,
        owner="Public Health",
        targets=(
            Target("2023/24", 40, 1, "Council Plan 2022-25"),
            Target("2025/26", 40, 1, "Council Plan 2025-29"),
        ),
        series=Given("2017/18", (38.9, 39.6, 40.3, None, 43.1, 40.4, 41.5)),
        den=(3950, 0.03),
        ci="wilson",
        bench={
            "england": (34.3, 34.3, 35.2, None, 37.8, 36.6, 35.8),
            "region": (36.3, 36.5, 37.6, None, 40.1, 38.6, 38.0),
            "neighbours": (37.5, 37.9, 38.9, None, 41.6, 39.9, 39.6),
        },
        comparators=("2023/24", 1.8),
        marks={
            "2019/20": Mark(
                note="measurement curtailed by COVID-19 school closures: interpret with care"
            )
        },
    ),
    Kpi(
        "LAH02",
        "% of physically inactive adults",
        "living-active-and-healthy-lives",
        definition="Percentage of adults aged 19 and over doing less than 30 minutes of "
        "moderate intensity physical activity a week.",
        methodology="Sport England Active Lives Adult Survey (November to November), weighted "
        "to the local population. Moderate activity minutes count in bouts of 10 minutes or "
        "more; vigorous minutes count double.",
        unit="percentage",
        decimals=1,
        polarity="lower",
        frequency="annual-financial",
        lag=13,
        source=f"Sport England Active Lives Adult Survey, via {FT}",
        benchmark_source=FT,
        owner="Public Health",
        targets=(
            Target("2023/24", 29, 1.5, "Council Plan 2022-25"),
            Target("2025/26", 29, 1.5, "Council Plan 2025-29"),
        ),
        series=Given("2017/18", (29.8, 28.9, 31.5, 32.6, 30.4, 29.7, 28.8)),
        ci=2.8,
        bench={
            "england": (22.2, 21.4, 22.9, 23.4, 22.3, 22.6, 22.0),
            "region": (24.8, 24.1, 25.9, 26.6, 25.0, 25.3, 24.4),
            "neighbours": (26.9, 26.1, 28.0, 28.7, 27.2, 27.0, 26.5),
        },
    ),
    Kpi(
        "LAH03",
        "Admission episodes for alcohol-specific conditions",
        "living-active-and-healthy-lives",
        definition="Hospital admission episodes with an alcohol-specific condition as the "
        "primary or a secondary diagnosis, per 100,000 residents, directly age-standardised.",
        methodology="Numerator: finished admission episodes for Walsall residents in the "
        "financial year (Hospital Episode Statistics). Denominator: ONS mid-year population. "
        "Directly standardised to the 2013 European Standard Population, so the rate is not "
        "simply numerator over denominator.",
        unit="rate",
        rate_per=100000,
        decimals=0,
        polarity="lower",
        frequency="annual-financial",
        lag=9,
        source=f"NHS England Hospital Episode Statistics, via {FT}",
        benchmark_source=FT,
        owner="Public Health",
        series=Given("2018/19", (731, 748, 652, 668, 681, 702)),
        den=(287000, 0.005),
        ci="poisson",
        bench={
            "england": (664, 644, 587, 626, 616, 612),
            "region": (690, 676, 610, 640, 636, 629),
            "neighbours": (742, 731, 655, 688, 690, 694),
        },
    ),
    Kpi(
        "LAH04",
        "Overweight and obesity prevalence in adults (18+) years",
        "living-active-and-healthy-lives",
        definition="Percentage of adults aged 18 and over classified as overweight or living "
        "with obesity (BMI of 25 or more).",
        methodology="Sport England Active Lives Adult Survey, self-reported height and weight "
        "adjusted for reporting bias, weighted to the local population.",
        unit="percentage",
        decimals=1,
        polarity="lower",
        frequency="annual-financial",
        lag=13,
        source=f"Sport England Active Lives Adult Survey, via {FT}",
        benchmark_source=FT,
        owner="Public Health",
        series=Given("2017/18", (67.0, 68.6, 69.3, 70.1, 71.2, 70.6, 70.9)),
        ci=3.0,
        bench={
            "england": (62.0, 62.3, 62.8, 63.5, 63.8, 64.0, 64.5),
            "region": (64.3, 64.6, 65.4, 66.0, 66.1, 66.3, 66.5),
            "neighbours": (66.2, 66.9, 67.4, 68.3, 68.5, 68.7, 68.9),
        },
    ),
    Kpi(
        "LAH05",
        "Population vaccination coverage: (MMR - 2 doses in 5 year olds)",
        "living-active-and-healthy-lives",
        definition="Percentage of children reaching their fifth birthday in the year who have "
        "had two doses of the measles, mumps and rubella (MMR) vaccine.",
        methodology="Numerator: children registered with a GP who had two MMR doses by their "
        "fifth birthday. Denominator: children registered with a GP who reached their fifth "
        "birthday in the financial year (COVER programme).",
        unit="percentage",
        decimals=1,
        polarity="higher",
        frequency="annual-financial",
        lag=6,
        source=f"UKHSA Cover of vaccination evaluated rapidly (COVER), via {FT}",
        benchmark_source=FT,
        owner="Public Health: Health Protection",
        targets=(
            Target("2024/25", 95, 2, "WHO 95% coverage needed for herd immunity"),
            Target("2025/26", 95, 2, "WHO 95% coverage needed for herd immunity"),
        ),
        series=Given("2019/20", (86.3, 86.9, 85.4, 84.9, 85.6, 83.1)),
        den=(4300, 0.02),
        ci="wilson",
        bench={
            "england": (86.8, 86.6, 85.5, 84.5, 83.9, 83.7),
            "region": (85.4, 85.6, 84.0, 82.9, 82.6, 82.1),
            "neighbours": (86.0, 86.1, 84.8, 83.8, 83.5, 83.0),
        },
    ),
    Kpi(
        "LAH06",
        "Smoking prevalence in adults (aged 18+) - current smokers (1 year range)",
        "living-active-and-healthy-lives",
        definition="Percentage of adults aged 18 and over who say they currently smoke.",
        methodology="ONS Annual Population Survey, calendar year, weighted to the local "
        "population. Respondents who do not answer the smoking question are excluded.",
        unit="percentage",
        decimals=1,
        polarity="lower",
        frequency="annual-calendar",
        lag=10,
        source=f"ONS Annual Population Survey, via {FT}",
        benchmark_source=FT,
        owner="Public Health",
        series=Given("2018", (16.4, 15.8, 15.1, 14.9, 15.6, 13.4)),
        ci=3.2,
        bench={
            "england": (14.4, 13.9, 12.1, 13.0, 12.7, 11.6),
            "region": (15.0, 14.3, 13.2, 13.8, 13.0, 12.5),
            "neighbours": (16.1, 15.2, 14.0, 14.6, 14.1, 13.2),
        },
    ),
    # ---- Healthy and Well / Supported and Cared for ---------------------------------------
    Kpi(
        "SCF01",
        "% care leavers in suitable accommodation (19-21)",
        "supported-and-cared-for",
        definition="Percentage of care leavers aged 19, 20 and 21 whom the council is in touch "
        "with and who live in accommodation judged suitable.",
        methodology="Numerator: care leavers aged 19-21 at the quarter end in accommodation "
        "assessed as suitable. Denominator: all care leavers aged 19-21 the council owes leaving "
        "care duties to at the quarter end. Same definition as the DfE SSDA903 return.",
        unit="percentage",
        decimals=1,
        polarity="higher",
        frequency="quarterly",
        lag=0,
        source=CHILDRENS_SYSTEM,
        benchmark_source="DfE Children looked after in England (annual, year to March)",
        owner="Children's Services: Leaving Care",
        targets=(Target("2025/26", 90, 3, "Council Plan 2025-29"),),
        series=Trend(88.0, 91.0, 1.3),
        den=(235, 0.05),
        bench={
            "england": {"2022/23 Q4": 88.0, "2023/24 Q4": 88.0, "2024/25 Q4": 89.0},
            "region": {"2022/23 Q4": 87.0, "2023/24 Q4": 88.0, "2024/25 Q4": 88.0},
            "neighbours": {"2022/23 Q4": 87.6, "2023/24 Q4": 87.9, "2024/25 Q4": 88.4},
        },
    ),
    Kpi(
        "SCF02",
        "% of children in care with 3 or more placements in a year",
        "supported-and-cared-for",
        definition="Percentage of children looked after at the quarter end who had three or "
        "more placements in the previous 12 months: a measure of placement stability.",
        methodology="Numerator: children looked after at the quarter end with three or more "
        "separate placements in the rolling 12 months. Denominator: all children looked after "
        "at the quarter end. Same definition as the DfE SSDA903 return.",
        unit="percentage",
        decimals=1,
        polarity="lower",
        frequency="quarterly",
        lag=0,
        source=CHILDRENS_SYSTEM,
        benchmark_source="DfE Children looked after in England (annual, year to March)",
        owner="Children's Services: Children in Care",
        targets=(Target("2025/26", 10, 1, "Council Plan 2025-29"),),
        series=Trend(11.2, 9.4, 0.45),
        den=(660, 0.03),
        bench={
            "england": {"2022/23 Q4": 10.0, "2023/24 Q4": 10.0, "2024/25 Q4": 10.0},
            "region": {"2022/23 Q4": 10.0, "2023/24 Q4": 11.0, "2024/25 Q4": 10.0},
            "neighbours": {"2022/23 Q4": 10.4, "2023/24 Q4": 10.6, "2024/25 Q4": 10.2},
        },
    ),
    Kpi(
        "SCF03",
        "Proportion of adults (18-64) with learning disabilities who live in their own home or "
        "with their family",
        "supported-and-cared-for",
        definition="Percentage of adults aged 18-64 with a learning disability who receive "
        "long-term support and live in their own home or with their family (ASCOF measure).",
        methodology="Numerator: adults aged 18-64 with a primary support reason of learning "
        "disability receiving long-term support at the quarter end whose accommodation status "
        "is settled (own home, family, supported living). Denominator: all adults aged 18-64 "
        "with a learning disability receiving long-term support at the quarter end.",
        unit="percentage",
        decimals=1,
        polarity="higher",
        frequency="quarterly",
        lag=0,
        source=ADULTS_SYSTEM,
        benchmark_source="NHS England Adult Social Care Outcomes Framework (annual)",
        owner="Adult Social Care",
        targets=(Target("2025/26", 87, 2, "Council Plan 2025-29"),),
        series=Trend(84.0, 87.5, 0.7),
        den=(760, 0.02),
        bench={
            "england": {"2022/23 Q4": 80.5, "2023/24 Q4": 80.9, "2024/25 Q4": 81.2},
            "region": {"2022/23 Q4": 79.6, "2023/24 Q4": 80.1, "2024/25 Q4": 80.3},
        },
    ),
    Kpi(
        "SCF04",
        "Proportion of carers receiving self-directed support",
        "supported-and-cared-for",
        definition="Percentage of carers receiving carer-specific support who get it through a "
        "personal budget or direct payment.",
        methodology="Numerator: carers receiving carer-specific services in the rolling 12 "
        "months through a direct payment or a managed personal budget. Denominator: all carers "
        "receiving carer-specific services in the same period.",
        unit="percentage",
        decimals=1,
        polarity="higher",
        frequency="quarterly",
        lag=0,
        source=ADULTS_SYSTEM,
        benchmark_source="NHS England Adult Social Care Outcomes Framework (annual)",
        owner="Adult Social Care",
        targets=(Target("2025/26", 95, 2, "Council Plan 2025-29"),),
        series=Trend(92.0, 95.5, 0.7),
        den=(1450, 0.04),
    ),
    Kpi(
        "SCF05",
        "Proportion of new people whose request is concluded by not requiring long-term support",
        "supported-and-cared-for",
        definition="Percentage of new requests for adult social care support that ended in "
        "something other than long-term support (information and advice, short-term "
        "reablement, universal services): a measure of prevention.",
        methodology="Numerator: requests from new clients completed in the quarter with an "
        "outcome other than long-term support. Denominator: all requests from new clients "
        "completed in the quarter. Outcomes as defined in the NHS England CLD return.",
        unit="percentage",
        decimals=1,
        polarity="higher",
        frequency="quarterly",
        lag=0,
        source=ADULTS_SYSTEM,
        benchmark_source="NHS England Adult Social Care Outcomes Framework (annual)",
        owner="Adult Social Care: Front Door",
        targets=(Target("2025/26", 90, 2, "Council Plan 2025-29"),),
        series=Trend(89.0, 91.0, 0.8),
        den=(1300, 0.05),
    ),
    Kpi(
        "SCF06",
        "Proportion of people who receive long term services who reside in the community",
        "supported-and-cared-for",
        definition="Percentage of people receiving long-term adult social care support who "
        "live in the community rather than in residential or nursing care.",
        methodology="Numerator: people receiving long-term support at the quarter end whose "
        "support setting is community-based (home care, direct payment, supported living, day "
        "care). Denominator: all people receiving long-term support at the quarter end.",
        unit="percentage",
        decimals=1,
        polarity="higher",
        frequency="quarterly",
        lag=0,
        source=ADULTS_SYSTEM,
        owner="Adult Social Care",
        targets=(Target("2025/26", 71, 1.5, "Council Plan 2025-29"),),
        series=Trend(70.5, 72.5, 0.45),
        den=(4100, 0.02),
    ),
    # ---- Healthy and Well / Homes for All -------------------------------------------------
    Kpi(
        "HFA01",
        "Housing affordability ratio",
        "homes-for-all",
        definition="Median house price divided by median gross annual earnings of people who "
        "work in Walsall: how many years of earnings a typical home costs. Lower is more "
        "affordable.",
        methodology="ONS ratio of median house price (year to September, HM Land Registry) to "
        "median workplace-based full-time gross annual earnings (ASHE, April).",
        unit="ratio",
        decimals=2,
        polarity="lower",
        frequency="annual-calendar",
        lag=3,
        source="ONS Housing affordability in England and Wales",
        benchmark_source="ONS Housing affordability in England and Wales",
        owner="Housing Strategy",
        series=Given("2018", (6.12, 6.20, 6.45, 6.81, 6.93, 6.70, 6.42)),
        bench={
            "england": (8.00, 7.88, 7.86, 9.06, 8.28, 8.26, 7.71),
            "region": (6.95, 6.91, 7.10, 7.62, 7.45, 7.28, 6.93),
            "neighbours": (5.52, 5.60, 5.75, 6.21, 6.22, 6.05, 5.90),
        },
        comparators=("2024", 0.6),
    ),
    Kpi(
        "HFA02",
        "Number of children in temporary accommodation",
        "homes-for-all",
        definition="Dependent children in households placed by the council in temporary "
        "accommodation under homelessness duties on the last day of the month.",
        methodology="Snapshot count on the last day of the month of dependent children (under "
        "16, or 16-18 in education) in households in any form of temporary accommodation, "
        "matching the H-CLIC definition.",
        unit="count",
        decimals=0,
        polarity="lower",
        frequency="monthly",
        lag=0,
        source="internal: Housing Options case management system (H-CLIC)",
        benchmark_source="MHCLG Statutory homelessness statistics (quarterly, H-CLIC)",
        owner="Housing: Housing Options",
        series=Trend(520, 980, 18),
    ),
    Kpi(
        "HFA03",
        "Number of households in bed and breakfast accommodation",
        "homes-for-all",
        definition="Households placed by the council in bed and breakfast accommodation under "
        "homelessness duties on the last day of the month.",
        methodology="Snapshot count on the last day of the month of households in B&B or "
        "shared-facility hotel placements, matching the H-CLIC definition.",
        unit="count",
        decimals=0,
        polarity="lower",
        frequency="monthly",
        lag=0,
        source="internal: Housing Options case management system (H-CLIC)",
        benchmark_source="MHCLG Statutory homelessness statistics (quarterly, H-CLIC)",
        owner="Housing: Housing Options",
        series=Trend(30, 37, 3.5),
        overrides={"2025-09": 79},
        marks={
            "2025-09": Mark(
                note="includes 34 households placed after a private-sector hostel closed on "
                "12 September"
            )
        },
    ),
    Kpi(
        "HFA04",
        "Number of households in temporary accommodation",
        "homes-for-all",
        definition="Households placed by the council in temporary accommodation under "
        "homelessness duties on the last day of the month.",
        methodology="Snapshot count on the last day of the month of households in any form of "
        "temporary accommodation (B&B, hostels, nightly-paid, leased and council-owned units), "
        "matching the H-CLIC definition.",
        unit="count",
        decimals=0,
        polarity="lower",
        frequency="monthly",
        lag=0,
        source="internal: Housing Options case management system (H-CLIC)",
        benchmark_source="MHCLG Statutory homelessness statistics (quarterly, H-CLIC)",
        owner="Housing: Housing Options",
        targets=(
            Target("2025/26", 600, 30, "Homelessness and Rough Sleeping Strategy"),
            Target("2026/27", 550, 30, "Homelessness and Rough Sleeping Strategy"),
        ),
        series=Trend(410, 680, 9),
        overrides={"2024-09": 585, "2025-08": 668, "2025-09": 692},
    ),
    # ---- Prosperous and Innovative / Supporting Business and Inclusive Growth -------------
    Kpi(
        "SBG01",
        "Business survival rate (3 years)",
        "supporting-business-and-inclusive-growth",
        definition="Percentage of enterprises born in Walsall three years earlier that are "
        "still active in the year shown.",
        methodology="Numerator: enterprises born in year N-3 still active in year N. "
        "Denominator: enterprise births in year N-3. From the Inter-Departmental Business "
        "Register (VAT and PAYE based).",
        unit="percentage",
        decimals=1,
        polarity="higher",
        frequency="annual-calendar",
        lag=11,
        source="ONS Business demography, UK",
        benchmark_source="ONS Business demography, UK",
        owner="Economy: Business Support",
        series=Given("2018", (54.1, 55.3, 51.9, 50.2, 52.0, 53.4)),
        bench={
            "england": (53.8, 55.0, 52.4, 51.3, 52.6, 53.9),
            "region": (53.1, 54.2, 51.6, 50.6, 51.9, 53.0),
        },
    ),
    Kpi(
        "SBG02",
        "Gross value added (all industries)",
        "supporting-business-and-inclusive-growth",
        definition="The value of goods and services produced in Walsall, all industries, in "
        "pounds at current basic prices.",
        methodology="ONS balanced regional GVA for the Walsall local authority area, all "
        "industries total, current prices. ONS publishes £ million; held here in pounds. "
        "Recent years are revised with each release.",
        unit="currency",
        decimals=0,
        polarity="higher",
        frequency="annual-calendar",
        lag=16,
        source="ONS Regional gross value added (balanced) by industry: local authorities",
        owner="Economy: Economic Intelligence",
        series=Given("2018", tuple(m * 1e6 for m in (5120, 5260, 4990, 5480, 5870, 6150))),
    ),
    Kpi(
        "SBG03",
        "Percentage of business planning applications decided on time",
        "supporting-business-and-inclusive-growth",
        definition="Percentage of planning applications for commercial and industrial "
        "development decided within the statutory period or an agreed extension.",
        methodology="Numerator: applications for business, industrial, storage and commercial "
        "uses (Use Classes B2, B8 and E(g)) decided in the quarter within 8 or 13 weeks or an "
        "agreed extension of time. Denominator: all such applications decided in the quarter.",
        unit="percentage",
        decimals=1,
        polarity="higher",
        frequency="quarterly",
        lag=0,
        source="internal: Planning Services applications database",
        owner="Planning and Building Control",
        targets=(Target("2025/26", 85, 5, "Council Plan 2025-29"),),
        series=Trend(86.0, 91.0, 2.5),
        den=(42, 0.15),
    ),
    Kpi(
        "SBG04",
        "Total number of enterprises supported",
        "supporting-business-and-inclusive-growth",
        definition="Businesses and social enterprises given at least two hours of support "
        "(advice, grants, workshops) by the council's business support service in the quarter.",
        methodology="Count of distinct enterprises with an eligible support record closed in "
        "the quarter. Repeat support to the same enterprise in a quarter counts once.",
        unit="count",
        decimals=0,
        polarity="higher",
        frequency="quarterly",
        lag=0,
        source="internal: Business support CRM",
        owner="Economy: Business Support",
        targets=(Target("2025/26", 150, 15, "UK Shared Prosperity Fund delivery plan"),),
        series=Trend(130, 185, 12, (-15, 5, 10, 0)),
    ),
    # ---- Prosperous and Innovative / Skills and Jobs for All ------------------------------
    Kpi(
        "SJA01",
        "% of 16, 17 and 18 year-olds who are not in education, employment or training (NEET)",
        "skills-and-jobs-for-all",
        definition="Percentage of young people of academic age 16 to 18 living in Walsall who "
        "are known not to be in education, employment or training.",
        methodology="Numerator: young people of academic age 16-18 recorded as NEET at the "
        "quarter end. Denominator: all young people of academic age 16-18 known to the "
        "council. Young people whose activity is not known are excluded from both.",
        unit="percentage",
        decimals=1,
        polarity="lower",
        frequency="quarterly",
        lag=1,
        source="internal: Client Caseload Information System (CCIS)",
        benchmark_source="DfE NEET and participation: local authority figures (ages 16-17)",
        owner="Children's Services: Education and Skills",
        targets=(Target("2025/26", 4.5, 0.5, "Council Plan 2025-29"),),
        series=Trend(5.1, 4.2, 0.2, (-0.3, 0.6, 0.0, -0.3)),
    ),
    Kpi(
        "SJA02",
        "% of care leavers who are in education, employment or training (EET)",
        "skills-and-jobs-for-all",
        definition="Percentage of care leavers aged 19, 20 and 21 whom the council is in touch "
        "with and who are in education, employment or training.",
        methodology="Numerator: care leavers aged 19-21 at the quarter end whose main activity "
        "is education, training or employment. Denominator: all care leavers aged 19-21 the "
        "council owes leaving care duties to at the quarter end (SSDA903 definition).",
        unit="percentage",
        decimals=1,
        polarity="higher",
        frequency="quarterly",
        lag=0,
        source=CHILDRENS_SYSTEM,
        benchmark_source="DfE Children looked after in England (annual, year to March)",
        owner="Children's Services: Leaving Care",
        targets=(Target("2025/26", 58, 3, "Council Plan 2025-29"),),
        series=Trend(51.5, 53.5, 1.0),
        den=(240, 0.05),
        bench={
            "england": {"2022/23 Q4": 56.0, "2023/24 Q4": 56.0, "2024/25 Q4": 57.0},
            "region": {"2022/23 Q4": 53.0, "2023/24 Q4": 54.0, "2024/25 Q4": 54.0},
        },
    ),
    Kpi(
        "SJA03",
        "% of working age adults (16-64) claiming unemployment benefits",
        "skills-and-jobs-for-all",
        definition="Residents aged 16-64 claiming unemployment-related benefits (Jobseeker's "
        "Allowance or Universal Credit while required to seek work), as a percentage of "
        "residents aged 16-64.",
        methodology="Numerator: ONS claimant count for the month (experimental statistics). "
        "Denominator: ONS mid-year population estimate aged 16-64.",
        unit="percentage",
        decimals=1,
        polarity="lower",
        frequency="monthly",
        lag=1,
        source="ONS Claimant count, via Nomis",
        benchmark_source="ONS Claimant count, via Nomis",
        owner="Economy: Employment and Skills",
        series=Trend(6.6, 7.2, 0.06),
        den=(178000, 0.002),
        bench={
            "england": Trend(3.9, 4.3, 0.03),
            "region": Trend(5.0, 5.5, 0.04),
        },
    ),
    Kpi(
        "SJA04",
        "% of working age population with no qualifications",
        "skills-and-jobs-for-all",
        definition="Percentage of residents aged 16-64 with no formal qualifications.",
        methodology="ONS Annual Population Survey, January to December, weighted to the local "
        "population. Qualification levels on the Regulated Qualifications Framework (RQF) "
        "from 2022.",
        unit="percentage",
        decimals=1,
        polarity="lower",
        frequency="annual-calendar",
        lag=4,
        source="ONS Annual Population Survey, via Nomis",
        benchmark_source="ONS Annual Population Survey, via Nomis",
        owner="Economy: Employment and Skills",
        series=Given("2019", (14.2, 12.8, 11.9, 9.4, 10.1, 9.8)),
        ci=2.2,
        bench={
            "england": (7.5, 6.6, 6.4, 6.8, 6.6, 6.5),
            "region": (9.3, 8.4, 8.0, 8.5, 8.2, 7.9),
            "neighbours": (10.8, 9.9, 9.5, 9.3, 9.1, 8.9),
        },
        comparators=("2024", 1.4),
        marks={
            "2022": Mark(
                note="questions changed to RQF levels in 2022: not directly comparable with "
                "earlier years"
            )
        },
    ),
    Kpi(
        "SJA05",
        "Average Attainment 8 score per pupil (measure of KS4 achievement)",
        "skills-and-jobs-for-all",
        definition="Average Attainment 8 score of pupils at the end of Key Stage 4 in Walsall "
        "state-funded schools: achievement across eight GCSE-level qualifications.",
        methodology="Sum of pupils' Attainment 8 scores (English and maths double weighted, "
        "three EBacc and three other approved qualifications) divided by the number of pupils "
        "at the end of Key Stage 4. As published by DfE.",
        unit="score",
        decimals=1,
        polarity="higher",
        frequency="annual-academic",
        lag=2,
        source="DfE Key stage 4 performance",
        benchmark_source="DfE Key stage 4 performance",
        owner="Children's Services: School Effectiveness",
        targets=(
            Target("2023/24", 44.5, 1, "Council Plan 2022-25"),
            Target("2025/26", 44.5, 1, "Council Plan 2025-29"),
            Target("2026/27", 45.5, 1, "Council Plan 2025-29"),
        ),
        series=Given("2017/18", (43.4, 43.5, 47.3, 48.9, 45.3, 43.1, 43.8)),
        bench={
            "england": (46.5, 46.7, 50.2, 50.9, 48.8, 46.3, 45.9),
            "region": (45.3, 45.6, 49.1, 49.8, 47.2, 45.0, 44.7),
            "neighbours": (44.4, 44.6, 48.2, 49.5, 46.3, 44.4, 44.6),
        },
        comparators=("2023/24", 1.5),
        marks={
            "2019/20": Mark(note="centre assessment grades (COVID-19): not comparable"),
            "2020/21": Mark(note="teacher assessed grades (COVID-19): not comparable"),
            "2023/24": Mark(
                flag="revised",
                note="revised in the February 2025 DfE release; the provisional figure "
                "published in October 2024 was 43.6",
            ),
        },
    ),
    # ---- Prosperous and Innovative / Accessible Services and Connected Places -------------
    Kpi(
        "ASC01",
        "% of total supported digitally at Walsall Connected",
        "accessible-services-and-connected-places",
        definition="Percentage of residents helped at Walsall Connected centres whose query "
        "was completed online, with assistance, rather than by staff on their behalf.",
        methodology="Numerator: interactions recorded as 'supported digital' (the resident "
        "completed an online form or account with help). Denominator: all interactions at "
        "Walsall Connected centres in the month.",
        unit="percentage",
        decimals=1,
        polarity="higher",
        frequency="monthly",
        lag=0,
        source=WC,
        owner="Customer Experience: Walsall Connected",
        targets=(
            Target("2025/26", 40, 2, "Digital Strategy"),
            Target("2026/27", 45, 2, "Digital Strategy"),
        ),
        series=Trend(28.0, 44.0, 1.1),
    ),
    Kpi(
        "ASC02",
        "Percentage of A roads identified being in a good/acceptable condition",
        "accessible-services-and-connected-places",
        definition="Percentage of the council's A road network not identified as needing "
        "maintenance to be considered (green or amber condition).",
        methodology="100 minus the percentage of surveyed A road length in red condition, from "
        "the annual SCANNER machine survey, as reported to DfT for table RDC0120.",
        unit="percentage",
        decimals=1,
        polarity="higher",
        frequency="annual-financial",
        lag=6,
        source="internal: Highways annual SCANNER survey",
        benchmark_source="DfT Road condition statistics (RDC0120)",
        owner="Highways and Transport",
        targets=(
            Target("2024/25", 96, 1, "Highways Asset Management Plan"),
            Target("2025/26", 96, 1, "Highways Asset Management Plan"),
        ),
        series=Given("2018/19", (96.8, 96.5, 96.2, 96.9, 96.4, 96.6, 96.1)),
        bench={
            "england": (97.0, 97.0, 97.0, 96.0, 96.0, 96.0, 96.0),
            "region": (97.0, 97.0, 96.0, 96.0, 96.0, 96.0, 95.0),
        },
    ),
    Kpi(
        "ASC03",
        "Percentage of high amenity footways identified being in a good/acceptable condition",
        "accessible-services-and-connected-places",
        definition="Percentage of high amenity footways (town centres and busy shopping "
        "streets) in good or acceptable condition.",
        methodology="Footway network survey of category 1 and 1a footways, scored by condition "
        "band; numerator is length in bands 1-2, denominator all surveyed length. New survey "
        "method from 2024/25, so earlier years are not comparable and not shown.",
        unit="percentage",
        decimals=1,
        polarity="higher",
        frequency="annual-financial",
        lag=3,
        source="internal: Highways footway condition survey",
        owner="Highways and Transport",
        targets=(
            Target("2024/25", 90, 2, "Highways Asset Management Plan"),
            Target("2025/26", 90, 2, "Highways Asset Management Plan"),
        ),
        series=Given("2024/25", (88.5,)),
    ),
    # ---- Proud of our Borough / A clean and green future ----------------------------------
    Kpi(
        "CGF01",
        "% of household waste sent for reuse, recycling and composting",
        "a-clean-and-green-future",
        definition="Percentage of household waste collected by the council that is sent for "
        "reuse, recycling or composting, in the 12 months to the end of the quarter.",
        methodology="Numerator: tonnes of household waste sent for reuse, recycling or "
        "composting (net of rejects) in the rolling 12 months. Denominator: all household "
        "waste tonnes collected in the same period (WasteDataFlow NI 192 definition).",
        unit="percentage",
        decimals=1,
        polarity="higher",
        frequency="quarterly",
        lag=3,
        source="internal: WasteDataFlow returns",
        benchmark_source="DEFRA Local authority collected waste statistics (annual)",
        owner="Clean and Green: Waste Management",
        targets=(Target("2025/26", 38.5, 1, "Waste Strategy"),),
        series=Trend(36.2, 38.4, 0.3),
        overrides={"2025/26 Q1": 38.6},
        marks={
            "2025/26 Q1": Mark(
                flag="provisional", note="awaiting WasteDataFlow validation by DEFRA"
            )
        },
        bench={
            "england": {"2022/23 Q4": 41.7, "2023/24 Q4": 41.8, "2024/25 Q4": 41.9},
            "region": {"2022/23 Q4": 39.6, "2023/24 Q4": 39.8, "2024/25 Q4": 40.0},
        },
    ),
    Kpi(
        "CGF02",
        "Number of fly-tip incidents reported",
        "a-clean-and-green-future",
        definition="Fly-tipping incidents on public land reported to or found by the council in "
        "the month. A demand measure: no polarity, since more reporting is not worse.",
        methodology="Count of fly-tip incidents logged on the Clean and Green system, whether "
        "reported by residents or found by crews, after removing duplicate reports.",
        unit="count",
        decimals=0,
        polarity="none",
        frequency="monthly",
        lag=0,
        source="internal: Clean and Green fly-tip reports",
        owner="Clean and Green: Street Cleansing",
        series=Trend(720, 760, 40, (30, 60, 80, 90, 70, 20, -20, -50, -110, -90, -60, -20)),
        drop=("2024-02",),
    ),
    Kpi(
        "CGF03",
        "Number of enforcement actions taken in relation to litter and fly-tipping",
        "a-clean-and-green-future",
        definition="Fixed penalty notices, warning letters, vehicle seizures and prosecutions "
        "for littering and fly-tipping in the month.",
        methodology="Count of enforcement actions issued in the month by the council and its "
        "enforcement contractor; cancelled notices are excluded.",
        unit="count",
        decimals=0,
        polarity="higher",
        frequency="monthly",
        lag=0,
        source="internal: Environmental enforcement case system",
        owner="Clean and Green: Environmental Enforcement",
        targets=(Target("2025/26", 250, 25, "Council Plan 2025-29"),),
        series=Trend(190, 310, 26),
    ),
    Kpi(
        "CGF04",
        "Number of issues raised by residents in relation to grass-cutting",
        "a-clean-and-green-future",
        definition="Reports and complaints from residents about grass-cutting on council land "
        "in the month. A demand measure that follows the growing season: no polarity.",
        methodology="Count of grass-cutting service requests and complaints logged in the "
        "month, after removing duplicate reports for the same site.",
        unit="count",
        decimals=0,
        polarity="none",
        frequency="monthly",
        lag=0,
        source="internal: Clean and Green service requests",
        owner="Clean and Green: Grounds Maintenance",
        series=Trend(0, 0, 0.15, (120, 260, 310, 240, 150, 90, 40, 12, 5, 4, 8, 30), relative=True),
    ),
    Kpi(
        "CGF05",
        "Total number of publicly available electric vehicle charging devices",
        "a-clean-and-green-future",
        definition="Publicly available electric vehicle charging devices in Walsall at the end "
        "of the quarter, of any speed and ownership.",
        methodology="Count of devices listed on the National Chargepoint Registry and Zapmap "
        "as at the quarter end, as published by DfT and OZEV.",
        unit="count",
        decimals=0,
        polarity="higher",
        frequency="quarterly",
        lag=1,
        source="DfT Electric vehicle public charging infrastructure statistics",
        owner="Highways and Transport: Sustainable Transport",
        series=Trend(62, 240, 3),
    ),
    # ---- Proud of our Borough / Celebrating our Culture and Heritage ----------------------
    Kpi(
        "CCH01",
        "Enterprises in visitor economy in Walsall",
        "celebrating-our-culture-and-heritage",
        definition="VAT or PAYE registered enterprises in tourism-related industries in Walsall "
        "(accommodation, food and drink, arts, culture, recreation). Context: no polarity.",
        methodology="Count from ONS UK Business Counts (Inter-Departmental Business Register, "
        "March snapshot) for the tourism-related SIC 2007 codes used by VisitEngland.",
        unit="count",
        decimals=0,
        polarity="none",
        frequency="annual-calendar",
        lag=9,
        source="ONS UK Business Counts, via Nomis",
        owner="Culture and Heritage",
        series=Given("2019", (845, 860, 815, 830, 855, 870)),
    ),
    Kpi(
        "CCH02",
        "Number of visitors to Walsall libraries",
        "celebrating-our-culture-and-heritage",
        definition="Physical visits to Walsall's libraries in the month.",
        methodology="Sum of door-counter entries at all council libraries in the month, "
        "halved for two-way counters; mobile and home library visits are excluded.",
        unit="count",
        decimals=0,
        polarity="higher",
        frequency="monthly",
        lag=0,
        source="internal: Library door counters",
        owner="Libraries and Heritage",
        targets=(Target("2025/26", 42000, 3000, "Library Strategy"),),
        series=Trend(
            36500,
            45500,
            1100,
            (0, 500, 1500, 4500, 5000, -500, 0, -1000, -4500, 500, 0, 1000),
        ),
    ),
    Kpi(
        "CCH03",
        "Number of visits to Council cultural and heritage sites",
        "celebrating-our-culture-and-heritage",
        definition="Visits to the council's cultural and heritage venues (The New Art Gallery "
        "Walsall, Walsall Leather Museum and Walsall Local History Centre) in the quarter.",
        methodology="Sum of door-counter visits at each venue in the quarter, plus attendees "
        "at council-run events held off site.",
        unit="count",
        decimals=0,
        polarity="higher",
        frequency="quarterly",
        lag=0,
        source="internal: venue door counters and event bookings",
        owner="Libraries and Heritage",
        targets=(Target("2025/26", 50000, 5000, "Culture Strategy"),),
        series=Trend(44000, 56000, 1800, (3000, 6000, -2000, -5000)),
        marks={
            "2025/26 Q2": Mark(
                flag="estimated",
                note="the Leather Museum door counter failed for three weeks in August; "
                "visits estimated from admissions and event bookings",
            )
        },
    ),
    # ---- Proud of our Borough / Vibrant Towns ---------------------------------------------
    Kpi(
        "VT01",
        "Number of visits to Council managed sports and leisure centres",
        "vibrant-towns",
        definition="Visits to the council's sports and leisure centres in the month.",
        methodology="Sum of recorded admissions (member swipes, pay-as-you-go tickets, "
        "swimming lessons, class bookings) at all council-managed centres in the month.",
        unit="count",
        decimals=0,
        polarity="higher",
        frequency="monthly",
        lag=0,
        source="internal: Leisure management system",
        owner="Active Living: Leisure Services",
        targets=(Target("2025/26", 95000, 5000, "Active Living Strategy"),),
        series=Trend(
            86000,
            101000,
            2400,
            (0, 1000, -2000, -4000, -6000, 1500, 1000, 0, -5000, 9000, 4000, 1000),
        ),
    ),
    Kpi(
        "VT02",
        "Percentage of major planning applications determined in mandated timescale",
        "vibrant-towns",
        definition="Percentage of major planning applications decided within 13 weeks (16 "
        "with an environmental impact assessment) or an agreed extension of time.",
        methodology="Numerator: major applications (10+ dwellings or 1,000 square metres or "
        "more) decided in the quarter within the statutory period or an agreed extension. "
        "Denominator: all major applications decided in the quarter (MHCLG PS1/PS2 returns). "
        "Figures based on fewer than five decisions are suppressed.",
        unit="percentage",
        decimals=1,
        polarity="higher",
        frequency="quarterly",
        lag=0,
        source="internal: Planning Services applications database",
        benchmark_source="MHCLG Planning applications in England (quarterly, table P151)",
        owner="Planning and Building Control",
        targets=(Target("2025/26", 90, 5, "Council Plan 2025-29"),),
        series=Trend(92.0, 94.0, 3.0),
        den=(11, 0.2),
        bench={"england": Trend(88.0, 90.0, 0.6), "region": Trend(87.0, 89.5, 0.8)},
        marks={"2022/23 Q3": Mark(flag="suppressed", note="suppressed: small numbers", blank=True)},
    ),
    Kpi(
        "VT03",
        "Percentage of non-major applications decided on time",
        "vibrant-towns",
        definition="Percentage of minor and other planning applications decided within 8 weeks "
        "or an agreed extension of time.",
        methodology="Numerator: non-major applications (minor, change of use, householder) "
        "decided in the quarter within 8 weeks or an agreed extension. Denominator: all "
        "non-major applications decided in the quarter (MHCLG PS1/PS2 returns).",
        unit="percentage",
        decimals=1,
        polarity="higher",
        frequency="quarterly",
        lag=0,
        source="internal: Planning Services applications database",
        benchmark_source="MHCLG Planning applications in England (quarterly, table P153)",
        owner="Planning and Building Control",
        targets=(Target("2025/26", 85, 3, "Council Plan 2025-29"),),
        series=Trend(84.0, 87.0, 1.4),
        den=(205, 0.08),
        overrides={"2025/26 Q2": (85.0, 200)},
        bench={"england": Trend(86.0, 88.0, 0.5), "region": Trend(84.0, 86.0, 0.6)},
    ),
    # ---- Continuously Improving / A quality experience for all ----------------------------
    Kpi(
        "QEA01",
        "Corporate complaints resolution within 10 working days (SLA) (%)",
        "a-quality-experience-for-all",
        definition="Percentage of stage 1 corporate complaints responded to within the "
        "council's 10 working day service level agreement.",
        methodology="Numerator: stage 1 corporate complaints closed in the month with a "
        "response sent within 10 working days of receipt. Denominator: all stage 1 corporate "
        "complaints closed in the month. Statutory social care complaints are excluded.",
        unit="percentage",
        decimals=1,
        polarity="higher",
        frequency="monthly",
        lag=0,
        source="internal: Corporate complaints system",
        owner="Customer Experience: Complaints and Feedback",
        targets=(
            Target("2024/25", 80, 5, "Customer Experience Strategy"),
            Target("2025/26", 80, 5, "Customer Experience Strategy"),
        ),
        series=Trend(76.0, 71.0, 2.0),
        den=(150, 0.1),
        overrides={"2024-09": 74.0, "2025-08": 66.5, "2025-09": 61.0},
    ),
    Kpi(
        "QEA02",
        "Customer experience centre customer satisfaction scores",
        "a-quality-experience-for-all",
        definition="Average satisfaction score (1 = very dissatisfied, 5 = very satisfied) "
        "given by callers to the Customer Experience Centre in the post-call survey.",
        methodology="Mean of all valid post-call survey scores in the month. Calls abandoned "
        "before the survey and blank responses are excluded.",
        unit="score",
        decimals=2,
        polarity="higher",
        frequency="monthly",
        lag=0,
        source="internal: Customer Experience Centre post-call survey",
        owner="Customer Experience: Customer Experience Centre",
        targets=(Target("2025/26", 4.3, 0.1, "Customer Experience Strategy"),),
        series=Trend(4.24, 4.36, 0.035),
    ),
    Kpi(
        "QEA03",
        "CXC % of calls answered (%)",
        "a-quality-experience-for-all",
        definition="Percentage of calls to the Customer Experience Centre (CXC) that were "
        "answered by an adviser.",
        methodology="Numerator: calls answered by an adviser in the month. Denominator: calls "
        "offered to an adviser queue in the month, excluding calls abandoned within 5 "
        "seconds. Limits recalculated from October 2023 when the new telephony platform, "
        "with call-backs, went live.",
        unit="percentage",
        decimals=1,
        polarity="higher",
        frequency="monthly",
        lag=0,
        source="internal: CXC telephony platform",
        owner="Customer Experience: Customer Experience Centre",
        spc_rebase="2023-10",
        targets=(
            Target("2025/26", 90, 3, "Customer Experience Strategy"),
            Target("2026/27", 92, 3, "Customer Experience Strategy"),
        ),
        series=Step(84.0, 89.5, "2023-10", 1.2, MONTHLY_SEASON_CALLS),
        den=(38000, 0.08),
        marks={"2023-10": Mark(note="new telephony platform with call-backs went live")},
    ),
    # ---- Continuously Improving / A skilled and engaged workforce -------------------------
    Kpi(
        "SEW01",
        "% of workforce from ethnic minority group (of those that declared)",
        "a-skilled-and-engaged-workforce",
        definition="Percentage of council employees (excluding schools) who describe their "
        "ethnicity as other than White British, of those who have declared it.",
        methodology="Numerator: employees at the quarter end recording an ethnic group other "
        "than White British. Denominator: employees at the quarter end who have recorded an "
        "ethnic group (prefer not to say and not declared are excluded).",
        unit="percentage",
        decimals=1,
        polarity="higher",
        frequency="quarterly",
        lag=0,
        source=HR,
        owner="Human Resources",
        targets=(Target("2025/26", 24.5, 1, "Workforce Strategy: reflect the borough"),),
        series=Trend(21.5, 24.8, 0.2),
        overrides={"2025/26 Q2": 24.9},
    ),
    Kpi(
        "SEW02",
        "% of workforce with a disability (of those that declared)",
        "a-skilled-and-engaged-workforce",
        definition="Percentage of council employees (excluding schools) who consider themselves "
        "disabled, of those who have answered the question.",
        methodology="Numerator: employees at the quarter end recording a disability. "
        "Denominator: employees at the quarter end who have answered the disability question.",
        unit="percentage",
        decimals=1,
        polarity="higher",
        frequency="quarterly",
        lag=0,
        source=HR,
        owner="Human Resources",
        targets=(Target("2025/26", 6, 0.5, "Workforce Strategy"),),
        series=Trend(5.2, 6.4, 0.1),
    ),
    Kpi(
        "SEW03",
        "Average sick days lost per employee",
        "a-skilled-and-engaged-workforce",
        definition="Working days lost to sickness absence per full-time equivalent employee "
        "(excluding schools) in the 12 months to the end of the month.",
        methodology="Numerator: FTE working days lost to sickness in the rolling 12 months. "
        "Denominator: average FTE employees over the same 12 months. A change of 0.1 days or "
        "more is treated as a real change.",
        unit="days",
        decimals=2,
        polarity="lower",
        frequency="monthly",
        lag=1,
        source=HR,
        owner="Human Resources",
        change_threshold=0.1,
        targets=(
            Target("2024/25", 9.5, 0.5, "Workforce Strategy"),
            Target("2025/26", 9.5, 0.5, "Workforce Strategy"),
        ),
        series=Trend(10.40, 11.45, 0.05),
        overrides={"2024-08": 10.95, "2025-07": 11.62, "2025-08": 11.81},
    ),
    Kpi(
        "SEW04",
        "Total employee turnover rate",
        "a-skilled-and-engaged-workforce",
        definition="Employees (excluding schools) who left the council in the 12 months to the "
        "end of the quarter, as a percentage of the average headcount.",
        methodology="Numerator: leavers in the rolling 12 months, voluntary and involuntary, "
        "excluding the end of fixed-term and casual contracts. Denominator: average headcount "
        "over the same 12 months.",
        unit="percentage",
        decimals=1,
        polarity="lower",
        frequency="quarterly",
        lag=0,
        source=HR,
        owner="Human Resources",
        series=Trend(13.5, 11.2, 0.3),
    ),
    # ---- Continuously Improving / Efficient and effective services ------------------------
    Kpi(
        "EES01",
        "Budget: Variance £",
        "efficient-and-effective-services",
        definition="Forecast year-end variance against the council's net revenue budget, in "
        "pounds: positive is a forecast overspend, negative an underspend. Polarity is 'lower' "
        "(an overspend is the risk); the target is a balanced budget, with a tolerance of £1m.",
        methodology="Forecast outturn less net revenue budget for the financial year, as "
        "reported in the quarter's corporate financial monitoring; the Q4 figure is the "
        "provisional outturn. A change of £250,000 or more is treated as a real change.",
        unit="currency",
        decimals=0,
        polarity="lower",
        frequency="quarterly",
        lag=0,
        source="internal: Corporate financial monitoring (revenue)",
        owner="Finance",
        change_threshold=250000,
        targets=(
            Target("2024/25", 0, 1_000_000, "Medium Term Financial Framework: balanced budget"),
            Target("2025/26", 0, 1_000_000, "Medium Term Financial Framework: balanced budget"),
        ),
        series=Given("2022/23 Q1", tuple(k * 1000 for k in BUDGET_VARIANCE)),
        marks={
            "2022/23 Q4": Mark(note="provisional outturn"),
            "2023/24 Q4": Mark(note="provisional outturn"),
            "2024/25 Q4": Mark(note="provisional outturn"),
        },
    ),
    Kpi(
        "EES02",
        "Council tax collected as a percentage of council tax due",
        "efficient-and-effective-services",
        definition="Council tax collected so far in the financial year as a percentage of the "
        "council tax due for that year (in-year collection rate, year to date).",
        methodology="Numerator: council tax receipts for the year received by the end of the "
        "quarter. Denominator: net collectable debit for the year after discounts, exemptions "
        "and council tax reduction (QRC4 return definition). Cumulative from 1 April: the Q4 "
        "figure is the year's collection rate.",
        unit="percentage",
        decimals=1,
        polarity="higher",
        frequency="quarterly",
        lag=0,
        year_to_date=True,
        source="internal: Revenues and Benefits (council tax system; QRC4 return at year end)",
        benchmark_source="MHCLG Collection rates for council tax and non-domestic rates "
        "(year end only)",
        owner="Revenues and Benefits",
        targets=(
            Target("2024/25", 96, 0.5, "Medium Term Financial Framework"),
            Target("2025/26", 96, 0.5, "Medium Term Financial Framework"),
            *(
                Target("2025/26", target, 0.5, "collection profile", period=f"2025/26 Q{q}")
                for q, target in ((1, 28.5), (2, 56.0), (3, 83.5))
            ),
        ),
        series=Given(
            "2022/23 Q1",
            (28.6, 56.1, 83.4, 95.3, 28.4, 55.9, 83.2, 95.1, 28.1, 55.5, 82.8, 94.8, 27.9, 54.6),
        ),
        bench={
            "england": {"2022/23 Q4": 96.0, "2023/24 Q4": 95.9, "2024/25 Q4": 95.8},
            "region": {"2022/23 Q4": 95.5, "2023/24 Q4": 95.4, "2024/25 Q4": 95.2},
            "neighbours": {"2022/23 Q4": 95.0, "2023/24 Q4": 94.9, "2024/25 Q4": 94.7},
        },
    ),
    Kpi(
        "EES03",
        "FOI requests issued within statutory deadline",
        "efficient-and-effective-services",
        definition="Percentage of Freedom of Information and Environmental Information "
        "Regulations requests answered within 20 working days.",
        methodology="Numerator: requests closed in the month with a response within 20 working "
        "days (or a lawful extension). Denominator: all requests closed in the month. "
        "Withdrawn requests are excluded.",
        unit="percentage",
        decimals=1,
        polarity="higher",
        frequency="monthly",
        lag=0,
        source="internal: Information governance case system",
        owner="Information Governance",
        targets=(
            Target("2024/25", 90, 5, "ICO expectation of 90%"),
            Target("2025/26", 90, 5, "ICO expectation of 90%"),
        ),
        series=Step(84.0, 93.0, "2024-10", 2.0),
        den=(95, 0.15),
        marks={"2024-10": Mark(note="new request-handling workflow introduced")},
    ),
    Kpi(
        "EES04",
        "Walsall Connected queries resolved at first point of contact",
        "efficient-and-effective-services",
        definition="Percentage of queries at Walsall Connected centres resolved during the "
        "first contact, without a referral or a follow-up.",
        methodology="Numerator: interactions closed at the first contact with outcome "
        "'resolved'. Denominator: all interactions in the month. From April 2024 the new CRM "
        "records the outcome at case closure, so SPC limits are recalculated from then.",
        unit="percentage",
        decimals=1,
        polarity="higher",
        frequency="monthly",
        lag=0,
        source=WC,
        owner="Customer Experience: Walsall Connected",
        spc_rebase="2024-04",
        targets=(
            Target("2025/26", 80, 3, "Customer Experience Strategy"),
            Target("2026/27", 82, 3, "Customer Experience Strategy"),
        ),
        series=Step(72.0, 80.5, "2024-04", 1.1),
        overrides={"2025-09": 80.7},
        marks={"2024-04": Mark(note="new CRM: resolution recorded at case closure")},
    ),
    Kpi(
        "EES05",
        "SARs requests issued within statutory deadline",
        "efficient-and-effective-services",
        definition="Percentage of subject access requests under UK GDPR answered within the "
        "statutory one calendar month (or a lawful extension).",
        methodology="Numerator: subject access requests closed in the month within the "
        "statutory deadline. Denominator: all subject access requests closed in the month. "
        "Requests closed as invalid or withdrawn are excluded.",
        unit="percentage",
        decimals=1,
        polarity="higher",
        frequency="monthly",
        lag=1,
        source="internal: Information governance case system",
        owner="Information Governance",
        targets=(
            Target("2024/25", 90, 5, "ICO expectation"),
            Target("2025/26", 90, 5, "ICO expectation"),
        ),
        series=Trend(82.0, 77.0, 3.0),
        den=(30, 0.12),
        overrides={"2024-08": 80.0, "2025-07": 73.0, "2025-08": 64.0},
    ),
)

# --------------------------------------------------------------------------------------------
# Turning the recipes into rows
# --------------------------------------------------------------------------------------------

Row = dict[str, str]
COLUMNS: dict[str, list[str]] = {
    name: [c.name for c in spec.columns] for name, spec in SPECS.items()
}
BENCH_COLUMNS = ("england", "region", "neighbours")
NON_NEGATIVE = ("count", "rate", "days", "ratio")
Z = 1.959964


def rng_for(*keys: str) -> np.random.Generator:
    """A random stream per KPI (and purpose), so editing one KPI leaves the others unchanged."""
    return np.random.default_rng([SEED, *"/".join(keys).encode()])


def plain(value: float) -> str:
    """A number without trailing zeros or exponent: 76, 4.5, 1000000."""
    text = f"{value:f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def number(value: float | None, decimals: int) -> str:
    """A figure rounded to the KPI's decimal places (never '-0')."""
    if value is None:
        return ""
    text = f"{value:.{decimals}f}"
    return text.lstrip("-") if float(text) == 0 else text


def clip(kpi: Kpi, value: float) -> float:
    """Keep percentages within 0-100 and counts, rates, days and ratios non-negative."""
    if kpi.unit == "percentage":
        return min(100.0, max(0.0, value))
    if kpi.unit in NON_NEGATIVE:
        return max(0.0, value)
    return value


def periods_for(kpi: Kpi) -> list[pd.Period]:
    """The periods a KPI has figures for: hand-given ones, or a history up to the due period."""
    if isinstance(kpi.series, Given):
        return kpi.series.periods(kpi.frequency)
    if kpi.end:
        last = parse_period(kpi.end, kpi.frequency)
    else:
        last = Cadence(kpi.frequency, kpi.lag).expected_latest(REPORT_QUARTER)
    period = parse_period(FIRST[kpi.frequency], kpi.frequency)
    periods = []
    while period <= last:
        periods.append(period)
        period += 1
    return periods


def denominators(kpi: Kpi, count: int, rng: np.random.Generator) -> list[int | None]:
    """Case counts behind a percentage or rate: a typical size with some random variation."""
    if kpi.den is None:
        return [None] * count
    size, spread = kpi.den
    draws = rng.normal(0.0, spread, count)
    return [max(3, round(size * (1 + draw))) for draw in draws]


def bench_values(
    bench: Bench, periods: Sequence[pd.Period], frequency: str, rng: np.random.Generator
) -> list[float | None]:
    """One benchmark column for every period (None where there is no comparison)."""
    if isinstance(bench, tuple):
        if len(bench) != len(periods):
            raise ValueError(f"benchmark {bench} does not line up with {len(periods)} periods")
        return list(bench)
    if isinstance(bench, Mapping):
        labels = [format_period(p) for p in periods]
        unknown = set(bench) - set(labels)
        if unknown:
            raise ValueError(f"benchmark periods {sorted(unknown)} are not in the series")
        return [bench.get(label) for label in labels]
    return bench.generate(periods, frequency, rng)


def confidence(
    kpi: Kpi, value: float, numerator: int | None, denominator: int | None
) -> tuple[float, float] | None:
    """A 95% interval: Wilson for proportions, Byar for rates, or a survey's half-width."""
    if kpi.ci is None:
        return None
    if isinstance(kpi.ci, float):
        return max(0.0, value - kpi.ci), min(100.0, value + kpi.ci)
    if numerator is None or denominator is None:
        raise ValueError(f"{kpi.kpi_id}: a {kpi.ci} interval needs numerator and denominator")
    if kpi.ci == "wilson":
        p, n = numerator / denominator, denominator
        centre = p + Z * Z / (2 * n)
        half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
        scale = 1 + Z * Z / n
        return 100 * (centre - half) / scale, 100 * (centre + half) / scale
    observed = max(numerator, 1)
    low = observed * (1 - 1 / (9 * observed) - Z / (3 * math.sqrt(observed))) ** 3
    high = (observed + 1) * (1 - 1 / (9 * (observed + 1)) + Z / (3 * math.sqrt(observed + 1))) ** 3
    return value * low / observed, value * high / observed


def _check_labels(kpi: Kpi, labels: Iterable[str]) -> None:
    """Catch a mistyped period in an override, mark or gap before it silently does nothing."""
    known = set(labels)
    for what, keys in (("override", kpi.overrides), ("mark", kpi.marks), ("drop", kpi.drop)):
        unknown = set(keys) - known
        if unknown:
            raise ValueError(f"{kpi.kpi_id}: {what} for unknown periods {sorted(unknown)}")


def observation_rows(kpi: Kpi) -> list[Row]:
    """Every figure of one KPI, in period order, as the text written to observations.csv."""
    if kpi.series is None:
        return []
    rng = rng_for(kpi.kpi_id)
    periods = periods_for(kpi)
    labels = [format_period(p) for p in periods]
    _check_labels(kpi, labels)
    raw = kpi.series.generate(periods, kpi.frequency, rng)
    dens = denominators(kpi, len(periods), rng)
    benches = {
        column: bench_values(kpi.bench[column], periods, kpi.frequency, rng)
        for column in BENCH_COLUMNS
        if column in kpi.bench
    }
    rows = []
    for i, label in enumerate(labels):
        if label in kpi.drop:
            continue
        mark = kpi.marks.get(label, Mark())
        value, den = raw[i], dens[i]
        override = kpi.overrides.get(label)
        if isinstance(override, tuple):
            value, den = override
        elif override is not None:
            value = override
        if value is None and not mark.blank:
            continue
        row = dict.fromkeys(COLUMNS["observations.csv"], "")
        row.update(kpi_id=kpi.kpi_id, period=label, flag=mark.flag, note=mark.note)
        for column, values in benches.items():
            bench = values[i]
            row[column] = "" if bench is None else number(clip(kpi, bench), kpi.decimals)
        if value is None or mark.blank:
            rows.append(row)
            continue
        value = clip(kpi, value)
        numerator = None
        if den is not None and kpi.unit == "percentage":
            numerator = round(value / 100 * den)
            value = 100 * numerator / den
        elif den is not None and kpi.unit == "rate" and kpi.rate_per:
            numerator = round(value * den / kpi.rate_per)
        value = round(value, kpi.decimals)
        row["value"] = number(value, kpi.decimals)
        if numerator is not None:
            row["numerator"], row["denominator"] = str(numerator), str(den)
        interval = confidence(kpi, value, numerator, den)
        if interval:
            row["ci_lower"] = number(clip(kpi, interval[0]), kpi.decimals)
            row["ci_upper"] = number(clip(kpi, interval[1]), kpi.decimals)
        rows.append(row)
    return rows


def comparator_rows(kpi: Kpi, rows: list[Row]) -> list[Row]:
    """Each neighbour's figure for the comparator period; the neighbours column becomes their mean.

    The draws are centred on the KPI's hand-given neighbours average, so the quartile picture
    and the ``neighbours`` benchmark tell the same story.
    """
    if kpi.comparators is None:
        return []
    period, spread = kpi.comparators
    row = next(r for r in rows if r["period"] == period)
    centre = float(row["neighbours"])
    draws = rng_for(kpi.kpi_id, "comparators").normal(0.0, spread, len(NEIGHBOURS))
    values = [round(clip(kpi, centre + d), kpi.decimals) for d in draws - draws.mean()]
    row["neighbours"] = number(sum(values) / len(values), kpi.decimals)
    return [
        {"kpi_id": kpi.kpi_id, "period": period, "area": area, "value": number(v, kpi.decimals)}
        for area, v in zip(NEIGHBOURS, values, strict=True)
    ]


def kpi_row(kpi: Kpi) -> Row:
    """The data-dictionary row of one KPI."""
    return {
        "kpi_id": kpi.kpi_id,
        "name": kpi.name,
        "priority_id": kpi.priority_id,
        "definition": kpi.definition,
        "methodology": kpi.methodology,
        "unit": kpi.unit,
        "rate_per": str(kpi.rate_per) if kpi.rate_per else "",
        "decimals": str(kpi.decimals),
        "polarity": kpi.polarity,
        "frequency": kpi.frequency,
        "lag_months": str(kpi.lag),
        "source": kpi.source,
        "benchmark_source": kpi.benchmark_source,
        "owner": kpi.owner,
        "change_threshold": "" if kpi.change_threshold is None else plain(kpi.change_threshold),
        "spc_rebase": kpi.spc_rebase,
        "year_to_date": "true" if kpi.year_to_date else "",
    }


def target_rows(kpi: Kpi) -> list[Row]:
    """The KPI's targets, one row per financial year a new target starts."""
    return [
        {
            "kpi_id": kpi.kpi_id,
            "year": t.year,
            "period": t.period,
            "target": plain(t.target),
            "tolerance": "" if t.tolerance is None else plain(t.tolerance),
            "note": t.note,
        }
        for t in kpi.targets
    ]


@dataclass
class Dataset:
    """Every CSV file's rows, ready to write."""

    files: dict[str, list[Row]]


def build() -> Dataset:
    """All seven CSV files' rows, in the plan's order."""
    observations: list[Row] = []
    comparators: list[Row] = []
    for kpi in KPIS:
        rows = observation_rows(kpi)
        comparators += comparator_rows(kpi, rows)
        observations += rows
    return Dataset(
        {
            "plan.csv": [{"field": f, "value": v} for f, v in PLAN],
            "ambitions.csv": [{"ambition_id": a, "ambition": n} for a, n in AMBITIONS],
            "priorities.csv": [
                {"priority_id": p, "ambition_id": a, "priority": n} for p, a, n, _ in PRIORITIES
            ],
            "kpis.csv": [kpi_row(k) for k in KPIS],
            "targets.csv": [row for k in KPIS for row in target_rows(k)],
            "observations.csv": observations,
            "comparators.csv": comparators,
        }
    )


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[Row]) -> None:
    """UTF-8, comma separated, one header row, '\\n' line endings: the same bytes every run."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([row[c] for c in columns] for row in rows)


# --------------------------------------------------------------------------------------------
# Checking the deliberate cases (so the list in the module docstring stays true)
# --------------------------------------------------------------------------------------------

CASES: dict[str, set[str]] = {
    "off target": {
        *("CFB03", "LAH01", "LAH05", "HFA04", "SJA02"),
        *("QEA01", "SEW03", "EES01", "EES02", "EES05"),
    },
    "within tolerance": {"CFB01", "CFB02", "CFB05", "SCF01", "SJA05", "ASC03", "QEA03"},
    "exactly on target": {"VT03"},
    "worsening": {
        *("CFB03", "CFB04", "LAH05", "HFA03", "HFA04"),
        *("QEA01", "QEA03", "SEW03", "EES01", "EES05"),
    },
    "special cause of concern": {"HFA02", "HFA03", "HFA04", "SJA03", "QEA01", "SEW03", "EES05"},
    "improving special cause": {"ASC01", "CGF03", "CCH02", "VT01", "EES03"},
    "stale": {"REC03"},
    "no observations": {"REC01"},
    "one observation": {"ASC03"},
}
"""Each deliberate case and the KPIs that show it at 2025/26 Q2 (exactly these, no others)."""

RUN_LENGTH = 8
"""Points in a row on one side of the mean that count as a shift (NHS 'Making Data Count' uses
7; checking 8 keeps the cases true under either convention)."""


@dataclass(frozen=True)
class Figure:
    """One published figure of a KPI."""

    period: pd.Period
    value: float
    ci: tuple[float, float] | None = None


def figures(kpi: Kpi, rows: Sequence[Row]) -> list[Figure]:
    """The KPI's figures with a value, oldest first."""
    return [
        Figure(
            parse_period(r["period"], kpi.frequency),
            float(r["value"]),
            (float(r["ci_lower"]), float(r["ci_upper"])) if r["ci_lower"] else None,
        )
        for r in rows
        if r["kpi_id"] == kpi.kpi_id and r["value"]
    ]


def target_in_force(kpi: Kpi, year: str) -> Target | None:
    """The target of the latest financial year that starts on or before ``year``."""
    key = parse_period(year, "annual-financial")
    found = [
        t for t in kpi.targets if not t.period and parse_period(t.year, "annual-financial") <= key
    ]
    return max(found, key=lambda t: parse_period(t.year, "annual-financial"), default=None)


def profile_target(kpi: Kpi, period: pd.Period) -> Target | None:
    """A profile target for exactly ``period``, if the KPI has one."""
    return next(
        (t for t in kpi.targets if t.period and parse_period(t.period, kpi.frequency) == period),
        None,
    )


def status(kpi: Kpi, value: float, target: Target) -> str:
    """On target, within tolerance or off target, judged with the KPI's polarity."""
    sign = -1 if kpi.polarity == "lower" else 1
    gap = sign * (value - target.target)
    if gap >= 0:
        return "exactly on target" if value == target.target else "on target"
    if target.tolerance is not None and -gap <= target.tolerance:
        return "within tolerance"
    return "off target"


def statuses(kpi: Kpi, latest: Figure) -> set[str]:
    """The status under each way a report might pick the target (all must agree).

    A profile target for the figure's own period decides alone; a year-to-date KPI has no
    annual target before its year's last period.
    """
    profiled = profile_target(kpi, latest.period)
    if profiled is not None:
        return {status(kpi, latest.value, profiled)}
    if kpi.year_to_date and latest.period.end_time != latest.period.asfreq("Y-MAR").end_time:
        return {"no target"}
    years = {
        format_period(REPORT_QUARTER.asfreq("Y-MAR")),
        format_period(latest.period.start_time.to_period("Y-MAR")),
        format_period(latest.period.end_time.to_period("Y-MAR")),
    }
    targets = {target_in_force(kpi, y) for y in years}
    return {"no target" if t is None else status(kpi, latest.value, t) for t in targets}


def worse(kpi: Kpi, earlier: Figure | None, later: Figure) -> bool:
    """True when ``later`` is worse than ``earlier`` by more than the change threshold.

    Where both figures have confidence intervals, overlapping intervals mean no real change.
    """
    if earlier is None or kpi.polarity == "none":
        return False
    if earlier.ci and later.ci and earlier.ci[0] <= later.ci[1] and later.ci[0] <= earlier.ci[1]:
        return False
    threshold = kpi.change_threshold
    if threshold is None:
        threshold = 0.02 * abs(earlier.value)
    change = later.value - earlier.value
    return (change > threshold) if kpi.polarity == "lower" else (change < -threshold)


def special_cause(kpi: Kpi, figs: Sequence[Figure]) -> str:
    """'concern', 'improvement' or '' for the latest point of an XmR chart.

    Limits are mean +/- 2.66 x mean moving range over the points since the last rebase; a
    special cause is the latest point beyond a limit or ending a run of ``RUN_LENGTH`` on one
    side of the mean. Only monthly series are checked: quarterly ones have 12-14 points, where
    a report may show trial limits.
    """
    rebases = [parse_period(p, kpi.frequency) for p in kpi.spc_rebase.split(";") if p.strip()]
    start = max((p for p in rebases if p <= figs[-1].period), default=None)
    values = np.array([f.value for f in figs if start is None or f.period >= start])
    if kpi.frequency != "monthly" or len(values) < 15 or kpi.polarity == "none":
        return ""
    mean = values.mean()
    limit = 2.66 * np.abs(np.diff(values)).mean()
    sides = np.sign(values - mean)
    run = 1
    while run < len(sides) and sides[-1 - run] == sides[-1] != 0:
        run += 1
    high = values[-1] > mean + limit or (run >= RUN_LENGTH and sides[-1] > 0)
    low = values[-1] < mean - limit or (run >= RUN_LENGTH and sides[-1] < 0)
    if not (high or low):
        return ""
    return "improvement" if high == (kpi.polarity == "higher") else "concern"


def found_cases(rows: Sequence[Row]) -> dict[str, set[str]]:
    """What a report for 2025/26 Q2 would find in the rows, case by case."""
    found: dict[str, set[str]] = {case: set() for case in CASES}
    for kpi in KPIS:
        figs = figures(kpi, rows)
        if not figs:
            found["no observations"].add(kpi.kpi_id)
            continue
        if len(figs) == 1:
            found["one observation"].add(kpi.kpi_id)
        latest = figs[-1]
        due = Cadence(kpi.frequency, kpi.lag).expected_latest(REPORT_QUARTER)
        if latest.period < due:
            found["stale"].add(kpi.kpi_id)
        judged = statuses(kpi, latest)
        if len(judged) > 1:
            raise AssertionError(f"{kpi.kpi_id}: status depends on the target year: {judged}")
        for case in judged & found.keys():
            found[case].add(kpi.kpi_id)
        shift = Cadence(kpi.frequency).shift_year()
        # A year-to-date figure is compared only with the same period a year earlier.
        previous = None if kpi.year_to_date else next(
            (f for f in figs if f.period == latest.period - 1), None
        )
        year_ago = next((f for f in figs if f.period == latest.period - shift), None)
        if (kpi.year_to_date or worse(kpi, previous, latest)) and worse(kpi, year_ago, latest):
            found["worsening"].add(kpi.kpi_id)
        signal = special_cause(kpi, figs)
        if signal:
            key = "special cause of concern" if signal == "concern" else "improving special cause"
            found[key].add(kpi.kpi_id)
    return found


def check_cases(data: Dataset) -> None:
    """Stop if the figures no longer show exactly the deliberate cases the docstring lists."""
    rows = data.files["observations.csv"]
    found = found_cases(rows)
    problems = [
        f"{case}: expected {sorted(CASES[case])}, found {sorted(found[case])}"
        for case in CASES
        if found[case] != CASES[case]
    ]
    for kpi in KPIS:
        figs = figures(kpi, rows)
        due = Cadence(kpi.frequency, kpi.lag).expected_latest(REPORT_QUARTER)
        if figs and kpi.end is None and figs[-1].period != due:
            problems.append(f"{kpi.kpi_id}: latest figure {figs[-1].period} but {due} is due")
    if problems:
        raise SystemExit("deliberate cases have drifted:\n" + "\n".join(problems))


# --------------------------------------------------------------------------------------------
# Sample commentary: written once, never overwritten
# --------------------------------------------------------------------------------------------


def show(kpi: Kpi, value: float | None) -> str:
    """A figure as a reader sees it in prose: 63.4%, 692, 165 per 100,000, £4.6m, 11.81 days."""
    if value is None:
        return "n/a"
    d = kpi.decimals
    if kpi.unit == "percentage":
        return f"{value:.{d}f}%"
    if kpi.unit == "rate":
        return f"{value:,.{d}f} per {kpi.rate_per:,}"
    if kpi.unit == "currency":
        sign = "-" if value < 0 else ""
        if abs(value) >= 1e9:
            return f"{sign}£{abs(value) / 1e9:.2f}bn"
        if abs(value) >= 1e6:
            return f"{sign}£{abs(value) / 1e6:.1f}m"
        return f"{sign}£{abs(value):,.0f}"
    if kpi.unit == "days":
        return f"{value:.{d}f} days"
    return f"{value:,.{d}f}"


@dataclass(frozen=True)
class Facts:
    """What the commentary for one KPI may quote, as at the end of a report quarter."""

    latest: str = "n/a"
    period: str = "n/a"
    previous: str = "n/a"
    previous_period: str = "n/a"
    year_ago: str = "n/a"
    year_ago_period: str = "n/a"
    target: str = "n/a"
    england: str = "n/a"
    region: str = "n/a"
    neighbours: str = "n/a"


def facts(kpi: Kpi, rows: Sequence[Row], quarter: pd.Period) -> Facts:
    """The latest figure published by the end of ``quarter`` and what it compares with."""
    due = Cadence(kpi.frequency, kpi.lag).expected_latest(quarter)
    own = [r for r in rows if r["kpi_id"] == kpi.kpi_id and r["value"]]
    own = [r for r in own if parse_period(r["period"], kpi.frequency) <= due]
    target = target_in_force(kpi, format_period(quarter.asfreq("Y-MAR")))
    if own:
        target = profile_target(kpi, parse_period(own[-1]["period"], kpi.frequency)) or target
    if not own:
        return Facts(target="n/a" if target is None else show(kpi, target.target))
    last = own[-1]
    period = parse_period(last["period"], kpi.frequency)
    year_ago = period - Cadence(kpi.frequency).shift_year()
    ago = next((r for r in own if parse_period(r["period"], kpi.frequency) == year_ago), None)

    def num(row: Row | None, column: str = "value") -> str:
        return show(kpi, float(row[column])) if row and row[column] else "n/a"

    return Facts(
        latest=num(last),
        period=describe_period(period),
        previous=num(own[-2]) if len(own) > 1 else "n/a",
        previous_period=describe_period(parse_period(own[-2]["period"], kpi.frequency))
        if len(own) > 1
        else "n/a",
        year_ago=num(ago),
        year_ago_period=describe_period(year_ago),
        target="n/a" if target is None else show(kpi, target.target),
        england=num(last, "england"),
        region=num(last, "region"),
        neighbours=num(last, "neighbours"),
    )


def commentary(template: str, kpi_facts: dict[str, Facts], own: Facts | None) -> str:
    """Fill a template's {latest}-style fields (own KPI) and {k[ID].latest} (any KPI)."""
    fields = vars(own) if own else {}
    text = template.format(k=kpi_facts, **fields)
    if "n/a" in text:
        raise ValueError(f"commentary quotes a figure that does not exist: {text[:80]}...")
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip())]
    return "\n\n".join(paragraphs)


def write_narrative(out: Path, data: Dataset) -> list[Path]:
    """Write each sample commentary file that does not exist yet; return the files written."""
    rows = data.files["observations.csv"]
    written = []
    for slug, texts in NARRATIVE.items():
        quarter = parse_quarter(slug)
        kpi_facts = {k.kpi_id: facts(k, rows, quarter) for k in KPIS}
        folder = out / "narrative" / slug
        folder.mkdir(parents=True, exist_ok=True)
        for stem, template in texts.items():
            own = kpi_facts.get(stem.removeprefix("kpi-")) if stem.startswith("kpi-") else None
            text = commentary(template, kpi_facts, own)
            path = folder / f"{stem}.md"
            if path.exists():
                continue
            try:
                with path.open("x", encoding="utf-8", newline="\n") as handle:
                    handle.write(text + "\n")
            except FileExistsError:
                continue
            written.append(path)
    return written


NARRATIVE: dict[str, dict[str, str]] = {
    "2025-26-q2": {
        "overview": """
            The figures and commentary in this report are illustrative: they were generated to
            show how the Council Plan delivery report works and are not Walsall Council's
            performance data. This quarter the picture is mixed. Prevention measures are holding
            up well: placement stability for children in care ({k[SCF02].latest}), adults with a
            learning disability living at home ({k[SCF03].latest}) and supported digital access
            at Walsall Connected ({k[ASC01].latest}) are all better than target.

            Three areas are escalated to CMT and Cabinet. Households in temporary accommodation
            reached {k[HFA04].latest} at the end of September against a target of
            {k[HFA04].target}, with a sharp rise in bed and breakfast placements
            ({k[HFA03].latest}) after a hostel closed. Only {k[CFB03].latest} of new EHCPs were
            issued within 20 weeks. The forecast revenue overspend rose to {k[EES01].latest} at
            quarter 2, driven by children's placements and temporary accommodation.

            Two data gaps remain: Making Connections Walsall returns have not been received since
            2024/25 Q2, and the new Walsall Connected confidence survey has no results yet.
        """,
        "priority-child-friendly-borough": """
            Children's social care assessments remain close to target at {k[CFB02].latest}, but
            the timeliness of new Education, Health and Care Plans has fallen sharply to
            {k[CFB03].latest} as requests for assessment rose by a third on last year. School
            readiness improved again to {k[CFB05].latest} in the {k[CFB05].period}, though it
            remains below England ({k[CFB05].england}). A SEND recovery plan, including extra
            educational psychology capacity, was agreed in September.
        """,
        "priority-safer-streets-safer-people": """
            Recorded crime continues to fall slowly, to {k[SSP02].latest} residents in the year
            to March 2025, though it remains above England and Wales ({k[SSP02].england}). The
            rate of first time entrants to the youth justice system fell to {k[SSP01].latest}
            in 2024, inside the Youth Justice Plan target. The Community Safety Partnership's
            violence reduction plan now focuses on the town centre night-time economy.
        """,
        "priority-living-active-and-healthy-lives": """
            Most healthy lives measures are published once a year and have not changed this
            quarter. Excess weight in Year 6 children rose to {k[LAH01].latest} in the
            {k[LAH01].period}, above both the target and England ({k[LAH01].england}), and MMR
            coverage at age five fell to {k[LAH05].latest}, well short of the 95% needed for
            herd immunity. Smoking prevalence fell to {k[LAH06].latest}, its lowest recorded
            level. The Healthy Weight Partnership and an MMR catch-up campaign with primary care
            networks are the main responses.
        """,
        "priority-supported-and-cared-for": """
            Adult social care measures are at or close to target: {k[SCF05].latest} of new
            requests were resolved without long-term support and {k[SCF03].latest} of adults with
            a learning disability live in their own home or with family. Placement stability for
            children in care is better than target at {k[SCF02].latest}. The proportion of care
            leavers in suitable accommodation dipped to {k[SCF01].latest}, within tolerance of
            the {k[SCF01].target} target.
        """,
        "priority-homes-for-all": """
            Demand for temporary accommodation continues to rise and is the main exception in
            this priority. {k[HFA04].latest} households were in temporary accommodation at the
            end of September, up from {k[HFA04].year_ago} a year earlier and above the target of
            {k[HFA04].target}; the SPC chart shows a sustained run above the average since the
            start of 2024. Bed and breakfast placements jumped to {k[HFA03].latest} after a
            private-sector hostel closed. The Homelessness Prevention Board has approved 40
            additional council-owned temporary homes and a landlord incentive scheme to speed up
            move-on.
        """,
        "priority-skills-and-jobs-for-all": """
            NEET levels remain low at {k[SJA01].latest} in {k[SJA01].period}, better than
            target. Care leavers in education, employment or training improved only slightly, to
            {k[SJA02].latest}, and remain off target. The claimant rate is steady at
            {k[SJA03].latest} but well above England ({k[SJA03].england}). The 2023/24
            Attainment 8 score was revised to {k[SJA05].latest}, within tolerance of target.
        """,
        "priority-a-clean-and-green-future": """
            The provisional recycling rate for the 12 months to June 2025 is {k[CGF01].latest},
            just above the {k[CGF01].target} target. Fly-tipping reports fell to
            {k[CGF02].latest} in September, in line with the usual autumn drop, while enforcement
            actions stayed above target at {k[CGF03].latest}.
        """,
        "priority-a-quality-experience-for-all": """
            Complaints resolved within 10 working days fell to {k[QEA01].latest} in September,
            the lowest in three years and well below the {k[QEA01].target} target. Call
            answering held within tolerance at {k[QEA03].latest}, and caller satisfaction stayed
            above target at {k[QEA02].latest} out of 5.
        """,
        "priority-a-skilled-and-engaged-workforce": """
            Sickness absence continues to rise: {k[SEW03].latest} per employee in the 12 months
            to August, against a target of {k[SEW03].target}. Mental health and musculoskeletal
            conditions account for most days lost. Workforce diversity continues to improve, with
            {k[SEW01].latest} of employees who declared their ethnicity from an ethnic minority
            group.
        """,
        "priority-efficient-and-effective-services": """
            The forecast revenue overspend rose to {k[EES01].latest} at quarter 2, from
            {k[EES01].previous} at quarter 1, mainly because of children's placements and
            temporary accommodation; spending controls were introduced in September. FOI
            performance has been above the 90% ICO expectation every month since the new
            workflow began in October 2024 ({k[EES03].latest} in September), but subject access
            request timeliness fell to {k[EES05].latest} in August.
        """,
        "kpi-CFB01": """
            {latest} of children reviewed at two to two and a half years were at the expected
            level in all five areas in the {period}, up from {previous} the year before and within
            tolerance of the {target} target. Walsall remains below England ({england}) and the
            West Midlands ({region}). The 0-19 service is offering ASQ-3 reviews to families who
            miss appointments, and Family Hubs are prioritising communication and language
            support.
        """,
        "kpi-CFB02": """
            {latest} of assessments were completed within 45 working days in {period}, compared
            with {previous} last quarter, within tolerance of the {target} target. Performance
            has been broadly stable for two years. Team managers review every assessment open
            for more than 35 days each week.
        """,
        "kpi-CFB03": """
            Only {latest} of new EHCPs were issued within 20 weeks in {period}, down from
            {previous} last quarter and {year_ago} a year ago, and well below the {target}
            target. Requests for assessment are up by a third on last year and two educational
            psychologist posts are vacant. The SEND recovery plan agreed in September adds locum
            educational psychologists and a weekly multi-agency panel; we expect timeliness to
            recover from 2025/26 Q4.
        """,
        "kpi-CFB05": """
            {latest} of children reached a good level of development at the end of reception in
            the {period}, up from {previous}. This is within tolerance of the {target} target but
            below England ({england}) and the West Midlands ({region}). Results for 2024/25 are
            due in November 2025. Early years settings in the six wards with the lowest results
            are receiving targeted speech and language support.
        """,
        "kpi-SSP01": """
            The rate of first time entrants to the youth justice system fell to {latest} young
            people aged 10-17 in the {period}, from {previous}, better than the Youth Justice Plan
            target of {target}. The rate remains above England ({england}). Out-of-court
            disposals and the Turnaround programme continue to divert young people from formal
            entry.
        """,
        "kpi-SSP02": """
            Recorded crime was {latest} residents in the 12 months to March 2025, down from
            {year_ago} a year earlier. The rate is above England and Wales ({england}) and the
            West Midlands ({region}). Figures for the year to June 2025 are due from ONS in
            October.
        """,
        "kpi-REC01": """
            The question on customer confidence was added to the Walsall Connected post-visit
            survey in August 2025, so no figures are available yet. The first results will be
            reported at quarter 3, and the provisional target of {target} will be reviewed once
            six months of results are in.
        """,
        "kpi-REC03": """
            No returns have been received from Making Connections Walsall partners since
            {period}, when {latest} residents took part, above the target of {target}. The new
            partnership contract started in October 2024 without a data-sharing schedule;
            Commissioning expects to resolve this by December so that 2025/26 figures can be
            reported at quarter 3.
        """,
        "kpi-LAH01": """
            {latest} of Year 6 children were overweight or obese in the {period}, up from
            {previous} and above the {target} target. Walsall is significantly above England
            ({england}) and the West Midlands ({region}). The Healthy Weight Partnership is
            extending the Active Families programme to all primary schools in the most affected
            wards. Results for 2024/25 are due in November 2025.
        """,
        "kpi-LAH03": """
            Admissions for alcohol-specific conditions rose to {latest} in the {period}, from
            {previous}, and are above England ({england}), though similar to our CIPFA neighbours
            ({neighbours}). The hospital alcohol care team and the community drug and alcohol
            service are piloting automatic referral of frequent attenders.
        """,
        "kpi-LAH05": """
            MMR coverage (two doses by age five) fell to {latest} in the {period}, from
            {previous}, far short of the {target} needed for herd immunity. Coverage is similar
            to England ({england}) and the West Midlands ({region}), reflecting a national
            decline. Public Health and the primary care networks are running catch-up clinics in
            Family Hubs and sending reminders to parents of children who have missed their second
            dose.
        """,
        "kpi-LAH06": """
            Smoking prevalence fell to {latest} in the {period}, from {previous}, its lowest
            recorded level, though still above England ({england}). Survey estimates for one area
            vary from year to year, so the trend over several years is more reliable than any
            single figure. The Stop Smoking Service is focusing on routine and manual workers and
            on pregnant women.
        """,
        "kpi-SCF01": """
            {latest} of care leavers aged 19-21 were in suitable accommodation in {period}, down
            from {previous} last quarter and within tolerance of the {target} target. Most of
            those not in suitable accommodation are in custody or have declined support.
            Personal advisers review each case monthly with Housing Options.
        """,
        "kpi-SCF02": """
            {latest} of children in care had three or more placements in the previous 12 months
            in {period}, better than the {target} target and down from {year_ago} a year ago.
            Placement stability has improved steadily as more children are placed with in-house
            foster carers.
        """,
        "kpi-SCF03": """
            {latest} of adults aged 18-64 with a learning disability lived in their own home or
            with their family in {period}, above the {target} target and up from {year_ago} a
            year ago. Walsall compares well with England (81.2% in the latest annual ASCOF
            figures). New supported living schemes opening this year should sustain this.
        """,
        "kpi-SCF05": """
            {latest} of new requests for support were resolved without the need for long-term
            services in {period}, above the {target} target. Strengths-based conversations at
            the Front Door and the short-term reablement offer are helping people stay
            independent for longer.
        """,
        "kpi-HFA01": """
            The affordability ratio fell to {latest} in the {period} as earnings grew faster than
            house prices. Homes in Walsall remain more affordable than in England ({england}) and
            the West Midlands ({region}) but less affordable than in our CIPFA neighbours
            ({neighbours}). No target is set: this is a context measure for the Housing Strategy.
        """,
        "kpi-HFA02": """
            {latest} children were living in temporary accommodation at the end of September,
            down from {previous} in August but up from {year_ago} a year ago. The number has
            risen in most months for three years. Family placements in bed and breakfast are
            limited to six weeks, and officers review every family placement weekly.
        """,
        "kpi-HFA03": """
            {latest} households were in bed and breakfast accommodation at the end of September,
            more than double August's {previous}. The jump is a special cause on the SPC chart:
            34 households were placed after a private-sector hostel closed on 12 September. All
            are being assessed for move-on to leased or council-owned temporary accommodation,
            and we expect numbers to return to around 35 by December.
        """,
        "kpi-HFA04": """
            {latest} households were in temporary accommodation at the end of September, up from
            {previous} in August and {year_ago} a year earlier, and above the target of
            {target}. The SPC chart shows a sustained run above the average since the start of
            2024, driven by section 21 evictions and a shortage of affordable private lets. The
            Homelessness Prevention Board has approved 40 additional council-owned homes and a
            landlord incentive scheme; the 2026/27 target of 550 reflects their expected effect.
        """,
        "kpi-SBG03": """
            {latest} of business planning applications were decided on time in {period}, down
            from {previous} last quarter but above the {target} target. Pre-application advice
            for commercial schemes is now offered within ten working days.
        """,
        "kpi-SBG04": """
            The business support service helped {latest} enterprises in {period}, up from
            {previous} in the first quarter and above the target of {target}. Demand for UK
            Shared Prosperity Fund grants remained strong and start-up workshops were fully
            booked.
        """,
        "kpi-SJA01": """
            {latest} of young people aged 16-18 were NEET in {period}, better than the {target}
            target and unchanged on a year earlier. Figures for July to September, when many
            young people's destinations are not yet known, will be reported at quarter 3.
        """,
        "kpi-SJA02": """
            {latest} of care leavers aged 19-21 were in education, employment or training in
            {period}, almost unchanged on last quarter ({previous}) and still short of the
            {target} target; England's latest annual figure is 57%. The council's care leaver
            apprenticeship offer is being expanded, with ten ring-fenced posts from January 2026.
        """,
        "kpi-SJA03": """
            {latest} of working age residents were claiming unemployment-related benefits in
            {period}, compared with {england} in England and {region} in the West Midlands. The
            rate has edged up over the last year ({year_ago} a year ago), in line with national
            trends. The Walsall Works programme is targeting the wards with the highest claimant
            rates.
        """,
        "kpi-SJA05": """
            The Attainment 8 score for the {period} was revised to {latest} in February 2025
            (provisional 43.6), up from {previous} the year before and within tolerance of the
            {target} target. Walsall remains below England ({england}) and close to our CIPFA
            neighbours ({neighbours}). Results for 2024/25 are due in October 2025.
        """,
        "kpi-ASC01": """
            {latest} of residents helped at Walsall Connected completed their query online with
            support in {period}, up from {year_ago} a year ago and above the {target} target. The
            proportion has risen steadily since 2022, a sustained improvement on the SPC chart.
            The target rises to 45% in 2026/27.
        """,
        "kpi-ASC03": """
            The first footway condition survey using the new method found {latest} of high
            amenity footways in good or acceptable condition in the {period}, within tolerance of
            the {target} target. As this is the first year there is no trend yet. Resurfacing in
            Walsall town centre and Bloxwich is planned for 2025/26.
        """,
        "kpi-CGF01": """
            The provisional recycling rate for the 12 months to June 2025 is {latest}, up from
            {year_ago} a year earlier and just above the {target} target; the figure is awaiting
            WasteDataFlow validation. Walsall remains below England (41.9% in 2024/25). Garden
            waste subscriptions rose by 8% this year.
        """,
        "kpi-CGF02": """
            {latest} fly-tips were reported in September, down from {previous} in August,
            following the usual seasonal pattern, and fewer than a year ago ({year_ago}). This is
            a demand measure: a rise can reflect easier reporting as well as more fly-tipping.
        """,
        "kpi-CGF03": """
            {latest} enforcement actions were taken for littering and fly-tipping in September,
            above the target of {target} in every month of the past year. The sustained
            improvement on the SPC chart reflects the enforcement contract that started in 2023.
        """,
        "kpi-CCH03": """
            Our cultural and heritage venues welcomed an estimated {latest} visits in {period}, up
            from {year_ago} a year earlier and above the target of {target}. The figure is
            estimated because the Leather Museum's door counter failed for three weeks in August.
            The New Art Gallery's summer exhibition and family programme drove the increase.
        """,
        "kpi-VT02": """
            Every major planning application decided in {period} was decided within the statutory
            period or an agreed extension ({latest}), above the {target} target and England
            ({england}). The number of major applications is small, so quarterly figures can move
            sharply.
        """,
        "kpi-VT03": """
            {latest} of non-major applications were decided on time in {period}, exactly on the
            {target} target but down from {previous} last quarter and below England ({england}).
            Two planning officer vacancies were filled in September, which should lift
            performance by the end of the year.
        """,
        "kpi-QEA01": """
            Only {latest} of stage 1 complaints were resolved within 10 working days in
            September, down from {previous} in August and {year_ago} a year ago, against a target
            of {target}. This is below the lower process limit: a special cause linked to a
            backlog of Highways and Waste complaints after the summer storms. A temporary
            complaints triage team was set up in September, and directors now receive a weekly
            backlog report.
        """,
        "kpi-QEA03": """
            {latest} of calls were answered in September, down from {previous} in August but
            within tolerance of the {target} target. Performance has been stable since the new
            telephony platform went live in October 2023, so SPC limits are calculated from that
            date. Demand is expected to peak again with annual billing in March.
        """,
        "kpi-SEW03": """
            Sickness absence rose to {latest} per employee in the 12 months to August, from
            {previous} a month earlier and {year_ago} a year ago, against a target of {target}.
            Mental health and musculoskeletal conditions account for most days lost. HR business
            partners are reviewing all long-term cases with managers, and the employee assistance
            programme has been relaunched.
        """,
        "kpi-EES01": """
            The quarter 2 forecast is an overspend of {latest}, up from {previous} at quarter 1,
            against a balanced budget (target {target}, tolerance £1m). The main pressures are
            children's placements and temporary accommodation. CMT introduced controls on
            non-essential spending in September, and directorates are preparing recovery plans
            for Cabinet in December.
        """,
        "kpi-EES02": """
            {latest} of the year's council tax had been collected by the end of {period},
            below the profile target of {target} for the half year and behind the {year_ago}
            collected by the same point last year. The figure is cumulative from April, so it is
            compared with the same quarter a year earlier, not with quarter 1. Online direct
            debit sign-up and earlier reminders for residents in arrears were introduced in
            April 2025.
        """,
        "kpi-EES03": """
            {latest} of FOI requests were answered within 20 working days in September, above the
            90% ICO expectation. Every month since the new request-handling workflow began in
            October 2024 has been above target, a sustained improvement on the SPC chart.
        """,
        "kpi-EES04": """
            {latest} of Walsall Connected queries were resolved at the first point of contact in
            September, on target. Since April 2024 the new CRM records resolution at case
            closure, so earlier months are not comparable and SPC limits are calculated from
            April 2024.
        """,
    },
    "2025-26-q1": {
        "overview": """
            The figures and commentary in this report are illustrative: they were generated to
            show how the Council Plan delivery report works and are not Walsall Council's
            performance data. Quarter 1 shows continued pressure on temporary accommodation
            ({k[HFA04].latest} households at the end of June) and a fall in EHCP timeliness to
            {k[CFB03].latest}. The quarter 1 budget forecast is an overspend of
            {k[EES01].latest}.
        """,
        "priority-child-friendly-borough": """
            Assessment timeliness was steady at {k[CFB02].latest}, within tolerance of target.
            EHCP timeliness fell to {k[CFB03].latest} as requests for assessment increased; a
            recovery plan is being prepared for September.
        """,
        "priority-living-active-and-healthy-lives": """
            No new annual figures were published this quarter. The latest Year 6 excess weight
            figure ({k[LAH01].latest}) and MMR coverage ({k[LAH05].latest}) remain off target.
        """,
        "priority-homes-for-all": """
            {k[HFA04].latest} households were in temporary accommodation at the end of June,
            above the target of {k[HFA04].target}, including {k[HFA02].latest} children. A
            business case for additional council-owned temporary homes goes to the Homelessness
            Prevention Board in July.
        """,
        "priority-a-quality-experience-for-all": """
            Complaint response times ({k[QEA01].latest} within 10 working days in June) remain
            below target. Call answering was within tolerance at {k[QEA03].latest}.
        """,
        "priority-efficient-and-effective-services": """
            The quarter 1 forecast is an overspend of {k[EES01].latest}. FOI performance
            remained above the 90% ICO expectation at {k[EES03].latest} in June.
        """,
        "kpi-CFB02": """
            {latest} of assessments were completed within 45 working days in {period}, up from
            {previous} last quarter and within tolerance of the {target} target.
        """,
        "kpi-CFB03": """
            {latest} of new EHCPs were issued within 20 weeks in {period}, down from {previous}
            last quarter and below the {target} target. Requests for assessment rose sharply in
            the spring term; a recovery plan is being prepared.
        """,
        "kpi-CFB05": """
            {latest} of children reached a good level of development in the {period}, up from
            {previous} and within tolerance of the {target} target, but below England
            ({england}).
        """,
        "kpi-LAH01": """
            {latest} of Year 6 children were overweight or obese in the {period}, above the
            {target} target and England ({england}). The next figures are due in November 2025.
        """,
        "kpi-LAH05": """
            MMR coverage at age five was {latest} in the {period}, up slightly from {previous}
            but far short of the {target} target. Figures for 2024/25 are due in September.
        """,
        "kpi-HFA02": """
            {latest} children were in temporary accommodation at the end of June, up from
            {previous} in May and {year_ago} a year ago.
        """,
        "kpi-HFA04": """
            {latest} households were in temporary accommodation at the end of June, slightly
            down on May ({previous}) but up from {year_ago} a year ago and above the {target}
            target.
        """,
        "kpi-SJA02": """
            {latest} of care leavers aged 19-21 were in education, employment or training in
            {period}, up from {previous} but below the {target} target.
        """,
        "kpi-ASC01": """
            {latest} of residents helped at Walsall Connected completed their query online with
            support in June, above the {target} target and up from {year_ago} a year ago.
        """,
        "kpi-CGF01": """
            The recycling rate for 2024/25 was {latest}, up from {year_ago} the year before and
            within tolerance of the {target} target for 2025/26. England's rate was {england}.
        """,
        "kpi-QEA01": """
            {latest} of stage 1 complaints were resolved within 10 working days in June, below
            the {target} target. A review of complaint handling in Highways and Waste has
            started.
        """,
        "kpi-QEA03": """
            {latest} of calls were answered in June, within tolerance of the {target} target and
            up from {previous} in May.
        """,
        "kpi-SEW03": """
            Sickness absence was {latest} per employee in the 12 months to May, up from
            {year_ago} a year ago and above the {target} target.
        """,
        "kpi-EES01": """
            The quarter 1 forecast is an overspend of {latest}, compared with {year_ago} at the
            same point last year. Children's placements and temporary accommodation are the main
            pressures.
        """,
        "kpi-EES03": """
            {latest} of FOI requests were answered within 20 working days in June, well above
            {year_ago} a year ago and the 90% ICO expectation.
        """,
    },
}
"""Sample commentary per report quarter: file stem -> text with {fields} filled from ``Facts``.

Own-KPI fields (``{latest}``, ``{period}``, ``{previous}``, ``{year_ago}``, ``{target}``,
``{england}`` ...) are filled for ``kpi-`` files; any KPI's facts are ``{k[HFA04].latest}``.
"""


def write_all(out: Path) -> None:
    """Write the seven CSV files into ``out`` (after checking the deliberate cases), then any
    sample commentary file that does not exist yet."""
    out.mkdir(parents=True, exist_ok=True)
    data = build()
    check_cases(data)
    for name, rows in data.files.items():
        # Optional columns no row fills (spc_method, a target's period ...) are left out.
        optional = {c.name for c in SPECS[name].columns if not c.required}
        columns = [c for c in COLUMNS[name] if c not in optional or any(c in r for r in rows)]
        write_csv(out / name, columns, rows)
    write_narrative(out, data)


def main(argv: Sequence[str] | None = None) -> int:
    """``python scripts/make_illustrative_data.py [--out DIR]``."""
    parser = argparse.ArgumentParser(description="Write the illustrative KPI data files.")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "data", help="data folder to write (default: data/)"
    )
    args = parser.parse_args(argv)
    write_all(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The Knowsley demo's performance framework, drawn from the seeds.

Seed figures, kept exactly:
- the multi-agency data set's key points for 2014/15 (seed 004, a Kirklees newsletter, used
  here as the partnership's historical data set): referrals for CSE and sexually harmful
  behaviour 44 (2013/14) → 102 (2014/15); children attending hospital with self-harm or acute
  mental health issues 332 → 467; ICPCs within 15 working days of the S47 27% → 68.4%;
  e-learning undertaken by 9,110 people (2014/15). The 2014/15 data set was incomplete, so
  one 2014/15 return is still outstanding.
- MST-CAN, January 2019 to December 2020 (seed 003), recorded for 2020/21: 18 families
  accepted, 17 closed, 15/17 no new maltreatment reports, 16/17 parents no new arrests, 7/8
  stepped out of pre-proceedings, 6 of 7 stepped down from CP to CIN, 42 children avoided
  care, 9 families still open covering 29 children.
- training: in excess of 2,000 allocated places filled (seed 000), recorded for 2018/19.

Every other year's figure is invented, from a fixed pattern, so the trends have something to
show; so are the domestic abuse indicators and the quarterly ones.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from partnership.governance.models import Priority
from partnership.trail.actors import Actor

from . import services
from .models import (
    ChaserRule,
    DataReturn,
    Frequency,
    Indicator,
    IndicatorVersion,
    Polarity,
    ReportingPeriod,
    Source,
    Unit,
)

COUNCIL = "Knowsley Council"
CCG = "Knowsley Clinical Commissioning Group"
POLICE = "Merseyside Police"
KHT = "Knowsley Housing Trust"

FIRST_YEAR = 2012  # 2012/13 to the current financial year


def current_year(day: dt.date | None = None) -> int:
    day = day or timezone.localdate()
    return day.year if day.month >= 4 else day.year - 1


# code, name, key-point subject, unit, polarity, owner, priority slug, target, tolerance,
# numerator, denominator, source
INDICATORS = [
    (
        "CE01",
        "Referrals for child sexual exploitation (CSE) and sexually harmful behaviour",
        "Referrals for CSE and sexually harmful behaviour",
        Unit.COUNT,
        Polarity.NEUTRAL,
        COUNCIL,
        "child-exploitation",
        None,
        "0",
        "",
        "",
        "Children's social care case management system",
    ),
    (
        "CE02",
        "Children reported missing from home or care (episodes)",
        "Missing episodes",
        Unit.COUNT,
        Polarity.LOWER,
        POLICE,
        "child-exploitation",
        "400",
        "40",
        "",
        "",
        "Police missing persons records",
    ),
    (
        "CE03",
        "Return home interviews offered within 72 hours",
        "Return home interviews within 72 hours",
        Unit.PERCENTAGE,
        Polarity.HIGHER,
        COUNCIL,
        "child-exploitation",
        "90",
        "10",
        "Return home interviews offered within 72 hours of the child's return",
        "Children returning from a missing episode",
        "Missing from home service",
    ),
    (
        "MW01",
        "Children attending hospital with self-harm or acute mental health issues, including"
        " attempted suicide",
        "Children attending hospital with self-harm or acute mental health issues",
        Unit.COUNT,
        Polarity.LOWER,
        CCG,
        "childrens-mental-wellbeing",
        None,
        "0",
        "",
        "",
        "Hospital emergency department returns",
    ),
    (
        "MW02",
        "Average wait from referral to first CAMHS appointment",
        "Average wait for a first CAMHS appointment",
        Unit.DAYS,
        Polarity.LOWER,
        CCG,
        "childrens-mental-wellbeing",
        "42",
        "14",
        "",
        "",
        "CAMHS provider returns",
    ),
    (
        "NG01",
        "Initial child protection conferences (ICPCs) held within 15 working days of the"
        " section 47 strategy discussion",
        "ICPCs within 15 working days of the S47",
        Unit.PERCENTAGE,
        Polarity.HIGHER,
        COUNCIL,
        "neglect",
        "85",
        "10",
        "ICPCs held within 15 working days of the strategy discussion",
        "ICPCs held",
        "Children's social care case management system",
    ),
    (
        "NG02",
        "Children subject to a child protection plan for neglect, rate per 10,000 children",
        "Children on a child protection plan for neglect",
        Unit.RATE,
        Polarity.NEUTRAL,
        COUNCIL,
        "neglect",
        None,
        "0",
        "Children on a child protection plan under the category of neglect",
        "Children aged 0 to 17 (mid-year population estimate)",
        "Children's social care case management system",
    ),
    (
        "NG03",
        "Families accepted onto MST-CAN (cumulative from January 2019)",
        "Families accepted onto MST-CAN",
        Unit.COUNT,
        Polarity.NEUTRAL,
        COUNCIL,
        "neglect",
        None,
        "0",
        "",
        "",
        "MST-CAN service records",
    ),
    (
        "NG04",
        "MST-CAN families closed with no new reports of maltreatment during intervention",
        "MST-CAN families with no new maltreatment reports",
        Unit.PERCENTAGE,
        Polarity.HIGHER,
        COUNCIL,
        "neglect",
        "80",
        "10",
        "Closed families with no new reports of maltreatment",
        "Families closed to the service",
        "MST-CAN service records",
    ),
    (
        "NG05",
        "MST-CAN parents with no new arrests during intervention",
        "MST-CAN parents with no new arrests",
        Unit.PERCENTAGE,
        Polarity.HIGHER,
        "80",
        "10",
        "Parents with no new arrests",
        "Families closed to the service",
        "MST-CAN service records",
    ),
    (
        "NG06",
        "MST-CAN families referred at pre-proceedings since stepped out of pre-proceedings",
        "MST-CAN families stepped out of pre-proceedings",
        Unit.PERCENTAGE,
        Polarity.HIGHER,
        "75",
        "10",
        "Families stepped out of pre-proceedings",
        "Families referred at pre-proceedings",
        "MST-CAN service records",
    ),
    (
        "NG07",
        "MST-CAN families stepped down from child protection to child in need",
        "MST-CAN families stepped down from CP to CIN",
        Unit.PERCENTAGE,
        Polarity.HIGHER,
        "75",
        "10",
        "Families stepped down from a child protection plan to child in need",
        "Families stepped out of pre-proceedings",
        "MST-CAN service records",
    ),
    (
        "NG08",
        "Children in MST-CAN families who avoided a care episode",
        "Children who avoided a care episode through MST-CAN",
        Unit.COUNT,
        Polarity.HIGHER,
        None,
        "0",
        "",
        "",
        "MST-CAN service records",
    ),
    (
        "DA01",
        "Domestic abuse incidents reported to the police where children were present",
        "Domestic abuse incidents with children present",
        Unit.COUNT,
        Polarity.NEUTRAL,
        POLICE,
        "domestic-abuse",
        None,
        "0",
        "",
        "",
        "Police incident records",
    ),
    (
        "DA02",
        "MARAC cases with children in the household discussed again within 12 months",
        "Repeat MARAC cases with children",
        Unit.PERCENTAGE,
        Polarity.LOWER,
        POLICE,
        "domestic-abuse",
        "28",
        "5",
        "Repeat cases within 12 months",
        "MARAC cases with children in the household",
        "MARAC co-ordinator",
    ),
    (
        "DA03",
        "Housing trust tenancies with a domestic abuse safeguarding referral",
        "Tenancy safeguarding referrals for domestic abuse",
        Unit.COUNT,
        Polarity.NEUTRAL,
        KHT,
        "domestic-abuse",
        None,
        "0",
        "",
        "",
        "Housing trust safeguarding log",
    ),
    (
        "TR01",
        "People who undertook the partnership's e-learning",
        "E-learning undertaken",
        Unit.COUNT,
        Polarity.HIGHER,
        COUNCIL,
        None,
        "8000",
        "1000",
        "",
        "",
        "E-learning platform",
    ),
    (
        "TR02",
        "Allocated training places filled",
        "Training places filled",
        Unit.COUNT,
        Polarity.HIGHER,
        COUNCIL,
        None,
        "2000",
        "200",
        "",
        "",
        "Training bookings",
    ),
]

# Rows NG05 to NG08 share the council as owner and neglect as priority.
_NEGLECT_DEFAULTS = (COUNCIL, "neglect")

# Figures from the seeds: code -> {first year of the period: value}.
SEED_VALUES = {
    "CE01": {2013: 44, 2014: 102},
    "MW01": {2013: 332, 2014: 467},
    "NG01": {2013: Decimal("27"), 2014: Decimal("68.4")},
    "TR01": {2014: 9110},
    "TR02": {2018: 2050},
    "NG03": {2020: 18},
    "NG04": {2020: (15, 17)},
    "NG05": {2020: (16, 17)},
    "NG06": {2020: (7, 8)},
    "NG07": {2020: (6, 7)},
    "NG08": {2020: 42},
}
# The MST-CAN service ran from January 2019: no earlier figures.
MST = {"NG03", "NG04", "NG05", "NG06", "NG07", "NG08"}

# Invented base values for the years the seeds do not give (value in 2016/17, change a year).
INVENTED = {
    "CE01": (118, 6),
    "CE02": (455, -9),
    "CE03": (71, 2),
    "MW01": (480, 9),
    "MW02": (63, -2),
    "NG01": (74, 1.5),
    "NG02": (38, -0.8),
    "DA01": (1180, 22),
    "DA02": (31, -0.4),
    "DA03": (46, 3),
    "TR01": (9300, 140),
    "TR02": (1800, 60),
}

QUARTERLY = [
    # code, name, unit, polarity, owner, priority, target, tolerance, values for 6 quarters
    (
        "CE10",
        "Child exploitation screening tools completed",
        Unit.COUNT,
        Polarity.NEUTRAL,
        POLICE,
        "child-exploitation",
        None,
        "0",
        [38, 41, 47, 52, 49, 61],
    ),
    (
        "DA10",
        "Housing trust domestic abuse safeguarding referrals (quarterly)",
        Unit.COUNT,
        Polarity.NEUTRAL,
        KHT,
        "domestic-abuse",
        None,
        "0",
        [11, 14, 12, 16, 15, 19],
    ),
    (
        "NG10",
        "Children's social care re-referrals within 12 months",
        Unit.PERCENTAGE,
        Polarity.LOWER,
        COUNCIL,
        "neglect",
        "20",
        "3",
        [24.1, 23.5, 22.8, 21.9, 22.4, 20.6],
    ),
    (
        "MW10",
        "Children seen by the school mental health support teams",
        Unit.COUNT,
        Polarity.HIGHER,
        CCG,
        "childrens-mental-wellbeing",
        "300",
        "30",
        [212, 236, 251, 274, 268, 305],
    ),
]


def _rows():
    for row in INDICATORS:
        if len(row) == 10:  # owner and priority left out: the MST-CAN rows
            code, name, subject, unit, polarity, target, tol, num, den, source = row
            owner, priority = _NEGLECT_DEFAULTS
        else:
            code, name, subject, unit, polarity, owner, priority, target, tol, num, den, source = (
                row
            )
        yield code, name, subject, unit, polarity, owner, priority, target, tol, num, den, source


def _invented(code: str, first: int):
    base, step = INVENTED[code]
    value = Decimal(str(base)) + Decimal(str(step)) * (first - 2016)
    # A small, fixed wobble so the lines are not straight.
    value += Decimal((first * 7 + len(code)) % 5 - 2) * Decimal(str(abs(step))) / 2
    return value.quantize(Decimal("0.1")) if value != value.to_integral_value() else value


def _value_for(code: str, unit: str, first: int):
    seeded = SEED_VALUES.get(code, {})
    if first in seeded:
        return seeded[first]
    if code in MST or code not in INVENTED:
        return None
    if seeded and first < min(seeded):
        return None  # no figures before the first the seeds give
    value = _invented(code, first)
    if unit == Unit.PERCENTAGE:
        value = min(max(value, Decimal("0")), Decimal("100"))
    elif unit == Unit.COUNT:
        value = value.to_integral_value(rounding=ROUND_HALF_UP)  # no half a referral
    return max(value, Decimal("0"))


@transaction.atomic
def build(organisations, users):
    """Build the demo's indicator library, periods, returns and comments. Idempotent."""
    if Indicator.objects.filter(code="CE01").exists():
        return
    priorities = {p.slug: p for p in Priority.objects.all()}
    business_unit = users.get("business_unit") if users else None
    # The business unit loads the figures as a return would be keyed in; without the personas,
    # the demo loader itself.
    actor = Actor.for_user(business_unit) if business_unit else Actor.system("demo loader")
    indicators = {}
    for order, row in enumerate(_rows()):
        code, name, subject, unit, polarity, owner, priority, target, tol, num, den, source = row
        indicator = Indicator.objects.create(
            code=code,
            name=name,
            key_point_subject=subject,
            unit=unit,
            polarity=polarity,
            frequency=Frequency.YEARLY,
            owner=organisations[owner],
            priority=priorities.get(priority) if priority else None,
            sort_order=order,
        )
        IndicatorVersion.objects.create(
            indicator=indicator,
            number=1,
            definition=name + ".",
            numerator=num,
            denominator=den,
            target=Decimal(target) if target else None,
            tolerance=Decimal(tol),
            source=source,
            valid_from=dt.date(2012, 4, 1),
            reason="The data set agreed by the board",
        )
        indicators[code] = indicator
    # The definition of NG01 was tightened in 2019: a second version.
    ng01 = indicators["NG01"]
    ng01.versions.filter(number=1).update(valid_to=dt.date(2019, 3, 31))
    IndicatorVersion.objects.create(
        indicator=ng01,
        number=2,
        definition=(
            "Initial child protection conferences held within 15 working days of the strategy"
            " discussion that started the section 47 enquiry (Working Together 2018)."
        ),
        numerator="ICPCs held within 15 working days of the strategy discussion",
        denominator="ICPCs held",
        target=Decimal("90"),
        tolerance=Decimal("10"),
        source="Children's social care case management system",
        valid_from=dt.date(2019, 4, 1),
        reason="Working Together 2018 counts from the strategy discussion",
        created_by=business_unit,
    )
    for order, row in enumerate(QUARTERLY, start=100):
        code, name, unit, polarity, owner, priority, target, tol, _values = row
        indicator = Indicator.objects.create(
            code=code,
            name=name,
            unit=unit,
            polarity=polarity,
            frequency=Frequency.QUARTERLY,
            owner=organisations[owner],
            priority=priorities.get(priority),
            sort_order=order,
        )
        IndicatorVersion.objects.create(
            indicator=indicator,
            definition=name + ".",
            target=Decimal(target) if target else None,
            tolerance=Decimal(tol),
            source="Agency quarterly return",
            valid_from=dt.date(2024, 4, 1),
        )
        indicators[code] = indicator
    for days in (-5, 0, 5, 15):
        ChaserRule.objects.get_or_create(days_from_due=days)
    _yearly_returns(organisations, indicators, actor)
    _quarterly_returns(organisations, indicators, actor)
    services.mark_late(timezone.localdate())
    # The CCG has started on the quarter still in progress: a draft.
    current = ReportingPeriod.objects.get(
        frequency=Frequency.QUARTERLY, start=quarter_start(timezone.localdate())
    )
    services.save_return(
        services.get_return(organisations[CCG], current),
        [services.CheckedRow(indicators["MW10"], None, None, Decimal("131"))],
        actor=actor,
        submit=False,
    )


def _figures(indicators, owner_name, first):
    rows = []
    for code, indicator in indicators.items():
        if indicator.frequency != Frequency.YEARLY or indicator.owner.name != owner_name:
            continue
        value = _value_for(code, indicator.unit, first)
        if value is None:
            continue
        numerator = denominator = None
        if isinstance(value, tuple):
            numerator, denominator = (Decimal(v) for v in value)
            value = (numerator / denominator * 100).quantize(Decimal("0.01"))
        rows.append(services.CheckedRow(indicator, numerator, denominator, Decimal(value)))
    return rows


def _yearly_returns(organisations, indicators, actor: Actor):
    today = timezone.localdate()
    last_year = current_year(today)
    owners = sorted({i.owner.name for i in indicators.values() if i.frequency == "yearly"})
    for first in range(FIRST_YEAR, last_year + 1):
        period, _ = ReportingPeriod.get_or_create_for(Frequency.YEARLY, dt.date(first, 4, 1))
        current = period.start <= today <= period.end
        for owner_name in owners:
            data_return = services.get_return(organisations[owner_name], period)
            # Seed 004: the 2014/15 data set is incomplete; the police's return never came.
            if first == 2014 and owner_name == POLICE:
                continue
            if current:
                continue  # the current year's returns are not due yet
            rows = _figures(indicators, owner_name, first)
            if not rows:
                continue
            submit = not (first == last_year - 1 and owner_name == KHT)
            services.save_return(
                data_return,
                rows,
                actor=actor,
                source=Source.UPLOAD if first < 2019 else Source.FORM,
                submit=submit,
            )
            if submit and first < last_year - 1:
                services.validate_return(data_return, actor=actor)
    # A correction, kept with who, when and why: the 2014/15 e-learning figure.
    tr_return = DataReturn.objects.get(
        organisation=organisations[COUNCIL],
        period__start__year=2014,
        period__frequency=Frequency.YEARLY,
    )
    wrong = services.CheckedRow(indicators["TR01"], None, None, Decimal("9011"))
    right = services.CheckedRow(indicators["TR01"], None, None, Decimal("9110"))
    services.save_return(
        tr_return, [wrong], actor=actor, reason="Figure from the e-learning platform"
    )
    services.save_return(
        tr_return,
        [right],
        actor=actor,
        reason="Digits transposed: the platform's report says 9,110 people",
    )


def quarter_start(day: dt.date) -> dt.date:
    """The first day of the financial quarter (April, July, October, January) a day is in."""
    month = day.month - (day.month - 1) % 3
    return dt.date(day.year, month, 1)


def _quarterly_returns(organisations, indicators, actor: Actor):
    """Seven finished quarters and the current one, with returns in every state.

    The last finished quarter: the housing trust's return not started (Dana's to fill in),
    the CCG's a draft (late once the due date passes), the rest submitted. The quarter before: the police's return missing,
    so late. Earlier quarters: validated.
    """
    this_quarter = quarter_start(timezone.localdate())
    starts = [services.shift_months(this_quarter, -3 * n) for n in range(7, 0, -1)]
    for index, start in enumerate(starts):
        period, _ = ReportingPeriod.get_or_create_for(Frequency.QUARTERLY, start)
        last = index == len(starts) - 1
        before_last = index == len(starts) - 2
        for code, _name, _unit, _pol, owner_name, *_rest, values in QUARTERLY:
            data_return = services.get_return(organisations[owner_name], period)
            value = Decimal(str(values[max(0, index - (len(starts) - len(values)))]))
            row = services.CheckedRow(indicators[code], None, None, value)
            if (last and owner_name == KHT) or (before_last and owner_name == POLICE):
                continue
            draft = last and owner_name == CCG
            services.save_return(data_return, [row], actor=actor, submit=not draft)
            if not (last or draft):
                services.validate_return(data_return, actor=actor)
    current, _ = ReportingPeriod.get_or_create_for(Frequency.QUARTERLY, this_quarter)
    for owner_name in sorted({row[4] for row in QUARTERLY}):
        services.get_return(organisations[owner_name], current)

"""Working-day arithmetic for England and Wales.

Deadlines such as "within 5 working days" are counted in working days: not
Saturdays, not Sundays, and not England and Wales bank holidays (including the
substitute days given when a bank holiday falls on a weekend). These functions
are pure and framework-free so that they can be used, and tested, anywhere.

Bank holidays come from the ``holidays`` package. Its future years are projected
from the usual rules, so a one-off bank holiday (a jubilee, a coronation) is only
known once a release of ``holidays`` that includes it is installed.

Counting is done with arithmetic on day ordinals plus a binary search in a
cached, sorted list of weekday bank holidays, rather than by walking day by day,
so each call costs about the same whether the gap is 1 day or 1,000.
"""

from bisect import bisect_right
from datetime import date, datetime
from functools import lru_cache

import holidays

__all__ = ["add_working_days", "bank_holiday_name", "is_working_day", "working_days_between"]

_SATURDAY = 5


def add_working_days(start: date, days: int) -> date:
    """Return the ``days``-th working day after ``start``.

    Counting begins on the day *after* ``start``, which is how a deadline
    "within N working days" of an event is read: the event's own day never
    counts, and the deadline is the Nth working day after it. ``days=0``
    returns ``start`` itself, even when ``start`` is not a working day, because
    no days have been added.

    Raises TypeError if ``start`` is not a plain ``date`` (a ``datetime`` is
    refused so that a timezone-aware timestamp is never silently truncated to
    the wrong calendar day) or ``days`` is not an int, and ValueError if
    ``days`` is negative.
    """
    _check_date(start, "start")
    _check_days(days)
    if days == 0:
        return start
    # Jump the right number of weekdays ahead, then top up for any bank
    # holidays that fell inside the jump. Each top-up moves forward by exactly
    # the shortfall, so the loop never overshoots, and it stops only when the
    # last jump crossed no bank holiday, so the date it lands on is a working day.
    result = start
    shortfall = days
    while shortfall > 0:
        result = _add_weekdays(result, shortfall)
        shortfall = days - _count_working_days(start, result)
    return result


def working_days_between(a: date, b: date) -> int:
    """Return the number of working days after ``a`` up to and including ``b``.

    This is the inverse of :func:`add_working_days`:
    ``working_days_between(a, add_working_days(a, n)) == n`` for every
    ``n >= 0``. It is negative when ``b`` is before ``a`` (and
    ``working_days_between(b, a) == -working_days_between(a, b)``), so callers
    can tell "overdue by 2 working days" from "due in 2"; it is 0 when
    ``a == b``.

    Raises TypeError if either argument is not a plain ``date`` (see
    :func:`add_working_days` for why a ``datetime`` is refused).
    """
    _check_date(a, "a")
    _check_date(b, "b")
    if b < a:
        return -_count_working_days(b, a)
    return _count_working_days(a, b)


def is_working_day(d: date) -> bool:
    """Return True if ``d`` is neither a weekend day nor an England and Wales bank holiday.

    Substitute days count as bank holidays: when Christmas Day falls on a
    Saturday the following Monday is not a working day.

    Raises TypeError if ``d`` is not a plain ``date``.
    """
    _check_date(d, "d")
    return d.weekday() < _SATURDAY and not _is_bank_holiday(d)


def _count_working_days(a: date, b: date) -> int:
    """Count working days in the half-open range (a, b]; requires a <= b."""
    weekdays = _weekdays_up_to(b.toordinal()) - _weekdays_up_to(a.toordinal())
    bank_holidays = _weekday_bank_holidays(a.year, b.year)
    return weekdays - (bisect_right(bank_holidays, b) - bisect_right(bank_holidays, a))


def bank_holiday_name(d: date) -> str | None:
    """The name of the England and Wales bank holiday on ``d`` ("Christmas Day"), or None.

    Weekend holidays count too (a meeting on Christmas Day is on a bank holiday whatever
    day of the week it is), and so do the substitute days, "(observed)".
    """
    _check_date(d, "d")
    return _bank_holiday_names(d.year).get(d)


@lru_cache(maxsize=64)
def _bank_holiday_names(year: int) -> dict[date, str]:
    return dict(holidays.UK(subdiv="ENG", years=year).items())


def _is_bank_holiday(d: date) -> bool:
    """Return True if ``d`` is a weekday bank holiday (weekend ones are already non-working)."""
    bank_holidays = _weekday_bank_holidays(d.year, d.year)
    index = bisect_right(bank_holidays, d)
    return index > 0 and bank_holidays[index - 1] == d


@lru_cache(maxsize=512)
def _weekday_bank_holidays(first_year: int, last_year: int) -> tuple[date, ...]:
    """Return the sorted England and Wales bank holidays on Monday to Friday, for a year range.

    Building a ``holidays`` calendar takes milliseconds, far too slow to do
    on every call, so the result is cached per year range; callers ask for a
    handful of distinct ranges over and over. Holidays that fall on a weekend
    are dropped: the weekend already excludes them, and the substitute weekday
    is listed separately by ``holidays`` as an "(observed)" entry. Dropping
    them means a weekday count minus this list's length is a working-day count.
    """
    calendar = holidays.UK(subdiv="ENG", years=range(first_year, last_year + 1))
    return tuple(sorted(day for day in calendar if day.weekday() < _SATURDAY))


def _weekdays_up_to(ordinal: int) -> int:
    """Count Mondays to Fridays with proleptic ordinal 1..``ordinal`` inclusive.

    Ordinal 1 (1 January of year 1) is a Monday, so every block of 7 ordinals
    from there holds 5 weekdays, and a partial block of r days holds min(r, 5).
    """
    weeks, extra = divmod(ordinal, 7)
    return 5 * weeks + min(extra, 5)


def _add_weekdays(start: date, count: int) -> date:
    """Return the ``count``-th Monday-to-Friday after ``start``; requires count >= 1.

    Inverts :func:`_weekdays_up_to`: the target is the smallest ordinal whose
    running weekday total reaches the start's total plus ``count``.
    """
    weeks, extra = divmod(_weekdays_up_to(start.toordinal()) + count, 5)
    if extra == 0:
        ordinal = 7 * (weeks - 1) + 5  # the Friday that closes week ``weeks``
    else:
        ordinal = 7 * weeks + extra
    return date.fromordinal(ordinal)


def _type_name(value: object) -> str:
    """Name a value's type for an error message, qualified unless it is a builtin."""
    kind = type(value)
    if kind.__module__ == "builtins":
        return kind.__qualname__
    return f"{kind.__module__}.{kind.__qualname__}"


def _check_date(value: object, name: str) -> None:
    """Raise TypeError unless ``value`` is a date that is not a datetime.

    ``datetime`` is a subclass of ``date``, so it would otherwise be accepted
    and its time and timezone silently ignored; a late-evening UTC timestamp
    would then count from the wrong UK calendar day. The caller must choose
    the calendar day explicitly.
    """
    if isinstance(value, datetime):
        raise TypeError(
            f"{name} must be a datetime.date, not datetime.datetime; convert it to "
            "the intended timezone and call .date() so that the calendar day is "
            "chosen explicitly"
        )
    if not isinstance(value, date):
        raise TypeError(f"{name} must be a datetime.date, not {_type_name(value)}")


def _check_days(days: object) -> None:
    """Raise TypeError unless ``days`` is an int (bool is refused), ValueError if negative.

    ``bool`` is a subclass of ``int``, so ``True`` would otherwise mean 1 day;
    that is always a bug in the caller, never an intended count.
    """
    if isinstance(days, bool) or not isinstance(days, int):
        raise TypeError(f"days must be an int, not {_type_name(days)}")
    if days < 0:
        raise ValueError(f"days must be zero or more, not {days}")

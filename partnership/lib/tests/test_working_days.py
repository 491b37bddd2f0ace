"""Tests for partnership.lib.working_days.

Every expected date below was counted by hand against the published England
and Wales bank holiday calendar (gov.uk/bank-holidays); none is computed by the
code under test. The property tests compare against a deliberately naive
day-by-day walk over the ``holidays`` calendar.
"""

from datetime import UTC, date, datetime, timedelta

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnership.lib.working_days import (
    add_working_days,
    is_working_day,
    working_days_between,
)

# --- the worked example from the requirements ---------------------------------


def test_christmas_2026_substitute_boxing_day_is_skipped():
    # Fri 18 Dec 2026: Mon 21 (1), Tue 22 (2), Wed 23 (3), Thu 24 (4),
    # Fri 25 Christmas Day, weekend (Boxing Day Sat 26), Mon 28 substitute,
    # Tue 29 (5).
    assert add_working_days(date(2026, 12, 18), 5) == date(2026, 12, 29)


def test_christmas_2026_substitute_monday_is_not_a_working_day():
    assert not is_working_day(date(2026, 12, 25))
    assert not is_working_day(date(2026, 12, 26))
    assert not is_working_day(date(2026, 12, 28))
    assert is_working_day(date(2026, 12, 29))


def test_working_days_between_inverts_the_christmas_2026_example():
    assert working_days_between(date(2026, 12, 18), date(2026, 12, 29)) == 5


def test_working_days_between_is_negative_when_the_end_is_earlier():
    assert working_days_between(date(2026, 12, 29), date(2026, 12, 18)) == -5


# --- Christmas and new year 2025-26 -------------------------------------------


def test_christmas_2025_skips_christmas_day_boxing_day_and_weekend():
    # Tue 23 Dec 2025: Wed 24 (1), Thu 25 and Fri 26 bank holidays, weekend,
    # Mon 29 (2), Tue 30 (3).
    assert add_working_days(date(2025, 12, 23), 3) == date(2025, 12, 30)


def test_new_years_day_2026_is_skipped():
    # Wed 31 Dec 2025 + 1: Thu 1 Jan 2026 is New Year's Day, so Fri 2 Jan.
    assert add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 2)


def test_working_days_across_christmas_and_new_year_2025_26():
    # After Wed 24 Dec 2025 up to Fri 2 Jan 2026: 29, 30, 31 Dec and 2 Jan.
    assert working_days_between(date(2025, 12, 24), date(2026, 1, 2)) == 4


# --- Easter -------------------------------------------------------------------


def test_easter_2026_skips_good_friday_and_easter_monday():
    # Thu 2 Apr 2026 + 1: Good Friday 3 Apr, weekend, Easter Monday 6 Apr.
    assert add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)


def test_easter_2026_good_friday_and_easter_monday_are_not_working_days():
    assert not is_working_day(date(2026, 4, 3))
    assert not is_working_day(date(2026, 4, 6))
    assert is_working_day(date(2026, 4, 2))
    assert is_working_day(date(2026, 4, 7))


def test_easter_2027_skips_good_friday_and_easter_monday():
    # Thu 25 Mar 2027: Good Friday 26 Mar, weekend, Easter Monday 29 Mar,
    # Tue 30 (1), Wed 31 (2).
    assert add_working_days(date(2027, 3, 25), 1) == date(2027, 3, 30)
    assert add_working_days(date(2027, 3, 25), 2) == date(2027, 3, 31)


# --- substitute days ----------------------------------------------------------


def test_christmas_2027_weekend_gives_monday_and_tuesday_substitutes():
    # Christmas Sat 25 and Boxing Day Sun 26 Dec 2027, so Mon 27 and Tue 28
    # are bank holidays: Fri 24 + 1 is Wed 29 Dec 2027.
    assert add_working_days(date(2027, 12, 24), 1) == date(2027, 12, 29)
    assert not is_working_day(date(2027, 12, 27))
    assert not is_working_day(date(2027, 12, 28))


def test_christmas_2022_sunday_gives_tuesday_substitute():
    # Christmas Sun 25 Dec 2022, Boxing Day Mon 26, substitute Tue 27:
    # Fri 23 + 1 is Wed 28 Dec 2022.
    assert add_working_days(date(2022, 12, 23), 1) == date(2022, 12, 28)


def test_new_years_day_2028_saturday_gives_monday_substitute():
    # New Year's Day Sat 1 Jan 2028, substitute Mon 3 Jan: Fri 31 Dec 2027 + 1
    # is Tue 4 Jan 2028.
    assert add_working_days(date(2027, 12, 31), 1) == date(2028, 1, 4)


# --- May and August bank holidays ---------------------------------------------


def test_early_may_spring_and_summer_bank_holidays_2026_are_skipped():
    # Early May Mon 4 May, spring Mon 25 May, summer Mon 31 Aug 2026.
    assert add_working_days(date(2026, 5, 1), 1) == date(2026, 5, 5)
    assert add_working_days(date(2026, 5, 22), 1) == date(2026, 5, 26)
    assert add_working_days(date(2026, 8, 28), 1) == date(2026, 9, 1)


def test_may_2026_has_nineteen_working_days():
    # 21 weekdays (Fri 1 plus four full weeks) less 4 May and 25 May.
    assert working_days_between(date(2026, 4, 30), date(2026, 5, 31)) == 19


# --- weekends and zero ---------------------------------------------------------


def test_saturday_plus_one_is_monday():
    assert add_working_days(date(2026, 3, 7), 1) == date(2026, 3, 9)


def test_sunday_plus_one_is_monday():
    assert add_working_days(date(2026, 3, 8), 1) == date(2026, 3, 9)


def test_friday_plus_one_is_monday():
    assert add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)


def test_weekend_is_not_a_working_day():
    assert not is_working_day(date(2026, 3, 7))
    assert not is_working_day(date(2026, 3, 8))
    assert is_working_day(date(2026, 3, 9))


def test_zero_days_returns_start_even_on_a_weekend_or_bank_holiday():
    assert add_working_days(date(2026, 3, 9), 0) == date(2026, 3, 9)
    assert add_working_days(date(2026, 3, 7), 0) == date(2026, 3, 7)
    assert add_working_days(date(2026, 12, 25), 0) == date(2026, 12, 25)


def test_working_days_between_the_same_day_is_zero():
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 9)) == 0


def test_working_days_between_friday_and_sunday_is_zero_both_ways():
    assert working_days_between(date(2026, 3, 6), date(2026, 3, 8)) == 0
    assert working_days_between(date(2026, 3, 8), date(2026, 3, 6)) == 0


# --- properties ----------------------------------------------------------------

_CALENDAR = holidays.UK(subdiv="ENG", years=range(2000, 2046))


def _naive_is_working_day(d: date) -> bool:
    return d.weekday() < 5 and d not in _CALENDAR


def _naive_add_working_days(start: date, n: int) -> date:
    current = start
    while n > 0:
        current += timedelta(days=1)
        if _naive_is_working_day(current):
            n -= 1
    return current


_dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


@given(start=_dates, n=st.integers(min_value=0, max_value=400))
def test_adding_n_working_days_lands_on_a_working_day_n_working_days_later(start, n):
    result = add_working_days(start, n)
    if n == 0:
        assert result == start
    else:
        assert result > start
        assert is_working_day(result)
    assert working_days_between(start, result) == n
    assert result == _naive_add_working_days(start, n)


@given(a=_dates, b=_dates)
def test_working_days_between_is_antisymmetric(a, b):
    assert working_days_between(b, a) == -working_days_between(a, b)


@given(a=_dates, days=st.integers(min_value=0, max_value=600))
def test_working_days_between_matches_a_day_by_day_count(a, days):
    b = a + timedelta(days=days)
    expected = sum(_naive_is_working_day(a + timedelta(days=i)) for i in range(1, days + 1))
    assert working_days_between(a, b) == expected


@given(d=_dates)
def test_is_working_day_matches_the_holidays_calendar(d):
    assert is_working_day(d) == _naive_is_working_day(d)


# --- bad arguments -------------------------------------------------------------


def test_negative_days_is_rejected():
    with pytest.raises(ValueError) as excinfo:
        add_working_days(date(2026, 3, 9), -3)
    assert str(excinfo.value) == "days must be zero or more, not -3"


def test_bool_days_is_rejected():
    with pytest.raises(TypeError) as excinfo:
        add_working_days(date(2026, 3, 9), True)
    assert str(excinfo.value) == "days must be an int, not bool"


@pytest.mark.parametrize(("days", "type_name"), [(1.0, "float"), ("1", "str"), (None, "NoneType")])
def test_non_int_days_is_rejected(days, type_name):
    with pytest.raises(TypeError) as excinfo:
        add_working_days(date(2026, 3, 9), days)
    assert str(excinfo.value) == f"days must be an int, not {type_name}"


def test_aware_datetime_start_is_rejected_rather_than_truncated():
    late_evening = datetime(2026, 12, 18, 23, 30, tzinfo=UTC)
    with pytest.raises(TypeError) as excinfo:
        add_working_days(late_evening, 1)
    message = str(excinfo.value)
    assert message.startswith("start must be a datetime.date, not datetime.datetime;")
    assert ".date()" in message


def test_naive_datetime_is_rejected_too():
    with pytest.raises(TypeError, match=r"^d must be a datetime\.date, not datetime\.datetime;"):
        is_working_day(datetime(2026, 3, 9, 12, 0))


@pytest.mark.parametrize(
    ("value", "type_name"),
    [("2026-03-09", "str"), (None, "NoneType"), (20260309.0, "float")],
)
def test_non_date_start_is_rejected(value, type_name):
    with pytest.raises(TypeError) as excinfo:
        add_working_days(value, 1)
    assert str(excinfo.value) == f"start must be a datetime.date, not {type_name}"


def test_working_days_between_names_the_bad_argument():
    with pytest.raises(TypeError) as excinfo:
        working_days_between(date(2026, 3, 9), "2026-03-10")
    assert str(excinfo.value) == "b must be a datetime.date, not str"
    with pytest.raises(TypeError) as excinfo:
        working_days_between(datetime(2026, 3, 9), date(2026, 3, 10))
    assert str(excinfo.value).startswith("a must be a datetime.date, not datetime.datetime;")


def test_is_working_day_rejects_none():
    with pytest.raises(TypeError) as excinfo:
        is_working_day(None)
    assert str(excinfo.value) == "d must be a datetime.date, not NoneType"

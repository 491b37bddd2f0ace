"""`working_days_before`: the answers below were counted on a calendar by hand."""

from datetime import date as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnership.lib.clocks import working_days_before
from partnership.lib.working_days import add_working_days, is_working_day


def test_seven_working_days_before_a_friday():
    # Thu 9, Wed 8, Tue 7, Mon 6, Fri 3, Thu 2, Wed 1 July 2026.
    assert working_days_before(D(2026, 7, 10), 7) == D(2026, 7, 1)


def test_seven_working_days_before_a_sunday_counts_from_the_friday():
    # Fri 10, Thu 9, Wed 8, Tue 7, Mon 6, Fri 3, Thu 2 July 2026 (the old rule gave Wed 1).
    assert working_days_before(D(2026, 7, 12), 7) == D(2026, 7, 2)


def test_one_working_day_before_a_saturday_is_the_friday():
    assert working_days_before(D(2026, 7, 11), 1) == D(2026, 7, 10)


def test_seven_working_days_before_christmas_day():
    # Christmas Day 2026 is a Friday: Thu 24, Wed 23, Tue 22, Mon 21, Fri 18, Thu 17, Wed 16.
    assert working_days_before(D(2026, 12, 25), 7) == D(2026, 12, 16)


def test_one_working_day_before_the_boxing_day_substitute():
    # Boxing Day 2026 is a Saturday, made up on Monday 28th; Christmas Day is Friday 25th.
    assert working_days_before(D(2026, 12, 28), 1) == D(2026, 12, 24)


def test_three_working_days_before_the_day_after_the_christmas_holidays():
    assert working_days_before(D(2026, 12, 29), 3) == D(2026, 12, 22)


def test_two_working_days_before_the_tuesday_after_easter():
    # Easter 2027: Good Friday 26 March and Easter Monday 29 March are bank holidays.
    assert working_days_before(D(2027, 3, 30), 2) == D(2027, 3, 24)


def test_seven_working_days_before_the_first_monday_of_2027():
    # 31, 30, 29 Dec (28 and 25 are holidays), 24, 23, 22 and Mon 21 December 2026.
    assert working_days_before(D(2027, 1, 4), 7) == D(2026, 12, 21)


def test_zero_working_days_before_is_the_day_itself():
    assert working_days_before(D(2026, 12, 25), 0) == D(2026, 12, 25)


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError, match="zero or more"):
        working_days_before(D(2026, 7, 10), -1)


@given(
    st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31)),
    st.integers(min_value=1, max_value=60),
)
def test_it_is_the_mirror_of_add_working_days(end, days):
    result = working_days_before(end, days)
    assert is_working_day(result)
    assert result < end
    if is_working_day(end):
        assert add_working_days(result, days) == end
    else:
        # The count starts at the working day before `end`, which is itself 1 before it.
        assert add_working_days(result, days - 1) == working_days_before(end, 1)

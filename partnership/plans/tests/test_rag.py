"""The RAG rule (docs/guide/plans.md, "The RAG rule") against hand-worked examples."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnership.plans.rag import Rag, action_rag, roll_up

R, A, G, C, N = Rag.RED, Rag.AMBER, Rag.GREEN, Rag.COMPLETE, Rag.NOT_RATED
TODAY = dt.date(2021, 6, 1)


@pytest.mark.parametrize(
    ("complete", "carried", "due", "latest", "expected"),
    [
        (False, True, TODAY, "green", None),  # carried over: left out
        (True, False, TODAY - dt.timedelta(days=9), "red", C),  # complete beats overdue
        (False, False, TODAY - dt.timedelta(days=1), "green", R),  # overdue is red
        (False, False, TODAY, "green", G),  # due today is not overdue
        (False, False, TODAY, None, N),  # no update: not yet rated
        (False, False, TODAY, "amber", A),
    ],
)
def test_action_rating(complete, carried, due, latest, expected):
    rating = action_rag(
        complete=complete, carried_over=carried, due_on=due, latest=latest, today=TODAY
    )
    assert rating == expected


@pytest.mark.parametrize(
    ("children", "expected"),
    [
        ([], N),  # no children
        ([N, N], N),  # none rated
        ([None, None], N),  # carried-over actions are left out
        ([C, C], C),  # all complete
        ([C, N], A),  # complete and unrated: not all complete, some unrated
        ([R, G, G], R),  # 1 red of 3 rated: a third
        ([R, G, G, G], A),  # 1 red of 4: less than a third
        ([R, N, N, N], R),  # unrated children do not dilute the reds
        ([A, G, G], A),
        ([G, C, G], G),
        ([G, N], A),  # an unrated child keeps the parent from green
        ([G, None], G),
    ],
)
def test_roll_up_follows_the_written_rule(children, expected):
    assert roll_up(children) == expected


ratings = st.lists(st.sampled_from([R, A, G, C, N, None]), max_size=12)


@given(ratings)
def test_roll_up_is_red_exactly_when_a_third_of_rated_children_are_red(children):
    rated = [c for c in children if c not in (None, N)]
    reds = rated.count(R)
    result = roll_up(children)
    if rated and reds and 3 * reds >= len(rated):
        assert result == R
    else:
        assert result != R


@given(ratings)
def test_roll_up_is_green_only_when_every_child_is_green_or_complete(children):
    if roll_up(children) == G:
        counted = [c for c in children if c is not None]
        assert counted and all(c in (G, C) for c in counted) and G in counted

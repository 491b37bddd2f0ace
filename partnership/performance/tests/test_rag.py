from decimal import Decimal

import pytest

from partnership.performance.models import Polarity
from partnership.performance.services import rag


@pytest.mark.parametrize(
    ("value", "polarity", "expected"),
    [
        (80, Polarity.HIGHER, "green"),  # at the target
        (95, Polarity.HIGHER, "green"),
        (75, Polarity.HIGHER, "amber"),  # target − tolerance: still amber
        ("74.9", Polarity.HIGHER, "red"),
        (80, Polarity.LOWER, "green"),
        (70, Polarity.LOWER, "green"),
        (85, Polarity.LOWER, "amber"),  # target + tolerance: still amber
        ("85.1", Polarity.LOWER, "red"),
        (50, Polarity.NEUTRAL, None),
    ],
)
def test_the_rag_rule(value, polarity, expected):
    assert rag(Decimal(str(value)), Decimal("80"), Decimal("5"), polarity) == expected


def test_no_rating_without_a_value_or_a_target():
    assert rag(None, 80, 5, Polarity.HIGHER) is None
    assert rag(70, None, 5, Polarity.HIGHER) is None

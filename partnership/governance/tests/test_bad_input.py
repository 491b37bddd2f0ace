"""Odd input in addresses and filters gets a normal page or a 404, never a server error.

(PostgreSQL refuses NUL characters and integers beyond 64 bits: such input must not reach it.)
"""

import pytest

pytestmark = pytest.mark.django_db

HUGE = "9" * 30


@pytest.mark.parametrize(
    "url",
    [
        "/groups/actions/?group=%00",
        "/groups/actions/?organisation=a%00b",
        "/groups/actions/?show=%00&mine=%00",
        "/groups/meetings/?group=%00x",
        "/groups/meetings/?group=" + "x" * 5000,
        "/groups/meetings/?when=%00",
        "/groups/interests/?group=%00",
        "/groups/funding/?year=%00",
        "/groups/review-and-learning-group/attendance/report/?year=%00",
        "/groups/actions/?page=%00",
    ],
)
def test_odd_filters_are_ignored(client_as, url):
    assert client_as("business_unit").get(url).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        f"/groups/meetings/{HUGE}/",
        f"/groups/meetings/{HUGE}/minutes/",
        f"/groups/papers/{HUGE}/",
        f"/groups/actions/{HUGE}/",
        f"/groups/members/{HUGE}/",
        f"/groups/letters/{HUGE}/",
        f"/groups/letters/{HUGE}/letter.pdf",
        f"/groups/funding/{HUGE}/change/",
        f"/groups/interests/{HUGE}/end/",
        f"/groups/meetings/{HUGE}/items/{HUGE}/change/",
    ],
)
def test_an_id_beyond_64_bits_is_not_found(client_as, url):
    assert client_as("business_unit").get(url).status_code == 404


@pytest.mark.parametrize("person", ["abc", "", HUGE, "%00", "-1"])
def test_drafting_a_letter_for_no_real_member_is_not_found(client_as, person):
    response = client_as("business_unit").post(
        "/groups/review-and-learning-group/letters/new/", {"person": person}
    )
    assert response.status_code == 404

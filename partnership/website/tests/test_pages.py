import pytest


@pytest.mark.django_db
def test_home_page_names_the_partnership(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Knowsley Safeguarding Children Partnership" in response.content.decode()

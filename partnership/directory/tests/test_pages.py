import pytest

pytestmark = pytest.mark.django_db


def test_directory_lists_organisations_as_working_links(client_as):
    page = client_as("business_unit").get("/directory/").content.decode()
    assert (
        '<a class="govuk-link" href="/directory/merseyside-police/">Merseyside Police</a>' in page
    )
    assert "&lt;a" not in page


def test_organisation_page_shows_chief_officer_first_with_a_mail_link(client_as):
    page = client_as("group_member").get("/directory/merseyside-police/").content.decode()
    assert '<strong class="govuk-tag govuk-tag--blue">Chief officer</strong>' in page
    assert 'href="mailto:joanne.kerr@police.example.org"' in page
    assert "&lt;" not in page


def test_names_with_markup_are_shown_as_text(client_as, personas):
    from partnership.directory.models import Organisation

    Organisation.objects.create(
        name="<script>alert(1)</script> Trust", slug="x-trust", kind="other"
    )
    page = client_as("business_unit").get("/directory/?q=Trust").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Trust" in page


def test_directory_list_query_count_does_not_grow_with_organisations(
    client_as, django_assert_max_num_queries
):
    from partnership.directory.models import Organisation

    client = client_as("business_unit")
    with django_assert_max_num_queries(20) as few:
        client.get("/directory/")
    Organisation.objects.bulk_create(
        Organisation(name=f"Extra school {n}", slug=f"extra-{n}", kind="school") for n in range(120)
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/directory/?page=2")

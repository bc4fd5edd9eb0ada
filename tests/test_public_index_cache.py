"""The public index and a body's page are cached under what they print (the published years,
their versions, the body's names): one query per visit, and a withdrawal shows at once."""

from django.core.cache import cache

from core.models import Body
from tests.people import set_state

BODY_PAGE = "/trasparenza/cciaa-bergamo/"


def test_index_is_cached_and_follows_publication(client, cycle, django_assert_num_queries):
    cache.clear()
    with django_assert_num_queries(1):  # the published years: one body, so its page
        assert client.get("/trasparenza/").url == BODY_PAGE
    html = client.get(BODY_PAGE).content.decode()
    assert "/trasparenza/cciaa-bergamo/2023/" in html
    with django_assert_num_queries(1):  # the body's published years with their versions
        again = client.get(BODY_PAGE).content.decode()
    assert again == html
    set_state(cycle, "validated")  # withdrawn from publication
    assert client.get(BODY_PAGE).status_code == 404
    index = client.get("/trasparenza/")
    assert index.status_code == 200 and BODY_PAGE not in index.content.decode()


def test_a_new_name_of_the_body_shows_at_once(client, cycle):
    cache.clear()
    assert cycle.body.name in client.get(BODY_PAGE).content.decode()
    Body.objects.filter(pk=cycle.body_id).update(name="Camera di commercio rinominata")
    assert "Camera di commercio rinominata" in client.get(BODY_PAGE).content.decode()

"""The public index is cached under the set of published (year, version): one query per
visit, and a withdrawal shows at once."""

from django.core.cache import cache

from tests.people import set_state


def test_index_is_cached_and_follows_publication(client, cycle, django_assert_num_queries):
    cache.clear()
    html = client.get("/trasparenza/").content.decode()
    assert "/trasparenza/cciaa-bergamo/2023/" in html
    with django_assert_num_queries(1):  # the published years with their versions
        again = client.get("/trasparenza/").content.decode()
    assert again == html
    set_state(cycle, "validated")  # withdrawn from publication
    assert "/trasparenza/cciaa-bergamo/2023/" not in client.get("/trasparenza/").content.decode()

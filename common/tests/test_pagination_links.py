"""templates/_pagination.html: the links to the pages around one page, keeping the rest of the query string."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation


def links(query: str, number: int, **context) -> str:
    request = RequestFactory().get(f"/list/?{query}")
    page = Paginator(list(range(25)), 10).get_page(number)
    with translation.override("en"):
        return render_to_string("_pagination.html", {"page": page, **context}, request=request)


def test_the_middle_page_links_both_ways_and_keeps_the_filters():
    html = links("q=H%E1%BA%A3i&page=2", 2)

    assert 'href="?q=H%E1%BA%A3i&amp;page=1"' in html
    assert 'href="?q=H%E1%BA%A3i&amp;page=3"' in html
    assert "Page 2 of 3" in html
    assert 'aria-label="Pages"' in html


def test_a_second_list_on_the_screen_pages_by_its_own_parameter_and_lands_on_its_anchor():
    html = links("page=2", 1, page_parameter="exports_page", anchor="exports", label="Pages of the exports")

    assert 'href="?page=2&amp;exports_page=2#exports"' in html
    assert "Previous" not in html
    assert 'aria-label="Pages of the exports"' in html


def test_a_list_of_one_page_shows_no_links():
    request = RequestFactory().get("/list/")
    page = Paginator(list(range(5)), 10).get_page(1)

    assert render_to_string("_pagination.html", {"page": page}, request=request).strip() == ""

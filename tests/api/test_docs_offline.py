"""/docs needs no other host: the endpoints as plain HTML from the OpenAPI schema."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from aimee.api.app import docs_page

ANY_URL = re.compile(r"""(?:https?:)?//[^\s"'<>]+""")
"""A URL with a host (absolute or protocol-relative): nothing on the page may load one."""


def test_docs_reference_no_other_host(anonymous: TestClient) -> None:
    for path in ("/docs", "/redoc"):
        page = anonymous.get(path)
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert ANY_URL.findall(page.text) == [], path
        assert "<script" not in page.text
        assert "href=/openapi.json" in page.text
        assert "<code>/api/v1/operators</code>" in page.text
        assert "location" in page.text  # a query parameter of /operators


def test_the_url_check_finds_a_cdn() -> None:
    cdn = '<script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js">'
    assert ANY_URL.findall(cdn)
    assert ANY_URL.findall('<link href="//fonts.example/x.css">')


def test_the_page_escapes_what_the_schema_says() -> None:
    schema = {
        "info": {"title": "<b>x</b>", "version": "1"},
        "paths": {"/a": {"get": {"summary": "<script>", "responses": {"200": {}}}}},
    }
    page = docs_page(schema)
    assert "<script>" not in page and "&lt;script&gt;" in page

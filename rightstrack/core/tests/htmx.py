"""What every list page answers HTMX: the results fragment alone, cached apart from the page."""


def results_fragment(client, url, params=None):
    """The HTML ``client`` gets at ``url`` (with ``params``) asking as HTMX, once checked to be a
    fragment (no page around it) that caches keep apart from the whole page."""
    response = client.get(url, params or {}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    html = response.content.decode()
    assert "<html" not in html
    return html

"""Reading a rendered page as its reader sees it."""

from bs4 import BeautifulSoup


def visible_text(response):
    """``(text, soup)`` of a response's page as a sighted reader gets it: no <title>, no
    scripts or styles, nothing screen-reader only (``w-sr-only``)."""
    soup = BeautifulSoup(response.content, "html.parser")
    for hidden in soup.select("title, script, style, .w-sr-only"):
        hidden.decompose()
    return soup.get_text(" ", strip=True), soup

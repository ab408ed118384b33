"""Measures of what a person sees, shared by the browser tests."""


def horizontal_overflow(page) -> int:
    """Pixels a page scrolls sideways beyond the screen (0 or less when it fits).

    On a phone, a page wider than the screen also widens `window.innerWidth` (the browser zooms out to show it
    all: 651 px on a 390 px screen), so `scrollWidth - innerWidth` says 0: measure against the screen itself.
    Measured once the page has loaded (stylesheets applied).
    """
    # After a click that navigates, a test may look at the new page before its stylesheets have applied (the
    # text is there, the layout not yet): an unstyled page is wider. A person sees the loaded page: so do we.
    page.wait_for_load_state("load")
    width = page.viewport_size["width"]
    return max(page.evaluate("document.documentElement.scrollWidth"), page.evaluate("window.innerWidth")) - width

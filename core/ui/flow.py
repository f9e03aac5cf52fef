"""How a page ends early without ending the app's run.

``st.stop()`` ends the whole script run: anything app.py draws after the page would be lost.
The sidebar's switcher and briefing buttons are drawn after the page (so a new tab receives
the page's figures first), so a page that has nothing more to show ends with
:func:`end_page`, which :func:`core.ui.run_page` catches, and the run goes on to the sidebar.
"""

from __future__ import annotations

from typing import NoReturn


class EndPage(Exception):
    """Raised by :func:`end_page`; caught by :func:`core.ui.run_page`, never shown."""


def end_page() -> NoReturn:
    """End the page here (what ``st.stop()`` did for a page), keeping the rest of the run."""
    raise EndPage

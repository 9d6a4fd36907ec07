"""Moving around as a person would: through the main navigation, at any width."""

from __future__ import annotations

from playwright.sync_api import Locator, Page


def main_navigation_item(page: Page, name: str, role: str = "link") -> Locator:
    """The link (or button) ``name`` of the main navigation, with the "Me" menu opened first
    when it is in there (on a phone everything but the four tabs is; on a wide screen the
    member's own pages and "Sign out" are)."""
    navigation = page.get_by_role("navigation", name="Main")
    item = navigation.get_by_role(role, name=name, exact=True)  # type: ignore[arg-type]
    if not item.is_visible():
        navigation.locator("details.me-menu > summary").click()
    return item


def open_from_navigation(page: Page, name: str, role: str = "link") -> None:
    """Tap ``name`` in the main navigation: one tap, or two through the "Me" menu."""
    main_navigation_item(page, name, role).click()

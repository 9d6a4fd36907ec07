"""Layout checks shared by the browser tests."""

from __future__ import annotations

from playwright.sync_api import Page

TAP_TARGET_PX = 44


def assert_no_horizontal_overflow(page: Page) -> None:
    """Nothing is wider than the screen. On a phone, Chromium zooms out to fit wide content,
    which widens ``innerWidth`` too, so the layout also has to fit the device's own width."""
    page.wait_for_load_state("load")  # measured with the stylesheet applied
    widths = page.evaluate(
        """() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
                   client: document.documentElement.clientWidth})"""
    )
    device_width = page.viewport_size["width"]  # type: ignore[index]
    assert widths["scroll"] <= widths["inner"], f"{page.url} scrolls sideways: {widths}"
    assert widths["scroll"] <= device_width, f"{page.url} is wider than {device_width}: {widths}"
    assert widths["client"] == device_width, f"{page.url} is zoomed out: {widths}"


def assert_tap_targets_large_enough(page: Page) -> None:
    """Buttons, fields and navigation links are at least 44 px tall (inline text links aside).
    Checkboxes and radio buttons sit in a ``label.check``, which is the target measured."""
    # Measured with the stylesheet applied: on a busy machine the DOM of a page just loaded
    # can be read before its CSS arrives, and every control then measures 17 px.
    page.wait_for_load_state("load")
    small = page.evaluate(
        """(minimum) => [...document.querySelectorAll(
               'button, .button, input:not([type=hidden]):not([type=checkbox]):not([type=radio]), '
               + 'select, '
               + 'textarea, label.check, .nav a, .tabs a, .brand')]
             .filter(el => el.offsetParent !== null)
             .map(el => [el.outerHTML.slice(0, 80), el.getBoundingClientRect().height])
             .filter(([, height]) => height < minimum)""",
        TAP_TARGET_PX,
    )
    assert not small, f"{page.url} has tap targets under {TAP_TARGET_PX} px: {small}"

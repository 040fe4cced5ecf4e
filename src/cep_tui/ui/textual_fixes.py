"""Workarounds for known Textual bugs, applied once when the app is imported.

Each says which Textual issue it works around and checks that the installed Textual still
has the bug before changing anything: a Textual that fixed it is left alone.
"""

from __future__ import annotations

from functools import lru_cache

from textual._node_list import NodeList, _visible_getter
from textual._styles_cache import StylesCache
from textual.color import Color
from textual.style import Style


@lru_cache(1024)
def _inner_outer(base_background: Color, background: Color) -> tuple[Style, Style]:
    return Style(background=base_background + background), Style(background=base_background)


def _get_inner_outer(
    self: StylesCache, base_background: Color, background: Color
) -> tuple[Style, Style]:
    """StylesCache.get_inner_outer, cached by colours alone."""
    return _inner_outer(base_background, background)


def _release_styles_caches() -> None:
    """textual#6665: `StylesCache.get_inner_outer` is an `lru_cache` on an instance
    method, so its keys hold up to 1,024 StylesCache objects (one a widget, with the
    lines it rendered) of widgets long removed. Every dossier opened left its screen's
    caches there: thousands of objects more for each full garbage collection to walk,
    which then fell inside later openings (their slowest 5 %). The same result, cached
    by its two colours only."""
    method = StylesCache.__dict__.get("get_inner_outer")
    if hasattr(method, "cache_clear"):  # still the lru_cache of textual ≤ 8.2.8
        method.cache_clear()
        StylesCache.get_inner_outer = _get_inner_outer


def _displayed_and_visible(self: NodeList) -> list:
    """NodeList.displayed_and_visible, cached where it belongs."""
    if self._displayed_visible_nodes[0] != self._updates:
        self._displayed_visible_nodes = (
            self._updates,
            list(filter(_visible_getter, self.displayed)),
        )
    return self._displayed_visible_nodes[1]


def _cache_displayed_and_visible() -> None:
    """Textual 8.2.8's NodeList.displayed_and_visible stores its list in the cache of
    `displayed` (which then answers the visible nodes only) and never in its own: it is
    computed anew at each call, and its last list holds widgets long removed (a dossier
    section, until the next layout of its parent). Its result, cached in its own slot."""
    probe = NodeList()
    probe.displayed_and_visible  # noqa: B018 (fills the cache, or not)
    if probe._displayed_visible_nodes[0] != probe._updates:  # still the bug
        NodeList.displayed_and_visible = property(_displayed_and_visible)


def apply() -> None:
    _release_styles_caches()
    _cache_displayed_and_visible()

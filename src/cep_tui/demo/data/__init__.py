"""The demonstration's data: plain constants (names, places, words, offers, sizes), no code.

The building modules beside this package draw from these lists; changing a list changes the
rows a seed gives."""

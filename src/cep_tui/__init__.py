"""cep-tui: the CEP (Conseil en Évolution Professionnelle) of a Mission Locale, in a terminal."""

__version__ = "0.1.0"

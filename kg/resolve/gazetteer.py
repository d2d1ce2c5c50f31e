"""Moved to kg/shared/gazetteer.py (shared by extraction, resolution and the graph); kept for
the imports that still name it here."""

from kg.shared.gazetteer import LEVEL_ENDINGS, Area, Gazetteer, gazetteer, place_key  # noqa: F401

"""What several stages share, in one layer below them: extraction, resolution and the graph
import from here and never from one another's insides.

- ``components``: the registry of named extraction components (credits.v1, resolve.v1, …).
- ``gazetteer``: China's administrative divisions, and the name that identifies an area.
- ``event_names``: the forms of event names (short forms of sessions, series of ordinal events).
- ``vocab``: namespaces and the deterministic IRIs of everything kg describes.
"""

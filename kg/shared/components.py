"""The registry of extraction components, by versioned name (spaCy's factories, smaller).

Here, below ``kg.extract`` and ``kg.resolve``, so that a stage registers its component without
importing the pipeline that runs it.
"""

from __future__ import annotations

from collections.abc import Callable

from kg.model import Extraction

Component = Callable[[Extraction], None]
COMPONENTS: dict[str, Component] = {}


def component(name: str) -> Callable[[Component], Component]:
    """Register an extraction component under a versioned name."""

    def register(func: Component) -> Component:
        COMPONENTS[name] = func
        return func

    return register

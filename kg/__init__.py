"""kg: a knowledge graph of who met whom, where and when, built from Chinese news articles.

The package follows the data: ``ingest`` -> ``nlp`` -> ``extract`` -> ``graph`` -> ``views``.
From Python (kg/api.py)::

    import kg
    doc = kg.extract("市长李明出席全市安全生产工作会议。", pub_date="2024-01-12")
    graph = kg.build(["examples"], "output", pub_date="2024-01-12", home_place="永康市")
    graph.query("attendance"), graph.networkx(), graph.export("kg.ttl"), graph.stats()
    kg.open("output")  # the same graph later
"""

__version__ = "0.1.0"
__all__ = ["Graph", "build", "extract", "open"]


def __getattr__(name: str):
    """The API on first use: ``import kg`` stays light (the command line imports it first)."""
    if name in __all__:
        from kg import api

        return getattr(api, name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")

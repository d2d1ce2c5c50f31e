"""kg: a knowledge graph of who met whom, where and when, built from Chinese news articles.

The package follows the data: ``ingest`` -> ``nlp`` -> ``extract`` -> ``graph`` -> ``views``.
"""

__version__ = "0.1.0"

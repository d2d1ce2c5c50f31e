"""Careers: who held which office of which body in which area, first and last seen.

The table an elite database keeps, one row per person, office, body and area. Articles print one
office many ways (丁关根: 中央宣传部部长 and 中宣部部长), so each printed post is read as a body
and an office (the longest title of data/posts.txt or data/office_titles.txt it ends with), the body named by
data/body_abbreviations.tsv and whole titles by data/post_variants.tsv; the printed forms are
kept in the row. Titles without a body (书记处书记, 主席) are left as printed: which body they
belong to is not said.
"""

from __future__ import annotations

from collections import defaultdict

from kg import lexicon
from kg.graph.store import GraphStore
from kg.graph.vocab import SEEN_DAY

COLUMNS = ["person", "post", "organization", "office", "area", "first_seen", "last_seen", "articles", "printed"]
_MEMBERSHIPS = """
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX kgo: <https://w3id.org/kg-news/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?person ?post ?area ?day ?article WHERE {
  ?m a org:Membership ; org:member ?x ; kgo:postTitle ?post ; prov:wasDerivedFrom/kgo:article/schema:identifier ?article .
  OPTIONAL { """ + SEEN_DAY + """ }
  OPTIONAL { ?m kgo:postArea/schema:name ?area }
  ?x a schema:Person ; schema:name ?person .
}
"""


def office(post: str) -> tuple[str, str]:
    """(body, office) of a printed post: 中宣部部长 -> (中央宣传部, 部长); 国家主席 -> ('', 国家主席)."""
    post = lexicon.table("post_variants.tsv").get(post, (post,))[0]
    titles = sorted(lexicon.words("posts.txt") + lexicon.words("office_titles.txt"), key=len, reverse=True)
    title = next((t for t in titles if post.endswith(t)), post)
    body = post[: len(post) - len(title)]
    return lexicon.table("body_abbreviations.tsv").get(body, (body,))[0], title


def careers(store: GraphStore, person: str | None = None) -> tuple[list[str], list[list]]:
    """One row per person, post, body and area, with the first and last days an article saw
    the post held, the number of articles, and the forms printed."""
    seen: dict[tuple[str, str, str, str], dict] = defaultdict(lambda: {"days": set(), "articles": set(), "printed": set()})
    for who, post, area, day, article in store.query(_MEMBERSHIPS)[1]:
        if person is not None and who != person:
            continue
        body, title = office(post)
        row = seen[who, body, title, area or ""]
        row["articles"].add(article)
        row["printed"].add(post)
        if day and len(str(day)) == 10:
            row["days"].add(str(day))
    rows = []
    for (who, body, title, area), row in seen.items():
        days = sorted(row["days"])
        rows.append([who, body + title, body, title, area, days[0] if days else "", days[-1] if days else "", len(row["articles"]),
                     "; ".join(sorted(row["printed"]))])
    rows.sort(key=lambda r: (r[0], r[5] or "9999", r[1], r[4]))
    return COLUMNS, rows

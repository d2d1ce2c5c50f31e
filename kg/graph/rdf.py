"""One article's extraction as RDF: its own named graph, with the article's provenance."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
from rdflib import Dataset, URIRef

import kg
from kg.graph.lists import PrintedList, printed_lists
from kg.graph.vocab import PREFIXES, SHARED_GRAPH, article_iri, graph_iri, node
from kg.graph.vocab import ITSRDF_ as ITSRDF
from kg.graph.vocab import KGO_ as KGO
from kg.graph.vocab import NIF_ as NIF
from kg.graph.vocab import ORG_ as ORG
from kg.graph.vocab import PROV_ as PROV
from kg.graph.vocab import RDF_ as RDF
from kg.graph.vocab import RDFS_ as RDFS
from kg.graph.vocab import SCHEMA_ as SCHEMA
from kg.graph.vocab import SKOS_ as SKOS
from kg.graph.vocab import TIME_ as TIME
from kg.graph.vocab import XSD_ as XSD
from kg.model import DATE, EVENT, ORGANIZATION, PERSON, PLACE, POST, Evidence, Extraction, Fact, Mention
from kg.nlp.script import LANGUAGE_TAGS, to_simplified
from kg.shared.event_names import event_series
from kg.shared.gazetteer import Area, place_key

_CLASSES = {
    PERSON: [SCHEMA.Person],
    ORGANIZATION: [SCHEMA.Organization],
    PLACE: [SCHEMA.Place],
    EVENT: [SCHEMA.Event],
}
_SUBCLASSES = {
    "organization:company": SCHEMA.Corporation,
    "organization:government": SCHEMA.GovernmentOrganization,
    "place:admin": SCHEMA.AdministrativeArea,
    "place:venue": SCHEMA.EventVenue,
    "event:meeting": KGO.Meeting,
    "event:ceremony": KGO.Ceremony,
    "event:exhibition": SCHEMA.ExhibitionEvent,
    "event:forum": KGO.Meeting,
    "event:reception": KGO.Reception,
    "event:visit": KGO.Visit,
    "event:activity": SCHEMA.Event,
}


def _date(value: str) -> ox.Literal:
    """A date at the precision known: xsd:date, xsd:gYearMonth (2024-04), xsd:gYear (2024) or
    xsd:gMonthDay (--01-11, a day whose year is unknown)."""
    if len(value) == 10:
        return ox.Literal(value, datatype=XSD.date)
    if value.startswith("--"):
        return ox.Literal(value, datatype=XSD.gMonthDay)
    return ox.Literal(value, datatype=XSD.gYearMonth if len(value) == 7 else XSD.gYear)


def _printed(m: Mention) -> str:
    """The name a mention was printed under, if resolution changed it (not for 江主席: a reference
    to 江泽民 is no name of his), or if it was printed in traditional characters (林鄭月娥)."""
    if printed := m.attrs.get("resolution", {}).get("printed", ""):
        return printed
    return m.text if m.text != m.label and to_simplified(m.text) == m.label else ""


class Triples:
    """The triples of one graph (tuples of pyoxigraph terms), a set in the order added, written
    once as N-Triples: an article's graph is built, then serialised, never queried, so it needs
    none of the three indexes an rdflib ``Graph`` keeps (a quarter of the extraction's time
    went to them)."""

    def __init__(self, identifier: ox.NamedNode):
        self.identifier = identifier
        self._triples: dict[tuple, None] = {}

    def add(self, triple: tuple) -> None:
        self._triples[triple] = None

    def __iter__(self) -> Iterator[tuple]:
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)


def ntriples(triples) -> bytes:
    """(subject, predicate, object) tuples of pyoxigraph terms as N-Triples."""
    return ox.serialize([ox.Triple(*t) for t in triples], format=ox.RdfFormat.N_TRIPLES)


class ArticleGraph:
    """Builds the named graph of one article."""

    def __init__(self, doc: Extraction, mentions: str = "all"):
        self.doc, self.mentions = doc, mentions
        self.article = doc.article
        self.a = ox.NamedNode(article_iri(self.article.id))
        self.g = Triples(ox.NamedNode(graph_iri(self.article.id)))
        # what entities are (type, name) is said once, in the shared graph, not once per article:
        # the union of all graphs then holds each such triple once, and joins stay small
        self.shared = Triples(ox.NamedNode(SHARED_GRAPH))
        self.event_dates = {f.subject.label: f.value for f in doc.facts if f.kind == "event_date"}
        self.listed = printed_lists(doc)

    def entity(self, m: Mention) -> ox.NamedNode:
        """The node of what a mention names, typed and labelled."""
        if m.type == EVENT:  # one article's event: kg/resolve/across.py finds the same one in others
            entity = node("event", self.article.id, m.label, self.event_dates.get(m.label, ""))
        else:
            entity = node(m.type, m.label)
        describe_entity(self.shared, entity, m)
        return entity

    def extractor(self, name: str) -> ox.NamedNode:
        extractor = node("extractor", name)
        self.shared.add((extractor, RDF.type, KGO.Extractor))
        self.shared.add((extractor, RDFS.label, ox.Literal(f"kg {name}")))
        return extractor

    def membership(self, who: ox.NamedNode, post: str) -> ox.NamedNode:
        return node("membership", self.article.id, who.value, post)

    def resolution(self, phrase: ox.NamedNode, m: Mention) -> None:
        """Why a mention names what it names: the rule, the resolver, and for 江主席 the post
        (国家主席江泽民's membership) that made the title fit."""
        res = m.attrs["resolution"]
        self.g.add((phrase, KGO.resolvedBy, ox.Literal(res["rule"])))
        self.g.add((phrase, PROV.wasAttributedTo, self.extractor(res["by"])))
        if "post" in res:
            self.g.add((phrase, PROV.wasDerivedFrom, self.membership(node(m.type, m.label), res["post"])))

    def evidence(self, ev: Evidence) -> ox.NamedNode:
        evidence = node("evidence", ev.article, str(ev.start), str(ev.end), ev.extractor)
        src_start, src_end = self.article.source_span(ev.start, ev.end)
        extractor = self.extractor(ev.extractor)
        for p, o in (
            (RDF.type, KGO.Evidence),
            (KGO.article, self.a),
            (NIF.anchorOf, ox.Literal(ev.sentence)),
            (NIF.beginIndex, ox.Literal(ev.start)),
            (NIF.endIndex, ox.Literal(ev.end)),
            (KGO.sourceBeginIndex, ox.Literal(src_start)),
            (KGO.sourceEndIndex, ox.Literal(src_end)),
            (PROV.wasAttributedTo, extractor),
        ):
            self.g.add((evidence, p, o))
        return evidence

    def build(self) -> tuple[Triples, Triples]:
        """(the article's graph, what it adds to the shared graph)."""
        art, g = self.article, self.g
        g.add((self.a, RDF.type, SCHEMA.NewsArticle))
        g.add((self.a, SCHEMA.identifier, ox.Literal(art.id)))
        if art.title:
            g.add((self.a, SCHEMA.headline, ox.Literal(art.title)))
        for sub in art.subtitles:
            g.add((self.a, SCHEMA.alternativeHeadline, ox.Literal(sub)))
        if art.date:
            g.add((self.a, SCHEMA.datePublished, _date(art.date)))
        for prop, value in ((SCHEMA.articleSection, art.section), (SCHEMA.publisher, art.source), (SCHEMA.url, art.url)):
            if value:
                g.add((self.a, prop, ox.Literal(value)))
        g.add((self.a, SCHEMA.text, ox.Literal(art.text)))
        if art.script:
            g.add((self.a, SCHEMA.inLanguage, ox.Literal(LANGUAGE_TAGS[art.script])))
        g.add((self.a, KGO.contentHash, ox.Literal(art.content_hash)))
        # the graph's own provenance
        gi = self.g.identifier
        g.add((gi, RDF.type, PROV.Bundle))
        g.add((gi, PROV.wasDerivedFrom, self.a))
        g.add((gi, PROV.wasAttributedTo, ox.NamedNode(f"https://w3id.org/kg-news/software/kg/{kg.__version__}")))
        if art.path:
            g.add((gi, KGO.sourceFile, ox.Literal(art.source_file or art.path)))

        described = set()  # the entities with a mention node
        for m in self.doc.mentions:
            if m.type in (DATE, POST):
                continue
            entity = self.entity(m)
            g.add((self.a, SCHEMA.mentions, entity))
            if self.mentions == "first" and entity in described and "resolution" not in m.attrs and not m.attrs.get("reference"):
                continue  # the entity's first mention says all the pass across articles and the queries need
            described.add(entity)
            mention = node("mention", art.id, str(m.start), str(m.end), m.type)
            g.add((mention, RDF.type, NIF.Phrase))
            g.add((mention, NIF.anchorOf, ox.Literal(m.text)))
            g.add((mention, NIF.beginIndex, ox.Literal(m.start)))
            g.add((mention, NIF.endIndex, ox.Literal(m.end)))
            g.add((mention, NIF.referenceContext, self.a))
            g.add((mention, ITSRDF.taIdentRef, entity))
            # what the extraction found, kept when kg/graph/identity.py points the mention elsewhere
            g.add((mention, KGO.extractedAs, entity))
            g.add((mention, KGO.key, ox.Literal(m.label)))
            g.add((mention, KGO.mentionType, ox.Literal(m.full_type)))
            if m.attrs.get("reference") and m.type == PERSON:
                g.add((mention, RDF.type, KGO.Reference))
            if "resolution" in m.attrs:
                self.resolution(mention, m)
            if m.attrs.get("super_event_of_main") and self.doc.main_event is not None:
                g.add((self.entity(self.doc.main_event), SCHEMA.superEvent, entity))
                g.add((entity, SCHEMA.subEvent, self.entity(self.doc.main_event)))
        for fact in self.doc.facts:
            getattr(self, f"_{fact.kind}")(fact)
        # the other nodes this article describes in the shared graph (the areas above its places,
        # series, posts, extractors): replacing the article must find them as it finds its mentions
        mentioned = {o for s, p, o in g if s == self.a and p == SCHEMA.mentions}
        for described_node in dict.fromkeys(s for s, _, _ in self.shared):
            if described_node not in mentioned:
                g.add((self.a, KGO.describes, described_node))
        return self.g, self.shared

    def _participation(self, f: Fact) -> None:
        who, event = self.entity(f.subject), self.entity(f.object)
        participation = node("participation", self.article.id, who.value, event.value, f.role)
        g = self.g
        g.add((participation, RDF.type, KGO.Participation))
        g.add((participation, KGO.participant, who))
        g.add((participation, KGO.event, event))
        g.add((participation, KGO.role, KGO[f.role]))
        g.add((participation, SCHEMA.roleName, ox.Literal(f.role)))
        g.add((participation, PROV.wasDerivedFrom, self.evidence(f.evidence)))
        if "rule" in f.attrs:  # which named rule made it, on which word (kg.extract.participation.RULES)
            g.add((participation, KGO.rule, ox.Literal(f.attrs["rule"])))
            g.add((participation, KGO.cue, ox.Literal(f.attrs["cue"])))
        if "venue" in f.attrs:
            g.add((participation, PROV.atLocation, self.entity(f.attrs["venue"])))
        if id(f) in self.listed:
            self.list_item(participation, who, event, f, *self.listed[id(f)])
        g.add((event, SCHEMA.attendee, who))  # the shortcut for simple queries
        if f.role == "host":
            g.add((event, SCHEMA.organizer, who))

    def list_item(self, participation: ox.NamedNode, who: ox.NamedNode, event: ox.NamedNode, f: Fact, printed: PrintedList, position: int) -> None:
        """The participation's place in the list it was printed in (kg/graph/lists.py): a
        schema:ItemList of the sentence, whose schema:ListItem at schema:position is the
        participant; one participant listed for two roles (出席并讲话) is one item."""
        g, key = self.g, f"{self.article.id}@{printed.sentence}.{printed.index}"
        listing, item = node("list", key), node("list-item", key, str(position))
        for s, p, o in (
            (listing, RDF.type, SCHEMA.ItemList),
            (listing, SCHEMA.identifier, ox.Literal(key)),
            (listing, SCHEMA.numberOfItems, ox.Literal(len(printed.members))),
            (listing, KGO.event, event),
            (listing, PROV.wasDerivedFrom, self.evidence(f.evidence)),
            (listing, SCHEMA.itemListElement, item),
            (item, RDF.type, SCHEMA.ListItem),
            (item, SCHEMA.position, ox.Literal(position)),
            (item, SCHEMA.item, who),
        ):
            g.add((s, p, o))
        g.add((participation, KGO.listItem, item))

    def _event_date(self, f: Fact) -> None:
        self.g.add((self.entity(f.subject), SCHEMA.startDate, _date(f.value)))

    def _event_venue(self, f: Fact) -> None:
        self.g.add((self.entity(f.subject), SCHEMA.location, self.entity(f.object)))

    def _event_subvenue(self, f: Fact) -> None:
        self.g.add((self.entity(f.subject), KGO.subVenue, self.entity(f.object)))

    def _event_form(self, f: Fact) -> None:
        event = self.entity(f.subject)
        self.g.add((event, KGO.meetingForm, ox.Literal(f.value)))
        self.g.add((event, SCHEMA.eventAttendanceMode, SCHEMA[f.attrs["mode"]]))

    def _credit(self, f: Fact, prop: ox.NamedNode) -> None:
        who = self.entity(f.subject)
        credit = node("credit", self.article.id, who.value, f.kind)
        for p, o in (
            (RDF.type, KGO.Credit),
            (KGO.participant, who),
            (KGO.creditOf, self.a),
            (KGO.role, KGO[f.kind]),
            (SCHEMA.roleName, ox.Literal(f.kind)),
            (PROV.wasDerivedFrom, self.evidence(f.evidence)),
        ):
            self.g.add((credit, p, o))
        self.g.add((self.a, prop, who))

    def _reporter(self, f: Fact) -> None:
        self._credit(f, SCHEMA.author)

    def _photographer(self, f: Fact) -> None:
        self._credit(f, SCHEMA.contributor)

    def _dateline(self, f: Fact) -> None:
        self.g.add((self.a, SCHEMA.locationCreated, self.entity(f.subject)))

    def _holds_post(self, f: Fact) -> None:
        who = self.entity(f.subject)
        post = node("post", f.value)
        role = node("role", f.value)
        membership = self.membership(who, f.value)
        g = self.g
        self.shared.add((post, RDF.type, ORG.Post))
        self.shared.add((post, RDFS.label, ox.Literal(f.value)))
        self.shared.add((post, ORG.role, role))
        self.shared.add((role, RDF.type, ORG.Role))
        self.shared.add((role, SKOS.prefLabel, ox.Literal(f.value)))
        g.add((who, ORG.holds, post))
        g.add((membership, RDF.type, ORG.Membership))
        g.add((membership, ORG.member, who))
        g.add((membership, ORG.role, role))
        g.add((membership, KGO.postTitle, ox.Literal(f.value)))
        if (area := f.attrs.get("area")) is not None:
            g.add((membership, KGO.postArea, describe_area(self.shared, area)))
        g.add((membership, PROV.wasDerivedFrom, self.evidence(f.evidence)))
        if self.article.date and len(self.article.date) == 10:
            # seen holding the post on the day of the article: ORG's memberDuring, an OWL-Time interval
            during, instant = ox.NamedNode(f"{membership.value}/during"), ox.NamedNode(f"{membership.value}/seen")
            g.add((membership, ORG.memberDuring, during))
            g.add((during, RDF.type, TIME.Interval))
            g.add((during, TIME.hasBeginning, instant))
            g.add((during, TIME.hasEnd, instant))
            g.add((instant, RDF.type, TIME.Instant))
            g.add((instant, TIME.inXSDDate, _date(self.article.date)))


def describe_entity(shared: Triples, entity: ox.NamedNode, m: Mention) -> None:
    """What an entity is, in the shared graph: types, name, kind, areas, series.

    An entity is named by its identity key (传化集团, 浙江省, 永康市经济和信息化局), one name
    however articles print it; the printed variants are its skos:altLabels. The shared graph
    holds each triple once: names in article graphs would repeat every row that joins a name
    over the union of graphs. Also used by kg/graph/identity.py for the nodes it moves to.
    """
    for cls in _CLASSES.get(m.type, []) + ([_SUBCLASSES[m.full_type]] if m.full_type in _SUBCLASSES else []):
        shared.add((entity, RDF.type, cls))
    shared.add((entity, SCHEMA.name, ox.Literal(m.label)))
    shared.add((entity, RDFS.label, ox.Literal(m.label)))
    if printed := _printed(m):
        shared.add((entity, SKOS.altLabel, ox.Literal(printed)))
    shared.add((entity, KGO.mentionType, ox.Literal(m.full_type)))
    if m.type == EVENT and (name := event_series(m.label)):
        # 第二届“寻美永康”摄影展 is one of the series “寻美永康”摄影展: linked, not merged
        series = node("series", name)
        shared.add((entity, SCHEMA.superEvent, series))
        for p, o in ((RDF.type, SCHEMA.EventSeries), (SCHEMA.name, ox.Literal(name)), (RDFS.label, ox.Literal(name))):
            shared.add((series, p, o))
    if (area := m.attrs.get("area")) is not None:
        if m.type == ORGANIZATION:  # 永康市经济和信息化局 serves 永康市
            shared.add((entity, SCHEMA.areaServed, describe_area(shared, area)))
        elif m.subtype == "venue":  # 永康市博物馆 lies in 永康市
            shared.add((entity, SCHEMA.containedInPlace, describe_area(shared, area)))
        else:
            describe_area(shared, area, entity)


def describe_area(shared: Triples, area: Area, area_node: ox.NamedNode | None = None) -> ox.NamedNode:
    """An administrative area with its code, in the areas above it (钱塘区 in 杭州市 in 浙江省)."""
    if area_node is None:
        area_node = node(PLACE, place_key(area))
        for p, o in ((RDF.type, SCHEMA.Place), (RDF.type, SCHEMA.AdministrativeArea), (SCHEMA.name, ox.Literal(place_key(area))),
                     (RDFS.label, ox.Literal(place_key(area))), (KGO.mentionType, ox.Literal("place:admin"))):
            shared.add((area_node, p, o))
    shared.add((area_node, SCHEMA.identifier, ox.Literal(area.code)))
    if area.parent is not None:
        shared.add((area_node, SCHEMA.containedInPlace, describe_area(shared, area.parent)))
    return area_node


def article_dataset(doc: Extraction, mentions: str = "all") -> Dataset:
    """The article's graphs as an rdflib ``Dataset``, to query."""
    dataset = Dataset()
    for prefix, ns in PREFIXES.items():
        dataset.bind(prefix, ns)
    for triples in ArticleGraph(doc, mentions).build():
        dataset.graph(URIRef(triples.identifier.value)).parse(data=ntriples(triples), format="nt")
    return dataset

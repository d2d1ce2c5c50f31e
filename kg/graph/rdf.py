"""One article's extraction as RDF: its own named graph, with the article's provenance."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import Dataset, URIRef

import kg
from kg.graph.lists import PrintedList, printed_lists
from kg.graph.vocab import (
    ITSRDF_,
    KGO_,
    NIF_,
    ORG_,
    PREFIXES,
    PROV_,
    RDF_,
    RDFS_,
    SCHEMA_,
    SHARED_GRAPH,
    SKOS_,
    TIME_,
    XSD_,
    article_iri,
    graph_iri,
    node,
)
from kg.model import DATE, EVENT, ORGANIZATION, PERSON, PLACE, POST, ROLES, Evidence, Extraction, Fact, Mention
from kg.nlp.script import LANGUAGE_TAGS, TRADITIONAL, printed_name, to_simplified
from kg.shared.event_names import event_series
from kg.shared.gazetteer import Area, place_key

_CLASSES = {
    PERSON: [SCHEMA_.Person],
    ORGANIZATION: [SCHEMA_.Organization],
    PLACE: [SCHEMA_.Place],
    EVENT: [SCHEMA_.Event],
}
_SUBCLASSES = {
    "organization:company": SCHEMA_.Corporation,
    "organization:government": SCHEMA_.GovernmentOrganization,
    "place:admin": SCHEMA_.AdministrativeArea,
    "place:venue": SCHEMA_.EventVenue,
    "event:meeting": KGO_.Meeting,
    "event:ceremony": KGO_.Ceremony,
    "event:exhibition": SCHEMA_.ExhibitionEvent,
    "event:forum": KGO_.Meeting,
    "event:reception": KGO_.Reception,
    "event:visit": KGO_.Visit,
    "event:activity": SCHEMA_.Event,
}


def _date(value: str) -> ox.Literal:
    """A date at the precision known: xsd:date, xsd:gYearMonth (2024-04), xsd:gYear (2024) or
    xsd:gMonthDay (--01-11, a day whose year is unknown)."""
    if len(value) == 10:
        return ox.Literal(value, datatype=XSD_.date)
    if value.startswith("--"):
        return ox.Literal(value, datatype=XSD_.gMonthDay)
    return ox.Literal(value, datatype=XSD_.gYearMonth if len(value) == 7 else XSD_.gYear)


def _printed(m: Mention) -> str:
    """The name a mention was printed under, if resolution changed it (not for 江主席: a reference
    to 江泽民 is no name of his)."""
    return m.attrs.get("resolution", {}).get("printed", "")


def printed_names(mentions: Iterable[Mention]) -> dict[str, str]:
    """Each identity key an article prints in other characters, with the form it prints (林郑月娥:
    林鄭月娥 in a Hong Kong paper), from the first mention that prints the key whole: the name
    its entity is given, the key staying its skos:altLabel."""
    names: dict[str, str] = {}
    for m in mentions:
        printed = printed_name(m.text)  # 林(lín)鄭月娥 prints 林鄭月娥
        if printed != m.label and m.label not in names and to_simplified(printed) == m.label:
            names[m.label] = printed
    return names


class Triples:
    """The triples of one graph (tuples of pyoxigraph terms), a set in the order added, written
    once as N-Triples: an article's graph is built, then serialised, never queried, so it needs
    none of the three indexes an rdflib ``Graph`` keeps (a quarter of the extraction's time
    went to them). Offsets and positions are written as ``int`` (pyoxigraph would take a numpy
    integer for a double)."""

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
        self.printed = printed_names(doc.mentions) if self.article.script == TRADITIONAL else {}

    def entity(self, m: Mention) -> ox.NamedNode:
        """The node of what a mention names, typed and labelled."""
        if m.type == EVENT:  # one article's event: kg/resolve/across.py finds the same one in others
            entity = node("event", self.article.id, m.label, self.event_dates.get(m.label, ""))
        else:
            entity = node(m.type, m.label)
        describe_entity(self.shared, entity, m, self.printed.get(m.label, ""))
        return entity

    def extractor(self, name: str) -> ox.NamedNode:
        extractor = node("extractor", name)
        self.shared.add((extractor, RDF_.type, KGO_.Extractor))
        self.shared.add((extractor, RDFS_.label, ox.Literal(f"kg {name}")))
        return extractor

    def membership(self, who: ox.NamedNode, post: str) -> ox.NamedNode:
        return node("membership", self.article.id, who.value, post)

    def resolution(self, phrase: ox.NamedNode, m: Mention) -> None:
        """Why a mention names what it names: the rule, the resolver, and for 江主席 the post
        (国家主席江泽民's membership) that made the title fit."""
        res = m.attrs["resolution"]
        self.g.add((phrase, KGO_.resolvedBy, ox.Literal(res["rule"])))
        self.g.add((phrase, PROV_.wasAttributedTo, self.extractor(res["by"])))
        if "post" in res:
            self.g.add((phrase, PROV_.wasDerivedFrom, self.membership(node(m.type, m.label), res["post"])))

    def evidence(self, ev: Evidence) -> ox.NamedNode:
        evidence = node("evidence", ev.article, str(ev.start), str(ev.end), ev.extractor)
        src_start, src_end = self.article.source_span(ev.start, ev.end)
        extractor = self.extractor(ev.extractor)
        for p, o in (
            (RDF_.type, KGO_.Evidence),
            (KGO_.article, self.a),
            (NIF_.anchorOf, ox.Literal(ev.sentence)),
            (NIF_.beginIndex, ox.Literal(int(ev.start))),
            (NIF_.endIndex, ox.Literal(int(ev.end))),
            (KGO_.sourceBeginIndex, ox.Literal(int(src_start))),
            (KGO_.sourceEndIndex, ox.Literal(int(src_end))),
            (PROV_.wasAttributedTo, extractor),
        ):
            self.g.add((evidence, p, o))
        return evidence

    def build(self) -> tuple[Triples, Triples]:
        """(the article's graph, what it adds to the shared graph)."""
        art, g = self.article, self.g
        g.add((self.a, RDF_.type, SCHEMA_.NewsArticle))
        g.add((self.a, SCHEMA_.identifier, ox.Literal(art.id)))
        if art.title:
            g.add((self.a, SCHEMA_.headline, ox.Literal(art.title)))
        for sub in art.subtitles:
            g.add((self.a, SCHEMA_.alternativeHeadline, ox.Literal(sub)))
        if art.date:
            g.add((self.a, SCHEMA_.datePublished, _date(art.date)))
        for prop, value in ((SCHEMA_.articleSection, art.section), (SCHEMA_.publisher, art.source), (SCHEMA_.url, art.url)):
            if value:
                g.add((self.a, prop, ox.Literal(value)))
        g.add((self.a, SCHEMA_.text, ox.Literal(art.text)))
        if art.script:
            g.add((self.a, SCHEMA_.inLanguage, ox.Literal(LANGUAGE_TAGS[art.script])))
        g.add((self.a, KGO_.contentHash, ox.Literal(art.content_hash)))
        # the graph's own provenance
        gi = self.g.identifier
        g.add((gi, RDF_.type, PROV_.Bundle))
        g.add((gi, PROV_.wasDerivedFrom, self.a))
        g.add((gi, PROV_.wasAttributedTo, ox.NamedNode(f"https://w3id.org/kg-news/software/kg/{kg.__version__}")))
        if art.path:
            g.add((gi, KGO_.sourceFile, ox.Literal(art.source_file or art.path)))

        described = set()  # the entities with a mention node
        for m in self.doc.mentions:
            if m.type in (DATE, POST):
                continue
            entity = self.entity(m)
            g.add((self.a, SCHEMA_.mentions, entity))
            # the entity's first mention (and each resolved one, and each reference to a person:
            # a kgo:Reference) says what the extraction found, all the pass across articles and
            # the queries need: the others only where they are printed and what they name
            reference = bool(m.attrs.get("reference")) and m.type == PERSON
            recorded = entity not in described or "resolution" in m.attrs or reference
            if self.mentions == "first" and not recorded:
                continue
            described.add(entity)
            mention = node("mention", art.id, str(m.start), str(m.end), m.type)
            g.add((mention, RDF_.type, NIF_.Phrase))
            g.add((mention, NIF_.anchorOf, ox.Literal(m.text)))
            g.add((mention, NIF_.beginIndex, ox.Literal(int(m.start))))
            g.add((mention, NIF_.endIndex, ox.Literal(int(m.end))))
            g.add((mention, NIF_.referenceContext, self.a))
            g.add((mention, ITSRDF_.taIdentRef, entity))
            if recorded:  # what the extraction found, kept when kg/graph/identity.py points the mention elsewhere
                g.add((mention, KGO_.extractedAs, entity))
                g.add((mention, KGO_.key, ox.Literal(m.label)))
                g.add((mention, KGO_.mentionType, ox.Literal(m.full_type)))
            if reference:
                g.add((mention, RDF_.type, KGO_.Reference))
            if "resolution" in m.attrs:
                self.resolution(mention, m)
            if m.attrs.get("super_event_of_main") and self.doc.main_event is not None:
                g.add((self.entity(self.doc.main_event), SCHEMA_.superEvent, entity))
                g.add((entity, SCHEMA_.subEvent, self.entity(self.doc.main_event)))
        for fact in self.doc.facts:
            getattr(self, f"_{fact.kind}")(fact)
        # the other nodes this article describes in the shared graph (the areas above its places,
        # series, posts, extractors): replacing the article must find them as it finds its mentions
        mentioned = {o for s, p, o in g if s == self.a and p == SCHEMA_.mentions}
        for described_node in dict.fromkeys(s for s, _, _ in self.shared):
            if described_node not in mentioned:
                g.add((self.a, KGO_.describes, described_node))
        return self.g, self.shared

    def _participation(self, f: Fact) -> None:
        if f.role not in ROLES:  # the ontology's kgo:ParticipantRole, which the picture reads role by role
            raise ValueError(f"{f.role!r} is not a participation role (kg.model.ROLES)")
        who, event = self.entity(f.subject), self.entity(f.object)
        participation = node("participation", self.article.id, who.value, event.value, f.role)
        g = self.g
        g.add((participation, RDF_.type, KGO_.Participation))
        g.add((participation, KGO_.participant, who))
        g.add((participation, KGO_.event, event))
        g.add((participation, KGO_.role, KGO_[f.role]))
        g.add((participation, SCHEMA_.roleName, ox.Literal(f.role)))
        g.add((participation, PROV_.wasDerivedFrom, self.evidence(f.evidence)))
        if "rule" in f.attrs:  # which named rule made it, on which word (kg.extract.participation.RULES)
            g.add((participation, KGO_.rule, ox.Literal(f.attrs["rule"])))
            g.add((participation, KGO_.cue, ox.Literal(f.attrs["cue"])))
        if "venue" in f.attrs:
            g.add((participation, PROV_.atLocation, self.entity(f.attrs["venue"])))
        if id(f) in self.listed:
            self.list_item(participation, who, event, f, *self.listed[id(f)])
        g.add((event, SCHEMA_.attendee, who))  # the shortcut for simple queries
        if f.role == "host":
            g.add((event, SCHEMA_.organizer, who))

    def list_item(self, participation: ox.NamedNode, who: ox.NamedNode, event: ox.NamedNode, f: Fact, printed: PrintedList, position: int) -> None:
        """The participation's place in the list it was printed in (kg/graph/lists.py): a
        schema:ItemList of the sentence, whose schema:ListItem at schema:position is the
        participant; one participant listed for two roles (出席并讲话) is one item."""
        g, key = self.g, f"{self.article.id}@{printed.sentence}.{printed.index}"
        listing, item = node("list", key), node("list-item", key, str(position))
        for s, p, o in (
            (listing, RDF_.type, SCHEMA_.ItemList),
            (listing, SCHEMA_.identifier, ox.Literal(key)),
            (listing, SCHEMA_.numberOfItems, ox.Literal(len(printed.members))),
            (listing, KGO_.event, event),
            (listing, PROV_.wasDerivedFrom, self.evidence(f.evidence)),
            (listing, SCHEMA_.itemListElement, item),
            (item, RDF_.type, SCHEMA_.ListItem),
            (item, SCHEMA_.position, ox.Literal(int(position))),
            (item, SCHEMA_.item, who),
        ):
            g.add((s, p, o))
        g.add((participation, KGO_.listItem, item))

    def _event_date(self, f: Fact) -> None:
        self.g.add((self.entity(f.subject), SCHEMA_.startDate, _date(f.value)))

    def _event_venue(self, f: Fact) -> None:
        self.g.add((self.entity(f.subject), SCHEMA_.location, self.entity(f.object)))

    def _event_subvenue(self, f: Fact) -> None:
        self.g.add((self.entity(f.subject), KGO_.subVenue, self.entity(f.object)))

    def _event_form(self, f: Fact) -> None:
        event = self.entity(f.subject)
        self.g.add((event, KGO_.meetingForm, ox.Literal(f.value)))
        self.g.add((event, SCHEMA_.eventAttendanceMode, SCHEMA_[f.attrs["mode"]]))

    def _credit(self, f: Fact, prop: ox.NamedNode) -> None:
        who = self.entity(f.subject)
        credit = node("credit", self.article.id, who.value, f.kind)
        for p, o in (
            (RDF_.type, KGO_.Credit),
            (KGO_.participant, who),
            (KGO_.creditOf, self.a),
            (KGO_.role, KGO_[f.kind]),
            (SCHEMA_.roleName, ox.Literal(f.kind)),
            (PROV_.wasDerivedFrom, self.evidence(f.evidence)),
        ):
            self.g.add((credit, p, o))
        self.g.add((self.a, prop, who))

    def _reporter(self, f: Fact) -> None:
        self._credit(f, SCHEMA_.author)

    def _photographer(self, f: Fact) -> None:
        self._credit(f, SCHEMA_.contributor)

    def _dateline(self, f: Fact) -> None:
        self.g.add((self.a, SCHEMA_.locationCreated, self.entity(f.subject)))

    def _holds_post(self, f: Fact) -> None:
        who = self.entity(f.subject)
        post = node("post", f.value)
        role = node("role", f.value)
        membership = self.membership(who, f.value)
        title = self.printed.get(f.value, f.value)  # as the article prints it (行政長官), like names
        g = self.g
        self.shared.add((post, RDF_.type, ORG_.Post))
        self.shared.add((post, RDFS_.label, ox.Literal(title)))
        self.shared.add((post, ORG_.role, role))
        self.shared.add((role, RDF_.type, ORG_.Role))
        self.shared.add((role, SKOS_.prefLabel, ox.Literal(f.value)))  # one per role: the key
        if title != f.value:
            self.shared.add((post, SKOS_.altLabel, ox.Literal(f.value)))
            self.shared.add((role, SKOS_.altLabel, ox.Literal(title)))
        g.add((who, ORG_.holds, post))
        g.add((membership, RDF_.type, ORG_.Membership))
        g.add((membership, ORG_.member, who))
        g.add((membership, ORG_.role, role))
        g.add((membership, KGO_.postTitle, ox.Literal(title)))
        if (area := f.attrs.get("area")) is not None:
            g.add((membership, KGO_.postArea, describe_area(self.shared, area)))
        g.add((membership, PROV_.wasDerivedFrom, self.evidence(f.evidence)))
        if self.article.date and not self.article.date.startswith("--"):
            # seen holding the post on the day of the article (or in its month or year, as a feed
            # dates it: OWL-Time's inXSDgYearMonth, inXSDgYear): ORG's memberDuring, an interval
            during, instant = ox.NamedNode(f"{membership.value}/during"), ox.NamedNode(f"{membership.value}/seen")
            g.add((membership, ORG_.memberDuring, during))
            g.add((during, RDF_.type, TIME_.Interval))
            g.add((during, TIME_.hasBeginning, instant))
            g.add((during, TIME_.hasEnd, instant))
            g.add((instant, RDF_.type, TIME_.Instant))
            when = {10: TIME_.inXSDDate, 7: TIME_.inXSDgYearMonth, 4: TIME_.inXSDgYear}[len(self.article.date)]
            g.add((instant, when, _date(self.article.date)))


def describe_entity(shared: Triples, entity: ox.NamedNode, m: Mention, printed_name: str = "") -> None:
    """What an entity is, in the shared graph: types, name, kind, areas, series.

    An entity is named by its identity key (传化集团, 浙江省, 永康市经济和信息化局), one name
    however articles print it; the printed variants are its skos:altLabels. A traditional
    article names it as it prints it (``printed_name``: 林鄭月娥), its simplified key the
    altLabel, so one node holds 林鄭月娥 of Hong Kong and 林郑月娥 of Beijing. The shared graph
    holds each triple once: names in article graphs would repeat every row that joins a name
    over the union of graphs. Also used by kg/graph/identity.py for the nodes it moves to.
    """
    for cls in _CLASSES.get(m.type, []) + ([_SUBCLASSES[m.full_type]] if m.full_type in _SUBCLASSES else []):
        shared.add((entity, RDF_.type, cls))
    name = printed_name or m.label
    shared.add((entity, SCHEMA_.name, ox.Literal(name)))
    shared.add((entity, RDFS_.label, ox.Literal(name)))
    for alias in sorted({m.label, _printed(m)} - {name, ""}):
        shared.add((entity, SKOS_.altLabel, ox.Literal(alias)))
    shared.add((entity, KGO_.mentionType, ox.Literal(m.full_type)))
    if m.type == EVENT and (name := event_series(m.label)):
        # 第二届“寻美永康”摄影展 is one of the series “寻美永康”摄影展: linked, not merged
        series = node("series", name)
        shared.add((entity, SCHEMA_.superEvent, series))
        for p, o in ((RDF_.type, SCHEMA_.EventSeries), (SCHEMA_.name, ox.Literal(name)), (RDFS_.label, ox.Literal(name))):
            shared.add((series, p, o))
    if (area := m.attrs.get("area")) is not None:
        if m.type == ORGANIZATION:  # 永康市经济和信息化局 serves 永康市
            shared.add((entity, SCHEMA_.areaServed, describe_area(shared, area)))
        elif m.subtype == "venue":  # 永康市博物馆 lies in 永康市
            shared.add((entity, SCHEMA_.containedInPlace, describe_area(shared, area)))
        else:
            describe_area(shared, area, entity)


def describe_area(shared: Triples, area: Area, area_node: ox.NamedNode | None = None) -> ox.NamedNode:
    """An administrative area with its code, in the areas above it (钱塘区 in 杭州市 in 浙江省)."""
    if area_node is None:
        area_node = node(PLACE, place_key(area))
        for p, o in ((RDF_.type, SCHEMA_.Place), (RDF_.type, SCHEMA_.AdministrativeArea), (SCHEMA_.name, ox.Literal(place_key(area))),
                     (RDFS_.label, ox.Literal(place_key(area))), (KGO_.mentionType, ox.Literal("place:admin"))):
            shared.add((area_node, p, o))
    shared.add((area_node, SCHEMA_.identifier, ox.Literal(area.code)))
    if area.parent is not None:
        shared.add((area_node, SCHEMA_.containedInPlace, describe_area(shared, area.parent)))
    return area_node


def article_dataset(doc: Extraction, mentions: str = "all") -> Dataset:
    """The article's graphs as an rdflib ``Dataset``, to query."""
    dataset = Dataset()
    for prefix, ns in PREFIXES.items():
        dataset.bind(prefix, ns)
    for triples in ArticleGraph(doc, mentions).build():
        dataset.graph(URIRef(triples.identifier.value)).parse(data=ntriples(triples), format="nt")
    return dataset

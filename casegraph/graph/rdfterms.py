"""RDF terms in N-Triples syntax: the namespaces, node IRIs (each segment of an id
percent-encoded, so no text can break an IRI), literals typed by their value, and the
escaping that carries any document text inside a literal, with its inverse."""

from __future__ import annotations

import hashlib
import json
import math
import re
from typing import Any
from urllib.parse import quote

from casegraph.errors import CasegraphError

__all__ = ["BASE", "CG", "XSD", "NAMESPACES", "escape", "literal", "node_iri", "xml_safe"]


BASE = "https://casegraph.org/id/"
CG = "https://casegraph.org/ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"

NAMESPACES: dict[str, str] = {
    "cg": CG,
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": XSD,
}


# Characters XML 1.0 cannot carry (RDF/XML, and GraphML/GEXF in netexport).
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_DATE = {
    re.compile(r"^\d{4}$"): "gYear",
    re.compile(r"^\d{4}-\d{2}$"): "gYearMonth",
    re.compile(r"^\d{4}-\d{2}-\d{2}$"): "date",
}
_DATE_KEYS = frozenset({"published", "incident_date", "issued"})
# Ids made only of these characters need no percent-encoding (nearly all of them).
_PLAIN_ID = re.compile(r"[A-Za-z0-9._~:-]*").fullmatch
# What an IRIREF of N-Triples, Turtle and SPARQL cannot hold.
_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')
# Text that needs xml_safe or escape.
_WORK = re.compile('[\x00-\x1f"\\\\\ud800-\udfff\ufffe\uffff]').search


def _plain(text: str) -> bool:
    """Whether ``text`` goes between the quotes of a literal as is (most text): a
    quicker test than ``_WORK`` for the common case (isprintable is False for every
    character _WORK finds, and for a few more it lets through)."""
    return '"' not in text and "\\" not in text and (text.isprintable() or not _WORK(text))


def xml_safe(text: str) -> str:
    """``text`` with characters XML 1.0 forbids (form feeds from PDFs, lone
    surrogates) replaced by spaces, so every serialisation can carry it."""
    return _XML_BAD.sub(" ", text)


def _segments(node_id: str) -> str:
    if _PLAIN_ID(node_id):
        return node_id.replace(":", "/")
    return "/".join(quote(part, safe="") for part in node_id.split(":"))


def node_iri(node_id: str, base: str = BASE) -> str:
    """The IRI of a node: ``base`` + the id's ':'-separated parts, each percent-encoded.

    >>> node_iri("case:harwick:child l:2020")
    'https://casegraph.org/id/case/harwick/child%20l/2020'
    """
    return _base(base) + _segments(node_id)


def _base(base: str) -> str:
    if _IRI_BAD.search(base) or ":" not in base:
        raise CasegraphError(f"base IRI {base!r} is not an absolute IRI without spaces or <>\"{{}}|^`\\")
    return base if base.endswith(("/", "#")) else base + "/"


def _hashed(kind: str, key: str, base: str) -> str:
    return f"<{base}{kind}/{hashlib.sha1(key.encode('utf-8')).hexdigest()[:20]}>"


def _camel(key: str) -> str:
    head, *rest = re.split(r"[^0-9A-Za-z]+", key) or [key]
    name = head + "".join(p[:1].upper() + p[1:] for p in rest)
    if not name or not name[0].isalpha():
        name = "p" + name
    return name


def escape(text: str) -> str:
    """A string as the inside of an N-Triples (and Turtle) literal: the grammar's
    four characters that cannot appear raw (backslash, double quote, line feed,
    carriage return) escaped; any other character, non-Latin letters included, as is."""
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    if '"' in text:
        text = text.replace('"', '\\"')
    if "\n" in text:
        text = text.replace("\n", "\\n")
    if "\r" in text:
        text = text.replace("\r", "\\r")
    return text


def literal(key: str, value: Any) -> str:
    """The N-Triples literal of a property value: typed numbers and booleans, dates
    of the date keys as xsd dates, anything else as a string."""
    if isinstance(value, bool):
        return f'"{"true" if value else "false"}"^^<{XSD}boolean>'
    if isinstance(value, int):
        return f'"{value}"^^<{XSD}integer>'
    if isinstance(value, float):
        lex = ("NaN" if math.isnan(value) else "INF" if value > 0 else "-INF") \
            if not math.isfinite(value) else repr(value)
        return f'"{lex}"^^<{XSD}double>'
    if not isinstance(value, str):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    elif not _WORK(value) and key not in _DATE_KEYS:
        return f'"{value}"'  # nothing to replace or escape: most text
    value = xml_safe(value)
    if key in _DATE_KEYS:
        for pattern, dtype in _DATE.items():
            if pattern.match(value):
                return f'"{value}"^^<{XSD}{dtype}>'
    return f'"{escape(value)}"'


# The inverse of escape (writers and the rdflib bridge read literals back).
_UNESCAPE = re.compile(r"\\(.)")
_UNESCAPED = {"\\": "\\", '"': '"', "n": "\n", "r": "\r"}

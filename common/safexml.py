"""A hardened XML reader for documents from the network (SOAP envelopes), stdlib only.

`parse_xml(data)` returns the root `Element` of a UTF-8 document or raises `HostileXml` with a
one-line reason. What it refuses, before and while expat reads:

- more than `max_bytes` bytes, more than `max_depth` nested elements, more than `max_elements`
  elements, attribute values or text longer than `max_text` characters;
- any document type declaration (`<!DOCTYPE`), entity declaration (`<!ENTITY`), external
  entity reference or processing instruction other than the XML declaration: there is no DTD,
  so no entity can be expanded (no "billion laughs") and nothing is resolved from outside;
- an encoding other than UTF-8 / US-ASCII (a pre-scan for `<!DOCTYPE` could be fooled by
  UTF-16), and bytes that are not valid UTF-8.

It lives in the lowest layer because the client's XMLVend adapter and the reference server's
XMLVend face both read SOAP from the network and must refuse the same things.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

__all__ = ["Document", "HostileXml", "Limits", "local", "namespace", "parse_document",
           "parse_xml"]


class HostileXml(ValueError):
    """The bytes are not a plain, bounded XML document this reader accepts."""


@dataclass(frozen=True)
class Limits:
    """How much one document may hold (defaults fit the largest XMLVend answers seen)."""

    max_bytes: int = 1_048_576
    max_depth: int = 48
    max_elements: int = 20_000
    max_text: int = 65_536


DEFAULT_LIMITS = Limits()

_DECL_RE = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_FORBIDDEN = (b"<!doctype", b"<!entity", b"<!element", b"<!attlist", b"<!notation")


class _Builder:
    """Builds the tree from expat's events, counting elements, depth and text as it goes,
    and keeping the namespace prefixes in scope on each element."""

    def __init__(self, limits: Limits) -> None:
        self._limits = limits
        self._count = 0
        self._stack: list[ET.Element] = []
        self._scopes: list[dict[str, str]] = [{"xml": "http://www.w3.org/XML/1998/namespace"}]
        self._pending: dict[str, str] = {}
        self._text: list[str] = []
        self._text_len = 0
        self.root: ET.Element | None = None
        #: id(element) -> the prefixes in scope on it (to resolve `xsi:type` QNames).
        self.nsmaps: dict[int, dict[str, str]] = {}
        self._keep: list[ET.Element] = []  # ids stay unique while the document lives

    @staticmethod
    def _tag(name: str) -> str:
        uri, sep, loc = name.rpartition("}")
        return f"{{{uri}}}{loc}" if sep else loc

    def start_ns(self, prefix: str | None, uri: str) -> None:
        self._pending[prefix or ""] = uri

    def _flush(self) -> None:
        if not self._text:
            return
        text = "".join(self._text)
        self._text, self._text_len = [], 0
        if self._stack:
            top = self._stack[-1]
            if len(top):
                top[-1].tail = (top[-1].tail or "") + text
            else:
                top.text = (top.text or "") + text

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self._flush()
        self._count += 1
        if len(self._stack) >= self._limits.max_depth:
            raise HostileXml(f"nested deeper than {self._limits.max_depth} elements")
        if self._count > self._limits.max_elements:
            raise HostileXml(f"more than {self._limits.max_elements} elements")
        for value in attrs.values():
            if len(value) > self._limits.max_text:
                raise HostileXml("an attribute value is too long")
        scope = self._scopes[-1]
        if self._pending:
            scope = {**scope, **self._pending}
            self._pending = {}
        element = ET.Element(self._tag(name), {self._tag(k): v for k, v in attrs.items()})
        if self._stack:
            self._stack[-1].append(element)
        elif self.root is None:
            self.root = element
        self._stack.append(element)
        self._scopes.append(scope)
        self.nsmaps[id(element)] = scope
        self._keep.append(element)

    def end(self, _name: str) -> None:
        self._flush()
        self._stack.pop()
        self._scopes.pop()

    def data(self, data: str) -> None:
        self._text_len += len(data)
        if self._text_len > self._limits.max_text:
            raise HostileXml("a text node is too long")
        self._text.append(data)


def _refuse(what: str) -> Any:
    def handler(*_: Any) -> None:
        raise HostileXml(f"{what} is not accepted")
    return handler


@dataclass(frozen=True)
class Document:
    """A parsed document: its root and the namespace prefixes in scope on each element."""

    root: ET.Element
    nsmaps: dict[int, dict[str, str]]

    def qname(self, element: ET.Element, value: str) -> tuple[str, str]:
        """(namespace URI, local name) of a QName-valued attribute such as `xsi:type`,
        resolved against the prefixes in scope on `element` (no prefix: the default
        namespace). An unknown prefix gives the URI ''."""
        prefix, _, name = value.strip().rpartition(":")
        scope = self.nsmaps.get(id(element), {})
        return scope.get(prefix, ""), name


def parse_xml(data: bytes, limits: Limits = DEFAULT_LIMITS) -> ET.Element:
    """The root element of `data`; `HostileXml` for anything this reader does not accept."""
    return parse_document(data, limits).root


def parse_document(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Document:
    """`data` parsed with the namespace scopes kept; `HostileXml` for anything refused."""
    if not isinstance(data, bytes | bytearray):
        raise HostileXml("not bytes")
    if len(data) > limits.max_bytes:
        raise HostileXml(f"larger than {limits.max_bytes} bytes")
    raw = bytes(data)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw:
        raise HostileXml("only UTF-8 documents are accepted")
    declared = _DECL_RE.match(raw)
    if declared and declared.group(1).lower() not in (b"utf-8", b"utf8", b"us-ascii", b"ascii"):
        raise HostileXml("only UTF-8 documents are accepted")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        raise HostileXml("not valid UTF-8") from None
    lowered = raw.lower()
    for marker in _FORBIDDEN:
        if marker in lowered:
            raise HostileXml("document type and entity declarations are not accepted")
    builder = _Builder(limits)
    parser = expat.ParserCreate(encoding="utf-8", namespace_separator="}")
    # Belt and braces: expat itself refuses a DTD, entity declarations, external entities and
    # processing instructions, should the pre-scan above ever miss one.
    parser.StartDoctypeDeclHandler = _refuse("a document type declaration")
    parser.EntityDeclHandler = _refuse("an entity declaration")
    parser.ExternalEntityRefHandler = _refuse("an external entity")
    parser.ProcessingInstructionHandler = _refuse("a processing instruction")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartNamespaceDeclHandler = builder.start_ns
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.buffer_text = True
    try:
        parser.Parse(raw, True)
    except HostileXml:
        raise
    except expat.ExpatError as exc:
        raise HostileXml(f"not well-formed XML ({expat.errors.messages.get(exc.code, exc)})"
                         ) from None
    except RecursionError:
        raise HostileXml("nested too deeply") from None
    root = builder.root
    if root is None:
        raise HostileXml("no root element")
    return Document(root, builder.nsmaps)


def namespace(tag: str) -> str:
    """The namespace URI of a `{uri}local` tag ('' when it has none)."""
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def local(tag: str) -> str:
    """The local name of a `{uri}local` tag."""
    return tag.rsplit("}", 1)[-1]

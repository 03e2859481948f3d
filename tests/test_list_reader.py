"""Streamed lists (``iter_…``) read what the whole-page decoder reads, chunk by chunk.

Their reader asks lxml for the root and the items only; everything else in the
document (the items' insides, children that are not items, a root of another name)
must still be handled as when every element is reported.
"""

from __future__ import annotations

from typing import Any

import pytest
from litmos import _xml
from litmos._endpoints import GET_USER_COURSES
from litmos.fake_server import example_course

CODEC = GET_USER_COURSES.result
COURSE = (
    "<{p}Course><{p}Id>c{n}</{p}Id><{p}Name> Course {n} </{p}Name>"
    "<{p}Active>true</{p}Active><{p}OriginalId> {n} </{p}OriginalId>"
    "<{p}Code i:nil='true'/><{p}CourseCreator/></{p}Course>"
)
NESTED = (  # an item-named element inside an item: part of the record, not a record
    "<{p}Course><{p}Id>outer</{p}Id><{p}Extra><{p}Course><{p}Id>inner</{p}Id>"
    "</{p}Course></{p}Extra></{p}Course>"
)
STRAYS = (  # children of the root that are not items, one named like the root
    "<{p}Note>not a course</{p}Note><{p}Courses><{p}Course><{p}Id>no</{p}Id>"
    "</{p}Course></{p}Courses>"
)
XSI = "xmlns:i='http://www.w3.org/2001/XMLSchema-instance'"


def _document(parts: list[str], style: str) -> bytes:
    prefix = "n:" if style == "prefix" else ""
    declare = {
        "none": "",
        "default": " xmlns='urn:litmos'",
        "prefix": " xmlns:n='urn:litmos'",
    }[style]
    body = "".join(part.format(p=prefix, n=n) for n, part in enumerate(parts))
    return f"<?xml version='1.0'?>\n<{prefix}Courses {XSI}{declare}>{body}</{prefix}Courses>".encode()


def _streamed(body: bytes, size: int) -> list[Any]:
    reader = CODEC.reader()
    found: list[Any] = []
    for start in range(0, len(body), size):
        found += reader.feed(body[start : start + size])
    return found + reader.close()


@pytest.mark.parametrize("style", ["none", "default", "prefix"])
@pytest.mark.parametrize("size", [1, 7, 64, 1 << 16])
def test_streamed_records_equal_the_whole_page(style: str, size: int) -> None:
    body = _document([COURSE, STRAYS, NESTED, COURSE, STRAYS, COURSE], style)
    whole = CODEC.decode_xml(_xml.parse(body))
    assert [course.id for course in whole] == ["c0", "outer", "c3", "c5"]
    assert whole[0].code is None and whole[0].course_creator == ""
    assert _streamed(body, size) == whole


def test_a_real_page_streams_as_it_decodes() -> None:
    body = CODEC.encode_xml([example_course(n) for n in range(1, 201)])
    assert _streamed(body, 4096) == CODEC.decode_xml(_xml.parse(body))


@pytest.mark.parametrize(
    ("head", "message"),
    [
        (b"<Error><Course><Id>1</Id></Course>", "expected root <Courses>, got <Error>"),
        (
            b"<n:Error xmlns:n='urn:x'><n:Courses>",
            "expected root <Courses>, got <Error>",
        ),
        (
            b"<!DOCTYPE Courses [<!ENTITY e 'x'>]><Courses><Course><Id>&e;</Id>",
            "DTD",
        ),
    ],
)
def test_a_wrong_document_is_refused_at_its_first_chunk(
    head: bytes, message: str
) -> None:
    reader = CODEC.reader()
    with pytest.raises(ValueError, match=message):
        reader.feed(head)


def test_children_that_are_not_items_do_not_pile_up() -> None:
    reader = _xml.ListReader(lambda elem: elem.findtext("Id"), "Course", "Courses")
    strays = b"<Note>" + b"x" * 100 + b"</Note>"
    found = reader.feed(b"<Courses><Course><Id>1</Id></Course>")
    for _ in range(1000):
        found += reader.feed(strays * 10)
        assert len(reader.top) <= 1
    found += reader.feed(b"<Course><Id>2</Id></Course></Courses>")
    assert found + reader.close() == ["1", "2"]


@pytest.mark.parametrize(
    "body",
    [b"", b"   ", b"<Courses><Course><Id>1</Id></Course>", b"<Courses><Cour"],
)
def test_an_empty_or_unfinished_document_is_a_syntax_error(body: bytes) -> None:
    reader = CODEC.reader()
    with pytest.raises(_xml.XmlSyntaxError):
        reader.feed(body)
        reader.close()

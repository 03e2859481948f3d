"""Streamed XML (``iter_…``) reads what the whole-page decoder reads, chunk by chunk.

A list's reader asks lxml for the root and the items only; everything else in the
document (the items' insides, children that are not items, a root of another name)
must still be handled as when every element is reported. Both readers leave the text
libxml2 may still be adding to alone, whatever the chunk boundaries, and give libxml2
no more than it takes in one push.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import litmos
import pytest
from litmos import _xml
from litmos._endpoints import GET_USER_COURSES
from litmos.fake_server import example_course
from peoplefluent import _xml as pf_xml
from peoplefluent._stream import element_record

CODEC = GET_USER_COURSES.result
PACKAGE = Path(litmos.__file__).parents[1]
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
        (b"<Error><Course><Id>1</Id></Course>", "wrong root element <Error>, expected <Courses>"),
        (
            b"<n:Error xmlns:n='urn:x'><n:Courses>",
            "wrong root element <Error>, expected <Courses>",
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


def _run(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``code`` in an interpreter of its own (a crash there fails the test, not pytest)."""
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(PACKAGE)},
        timeout=120,
    )


# Layouts in which the text after an item is cut by a chunk boundary just after a
# character reference: libxml2 goes on adding to that text with the next chunk, so
# freeing it (by detaching the item) made the interpreter crash.
TAIL_CUTS = [
    (b"<Courses><Note/>" + b" " * 16 + b"<Course><Id>1</Id></Course>x&amp;", b"y" * 10),
    (b"<Courses>" + b" " * 20 + b"<Course><Id>1</Id></Course>x&amp;", b"y" * 10),
    (
        b"<Courses><a/>" + b"S" * 30 + b"<Course><Id>1</Id></Course>" + b"T&amp;" * 200,
        b"Z" * 50,
    ),
]
FEED = """
import sys
from litmos import _xml
first, second = eval(sys.argv[2]), eval(sys.argv[3])
cls = getattr(_xml, sys.argv[1])
reader = cls(lambda elem: elem.findtext("Id"), "Course", "Courses")
found = reader.feed(first) + reader.feed(second) + reader.feed(b"</Courses>")
print(found + reader.close())
"""


@pytest.mark.parametrize("reader", ["ItemReader", "ListReader"])
@pytest.mark.parametrize(
    ("first", "second"),
    TAIL_CUTS,
    ids=["after-a-stray", "after-root-text", "long-tails"],
)
def test_text_cut_after_an_item_does_not_crash_the_parser(
    reader: str, first: bytes, second: bytes
) -> None:
    done = _run(FEED, reader, repr(first), repr(second))
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "['1']"


def test_streamed_elements_stand_alone() -> None:
    # Records handed out as elements are copies without the text after them: the
    # element itself stays in the document until the next chunk.
    reader = pf_xml.ItemReader(element_record)
    body = b"<report>\n  <row><a>1</a></row>tail one\n  <row><a>2</a></row>\n</report>"
    rows = [
        row
        for start in range(0, len(body), 9)
        for row in reader.feed(body[start : start + 9])
    ]
    rows += reader.close()
    assert [row.findtext("a") for row in rows] == ["1", "2"]
    assert all(row.getparent() is None and row.tail is None for row in rows)


def test_a_chunk_over_libxml2s_push_limit_is_read() -> None:
    body = CODEC.encode_xml([example_course(n) for n in range(1, 16_001)])
    assert len(body) > 10_000_000  # libxml2 refuses more than 10 MB in one push
    reader = CODEC.reader()
    records = reader.feed(body) + reader.close()
    assert len(records) == 16_000 and records[-1].id == "Id-16000"


PEAK = """
import resource, sys
from litmos._endpoints import GET_USER_COURSES
from litmos.fake_server import example_course
body = GET_USER_COURSES.result.encode_xml([example_course(n) for n in range(1, 15_001)])
reader = GET_USER_COURSES.result.reader()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
count = len(reader.feed(body) + reader.close())
print(count, (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
"""


def test_one_large_chunk_is_not_parsed_twice() -> None:
    # Looking for the root reads the head of the document only (a whole 9 MB chunk read
    # by the second parser had cost over 100 MiB).
    done = _run(PEAK)
    assert done.returncode == 0, done.stderr[-2000:]
    count, grown_mib = map(int, done.stdout.split())
    assert count == 15_000
    assert grown_mib < 60


READERS = {
    "list": lambda: CODEC.reader(),
    "elements": lambda: pf_xml.ItemReader(element_record),
}


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize(
    ("inside", "message"),
    [
        (b"<Name>A&nbsp;B</Name>", "Entity 'nbsp' not defined"),
        (b"<x:Name>A</x:Name>", "Namespace prefix x on Name is not defined"),
    ],
    ids=["undefined-entity", "undefined-prefix"],
)
def test_what_a_whole_document_refuses_is_refused_at_its_chunk(
    reader: str, inside: bytes, message: str
) -> None:
    # lxml's feed() lets these pass; libxml2 even stops at the entity, so that the next
    # chunk, a document of its own, used to be read as the rest of this one.
    first = b"<Courses><Course><Id>1</Id>" + inside + b"</Course>"
    with pytest.raises(_xml.XmlSyntaxError, match=message):
        _xml.parse(first + b"</Courses>")
    with pytest.raises(ValueError, match=message):
        READERS[reader]().feed(first)

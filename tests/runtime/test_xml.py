"""The XML rules of ``lmsgen.runtime._xml``, tested where they live: how an element
becomes a field dictionary, how a model is written back, and what parsing refuses."""

from __future__ import annotations

from typing import Any

import pytest
from lmsgen.runtime import _xml
from lmsgen.runtime._model import Model
from lmsgen.runtime._settings import NIL_PREFIX
from lmsgen.runtime._xml import REPEATED, WRAPPED, XmlField, XmlSpec

NS = "urn:example"


class Tag(Model):
    name: str | None = None


Tag.__xml__ = XmlSpec("Tag", (XmlField("name", "Name", text=True),))


class Course(Model):
    id: str | None = None
    title: str | None = None
    score: int | None = None
    code: str | None = None
    tags: list[Tag] | None = None
    aliases: list[str] | None = None
    notes: list[str] | None = None


Course.__xml__ = XmlSpec(
    "Course",
    (
        XmlField("id", "Id", kind="attribute"),
        XmlField("title", "Title", text=True, nil=True, aliases=("Titel",)),
        XmlField("score", "Score", nil=True),
        XmlField("code", "Code", text=True),
        XmlField("tags", "Tags", kind=WRAPPED, item="Tag", model=Tag),
        XmlField("aliases", "Aliases", kind=WRAPPED, item="Alias", text=True),
        XmlField("notes", "Note", kind=REPEATED, text=True),
    ),
)


def read(text: str) -> dict[str, Any]:
    return _xml.read(Course.__xml__, _xml.parse(text.encode()))


def test_strings_are_kept_as_written_and_other_values_stripped() -> None:
    data = read("<Course><Title>  A b </Title><Score> 7 </Score></Course>")
    assert data == {"title": "  A b ", "score": "7"}


def test_an_empty_string_element_is_empty_unless_nil_and_other_kinds_are_none() -> None:
    xsi = f'xmlns:xsi="{_xml.XSI}"'
    empty = read(f"<Course {xsi}><Title/><Code/><Score/></Course>")
    assert empty == {"title": "", "code": "", "score": None}
    nil = read(f'<Course {xsi}><Title xsi:nil="true"/><Score>  </Score></Course>')
    assert nil == {"title": None, "score": None}


def test_attributes_aliases_and_the_first_of_repeated_single_elements() -> None:
    data = read('<Course Id="c1"><Titel>Typo</Titel><Title>Second</Title></Course>')
    assert data == {"id": "c1", "title": "Typo"}


def test_wrapped_and_repeated_lists() -> None:
    data = read(
        "<Course><Tags><Tag><Name>a</Name></Tag><Other/><Tag><Name>b</Name></Tag></Tags>"
        "<Aliases><Alias>x</Alias><Alias/></Aliases><Note>n1</Note><Note>n2</Note></Course>"
    )
    assert data["tags"] == [{"name": "a"}, {"name": "b"}]
    assert data["aliases"] == ["x", ""]
    assert data["notes"] == ["n1", "n2"]


def test_unknown_elements_are_kept_loose_under_their_own_name() -> None:
    data = read(
        "<Course><Extra><A>1</A><A>2</A><B>x</B></Extra><Plain>t</Plain></Course>"
    )
    assert data == {"Extra": {"A": ["1", "2"], "B": "x"}, "Plain": "t"}


def test_namespaced_text_elements_are_learned_for_the_fast_path() -> None:
    spec = XmlSpec("Tag", (XmlField("name", "Name", text=True),))
    elem = _xml.parse(f'<Tag xmlns="{NS}"><Name>n</Name></Tag>'.encode())
    assert _xml.read(spec, elem) == {"name": "n"}
    assert spec.simple["{" + NS + "}Name"] == ("name", True)


def test_writing_follows_the_field_order_with_nil_and_the_namespace() -> None:
    course = Course(id="c1", title=None, code="X", tags=[Tag(name="a")], notes=["n"])
    elem = _xml.write(Course.__xml__, course, namespace=NS)
    assert elem.get("Id") == "c1"
    names = [_xml.local(child.tag) for child in elem]
    assert names == ["Title", "Score", "Code", "Tags", "Note"]
    assert elem[0].get(_xml.NIL) == elem[1].get(_xml.NIL) == "true"
    assert elem.nsmap == {NIL_PREFIX: _xml.XSI, None: NS}
    assert all(child.tag.startswith("{" + NS + "}") for child in elem.iter())
    assert _xml.read(Course.__xml__, _xml.parse(_xml.to_bytes(elem))) == {
        "id": "c1",
        "title": None,
        "score": None,
        "code": "X",
        "tags": [{"name": "a"}],
        "notes": ["n"],
    }


def test_extra_fields_are_written_back() -> None:
    course = Course.model_validate({"Plain": "t", "Extra": {"A": ["1", "2"]}})
    elem = _xml.write(Course.__xml__, course)
    plain, extra = elem[-2:]
    assert (plain.tag, plain.text) == ("Plain", "t")
    assert [(child.tag, child.text) for child in extra] == [("A", "1"), ("A", "2")]


def test_scalar_texts() -> None:
    from datetime import date
    from decimal import Decimal

    assert _xml.text_of(True) == "true"
    assert _xml.text_of(Decimal("1E+2")) == "100"
    assert _xml.text_of(date(2024, 1, 2)) == "2024-01-02"


@pytest.mark.parametrize(
    ("document", "error"),
    [
        (b'<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>', _xml.XmlSafetyError),
        (b"<a><b></a>", _xml.XmlSyntaxError),
        (b"", _xml.XmlSyntaxError),
    ],
)
def test_unsafe_or_broken_documents_are_refused(document: bytes, error: type) -> None:
    with pytest.raises(error):
        _xml.parse(document)


def test_documents_over_the_size_limit_are_refused_unparsed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_xml, "MAX_BYTES", 10)
    with pytest.raises(_xml.XmlSafetyError, match="document larger than 10 bytes"):
        _xml.parse(b"<a>0123456789</a>")


def test_an_item_reader_hands_out_records_across_chunks() -> None:
    reader = _xml.ItemReader(lambda elem: elem.text, "Item")
    document = b"<List><Item>a</Item><Skip/><Item>b</Item></List>"
    found = [*reader.feed(document[:17]), *reader.feed(document[17:]), *reader.close()]
    assert found == ["a", "b"]


def test_element_takes_an_element_or_bytes_only() -> None:
    assert _xml.local(_xml.element(b"<a:x xmlns:a='urn:a'/>").tag) == "x"
    with pytest.raises(TypeError):
        _xml.element("<x/>")

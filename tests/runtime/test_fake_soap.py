"""SOAP 1.1 in the fake server, in place (``lmsgen.runtime._fake_soap``): what it
refuses before any operation runs, and how it refuses it (HTTP 500, a Client fault)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from helpers import REPO
from lmsgen.runtime import _fake_soap
from lmsgen.runtime._fake import Recorded
from lmsgen.runtime._fake_soap import SoapFakeServer

ENVELOPE = (
    b'<soap:Envelope xmlns:soap="{namespace}">'
    b"<soap:Body><Ping xmlns='urn:acme'/></soap:Body></soap:Envelope>"
)


class Server(SoapFakeServer):
    wsdl = "ispring_learn.wsdl"

    def __init__(self) -> None:
        super().__init__([], "127.0.0.1", 0)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    monkeypatch.setattr(_fake_soap, "SPEC", REPO / "specs" / "ispring_learn")
    with Server() as running:
        yield running


def soap(body: bytes, method: str = "POST", media: str = "text/xml") -> Recorded:
    headers = {"content-type": media, "soapaction": '"urn:acme/Ping"'}
    return Recorded(method, "/soap", [], headers, body)


def fault_text(server: Server, request: Recorded) -> str:
    answer = server.handle(request)
    assert (answer.status, answer.content_type) == (500, "text/xml; charset=utf-8")
    assert b"<faultcode>soap:Client</faultcode>" in answer.body
    return answer.body.decode()


def test_clients_are_given_the_soap_url(server: Server) -> None:
    options = server.client_options()
    assert options["soap_url"] == server.soap_url
    assert server.soap_url.endswith("/soap")
    assert options["base_url"] == server.base_url
    assert server.client_options(soap_url="elsewhere")["soap_url"] == "elsewhere"


def test_soap_requests_are_posted_as_text_xml(server: Server) -> None:
    body = ENVELOPE.replace(
        b"{namespace}", b"http://schemas.xmlsoap.org/soap/envelope/"
    )
    assert "SOAP requests are POSTed" in fault_text(server, soap(body, method="PUT"))
    assert "text/xml, not 'application/xml'" in fault_text(
        server, soap(body, media="application/xml")
    )


def test_the_envelope_is_checked_before_the_payload(server: Server) -> None:
    assert "not a SOAP 1.1 envelope" in fault_text(server, soap(b"<Ping/>"))
    assert server.operation_of(soap(b"<Ping/>")) == ""


def test_the_vendors_https_envelope_namespace_is_read_as_the_standard_one(
    server: Server,
) -> None:
    for namespace in (b"http", b"https"):
        url = namespace + b"://schemas.xmlsoap.org/soap/envelope/"
        text = fault_text(server, soap(ENVELOPE.replace(b"{namespace}", url)))
        assert "no SOAP operation takes &lt;Ping&gt;" in text


def test_an_injected_soap_fault_says_its_text(server: Server) -> None:
    fault = server.soap_fault("Server busy", code="soap:Server", operation="ping")
    assert (fault.status, fault.operation, fault.count) == (500, "ping", 1)
    assert fault.content_type == "text/xml; charset=utf-8"
    assert b"<faultcode>soap:Server</faultcode>" in fault.body
    assert b"<faultstring>Server busy</faultstring>" in fault.body

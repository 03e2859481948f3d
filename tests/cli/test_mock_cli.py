"""``lmsgen mock PROVIDER --port N`` serves the generated fake server by hand."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_mock_serves_litmos_over_http() -> None:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "lmsgen.cli", "mock", "litmos", "--port", str(port)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        url = f"http://127.0.0.1:{port}/v1.svc/users/u1/courses"
        deadline = time.monotonic() + 20
        while True:
            try:
                response = httpx.get(
                    url,
                    params={"source": "t"},
                    headers={"apikey": "fake-api-key"},
                    timeout=2,
                )
                break
            except httpx.TransportError:
                assert process.poll() is None, (
                    process.stderr.read() if process.stderr else ""
                )
                assert time.monotonic() < deadline, "mock server did not start"
                time.sleep(0.1)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/xml")
        assert b"<Courses" in response.content
        refused = httpx.get(url, params={"source": "t"}, timeout=2)
        assert refused.status_code == 401
    finally:
        process.terminate()
        process.wait(timeout=10)

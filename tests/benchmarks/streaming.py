"""Streaming N records through ``iter_…`` from the fake server: records/s and peak memory.

The fake server runs in its own process (its copy of the document does not count); the
client process reports its own peak resident memory after consuming every record.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "generated" / "litmos"

SERVER = """
import sys
sys.path.insert(0, sys.argv[1])
from litmos._endpoints import GET_USER_COURSES
from litmos.fake_server import FakeServer, Fault, example_course
records = int(sys.argv[2])
body = GET_USER_COURSES.result.encode_xml([example_course(n) for n in range(1, records + 1)])
with FakeServer() as server:
    server.inject(Fault(status=200, body=body, headers={"Content-Type": "application/xml"}))
    print(server.base_url, flush=True)
    sys.stdin.read()
"""

CLIENT = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
import litmos
from litmos.fake_server import API_KEY
client = litmos.Client(API_KEY, source="bench", base_url=sys.argv[2], rate_limit=False)
started = time.perf_counter()
count = sum(1 for _ in client.iter_user_courses("u1"))
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"records": count, "seconds": elapsed, "peak_mib": peak}))
"""


def stream(records: int) -> dict[str, float]:
    """Serve ``records`` courses and consume them through ``iter_user_courses``."""
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(PACKAGE), str(records)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        base_url = server.stdout.readline().strip()
        result = subprocess.run(
            [sys.executable, "-c", CLIENT, str(PACKAGE), base_url],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        server.communicate("", timeout=60)
    figures: dict[str, float] = json.loads(result.stdout)
    assert figures["records"] == records
    return figures

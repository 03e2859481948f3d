"""What ``tests/test_samples.py`` prints: the table of documented samples."""

from __future__ import annotations

from dataclasses import dataclass

from .. import ir


@dataclass(frozen=True)
class SamplesView:
    rows: list[tuple[str, str, str, str, str]]
    """Operation, direction, wire format, kind and file of every sample."""
    soap: tuple[str, ...]
    """The operations whose samples are SOAP envelopes."""
    http: bool
    """Whether some sample is a whole HTTP request."""


def view(provider: ir.Provider) -> SamplesView:
    """The samples table (printed as a literal) and what its tests need."""
    rows: list[tuple[str, str, str, str, str]] = [
        (op.name, sample.direction, sample.wire_format, sample.kind, sample.file)
        for op in provider.operations
        for sample in op.samples
    ]
    return SamplesView(
        rows=rows,
        soap=tuple(op.name for op in provider.operations if op.soap),
        http=any(row[2] == "http" for row in rows),
    )

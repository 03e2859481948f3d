"""A stand-in for the ``_settings.py`` each generated package has (never copied).

The generated module holds what differs between providers and must be known when the
runtime is imported: ``templates/package/_settings.py.j2`` writes it. This one lets the
runtime be type-checked and tested where it lives.
"""

from typing import Final, Literal

NIL_PREFIX: Final = "xsi"
"""The prefix ``xsi:nil`` is written with (the vendor's documents use it)."""
JSON_DATES: Final[Literal["iso", "microsoft"]] = "iso"
"""How date-times are written in JSON: ISO 8601, or Microsoft's ``/Date(ms±zzzz)/``."""

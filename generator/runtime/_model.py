"""The base class of every generated model."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from ._xml import XmlSpec


class Model(BaseModel):
    """A payload model: JSON names are aliases, XML names live in ``__xml__``.

    Unknown fields are kept (``model_extra``), numbers are accepted where the spec says
    string (vendors mix them), and Python field names work in the constructor.
    """

    model_config = ConfigDict(
        extra="allow",
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        coerce_numbers_to_str=True,
        # Validators are built on first use, not at import: importing the package stays
        # fast however many models the spec has.
        defer_build=True,
    )

    __xml__: ClassVar[XmlSpec]

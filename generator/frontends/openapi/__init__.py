"""OpenAPI 3.0/3.1 → IR.

Read in this order, each module using only those above it:

* ``document``: validation against openapi-pydantic's model, ``$ref`` resolution;
* ``schemas``: schemas → models, enums and types, each named once;
* ``media``: media types, and payloads that are no typed model (feeds, files, CSV…);
* ``parameters``: path, query and header parameters, and form fields;
* ``bodies``: request and response bodies, with their samples;
* ``operations``: one ``ir.Operation`` per method of a path item;
* ``auth``: security schemes;
* ``jsonschemas``: the components as one JSON Schema, for the fake server;
* ``reader``: the whole document → ``OpenApiResult``.
"""

from .reader import OpenApiResult, read

__all__ = ["OpenApiResult", "read"]

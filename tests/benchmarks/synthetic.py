"""A synthetic OpenAPI 3.1 spec of N operations, the same input for every generator.

Shaped like the LMS APIs: resources with nested objects, enums, date-times, arrays,
path and query parameters, JSON and XML bodies; each resource refers to the summaries of
four others (how schemas reference each other drives some generators' cost).
Deterministic for a given N.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml


def _schema(index: int, models: int) -> dict[str, Any]:
    def summary(step: int) -> dict[str, str]:
        return {
            "$ref": f"#/components/schemas/Resource{(index + step) % models}Summary"
        }

    return {
        "type": "object",
        "description": f"Resource number {index}.",
        "xml": {"name": f"Resource{index}"},
        "required": ["id", "name"],
        "properties": {
            "id": {"type": "string", "maxLength": 50},
            "name": {"type": "string"},
            "active": {"type": ["boolean", "null"]},
            "score": {"type": ["number", "null"]},
            "count": {"type": "integer"},
            "createdAt": {"type": "string", "format": "date-time"},
            "status": {
                "type": "string",
                "enum": ["not_started", "in_progress", "complete"],
            },
            "tags": {"type": "array", "items": {"type": "string"}},
            "owner": {"$ref": "#/components/schemas/Person"},
            "parent": summary(1),
            "previous": summary(2),
            "next": summary(3),
            "children": {"type": "array", "items": summary(4)},
        },
    }


def _summary(index: int) -> dict[str, Any]:
    return {
        "type": "object",
        "xml": {"name": f"Resource{index}Summary"},
        "properties": {"id": {"type": "string"}, "title": {"type": ["string", "null"]}},
    }


def spec(operations: int) -> dict[str, Any]:
    """``operations`` operations (half reads, half writes) over operations/4 models."""
    models = max(1, operations // 4)
    schemas: dict[str, Any] = {
        "Person": {
            "type": "object",
            "xml": {"name": "Person"},
            "properties": {"id": {"type": "string"}, "email": {"type": "string"}},
        }
    }
    for index in range(models):
        schemas[f"Resource{index}"] = _schema(index, models)
        schemas[f"Resource{index}Summary"] = _summary(index)
    paths: dict[str, Any] = {}
    for number in range(operations // 2):
        model = f"#/components/schemas/Resource{number % models}"
        ref = {"$ref": model}
        media = {
            "application/json": {"schema": ref},
            "application/xml": {"schema": ref},
        }
        paths[f"/collection{number}/{{id}}"] = {
            "parameters": [
                {
                    "name": "id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string"},
                }
            ],
            "get": {
                "operationId": f"getResource{number}",
                "summary": f"Read resource {number}.",
                "parameters": [
                    {"name": "expand", "in": "query", "schema": {"type": "boolean"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                ],
                "responses": {
                    "200": {"description": "The resource.", "content": media}
                },
            },
            "put": {
                "operationId": f"putResource{number}",
                "summary": f"Replace resource {number}.",
                "requestBody": {"required": True, "content": media},
                "responses": {
                    "200": {"description": "The stored resource.", "content": media}
                },
            },
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": f"Synthetic {operations}", "version": "1.0"},
        "servers": [{"url": "https://api.example.com/v1"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }


def write(folder: Path, operations: int) -> Path:
    """Write the spec as ``folder/openapi.yaml`` (folder name = provider name)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "openapi.yaml"
    path.write_text(yaml.safe_dump(spec(operations), sort_keys=False), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write(Path(sys.argv[1]), int(sys.argv[2])))

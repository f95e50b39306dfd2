"""The OpenAPI 3.1 document. Each module that adds API routes describes them here with
`operation(...)`; a test checks that the document and the routes agree."""
from __future__ import annotations

PATHS: dict[str, dict[str, dict]] = {}
SCHEMAS: dict[str, dict] = {
    "Problem": {
        "type": "object",
        "description": "RFC 9457 problem details",
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
        },
        "required": ["title", "status"],
    },
    "OrgScope": {
        "type": "object",
        "properties": {"code": {"type": "string"}, "name": {"type": "string"}, "kind": {"type": "string"}},
        "required": ["code", "name", "kind"],
    },
}


def _problem(description: str) -> dict:
    return {"description": description, "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}


def operation(path: str, method: str, summary: str, response_schema: dict, *, public: bool = False,
              parameters: list[dict] | None = None, request_schema: dict | None = None,
              status: int = 200, errors: dict[int, str] | None = None) -> None:
    responses = {str(status): {"description": "OK", "content": {"application/json": {"schema": response_schema}}}}
    if not public:
        responses["401"] = _problem("Missing, unknown or revoked bearer token")
    for code, description in (errors or {}).items():
        responses[str(code)] = _problem(description)
    spec: dict = {"summary": summary, "responses": responses}
    if public:
        spec["security"] = []
    if parameters:
        spec["parameters"] = parameters
    if request_schema:
        spec["requestBody"] = {"required": True, "content": {"application/json": {"schema": request_schema}}}
    PATHS.setdefault(path, {})[method.lower()] = spec


def path_parameter(name: str, schema_type: str = "string") -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": schema_type}}


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Lead Goose API", "version": "1"},
        "servers": [{"url": "/api/v1"}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": SCHEMAS,
        },
        "security": [{"bearer": []}],
        "paths": PATHS,
    }


operation("/me", "get", "The caller: identity, roles and the org scope they may see", {
    "type": "object",
    "properties": {
        "username": {"type": ["string", "null"]},
        "name": {"type": "string"},
        "employee_no": {"type": "string"},
        "position": {"type": "string"},
        "org_unit": {"$ref": "#/components/schemas/OrgScope"},
        "roles": {"type": "array", "items": {"type": "object", "properties": {
            "role": {"type": "string"}, "scope": {"oneOf": [{"$ref": "#/components/schemas/OrgScope"}, {"type": "null"}]}}}},
        "scope": {"$ref": "#/components/schemas/OrgScope"},
    },
    "required": ["username", "name", "employee_no", "roles", "scope"],
})
operation("/openapi.json", "get", "This document", {"type": "object"}, public=True)

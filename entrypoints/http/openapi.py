"""The OpenAPI 3.1 document, derived from the route table and its msgspec types so it cannot drift."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from .decoding import is_list_type
from .problems import PROBLEM_JSON, TITLES
from .routing import Operation, problem_statuses
from .schemas.common import Problem

REF = "#/components/schemas/{name}"


class _Schemas:
    """Every type the document mentions, turned into JSON Schema in one pass (shared components)."""

    def __init__(self) -> None:
        self._types: list[Any] = [Problem]
        self.components: dict[str, Any] = {}
        self._done: tuple[dict[str, Any], ...] = ()

    def _index(self, kind: Any) -> int | None:
        # By equality: ``structs.fields`` builds new (equal) type objects on every call.
        return next((i for i, known in enumerate(self._types) if known == kind), None)

    def want(self, kind: Any) -> None:
        if self._index(kind) is None:
            self._types.append(kind)

    def build(self) -> None:
        self._done, self.components = msgspec.json.schema_components(self._types, ref_template=REF)

    def of(self, kind: Any) -> dict[str, Any]:
        index = self._index(kind)
        if index is None:
            raise KeyError(f"{kind!r} was not collected")
        return self._done[index]


def _collect(schemas: _Schemas, op: Operation) -> None:
    for reply in op.replies.values():
        if reply.schema is not None:
            schemas.want(reply.schema)
    if op.body is not None and op.body.schema is not None:
        schemas.want(op.body.schema)
    if op.query is not None:
        for field in msgspec.structs.fields(op.query):
            schemas.want(field.type)
    for name in op.path_params:
        schemas.want(op.params.get(name, str))


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    # An absent query parameter is how "no value" is said; a parameter is never JSON null.
    options = [s for s in schema.get("anyOf", ()) if s != {"type": "null"}]
    return options[0] if len(options) == 1 and len(schema["anyOf"]) == 2 else schema


def _parameters(schemas: _Schemas, op: Operation) -> list[dict[str, Any]]:
    params: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": schemas.of(op.params.get(name, str))}
        for name in op.path_params
    ]
    if op.query is not None:
        for field in msgspec.structs.fields(op.query):
            param: dict[str, Any] = {"name": field.encode_name, "in": "query", "required": field.required}
            param["schema"] = _without_null(schemas.of(field.type))
            if field.default is not msgspec.NODEFAULT and field.default is not None:
                param["schema"] = {**param["schema"], "default": field.default}
            if is_list_type(field.type):
                param.update(style="form", explode=False)  # status=a,b (repeating the parameter works too)
            params.append(param)
    params += [
        {
            "name": h.name,
            "in": "header",
            "required": h.required,
            "description": h.description,
            "schema": {"type": "string"},
        }
        for h in op.headers
    ]
    return params


def _responses(schemas: _Schemas, op: Operation) -> dict[str, Any]:
    responses: dict[str, Any] = {}
    for status, reply in sorted(op.replies.items()):
        answer: dict[str, Any] = {"description": reply.description}
        if reply.schema is not None:
            answer["content"] = {reply.media_type: {"schema": schemas.of(reply.schema)}}
        if reply.links:
            by_id = "$response.body#/id"
            answer["links"] = {op_id: {"operationId": op_id, "parameters": {"id": by_id}} for op_id in reply.links}
        if reply.headers:
            answer["headers"] = {k: {"description": v, "schema": {"type": "string"}} for k, v in reply.headers.items()}
        responses[str(status)] = answer
    for status in problem_statuses(op):
        problem: dict[str, Any] = {
            "description": TITLES.get(status, "Error"),
            "content": {PROBLEM_JSON: {"schema": schemas.of(Problem)}},
        }
        if status == 401:
            problem["headers"] = {"WWW-Authenticate": {"description": "Bearer challenge", "schema": {"type": "string"}}}
        if status in (429, 503):
            problem["headers"] = {
                "Retry-After": {"description": "seconds to wait, when known", "schema": {"type": "string"}}
            }
        responses[str(status)] = problem
    return responses


def _operation(schemas: _Schemas, op: Operation) -> dict[str, Any]:
    doc: dict[str, Any] = {"operationId": op.operation_id, "summary": op.summary, "tags": [op.tag]}
    if op.description:
        doc["description"] = op.description
    parameters = _parameters(schemas, op)
    if parameters:
        doc["parameters"] = parameters
    if op.body is not None:
        schema = schemas.of(op.body.schema) if op.body.schema is not None else {"type": "string"}
        doc["requestBody"] = {
            "required": op.body.required,
            "content": {media: {"schema": schema} for media in op.body.media_types},
        }
        if op.body.description:
            doc["requestBody"]["description"] = op.body.description
    doc["responses"] = _responses(schemas, op)
    if op.public:
        doc["security"] = []
    return doc


def build_document(operations: Sequence[Operation], *, version: str) -> dict[str, Any]:
    schemas = _Schemas()
    for op in operations:
        _collect(schemas, op)
    schemas.build()
    paths: dict[str, dict[str, Any]] = {}
    for op in operations:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(schemas, op)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "portside",
            "version": version,
            "description": "Marketplace orders in, tracking out. Authenticate with 'Authorization: Bearer <API key>'; "
            "every error is application/problem+json (RFC 7807). See docs/api.md.",
        },
        "paths": paths,
        "components": {
            "schemas": schemas.components,
            "securitySchemes": {
                "apiKey": {"type": "http", "scheme": "bearer", "description": "an API key (ps_live_…)"}
            },
        },
        "security": [{"apiKey": []}],
    }

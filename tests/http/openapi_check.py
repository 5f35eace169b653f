"""Checks each real response against the OpenAPI document: status, media type and body schema."""

from __future__ import annotations

import re
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker


class OpenApiChecker:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self._routes: list[tuple[re.Pattern[str], str, dict[str, Any]]] = []
        for template, item in document["paths"].items():
            pattern = re.compile("^" + re.sub(r"\\{\w+\\}", "[^/]+", re.escape(template)) + "$")
            self._routes.append((pattern, template, item))
        self._validators: dict[str, Draft202012Validator] = {}
        self.seen: set[tuple[str, str, int]] = set()  # (method, template, status) answered in tests

    def operation(self, method: str, path: str) -> tuple[str, dict[str, Any]] | None:
        for pattern, template, item in self._routes:
            if pattern.match(path) and method.lower() in item:
                return template, item[method.lower()]
        return None

    def _validator(self, schema: dict[str, Any]) -> Draft202012Validator:
        key = repr(schema)
        if key not in self._validators:
            root = {**schema, "components": self.document["components"]}
            self._validators[key] = Draft202012Validator(root, format_checker=FormatChecker())
        return self._validators[key]

    def check(self, method: str, path: str, status: int, content_type: str, body: Any) -> None:
        found = self.operation(method, path)
        if found is None:
            assert status in (404, 405), f"{method} {path} answered {status} but is not documented"
            assert content_type == "application/problem+json"
            return
        template, op = found
        reply = op["responses"].get(str(status))
        assert reply is not None, f"{method} {template} answered {status}, not documented: {sorted(op['responses'])}"
        self.seen.add((method.upper(), template, status))
        content = reply.get("content")
        if content is None:
            return
        media = content_type.split(";")[0].strip()
        documented = {key.split(";")[0].strip(): value for key, value in content.items()}
        assert media in documented, f"{method} {template} {status} answered {media}, documented {sorted(content)}"
        schema = documented[media]["schema"]
        if media.endswith("json"):
            errors = sorted(self._validator(schema).iter_errors(body), key=lambda e: list(e.path))
            assert not errors, f"{method} {template} {status}: " + "; ".join(
                f"{list(e.path)}: {e.message}" for e in errors[:5]
            )

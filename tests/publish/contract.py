"""The Blogger API v3 contract, read from Google's discovery document (data/blogger.v3.json).

Routes a request to a documented method and says what is wrong with it: an undocumented
method/path, an undeclared or mistyped query parameter, a missing required one, or a body with
fields outside the declared schema. The test server refuses such requests, so a client that
passes the tests only uses what Google documents.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DISCOVERY = Path(__file__).parent / "data" / "blogger.v3.json"


@dataclass(frozen=True)
class Method:
    """One documented API method."""

    id: str  # e.g. "blogger.posts.insert"
    http_method: str
    path: str  # e.g. "v3/blogs/{blogId}/posts"
    regex: re.Pattern[str]
    literals: int  # literal path segments: the most specific template wins
    spec: dict[str, Any]


class Contract:
    """Methods, parameters and schemas of one discovery document."""

    def __init__(self, path: Path = DISCOVERY) -> None:
        self.doc = json.loads(path.read_text(encoding="utf-8"))
        self.schemas: dict[str, Any] = self.doc["schemas"]
        self.global_params: dict[str, Any] = self.doc.get("parameters", {})
        self.methods: list[Method] = []
        self._collect(self.doc.get("resources", {}))

    def _collect(self, resources: dict[str, Any]) -> None:
        for resource in resources.values():
            for spec in resource.get("methods", {}).values():
                path = spec.get("flatPath") or spec["path"]
                segments = path.split("/")
                pattern = "/".join(
                    f"(?P<{s[1:-1]}>[^/]+)" if s.startswith("{") else re.escape(s) for s in segments
                )
                self.methods.append(
                    Method(
                        id=spec["id"],
                        http_method=spec["httpMethod"],
                        path=path,
                        regex=re.compile(f"^/{self.doc.get('servicePath', '')}{pattern}$"),
                        literals=sum(not s.startswith("{") for s in segments),
                        spec=spec,
                    )
                )
            self._collect(resource.get("resources", {}))

    def route(self, http_method: str, path: str) -> tuple[Method, dict[str, str]] | str:
        """The documented method for a request and its path parameters, or what is wrong."""
        candidates = []
        for method in self.methods:
            match = method.regex.match(path)
            if match:
                candidates.append((method, match.groupdict()))
        if not candidates:
            return f"no documented method has the path {path}"
        same_verb = [c for c in candidates if c[0].http_method == http_method]
        if not same_verb:
            return f"{http_method} is not documented for {path}"
        return max(same_verb, key=lambda c: c[0].literals)

    def check_query(self, method: Method, query: dict[str, list[str]]) -> str | None:
        """What is wrong with the query parameters, if anything."""
        declared = method.spec.get("parameters", {})
        for name, values in query.items():
            spec = declared.get(name) or self.global_params.get(name)
            if spec is None or spec.get("location") != "query":
                return f"query parameter {name!r} is not declared for {method.id}"
            if len(values) > 1 and not spec.get("repeated"):
                return f"query parameter {name!r} of {method.id} may appear only once"
            for value in values:
                problem = _check_scalar(value, spec)
                if problem:
                    return f"query parameter {name}={value!r}: {problem}"
        for name, spec in declared.items():
            if spec.get("location") == "query" and spec.get("required") and name not in query:
                return f"required query parameter {name!r} of {method.id} is missing"
        return None

    def check_body(self, method: Method, body: Any) -> str | None:
        """What is wrong with the JSON body, if anything."""
        request = method.spec.get("request")
        if request is None:
            return None if body is None else f"{method.id} takes no request body"
        if body is None:
            return f"{method.id} needs a {request['$ref']} body"
        return self.check_value(body, request, request["$ref"])

    def check_value(self, value: Any, schema: dict[str, Any], where: str) -> str | None:
        """Check a JSON value against a discovery schema (types, enums, known fields)."""
        if "$ref" in schema:
            schema = self.schemas[schema["$ref"]]
        kind = schema.get("type")
        if kind == "object":
            if not isinstance(value, dict):
                return f"{where} must be an object"
            props = schema.get("properties", {})
            for key, item in value.items():
                if key not in props:
                    return f"{where}.{key} is not a field of the schema"
                problem = self.check_value(item, props[key], f"{where}.{key}")
                if problem:
                    return problem
            return None
        if kind == "array":
            if not isinstance(value, list):
                return f"{where} must be an array"
            for i, item in enumerate(value):
                problem = self.check_value(item, schema.get("items", {}), f"{where}[{i}]")
                if problem:
                    return problem
            return None
        if kind == "string":
            if not isinstance(value, str):
                return f"{where} must be a string"
            if "enum" in schema and value not in schema["enum"]:
                return f"{where}={value!r} is not one of {schema['enum']}"
            return None
        if kind == "integer":
            return None if isinstance(value, int) and not isinstance(value, bool) else f"{where}"
        if kind == "number":
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            return None if ok else f"{where} must be a number"
        if kind == "boolean":
            return None if isinstance(value, bool) else f"{where} must be a boolean"
        return None


def _check_scalar(value: str, spec: dict[str, Any]) -> str | None:
    kind = spec.get("type")
    if kind == "boolean" and value not in ("true", "false"):
        return "must be true or false"
    if kind == "integer" and not re.fullmatch(r"-?\d+", value):
        return "must be an integer"
    if "enum" in spec and value not in spec["enum"]:
        return f"must be one of {spec['enum']}"
    return None

"""Validate sandbox responses against the Spotify OpenAPI spec's schema for each operation.

The spec is OpenAPI 3.0: it is translated once to JSON Schema (``nullable`` → a null type,
OpenAPI-only keywords dropped, ``$ref`` resolved through a ``referencing`` registry). Two
documented adjustments:

- development mode: properties the spec marks ``deprecated`` are not required (the 2026 API
  omits them for development-mode apps: ``available_markets``, ``label``, ``popularity``);
- errata of the spec against the live API: a cursor page's ``next`` and ``cursors.after`` are
  null on the last page; several-* endpoints answer ``null`` for an unknown id; ``/me/library*``
  answer 400 in the usual ``{"error": {...}}`` (the spec shows the inner object alone, unlike every
  other error it documents).

Error statuses an operation does not declare are validated against the common error shape.
"""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_PATH = Path("/work/shared/spotify-openapi/fixed-spotify-open-api.yml")
ROOT = "urn:spotify-openapi"
ERROR_SCHEMA = {"$ref": f"{ROOT}#/components/responses/Unauthorized/content/application~1json/schema"}
_DROP = {"discriminator", "example", "xml", "externalDocs", "x-spotify-docs-type", "deprecated", "readOnly"}


def spec_path() -> Path:
    for candidate in (
        SPEC_PATH,
        Path(__file__).resolve().parents[3] / "shared/spotify-openapi/fixed-spotify-open-api.yml",
    ):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"the Spotify OpenAPI spec is not at {SPEC_PATH}")


@cache
def raw_spec() -> dict[str, Any]:
    spec = yaml.safe_load(spec_path().read_text(encoding="utf-8"))
    plain: dict[str, Any] = json.loads(json.dumps(spec, default=str))  # YAML dates in examples → strings
    return plain


def _errata(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    schemas["CursorPagingObject"]["properties"]["next"]["nullable"] = True
    for key in ("after", "before"):
        schemas["CursorObject"]["properties"][key]["nullable"] = True
    bare = {"$ref": "#/components/schemas/ErrorObject"}
    for operations in spec["paths"].values():  # /me/library* document their 400 unwrapped
        for operation in operations.values():
            for status, entry in (
                operation.get("responses", {}) if isinstance(operation, dict) else {}
            ).items():
                if entry.get("content", {}).get("application/json", {}).get("schema") == bare:
                    operation["responses"][status] = {"$ref": "#/components/responses/BadRequest"}
    responses = spec["components"]["responses"]
    for name, key in (("ManyArtists", "artists"), ("ManyAlbums", "albums"), ("ManyTracks", "tracks")):
        responses[name]["content"]["application/json"]["schema"]["properties"][key]["items"]["nullable"] = (
            True
        )


def _relax_deprecated(node: Any) -> None:
    if isinstance(node, dict):
        props = node.get("properties")
        if isinstance(props, dict) and isinstance(node.get("required"), list):
            deprecated = {k for k, v in props.items() if isinstance(v, dict) and v.get("deprecated")}
            node["required"] = [r for r in node["required"] if r not in deprecated]
        if isinstance(node.get("required"), list) and isinstance(node.get("allOf"), list):
            inner = {
                k
                for member in node["allOf"]
                for k, v in (member.get("properties") or {}).items()
                if isinstance(v, dict) and v.get("deprecated")
            }
            node["required"] = [r for r in node["required"] if r not in inner]
        for value in node.values():
            _relax_deprecated(value)
    elif isinstance(node, list):
        for value in node:
            _relax_deprecated(value)


def _to_json_schema(node: Any) -> Any:
    if isinstance(node, list):
        return [_to_json_schema(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: _to_json_schema(v) for k, v in node.items() if k not in _DROP and k != "nullable"}
    if "$ref" in out and isinstance(out["$ref"], str) and out["$ref"].startswith("#"):
        out["$ref"] = ROOT + out["$ref"]
    if node.get("nullable"):
        if isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"] = [*out["enum"], None]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


@cache
def translated_spec(mode: str) -> dict[str, Any]:
    """The spec with ``nullable`` errata applied (and deprecated fields optional in development mode)."""
    spec = copy.deepcopy(raw_spec())
    _errata(spec)
    if mode == "development":
        _relax_deprecated(spec)
    return spec


@cache
def _registry(mode: str) -> Registry:
    document = _to_json_schema(translated_spec(mode))
    return Registry().with_resource(ROOT, Resource.from_contents(document, default_specification=DRAFT202012))


@cache
def _path_matchers() -> list[tuple[re.Pattern[str], str]]:
    out = []
    for template in raw_spec()["paths"]:
        regex = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "/?$"
        out.append((re.compile(regex), template))
    out.sort(key=lambda item: item[1].count("{"))  # literal paths win over templated ones
    return out


def operation_template(path: str) -> str | None:
    """The spec's path template for a request path under ``/v1`` (None when the spec lacks it)."""
    local = path.split("/v1", 1)[1] if "/v1" in path else path
    return next((template for regex, template in _path_matchers() if regex.match(local)), None)


def response_schema(template: str, method: str, status: int, *, mode: str) -> dict[str, Any] | None:
    spec = translated_spec(mode)
    operation = spec["paths"][template].get(method.lower())
    if operation is None:
        return None
    responses = operation.get("responses", {})
    key = str(status)
    if key not in responses:
        return ERROR_SCHEMA if status >= 400 else None
    pointer = f"#/paths/{template.replace('~', '~0').replace('/', '~1')}/{method.lower()}/responses/{key}"
    entry = responses[key]
    if "$ref" in entry:
        pointer = entry["$ref"]
        entry = spec["components"]["responses"][entry["$ref"].rsplit("/", 1)[1]]
    if "application/json" not in entry.get("content", {}):
        return None
    return {"$ref": f"{ROOT}{pointer}/content/application~1json/schema"}


class SchemaViolation(AssertionError):
    pass


def validate(method: str, path: str, status: int, body: Any, *, mode: str) -> bool:
    """Raise :class:`SchemaViolation` if ``body`` breaks the operation's schema; False if nothing to check."""
    template = operation_template(path)
    if template is None:
        if status >= 400:
            template_schema: dict[str, Any] | None = ERROR_SCHEMA
        else:
            raise SchemaViolation(f"{method} {path}: no operation in the spec for this path")
    else:
        template_schema = response_schema(template, method, status, mode=mode)
    if template_schema is None:
        return False
    validator = Draft202012Validator(template_schema, registry=_registry(mode))
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path)
        raise SchemaViolation(
            f"{method} {path} -> {status} breaks the spec ({template}) at /{where}: {first.message} "
            f"[{len(errors)} error(s)]"
        )
    return True

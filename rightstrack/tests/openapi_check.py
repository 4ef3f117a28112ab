"""Checking a JSON answer against the OpenAPI document's schema for it.

A small validator for what ninja writes (``$ref``, ``anyOf``, ``allOf``, objects, arrays and
scalar types), stricter than JSON Schema on one point: an object may hold no property its schema
does not name, so an answer cannot carry undocumented fields.
"""

SCALARS = {
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "null": type(None),
}


def response_schema(document, path, method="get", status="200"):
    content = document["paths"][path][method]["responses"][status]["content"]
    return content["application/json"]["schema"]


def mismatches(value, schema, document, where="$"):
    """Every place where ``value`` does not fit ``schema``, as readable strings."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return mismatches(value, document["components"]["schemas"][name], document, where)
    if "anyOf" in schema:
        options = [mismatches(value, option, document, where) for option in schema["anyOf"]]
        return [] if any(not found for found in options) else min(options, key=len)
    if "allOf" in schema:
        return [m for part in schema["allOf"] for m in mismatches(value, part, document, where)]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return _object_mismatches(value, schema, document, where)
    if kind == "array":
        if not isinstance(value, list):
            return [f"{where}: {value!r} is not an array"]
        items = schema.get("items", {})
        return [
            m
            for i, item in enumerate(value)
            for m in mismatches(item, items, document, f"{where}[{i}]")
        ]
    if kind in SCALARS:
        wrong_bool = isinstance(value, bool) and kind in ("integer", "number")
        if wrong_bool or not isinstance(value, SCALARS[kind]):
            return [f"{where}: {value!r} is not {kind}"]
    return []


def _object_mismatches(value, schema, document, where):
    if not isinstance(value, dict):
        return [f"{where}: {value!r} is not an object"]
    properties = schema.get("properties", {})
    found = [
        f"{where}: {name} is required" for name in schema.get("required", ()) if name not in value
    ]
    others = schema.get("additionalProperties", False)
    for name, item in value.items():
        if name in properties:
            found += mismatches(item, properties[name], document, f"{where}.{name}")
        elif others is False:
            found.append(f"{where}: {name} is not in the schema")
        elif isinstance(others, dict):
            found += mismatches(item, others, document, f"{where}.{name}")
    return found

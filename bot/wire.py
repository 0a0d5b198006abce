"""Bot Framework schema objects to and from JSON, without msrest's per-call machinery.

msrest builds a serializer, validates every attribute and deep-copies on each call: about a
millisecond for a message with a card, more than the rest of a turn. These functions walk each
model class's `_attribute_map` (read once and kept) and give the same JSON: None left out, dates
as ISO 8601 in UTC with a "Z", enums as their values, nested models in their own JSON names.
What they do not know (a type name outside botbuilder's schema) goes through msrest as before;
a value of the wrong kind that cannot be read is left out rather than failing the whole activity.
"""

from __future__ import annotations

import contextlib
import enum
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import cache
from typing import Any, TypeVar

import botbuilder.schema as schema
import botbuilder.schema.teams as teams_schema
from msrest.serialization import Deserializer, Model

ModelT = TypeVar("ModelT", bound=Model)
Field = tuple[str, str, str]  # attribute, JSON key, msrest type

_BASIC = frozenset({"str", "bool", "int", "long", "float", "object", "bytearray"})


@cache
def _models() -> dict[str, type[Model]]:
    found: dict[str, type[Model]] = {}
    for module in (teams_schema, schema):  # the general schema wins a name both define
        for name, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, Model):
                found[name] = value
    return found


_FIELDS: dict[type, tuple[Field, ...]] = {}
_BY_KEY: dict[type, dict[str, tuple[str, str]]] = {}


def _fields(model: type) -> tuple[Field, ...]:
    fields = _FIELDS.get(model)
    if fields is None:
        attribute_map: Mapping[str, Mapping[str, Any]] = getattr(model, "_attribute_map", {})
        fields = _FIELDS[model] = tuple(
            (name, str(spec["key"]), spec["type"] if isinstance(spec["type"], str) else "object")
            for name, spec in attribute_map.items()
        )
    return fields


def _by_key(model: type) -> dict[str, tuple[str, str]]:
    found = _BY_KEY.get(model)
    if found is None:
        found = _BY_KEY[model] = {key: (name, kind) for name, key, kind in _fields(model)}
    return found


def to_json(value: Any) -> Any:
    """A schema object (or list, dict, date, enum of them) as JSON-ready Python data."""
    if isinstance(value, Model):
        body: dict[str, Any] = {}
        for name, key, kind in _fields(type(value)):
            item = getattr(value, name, None)
            if item is None:
                continue
            if kind == "str" and not isinstance(item, str):  # as msrest: an enum's value, or str()
                item = item.value if isinstance(item, enum.Enum) else str(item)
            body[key] = to_json(item)
        extra = getattr(value, "additional_properties", None)
        if extra:
            for key, item in extra.items():
                body.setdefault(key, to_json(item))
        return body
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    if isinstance(value, datetime):
        return iso_8601(value)
    return value


def iso_8601(moment: datetime) -> str:
    """As msrest writes it: UTC, milliseconds at least, trailing zeros dropped, then "Z"."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    micro = str(moment.microsecond).rjust(6, "0").rstrip("0").ljust(3, "0")
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + "." + micro + "Z"


def from_json(model: type[ModelT], data: Mapping[str, Any]) -> ModelT:
    """The schema object of `model` that JSON `data` describes; unknown keys are left out,
    except an entity's, which say what it is (a mention's `mentioned` and `text`)."""
    return _build(model, data)  # type: ignore[return-value]


def _build(model: type[Model], data: Mapping[str, Any]) -> Model:
    fields = _by_key(model)
    values: dict[str, Any] = {}
    for key, item in data.items():
        field = fields.get(key)
        if field is not None and item is not None:
            values[field[0]] = _value(field[1], item)
    instance = model.__new__(model)
    instance.additional_properties = {}
    if model is schema.Entity:  # as msrest: a mention's `mentioned` and `text`, a place's …
        instance.additional_properties = {k: v for k, v in data.items() if k not in fields}
    for name, _, _ in _fields(model):
        setattr(instance, name, values.get(name))
    return instance


def _value(kind: str, item: Any) -> Any:
    if kind == "str" and not isinstance(item, str):
        return None if isinstance(item, dict | list) else str(item)
    if kind in _BASIC:
        return item
    if kind.startswith("[") and isinstance(item, list):
        return [_value(kind[1:-1], element) for element in item]
    if kind.startswith("{") and isinstance(item, dict):
        return {key: _value(kind[1:-1], element) for key, element in item.items()}
    if kind == "iso-8601" and isinstance(item, str):
        with contextlib.suppress(ValueError):
            return datetime.fromisoformat(item)
    model = _models().get(kind)
    if model is not None and isinstance(item, dict):
        return _build(model, item)
    try:
        return Deserializer(_models()).deserialize_data(item, kind)
    except Exception:  # msrest's errors have no common base: a value it cannot read is left out
        return None

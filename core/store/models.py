"""Pydantic models of every row of the format, built from `core.format`.

`validate_row(table, row)` is the reference check: it returns a readable
description of the first wrong field, or None when the row is valid.

Importing pydantic costs about 85 ms, so this module imports it only when a
model is first needed: when a row has failed the SQL check and its error must be
worded. The regular expressions and `timestamp_problem` need no pydantic.
"""

import re
from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from wholiked.core.store.format import TABLES, TIMESTAMP_FORMAT, Column

if TYPE_CHECKING:
    from pydantic import BaseModel

HANDLE_RE = re.compile(r"[a-z0-9._]{2,24}")
REGION_RE = re.compile(r"[A-Z]{2}")
TIMESTAMP_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


def parse_timestamp(value: str) -> datetime:
    """A format timestamp as a naive datetime (ValueError if it is not a real one).

    The ASCII form is read field by field, exactly as strptime reads it, because strptime
    loads `_strptime` and locale machinery: a millisecond of every CLI call. Anything
    else goes to strptime itself.
    """
    if not (value.isascii() and TIMESTAMP_RE.fullmatch(value)):
        return datetime.strptime(value, TIMESTAMP_FORMAT)
    year, month, day, hour, minute, second = (
        int(value[a:b]) for a, b in ((0, 4), (5, 7), (8, 10), (11, 13), (14, 16), (17, 19))
    )
    return datetime(year, month, day, hour, minute, second)


def _timestamp(value: str) -> str:
    if not TIMESTAMP_RE.fullmatch(value):
        raise ValueError("must be a UTC timestamp YYYY-MM-DDTHH:MM:SSZ")
    try:
        parse_timestamp(value)
    except ValueError:
        raise ValueError("is not a real date and time") from None
    return value


def timestamp_problem(value: object) -> str | None:
    """Why a value is not a format timestamp, or None when it is one."""
    if not isinstance(value, str):
        return "must be a UTC timestamp YYYY-MM-DDTHH:MM:SSZ"
    try:
        _timestamp(value)
    except ValueError as exc:
        return str(exc)
    return None


def _matching(pattern: re.Pattern[str], what: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if not pattern.fullmatch(value):
            raise ValueError(f"must be {what}")
        return value

    return check


def _zero_or_one(value: int) -> int:
    if value not in (0, 1):
        raise ValueError("must be 0 or 1")
    return value


def _tag(value: str) -> str:
    if not value or value.startswith("#"):
        raise ValueError("must be a non-empty tag without '#'")
    return value


def value_ok(column: Column, value: object) -> bool:
    """The column's rule in plain Python (no pydantic): what the SQL predicate and the
    model decide, for the few rows an answer returns."""
    if value is None:
        return column.nullable
    match column.kind:
        case "id":
            return type(value) is int
        case "count":
            return type(value) is int and value >= 0
        case "bool":
            return type(value) is int and value in (0, 1)
        case "enum":
            return type(value) is str and value in column.choices
        case "text":
            return type(value) is str
        case "timestamp":
            return type(value) is str and timestamp_problem(value) is None
        case "handle":
            return type(value) is str and HANDLE_RE.fullmatch(value) is not None
        case "region":
            return type(value) is str and REGION_RE.fullmatch(value) is not None
        case "tag":
            return type(value) is str and value != "" and not value.startswith("#")
    raise ValueError(column.kind)


@cache
def models() -> dict[str, "type[BaseModel]"]:
    """One pydantic model per table of the format (built, and pydantic imported, once)."""
    from typing import Annotated, Literal

    from pydantic import (
        AfterValidator,
        BaseModel,
        ConfigDict,
        Field,
        StrictInt,
        StrictStr,
        create_model,
    )

    kinds: dict[str, Any] = {
        "id": StrictInt,
        "count": Annotated[StrictInt, Field(ge=0)],
        "text": StrictStr,
        "timestamp": Annotated[StrictStr, AfterValidator(_timestamp)],
        "handle": Annotated[
            StrictStr, AfterValidator(_matching(HANDLE_RE, "2-24 characters of a-z 0-9 . _"))
        ],
        "region": Annotated[
            StrictStr, AfterValidator(_matching(REGION_RE, "a two-letter ISO country code"))
        ],
        "tag": Annotated[StrictStr, AfterValidator(_tag)],
        "bool": Annotated[StrictInt, AfterValidator(_zero_or_one)],
    }

    def field_type(column: Column) -> Any:
        kind: Any = Literal[column.choices] if column.kind == "enum" else kinds[column.kind]
        return kind | None if column.nullable else kind

    class Row(BaseModel):
        model_config = ConfigDict(strict=True, frozen=True, extra="ignore")

    return {
        name: create_model(  # type: ignore[call-overload]
            name.title().replace("_", ""),
            __base__=Row,
            **{c.name: (field_type(c), ...) for c in table.columns},
        )
        for name, table in TABLES.items()
    }


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def validate_row(table: str, row: dict[str, Any]) -> str | None:
    """The first problem of a row of `table` as 'field X: problem (got V)', or None.

    The row may hold only some of the table's columns (a check of the columns an
    answer reads): the missing ones are not reported.
    """
    from pydantic import ValidationError

    try:
        models()[table].model_validate(row)
    except ValidationError as exc:
        errors = [e for e in exc.errors() if e["type"] != "missing" or e["loc"][0] in row]
        if not errors:
            return None
        err = errors[0]
        name = str(err["loc"][0]) if err["loc"] else "?"
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "literal_error":
            column = next(c for c in TABLES[table].columns if c.name == name)
            message = "must be one of " + ", ".join(column.choices)
        return f"field {name}: {message} (got {_describe(row.get(name))})"
    return None

"""Every command with a list writes each kind of value one way in --json, --csv and --nl
(README, "The command line"): true/false, null as an empty CSV cell, lists and objects as
JSON; and one place that states each command's JSON shape."""

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli_helpers import run

LIST_COMMANDS = {
    # command line: (where the --json answer keeps the list, what a row of --csv holds)
    ("likers", "1", "--as", "mia.makes"): ("identifiable", ("handle", "liked_at", "reason")),
    ("audit", "1"): ("likers", ("handle", "liked_at")),
    ("audit", "1", "--as", "mia.makes"): (
        "likers",
        ("handle", "liked_at", "identifiable", "reason"),
    ),
    ("compare", "1", "--as", "sam.quiet"): (
        "presets",
        (
            "preset",
            "can_view",
            "total",
            "identifiable",
            "anonymous",
            "creator_can_see_my_like",
            "reasons",
            "differs_from_seed",
        ),
    ),
}

CSV_FORMS: list[tuple[Any, str]] = [
    # (a value as --json and --nl write it, the same value as a CSV cell)
    (True, "true"),
    (False, "false"),
    (None, ""),
    (0, "0"),
    (["identifiable", "anonymous"], '["identifiable", "anonymous"]'),
    ({"self": 1}, '{"self": 1}'),
    ({"value": "<5", "margin90": 3}, '{"value": "<5", "margin90": 3}'),  # a released value
    ("private_not_following", "private_not_following"),
]
"""One table of expectations for every command: how the CSV cell writes a JSON value."""


def _expected_cell(value: Any) -> str:
    for json_value, cell in CSV_FORMS:
        if type(json_value) is type(value) and json_value == value:
            return cell
    if isinstance(value, bool) or value is None:
        raise AssertionError(f"no CSV form for {value!r}")
    if isinstance(value, list | dict):
        return json.dumps(value)
    return str(value)


@pytest.mark.parametrize("value,cell", CSV_FORMS)
def test_the_one_csv_cell_writer(value: Any, cell: str) -> None:
    from wholiked.tui.cli_output import _csv_value

    assert str(_csv_value(value)) == cell


@pytest.mark.parametrize("command", list(LIST_COMMANDS), ids=" ".join)
def test_json_csv_and_nl_write_every_value_the_same_way(
    capsys: pytest.CaptureFixture[str], demo_path: Path, command: tuple[str, ...]
) -> None:
    where, fields = LIST_COMMANDS[command]
    db = ("--db", str(demo_path))
    outputs = {}
    for fmt in ("--json", "--csv", "--nl"):
        code, out, err = run(capsys, *command, *db, fmt)
        assert code == 0, err
        outputs[fmt] = out
    answer = json.loads(outputs["--json"])[where]
    nl = [json.loads(line) for line in outputs["--nl"].splitlines()]
    if isinstance(answer, dict):  # compare: one row per preset, its JSON and what differs
        assert [row["preset"] for row in nl] == list(answer)
        for row in nl:
            view = answer[row["preset"]] or {}
            assert {k: row[k] for k in view} == view
            assert row["can_view"] is (answer[row["preset"]] is not None)
    else:
        assert nl == [{k: item[k] for k in fields} for item in answer]
    table = list(csv.reader(io.StringIO(outputs["--csv"])))
    assert tuple(table[0]) == fields
    assert len(table) - 1 == len(nl) > 0
    for row, cells in zip(nl, table[1:], strict=True):
        assert list(row) == list(fields)
        assert cells == [_expected_cell(row[k]) for k in fields]
    kinds = {type(row[k]).__name__ for row in nl for k in fields}
    assert kinds - {"str", "int", "bool", "list", "dict", "NoneType"} == set()


JSON_SHAPES: dict[tuple[str, ...], Any] = {
    # command line -> the JSON's keys (a list: the keys of its items; a dict: nested)
    ("likers", "1", "--as", "mia.makes"): {
        "video_id": int,
        "creator": str,
        "total": int,
        "identifiable": [{"handle": str, "liked_at": str, "reason": str}],
        "anonymous": int,
    },
    ("audience", "1", "--as", "sam.quiet"): {
        "video_id": int,
        "liker": str,
        "liked": bool,
        "creator_can_see": bool,
        "reason": str,
        "audience": str,
        "audience_at_most": int,
        "effectively_identifiable": bool,
    },
    ("audit", "1"): {
        "video_id": int,
        "total": int,
        "likers": [{"handle": str, "liked_at": str}],
    },
    ("audit", "1", "--as", "mia.makes"): {
        "video_id": int,
        "total": int,
        "likers": [{"handle": str, "liked_at": str, "identifiable": bool, "reason": str}],
        "audience_count": int,
        "anonymity": {"anonymous": int, "candidates": int, "effectively_identifiable": bool},
    },
    ("compare", "1", "--as", "sam.quiet"): {
        "video_id": int,
        "asker": str,
        "presets": {
            name: {
                "can_view": bool,
                "total": int,
                "identifiable": int,
                "anonymous": int,
                "reasons": dict,
                "creator_can_see_my_like": bool,
            }
            for name in ("seed", "tiktok", "instagram", "x", "youtube")
        },
    },
    ("tips", "--as", "mia.makes"): [
        {"id": str, "perspective": str, "title": str, "detail": str, "evidence": dict}
    ],
}
"""The documented JSON shape of each command (README, "The command line"), in one place."""


def _matches(value: Any, shape: Any) -> bool:
    if isinstance(shape, dict):
        return (
            isinstance(value, dict)
            and list(value) == list(shape)
            and all(_matches(value[k], shape[k]) for k in shape)
        )
    if isinstance(shape, list):
        return isinstance(value, list) and bool(value) and all(_matches(v, shape[0]) for v in value)
    if shape is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, shape)


@pytest.mark.parametrize("command", list(JSON_SHAPES), ids=" ".join)
def test_each_commands_json_has_its_documented_shape(
    capsys: pytest.CaptureFixture[str], demo_path: Path, command: tuple[str, ...]
) -> None:
    code, out, err = run(capsys, *command, "--db", str(demo_path), "--json")
    assert code == 0, err
    assert _matches(json.loads(out), JSON_SHAPES[command]), out

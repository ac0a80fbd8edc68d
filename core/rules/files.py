"""Rule files: a rule set written as TOML, with the fields of a preset (README "Rule files").

A team prototypes a visibility rule by writing one file and answering under it
(`--rules FILE.toml`) beside the built-in presets. The file is read into the same
`Preset` the built-ins are, so every answer, count and audit runs the same clauses
through the same SQL. Any mistake is one line naming the file and the field (BadInput,
exit 2), never a traceback. `to_toml` writes any preset (a built-in included) as a file
that reads back to an equal preset.
"""

import json
import re
from pathlib import Path
from typing import Any

from wholiked.core.errors import BadInput
from wholiked.core.rules.presets import (
    ALL_HIDDEN_REASONS,
    ALL_VISIBLE_REASONS,
    PRESETS,
    REASON_NAME,
    CanView,
    Cell,
    Clause,
    Preset,
    TotalShown,
    When,
    Wording,
)
from wholiked.core.rules.reasons import reason_wording, remember_wording

FIELDS = (
    "name",
    "title",
    "summary",
    "can_view",
    "like_total",
    "identifies",
    "hidden",
    "otherwise",
    "reasons",
    "sources",
)
"""Every top-level field a rule file may have."""
REQUIRED = ("summary", "identifies")
CLAUSE_FIELDS = ("when", "reason")
WORDING_FIELDS = ("label", "creator_sees", "anonymous")
SOURCE_FIELDS = ("documented", "note")
SOURCE_COLUMNS = ("can_view", "like_total", "identifiable")
NAME = re.compile(r"[a-z0-9][a-z0-9_.-]{0,39}")
FIXED_REASONS = ("self", "blocked")
"""Every preset's own reasons: your own like, and a block either way (their words are built in)."""


def is_rule_file(value: str) -> bool:
    """Whether a --rules value names a file rather than a built-in preset."""
    return value.endswith(".toml") or "/" in value or value.lower() not in PRESETS


def rule_set(value: str | Preset) -> Preset:
    """A built-in preset by name, or the rule set of a .toml file (BadInput on any error)."""
    if isinstance(value, Preset):
        return value
    if value.strip().lower() in PRESETS:
        return PRESETS[value.strip().lower()]
    if not is_rule_file(value):
        raise BadInput(f"unknown rules {value!r}")
    return load_rule_file(Path(value))


def load_rule_file(path: Path) -> Preset:
    """Read and check one rule file; BadInput names the file and the field on any error."""
    label = str(path)
    if path.suffix != ".toml" and path.name.lower() not in PRESETS and not path.exists():
        raise BadInput(
            f"unknown --rules {label!r}; use one of {', '.join(PRESETS)} or a rule file (FILE.toml)"
        )
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BadInput(f"{label}: no such rule file") from None
    except OSError as exc:
        raise BadInput(f"{label}: cannot read it ({exc.strerror or exc})") from None
    import tomllib  # here: most runs read no rule file, and the CLI's start stays fast

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise BadInput(f"{label}: not TOML (not UTF-8 text)") from None
    except tomllib.TOMLDecodeError as exc:
        raise BadInput(f"{label}: not TOML ({exc})") from None
    rules = _preset(data, label, default_name=path.stem.lower())
    remember_wording(rules)
    return rules


def _fail(label: str, field: str, message: str) -> BadInput:
    return BadInput(f"{label}: {field}: {message}")


def _text(data: dict[str, Any], key: str, label: str, field: str, *, required: bool) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            raise _fail(label, field, "missing")
        return None
    if not isinstance(value, str) or not value.strip():
        raise _fail(label, field, f"must be non-empty text, not {_shown(value)}")
    return value.strip()


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=True, default=str)[:60]


def _unknown(data: dict[str, Any], allowed: tuple[str, ...], label: str, where: str) -> None:
    for key in data:
        if key not in allowed:
            field = f"{where}.{key}" if where else key
            raise _fail(label, field, f"unknown field (fields here: {', '.join(allowed)})")


def _choice(value: Any, choices: type, label: str, field: str) -> Any:
    names = [c.value for c in choices]  # type: ignore[attr-defined]
    if value not in names:
        raise _fail(label, field, f"{_shown(value)} is not one of {', '.join(names)}")
    return choices(value)


def _reason(value: Any, label: str, field: str) -> str:
    if not isinstance(value, str) or not REASON_NAME.fullmatch(value):
        raise _fail(label, field, f"{_shown(value)} is not a reason name (a-z, 0-9 and _)")
    if value in FIXED_REASONS:
        raise _fail(label, field, f"{value!r} is every preset's own reason: name another")
    return value


def _clauses(data: dict[str, Any], key: str, label: str) -> tuple[Clause, ...]:
    items = data.get(key, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise _fail(label, key, f"must be a list of [[{key}]] tables")
    found = []
    for i, item in enumerate(items):
        where = f"{key}[{i}]"
        _unknown(item, CLAUSE_FIELDS, label, where)
        if "when" not in item:
            raise _fail(label, f"{where}.when", "missing")
        whens = item["when"] if isinstance(item["when"], list) else [item["when"]]
        if not whens:
            raise _fail(label, f"{where}.when", "needs at least one condition")
        conditions = tuple(_choice(w, When, label, f"{where}.when") for w in whens)
        if len(set(conditions)) != len(conditions):
            raise _fail(label, f"{where}.when", "names a condition twice")
        if "reason" not in item:
            raise _fail(label, f"{where}.reason", "missing")
        reason = _reason(item["reason"], label, f"{where}.reason")
        found.append(Clause(conditions[0], reason, conditions[1:]))
    return tuple(found)


def _check_clauses(identifies: tuple[Clause, ...], hidden: tuple[Clause, ...], label: str) -> None:
    """The rules `Preset` enforces, said with the field that breaks them."""
    for i, clause in enumerate(identifies):
        if When.ASKER_REQUESTED_LIKER in clause.conditions:
            raise _fail(
                label, f"identifies[{i}].when", "a pending request never makes a liker visible"
            )
        if (
            When.LIKER_FOLLOWS_ASKER in clause.conditions
            and When.ASKER_IS_CREATOR not in clause.conditions
        ):
            raise _fail(
                label,
                f"identifies[{i}].when",
                "liker_follows_asker needs asker_is_creator in the same clause",
            )
    for i, clause in enumerate(hidden):
        if clause.conditions != (When.ASKER_REQUESTED_LIKER,):
            raise _fail(label, f"hidden[{i}].when", "a hidden clause can only be a pending request")


def _wording(data: Any, reasons: list[str], label: str) -> dict[str, Wording]:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise _fail(label, "reasons", "must be a table of [reasons.NAME] tables")
    for name in data:
        if name not in reasons:
            raise _fail(label, f"reasons.{name}", "no clause names this reason")
    words = {}
    for name in reasons:
        entry = data.get(name)
        if entry is None:
            raise _fail(
                label,
                f"reasons.{name}",
                f"missing: every reason needs its wording ([reasons.{name}] with a label)",
            )
        if not isinstance(entry, dict):
            raise _fail(
                label, f"reasons.{name}", "must be a table (label, creator_sees, anonymous)"
            )
        _unknown(entry, WORDING_FIELDS, label, f"reasons.{name}")
        field = f"reasons.{name}"
        words[name] = Wording(
            label=_text(entry, "label", label, f"{field}.label", required=True) or name,
            creator_sees=_text(
                entry, "creator_sees", label, f"{field}.creator_sees", required=False
            ),
            anonymous=_text(entry, "anonymous", label, f"{field}.anonymous", required=False),
        )
    return words


def _sources(data: Any, label: str) -> dict[str, Cell]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise _fail(label, "sources", "must be a table of [sources.COLUMN] tables")
    cells = {}
    for column, entry in data.items():
        if column not in SOURCE_COLUMNS:
            raise _fail(label, f"sources.{column}", f"not one of {', '.join(SOURCE_COLUMNS)}")
        if not isinstance(entry, dict):
            raise _fail(label, f"sources.{column}", "must be a table (documented, note)")
        _unknown(entry, SOURCE_FIELDS, label, f"sources.{column}")
        documented = entry.get("documented", False)
        if not isinstance(documented, bool):
            raise _fail(label, f"sources.{column}.documented", "must be true or false")
        note = _text(entry, "note", label, f"sources.{column}.note", required=True) or ""
        cells[column] = Cell(documented, note)
    return cells


def _preset(data: dict[str, Any], label: str, *, default_name: str) -> Preset:
    _unknown(data, FIELDS, label, "")
    for key in REQUIRED:
        if key not in data:
            raise _fail(label, key, "missing")
    name = _text(data, "name", label, "name", required=False) or default_name
    if not NAME.fullmatch(name):
        raise _fail(label, "name", f"{_shown(name)} is not a name (a-z, 0-9, _ . -, 1-40)")
    title = _text(data, "title", label, "title", required=False) or name
    summary = _text(data, "summary", label, "summary", required=True) or ""
    can_view = _choice(data.get("can_view", CanView.RULE_1.value), CanView, label, "can_view")
    total = _choice(
        data.get("like_total", TotalShown.EVERYONE_WHO_CAN_VIEW.value),
        TotalShown,
        label,
        "like_total",
    )
    identifies = _clauses(data, "identifies", label)
    hidden = _clauses(data, "hidden", label)
    _check_clauses(identifies, hidden, label)
    covers_all = any(set(c.conditions) == {When.ANYONE} for c in identifies)
    otherwise = None
    if "otherwise" in data:
        otherwise = _reason(data["otherwise"], label, "otherwise")
        if covers_all:
            raise _fail(label, "otherwise", "no liker is left hidden (a clause is 'anyone')")
    elif not covers_all:
        raise _fail(label, "otherwise", "missing: the reason of a liker no clause identifies")
    visible = list(dict.fromkeys(c.reason for c in identifies))
    hidden_names = list(
        dict.fromkeys([c.reason for c in hidden] + ([otherwise] if otherwise else []))
    )
    both = set(visible) & set(hidden_names)
    if both:
        raise _fail(label, f"reasons.{sorted(both)[0]}", "is both a visible and a hidden reason")
    for reason in visible:
        if reason in ALL_HIDDEN_REASONS:
            raise _fail(label, f"reasons.{reason}", "a built-in preset uses it for a hidden liker")
    for reason in hidden_names:
        if reason in ALL_VISIBLE_REASONS:
            raise _fail(label, f"reasons.{reason}", "a built-in preset uses it for a visible liker")
    wording = _wording(data.get("reasons"), visible + hidden_names, label)
    try:
        return Preset(
            name=name,
            title=title,
            summary=summary,
            identifies=identifies,
            hidden=hidden,
            otherwise=otherwise,
            can_view=can_view,
            total=total,
            sources=_sources(data.get("sources"), label),
            wording=wording,
            origin=label,
        )
    except ValueError as exc:  # a rule the checks above missed: still one line
        raise _fail(label, "identifies", str(exc)) from None


# --- writing ---------------------------------------------------------------------------


def _toml_text(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's; non-ASCII is written as is)."""
    return json.dumps(value, ensure_ascii=False)


def _clause_toml(table: str, clause: Clause) -> list[str]:
    whens = clause.conditions
    when = (
        _toml_text(whens[0].value)
        if len(whens) == 1
        else "[" + ", ".join(_toml_text(w.value) for w in whens) + "]"
    )
    return [f"[[{table}]]", f"when = {when}", f"reason = {_toml_text(clause.reason)}", ""]


def to_toml(rules: Preset) -> str:
    """The rule set as a rule file (reads back to an equal preset, wording and sources)."""
    lines = [
        f'# The {rules.title} rules as a wholiked rule file (README "Rule files").',
        f"name = {_toml_text(rules.name)}",
        f"title = {_toml_text(rules.title)}",
        f"summary = {_toml_text(rules.summary)}",
        f"can_view = {_toml_text(rules.can_view.value)}",
        f"like_total = {_toml_text(rules.total.value)}",
    ]
    if rules.otherwise:
        lines.append(f"otherwise = {_toml_text(rules.otherwise)}")
    if not rules.identifies:
        lines.append("identifies = []")
    lines.append("")
    for clause in rules.identifies:
        lines += _clause_toml("identifies", clause)
    for clause in rules.hidden:
        lines += _clause_toml("hidden", clause)
    for reason in (*rules.visible_reasons[1:], *rules.hidden_reasons[1:]):
        words = reason_wording(reason, rules)
        lines.append(f"[reasons.{reason}]")
        lines.append(f"label = {_toml_text(words.label)}")
        if words.creator_sees:
            lines.append(f"creator_sees = {_toml_text(words.creator_sees)}")
        if words.anonymous:
            lines.append(f"anonymous = {_toml_text(words.anonymous)}")
        lines.append("")
    for column, cell in rules.sources.items():
        lines.append(f"[sources.{column}]")
        lines.append(f"documented = {'true' if cell.documented else 'false'}")
        lines.append(f"note = {_toml_text(cell.note)}")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def catalogue(files: list[Preset]) -> dict[str, Preset]:
    """The built-in presets, then each rule file's set under its name (or, when that name
    is taken, under the file's path as given), in the order given."""
    found: dict[str, Preset] = dict(PRESETS)
    for rules in files:
        key = rules.name if rules.name not in found else (rules.origin or rules.name)
        if key in found and found[key] is not rules:
            raise BadInput(f"{rules.origin}: name: the rules {key!r} are given twice")
        found[key] = rules
    return found

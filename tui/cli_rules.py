"""`rules list` and `rules show`: the built-in presets and rule files, as data and as TOML.

A privacy team starts a rule file from a built-in preset (`rules show seed --toml >
mine.toml`), edits it, checks it (`rules show mine.toml`) and answers under it with
`--rules mine.toml` on any command.
"""

from typing import Any

import click

from wholiked.core.service import PRESETS, Preset, rule_set, to_toml
from wholiked.tui.cli_options import json_option
from wholiked.tui.cli_output import emit_json, say, table


def rules_json(rules: Preset) -> dict[str, Any]:
    """A rule set as JSON: its fields, each clause's conditions as a list."""

    def clause(c: Any) -> dict[str, Any]:
        return {"when": [w.value for w in c.conditions], "reason": c.reason}

    return {
        "name": rules.name,
        "title": rules.title,
        "summary": rules.summary,
        "file": rules.origin,
        "can_view": rules.can_view.value,
        "like_total": rules.total.value,
        "identifies": [clause(c) for c in rules.identifies],
        "hidden": [clause(c) for c in rules.hidden],
        "otherwise": rules.otherwise,
        "visible_reasons": list(rules.visible_reasons),
        "hidden_reasons": list(rules.hidden_reasons),
    }


@click.group("rules")
def rules_group() -> None:
    """The platform presets and rule files: list them, show one (as TOML to start a file).

    \b
    Example:
      wholiked rules list
      wholiked rules show seed --toml > mine.toml
      wholiked likers 1 --as mia.makes --rules mine.toml
    """


@rules_group.command("list")
@click.argument("files", nargs=-1, metavar="[FILE.toml]...")
@json_option
def list_command(files: tuple[str, ...], as_json: bool) -> None:
    """The built-in presets, then each rule file given (read and checked).

    \b
    Example:
      wholiked rules list
      wholiked rules list mine.toml --json
    """
    found = [*PRESETS.values(), *(rule_set(f) for f in files)]
    if as_json:
        emit_json(
            [
                {"name": r.name, "title": r.title, "summary": r.summary, "file": r.origin}
                for r in found
            ]
        )
        return
    table(
        ("name", "title", "from", "summary"),
        ((r.name, r.title, r.origin or "built in", r.summary) for r in found),
    )


@rules_group.command("show")
@click.argument("name", metavar="NAME|FILE.toml")
@json_option
@click.option("--toml", "as_toml", is_flag=True, help="Print the rule set as a rule file.")
def show_command(name: str, as_json: bool, as_toml: bool) -> None:
    """One rule set: who can view, who sees the total, who is identifiable with which reason.

    --toml writes it as a rule file (a built-in preset too), which `--rules FILE.toml`
    reads back to the same rules.

    \b
    Example:
      wholiked rules show tiktok
      wholiked rules show seed --toml > mine.toml
      wholiked rules show mine.toml --json
    """
    if as_json and as_toml:
        raise click.UsageError("choose one of --json and --toml")
    rules = rule_set(name)
    if as_toml:
        click.echo(to_toml(rules), nl=False)
        return
    data = rules_json(rules)
    if as_json:
        emit_json(data)
        return
    say(f"{rules.title} ({rules.name}{', from ' + rules.origin if rules.origin else ''})")
    say(f"  {rules.summary}")
    say(f"  can view: {data['can_view']}; like total: {data['like_total']}")
    say("  identifiable: your own like (self); then, unless a block stands between you:")
    for c in data["identifies"]:
        say(f"    when {' and '.join(c['when'])}: {c['reason']}")
    hidden = [f"when {' and '.join(c['when'])}: {c['reason']}" for c in data["hidden"]]
    if rules.otherwise:
        hidden.append(f"otherwise: {rules.otherwise}")
    say("  hidden: across a block (blocked)" + ("; " if hidden else "") + "; ".join(hidden))


COMMANDS = {"rules": rules_group}

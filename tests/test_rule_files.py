"""Rule files: every built-in preset written out and read back answers as the built-in (CLI
and facade), bad files are one line and exit 2, and a rule file's own clauses (two
conditions at once, the liker's follow) answer as their literal reading on random worlds."""

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests import reference
from tests.cli_helpers import run
from tests.worlds import World, worlds
from wholiked.core.errors import BadInput
from wholiked.core.rules.files import load_rule_file, to_toml
from wholiked.core.rules.presets import PRESETS
from wholiked.core.rules.reasons import reason_wording
from wholiked.core.service import Wholiked
from wholiked.core.store.database import open_database

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "rules" / "creator_sees_followers.toml"


def _world() -> World:
    """cara (public creator, video 1); likers: pub (public), fan (private, follows cara),
    shy (private, pending request to cara), friend (private, cara follows her), cara."""
    w = World()
    w.user("cara", creator=True)
    w.user("pub")
    w.user("fan", private=True)
    w.user("shy", private=True)
    w.user("friend", private=True)
    w.follow("fan", "cara")
    w.follow("shy", "cara", "pending")
    w.follow("cara", "friend")
    w.follow("pub", "fan")
    x = w.video("cara")
    for i, h in enumerate(("pub", "fan", "shy", "friend", "cara")):
        w.like(h, x, f"2026-11-0{i + 1}T00:00:00Z")
    return w


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(_world().write(tmp_path / "world.db"))


# --- round trip -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(PRESETS))
def test_a_preset_written_out_reads_back_equal(tmp_path, name):
    """The file holds every field, the reasons' words and the sources."""
    path = tmp_path / f"{name}.toml"
    path.write_text(to_toml(PRESETS[name]), encoding="utf-8")
    loaded = load_rule_file(path)
    builtin = PRESETS[name]
    assert loaded == builtin and loaded is not builtin
    assert loaded.origin == str(path) and builtin.origin is None
    assert loaded.sources == builtin.sources
    for reason in (*builtin.visible_reasons[1:], *builtin.hidden_reasons[1:]):
        assert loaded.wording[reason] == reason_wording(reason)


def _json(capsys, *args: str) -> object:
    code, out, err = run(capsys, *args, "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.mark.parametrize("name", list(PRESETS))
def test_a_preset_through_rules_show_answers_as_the_builtin(tmp_path, capsys, db, name):
    """`rules show NAME --toml` > file, then likers, audience, audit and compare with --rules
    file give the built-in's JSON, for every asker."""
    code, toml_text, err = run(capsys, "rules", "show", name, "--toml")
    assert code == 0, err
    path = tmp_path / "mine.toml"
    path.write_text(toml_text, encoding="utf-8")
    for asker in _world().users:
        for command in ("likers", "audience", "audit"):
            args = (command, "1", "--db", db, "--as", asker)
            assert _json(capsys, *args, "--rules", str(path)) == _json(
                capsys, *args, "--rules", name
            )
        compared = _json(capsys, "compare", "1", "--db", db, "--as", asker, "--rules", str(path))
        presets = compared["presets"]
        # the file's name is the built-in's: it is listed under its path
        assert list(presets) == [*PRESETS, str(path)]
        assert presets[str(path)] == presets[name]


# --- bad files ----------------------------------------------------------------------------------

GOOD = (
    'summary = "s"\notherwise = "h"\n[[identifies]]\nwhen = "liker_is_public"\n'
    'reason = "pub"\n[reasons.pub]\nlabel = "public"\n[reasons.h]\nlabel = "hidden"\n'
)


@pytest.mark.parametrize(
    ("text", "field", "says"),
    [
        (GOOD + "colour = 'red'\n", "colour", "unknown field"),
        (GOOD.replace("liker_is_public", "liker_is_famous"), "identifies[0].when", "not one of"),
        (GOOD.replace('[reasons.h]\nlabel = "hidden"\n', ""), "reasons.h", "wording"),
        (GOOD.replace('label = "hidden"', 'creator_sees = "x"'), "reasons.h.label", "missing"),
        ("summary = \n", "not TOML", "line 1"),
        (GOOD.replace('otherwise = "h"\n', ""), "otherwise", "missing"),
        (GOOD.replace('reason = "pub"', 'reason = "Pub!"'), "identifies[0].reason", "reason name"),
        (GOOD.replace('"pub"', '"public"').replace("reasons.pub", "reasons.public") + "", "", ""),
        (
            GOOD.replace('"liker_is_public"', '["liker_follows_asker"]'),
            "identifies[0].when",
            "needs asker_is_creator",
        ),
        (GOOD + "[sources.can_view]\ndocumented = 'yes'\nnote = 'n'\n", "documented", "true"),
        (GOOD.replace('"h"', '"private_not_following"', 1), "reasons.h", "no clause"),
        (GOOD.replace('otherwise = "h"', 'otherwise = "public"'), "reasons.public", "visible"),
    ],
)
def test_a_bad_rule_file_is_one_line_naming_the_file_and_field(
    tmp_path, capsys, db, text, field, says
):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "likers", "1", "--db", db, "--as", "cara", "--rules", str(path))
    if not field:  # the control: a good file (reusing a built-in reason name) answers
        assert code == 0, err
        return
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"{path}: " in err and field in err and says in err, err


def test_a_missing_file_and_an_unknown_name_are_one_line(tmp_path, capsys, db):
    code, _, err = run(capsys, "rules", "show", str(tmp_path / "nope.toml"))
    assert code == 2 and "no such rule file" in err and err.count("\n") == 1
    code, _, err = run(capsys, "likers", "1", "--db", db, "--as", "cara", "--rules", "myspace")
    assert code == 2 and "use one of seed" in err
    (tmp_path / "bin.toml").write_bytes(b"\xff\xfe")
    code, _, err = run(capsys, "rules", "show", str(tmp_path / "bin.toml"))
    assert code == 2 and "not TOML" in err


def test_rules_list_and_show(capsys):
    listed = _json(capsys, "rules", "list", str(EXAMPLE))
    assert [r["name"] for r in listed] == [*PRESETS, "creator_sees_followers"]
    assert listed[-1]["file"] == str(EXAMPLE) and listed[0]["file"] is None
    shown = _json(capsys, "rules", "show", str(EXAMPLE))
    assert shown["identifies"] == [
        {"when": ["asker_is_creator", "liker_follows_asker"], "reason": "follows_you"}
    ]
    code, out, _ = run(capsys, "rules", "show", "tiktok")
    assert code == 0 and "when asker_is_creator: creator_inbox" in out


def test_the_readme_shows_the_example_rule_file():
    readme = (EXAMPLE.parent.parent.parent / "README.md").read_text(encoding="utf-8")
    assert EXAMPLE.read_text(encoding="utf-8").strip() in readme


# --- the example rule: the creator sees the likers who follow them, nobody else ---------------


def test_the_example_rule_on_a_small_world(capsys, db):
    """cara identifies fan (approved follower) and herself; pub identifies only herself;
    the pending request (shy) and cara's own follow (friend) do not count."""
    mine = _json(capsys, "likers", "1", "--db", db, "--as", "cara", "--rules", str(EXAMPLE))
    assert {r["handle"]: r["reason"] for r in mine["identifiable"]} == {
        "fan": "follows_you",
        "cara": "self",
    }
    assert mine["anonymous"] == 3
    theirs = _json(capsys, "likers", "1", "--db", db, "--as", "pub", "--rules", str(EXAMPLE))
    assert [r["handle"] for r in theirs["identifiable"]] == ["pub"] and theirs["anonymous"] == 4
    fan = _json(capsys, "audience", "1", "--db", db, "--as", "fan", "--rules", str(EXAMPLE))
    assert fan["creator_can_see"] and fan["audience"] == "creator_only"
    assert fan["reason"] == "follows_you" and fan["audience_at_most"] == 1
    code, out, _ = run(capsys, "likers", "1", "--db", db, "--as", "pub", "--rules", str(EXAMPLE))
    assert "only the creator sees likers, and only those who follow them" in out


def _check_example(w: World, service: Wholiked) -> None:
    rules = service.rules
    ids = {u["id"]: h for h, u in w.users.items()}
    for x in w.videos:
        likers = reference.likers(w, x)
        for v, vh in ids.items():
            if not reference.can_view(w, v, x):
                continue
            viewer = service.user(vh)
            result = service.likers(x, viewer)
            expected = {ids[u] for u in likers if reference.clause_identifiable(w, rules, v, x, u)}
            assert {r.handle for r in result.identifiable} == expected
            assert result.anonymous == len(likers) - len(expected)
            audit = service.audit(x, viewer)
            for r in audit.likers:
                assert r.reason == reference.clause_reason(w, rules, v, x, w.id(r.handle))
            audience = {
                u for u in ids if u != v and reference.clause_identifiable(w, rules, u, x, v)
            }
            assert audit.audience_count == len(audience)
            assert audit.anonymity.candidates == len(reference.clause_candidates(w, rules, v, x))
            a = service.audience(x, viewer)
            assert a.audience_at_most >= len(audience)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(w=worlds(self_follows=2))
def test_the_example_rule_matches_its_literal_reading(w: World) -> None:
    """Likers, reasons, the exact audience and rule 9's candidates under the example rule
    file (two conditions at once; the liker's follow) equal the clauses read literally."""
    rules = load_rule_file(EXAMPLE)
    with tempfile.TemporaryDirectory() as folder:
        path = w.write(Path(folder) / "w.db")
        service = Wholiked(open_database(path), rules=rules)
        try:
            _check_example(w, service)
        finally:
            service.close()


def test_an_unknown_rules_value_is_bad_input():
    from wholiked.core.rules.files import rule_set

    with pytest.raises(BadInput, match="use one of seed"):
        rule_set("myspace")
    assert rule_set(" X ") is PRESETS["x"]

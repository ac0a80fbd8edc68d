"""Platform presets: the data, one small world per preset, `--rules` on every command that
answers for an acting user, and `wholiked compare` (JSON shape, CSV/NL rows, exit codes,
agreement with `likers --rules`)."""

import csv
import io
import json
from pathlib import Path

import pytest

from tests.cli_helpers import run
from tests.worlds import World
from wholiked.core.errors import BadInput
from wholiked.core.rules.presets import (
    ALL_HIDDEN_REASONS,
    ALL_VISIBLE_REASONS,
    PRESETS,
    SEED,
    Clause,
    Preset,
    When,
    preset,
)
from wholiked.core.service import Wholiked

NAMES = list(PRESETS)


def _world() -> World:
    """cara (public creator) posts video 1; likers: pub (public), friend (private, cara follows
    her), shy (private, nobody follows), blocker (public, blocked pub), and cara herself;
    priv_creator's video 2 is for approved followers only (friend)."""
    w = World()
    w.user("cara", creator=True)
    w.user("pub")
    w.user("friend", private=True)
    w.user("shy", private=True)
    w.user("blocker")
    w.user("priv_creator", private=True, creator=True)
    w.follow("cara", "friend")
    w.follow("friend", "priv_creator")
    w.block("blocker", "pub")
    x = w.video("cara")
    for i, h in enumerate(("pub", "friend", "shy", "blocker", "cara")):
        w.like(h, x, f"2026-11-0{i + 1}T00:00:00Z")
    y = w.video("priv_creator")
    w.like("friend", y, "2026-11-06T00:00:00Z")
    return w


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(_world().write(tmp_path / "world.db"))


# --- the data ---------------------------------------------------------------------------------


def test_every_preset_is_one_entry_with_sources_for_every_cell():
    """Five presets, seed first (the default); each says where every cell comes from."""
    assert NAMES == ["seed", "tiktok", "instagram", "x", "youtube"]
    for p in PRESETS.values():
        assert set(p.sources) == {"can_view", "like_total", "identifiable"}, p.name
        assert p.summary and p.title
        assert p.visible_reasons[0] == "self" and p.hidden_reasons[0] == "blocked"


def test_the_seeds_reasons_are_unchanged():
    assert SEED.visible_reasons == ("self", "public", "approved_follower")
    assert SEED.hidden_reasons == ("blocked", "private_follow_pending", "private_not_following")


def test_no_reason_is_visible_in_one_preset_and_hidden_in_another():
    assert not ALL_VISIBLE_REASONS & ALL_HIDDEN_REASONS


def test_a_preset_that_hides_someone_names_their_reason():
    """`otherwise` is required exactly when no clause covers everyone."""
    with pytest.raises(ValueError):
        Preset("bad", "Bad", "nobody", identifies=())
    with pytest.raises(ValueError):
        Preset("bad", "Bad", "all", identifies=(Clause(When.ANYONE, "all"),), otherwise="none")
    sixth = Preset(
        "mine", "Mine", "followers only", (Clause(When.ASKER_FOLLOWS_LIKER, "f"),), (), "n"
    )
    assert sixth.visible_reasons == ("self", "f") and sixth.hidden_reasons == ("blocked", "n")


def test_unknown_rules_are_bad_input():
    with pytest.raises(BadInput, match="use one of seed, tiktok"):
        preset("myspace")
    assert preset(" X ") is PRESETS["x"]


# --- one world, read under every preset ---------------------------------------------------------


EXPECTED = {
    # asker: {preset: (identifiable handles of video 1, anonymous)}
    "cara": {
        "seed": ({"cara", "pub", "friend", "blocker"}, 1),
        "tiktok": ({"cara", "pub", "friend", "shy", "blocker"}, 0),
        "instagram": ({"cara", "pub", "friend", "shy", "blocker"}, 0),
        "x": ({"cara", "pub", "friend", "shy", "blocker"}, 0),
        "youtube": ({"cara"}, 4),
    },
    "pub": {
        "seed": ({"pub", "cara"}, 3),  # friend and shy are private; blocker blocked pub
        "tiktok": ({"pub"}, 4),
        "instagram": ({"pub", "friend", "shy", "cara"}, 1),  # all but across the block
        "x": ({"pub"}, 4),
        "youtube": ({"pub"}, 4),
    },
}


@pytest.mark.parametrize("asker", sorted(EXPECTED))
@pytest.mark.parametrize("rules", NAMES)
def test_likers_of_one_world_under_each_preset(tmp_path, asker, rules):
    from wholiked.core.store.database import open_database

    path = _world().write(tmp_path / "w.db")
    service = Wholiked(open_database(path), rules=rules)
    try:
        result = service.likers(1, service.user(asker))
        handles, anonymous = EXPECTED[asker][rules]
        assert {r.handle for r in result.identifiable} == handles
        assert result.anonymous == anonymous and result.total == 5
        assert all(r.reason in PRESETS[rules].visible_reasons for r in result.identifiable)
    finally:
        service.close()


@pytest.mark.parametrize(
    ("rules", "reason", "kind", "at_most"),
    [
        ("seed", "private_not_following", "approved_followers", 0),
        ("tiktok", "creator_inbox", "creator_only", 1),
        ("instagram", "everyone_who_can_view", "everyone", 5),
        ("x", "author_sees_all", "creator_only", 1),
        ("youtube", "nobody_sees_likers", "nobody", 0),
    ],
)
def test_who_can_see_a_private_likers_like_under_each_preset(
    capsys, db, rules, reason, kind, at_most
):
    """Rule 6 per preset for shy (private, followed by nobody) on cara's video."""
    code, out, _ = run(
        capsys, "audience", "1", "--as", "shy", "--db", db, "--json", "--rules", rules
    )
    data = json.loads(out)
    assert code == 0
    assert (data["reason"], data["audience"], data["audience_at_most"]) == (reason, kind, at_most)
    assert data["creator_can_see"] == (reason in PRESETS[rules].visible_reasons)


def test_audit_reasons_follow_the_preset(capsys, db):
    code, out, _ = run(capsys, "audit", "1", "--as", "pub", "--db", db, "--json", "--rules", "x")
    reasons = {i["handle"]: (i["identifiable"], i["reason"]) for i in json.loads(out)["likers"]}
    assert code == 0
    assert reasons == {
        "pub": (True, "self"),
        "friend": (False, "author_only"),
        "shy": (False, "author_only"),
        "blocker": (False, "blocked"),
        "cara": (False, "author_only"),
    }


@pytest.mark.parametrize(
    "command",
    [
        ("likers", "1", "--as", "pub"),
        ("audience", "1", "--as", "pub"),
        ("audit", "1", "--as", "pub"),
        ("tips", "--as", "pub"),
        ("analytics", "--as", "cara"),
    ],
)
@pytest.mark.parametrize("rules", NAMES)
def test_every_acting_command_takes_rules(capsys, db, command, rules):
    code, out, err = run(capsys, *command, "--db", db, "--json", "--rules", rules)
    assert (code, err) == (0, "") and json.loads(out) is not None


def test_unknown_rules_exit_2_in_one_line(capsys, db):
    code, out, err = run(capsys, "likers", "1", "--as", "pub", "--db", db, "--rules", "myspace")
    assert code == 2 and out == "" and err.count("\n") == 1 and "--rules" in err


# --- compare ----------------------------------------------------------------------------------


def test_compare_json_shape(capsys, db):
    code, out, err = run(capsys, "compare", "1", "--as", "shy", "--db", db, "--json")
    data = json.loads(out)
    assert (code, err) == (0, "")
    assert list(data) == ["video_id", "asker", "presets"]
    assert (data["video_id"], data["asker"]) == (1, "shy")
    assert list(data["presets"]) == NAMES
    for name, view in data["presets"].items():
        assert list(view) == [
            "can_view",
            "total",
            "identifiable",
            "anonymous",
            "reasons",
            "creator_can_see_my_like",
        ]
        assert view["can_view"] is True and view["total"] == 5
        assert view["identifiable"] + view["anonymous"] == view["total"]
        assert list(view["reasons"]) == list(PRESETS[name].visible_reasons)
        assert sum(view["reasons"].values()) == view["identifiable"]
    assert data["presets"]["seed"]["creator_can_see_my_like"] is False
    assert data["presets"]["tiktok"]["creator_can_see_my_like"] is True
    assert data["presets"]["youtube"]["creator_can_see_my_like"] is False


@pytest.mark.parametrize("asker", ["cara", "pub", "friend", "shy", "blocker"])
def test_compare_agrees_with_likers_under_each_preset(capsys, db, asker):
    """For every preset, compare's counts are what `likers --rules NAME` shows."""
    _, out, _ = run(capsys, "compare", "1", "--as", asker, "--db", db, "--json")
    compared = json.loads(out)["presets"]
    for name in NAMES:
        code, out, _ = run(
            capsys, "likers", "1", "--as", asker, "--db", db, "--json", "--rules", name
        )
        likers = json.loads(out)
        assert code == 0
        view = compared[name]
        assert view["total"] == likers["total"]
        assert view["identifiable"] == len(likers["identifiable"])
        assert view["anonymous"] == likers["anonymous"]
        by_reason = {r: 0 for r in PRESETS[name].visible_reasons}
        for item in likers["identifiable"]:
            by_reason[item["reason"]] += 1
        assert view["reasons"] == by_reason
        _, out, _ = run(
            capsys, "audience", "1", "--as", asker, "--db", db, "--json", "--rules", name
        )
        assert view["creator_can_see_my_like"] == json.loads(out)["creator_can_see"]


def test_compare_csv_and_nl_print_one_row_per_preset(capsys, db):
    code, out, _ = run(capsys, "compare", "1", "--as", "pub", "--db", db, "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and [r["preset"] for r in rows] == NAMES
    instagram = next(r for r in rows if r["preset"] == "instagram")
    assert (instagram["can_view"], instagram["identifiable"], instagram["anonymous"]) == (
        "true",
        "4",
        "1",
    )
    assert json.loads(instagram["reasons"]) == {"self": 1, "everyone_who_can_view": 3}
    assert json.loads(instagram["differs_from_seed"]) == ["identifiable", "anonymous"]
    code, out, _ = run(capsys, "compare", "1", "--as", "pub", "--db", db, "--nl")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [line["preset"] for line in lines] == NAMES
    assert lines[0]["differs_from_seed"] == [] and lines[0]["can_view"] is True


def test_compare_text_says_which_presets_differ_from_seed(capsys, db):
    code, out, _ = run(capsys, "compare", "1", "--as", "cara", "--db", db)
    lines = {line.split()[0]: line for line in out.splitlines()[2:]}
    assert code == 0
    assert "same as seed" in lines["seed"]
    assert "differs from seed" in lines["youtube"] and "differs from seed" in lines["tiktok"]


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (("compare", "99", "--as", "pub"), 2, "no video 99"),
        (("compare", "1", "--as", "nobody"), 2, "no user @nobody"),
        (("compare", "2", "--as", "pub"), 3, "cannot view video 2"),
        (("compare", "1"), 2, "Missing option '--as'"),
        (("compare", "1", "--as", "pub", "--json", "--nl"), 2, "are exclusive: choose one"),
    ],
)
def test_compare_errors(capsys, db, args, code, fragment):
    status, out, err = run(capsys, *args, "--db", db)
    assert status == code and out == "" and err.count("\n") == 1 and fragment in err
    assert "priv_creator" not in err  # a refusal never names the creator


def test_compare_of_a_private_creators_video_for_an_approved_follower(capsys, db):
    code, out, _ = run(capsys, "compare", "2", "--as", "friend", "--db", db, "--json")
    presets = json.loads(out)["presets"]
    assert code == 0
    assert all(view["can_view"] for view in presets.values())
    assert presets["seed"]["reasons"] == {"self": 1, "public": 0, "approved_follower": 0}


def test_compare_has_help(capsys):
    code, out, _ = run(capsys, "compare", "--help")
    assert code == 0 and "Example:" in out and "--csv" in out and "--nl" in out


# --- analytics, tips, actions and the factory under a preset ----------------------------------


def test_analytics_are_the_same_release_under_every_preset(capsys, tmp_path):
    """The preset decides who may view a scope (rule 1 everywhere); the release names no one."""
    from tests.test_cli import _demo_db

    db = _demo_db(tmp_path)
    outs = {
        name: run(capsys, "analytics", "--as", "mia.makes", "--db", db, "--json", "--rules", name)
        for name in NAMES
    }
    assert all(code == 0 for code, _, _ in outs.values())
    assert len({out for _, out, _ in outs.values()}) == 1


def test_tips_follow_the_preset(service):
    """Creator tips count anonymous likes under the preset; viewer tips about privacy and
    follow requests appear only where privacy and follows decide (the seed)."""
    mia, sam = service.user("mia.makes"), service.user("sam.quiet")
    for name in NAMES:
        rules = service.with_rules(name)
        tips = {t.id: t for t in rules.tips(mia, perspective="creator")}
        videos = rules.creator_videos(mia)
        anonymous = sum(rules.likers(v.video.id, mia, limit=0).anonymous for v in videos)
        if anonymous:
            assert tips["anonymous_share"].evidence["anonymous"] == anonymous, name
        else:
            assert "anonymous_share" not in tips, name
        viewer = {t.id: t for t in rules.tips(sam, perspective="viewer")}
        assert ("privacy_switch" in viewer) == (name == "seed"), name
        assert ("pending_requests" in viewer) == (name == "seed"), name
        audience = viewer["like_audience"].evidence["audience"]
        kind = {"seed": "approved_followers", "instagram": "everyone", "youtube": "nobody"}
        assert audience == kind.get(name, "creator_only"), name
    youtube = {t.id for t in service.with_rules("youtube").tips(mia, perspective="creator")}
    assert "collaboration" not in youtube  # the creator identifies no one under youtube


def test_a_like_says_who_can_see_it_under_the_preset(tmp_path):
    from tests.tui_helpers import writable_demo

    service = writable_demo(tmp_path)
    try:
        sam = service.user("sam.quiet")
        out = service.with_rules("youtube").like(sam, 19)
        assert "at most 0 users can see this like" in out.message
        service.unlike(sam, 19)
        out = service.with_rules("tiktok").like(sam, 19)
        assert "at most 1 user can see this like" in out.message
        message = service.with_rules("instagram").set_private(sam, False).message
        assert "does not change who sees your likes" in message
    finally:
        service.close()


def test_one_factory_builds_the_service_with_its_rules(db):
    from wholiked.tui.app import WholikedApp
    from wholiked.tui.factory import make_service

    service = make_service(db, rules="x")
    try:
        assert service.rules is PRESETS["x"]
        assert service.with_rules("x") is service
        assert service.with_rules("seed").db is service.db
        app = WholikedApp(service)
        assert app.rules == "x"
    finally:
        service.close()

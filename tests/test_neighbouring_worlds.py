"""The neighbouring-world test: two worlds that differ only in what the rules hide from the
acting user (other people's follows, blocks and likes) must give that user byte-identical
answers in every output: JSON and text of the CLI, tips, FAQ, the TUI's panels, action
messages and error messages."""

import json
from pathlib import Path

import pytest

from tests.cli_helpers import run
from tests.tui_helpers import feed_on, make_app, static_text
from tests.tui_helpers import run as run_pilot
from tests.worlds import World, alter
from wholiked.core.answers.forms import json_form
from wholiked.core.service import Wholiked
from wholiked.core.store.database import open_database


def _write(world: World, path: Path) -> Path:
    """Write the world with a pinned noise key: released values (the posting-schedule tip)
    are then the same noise in both worlds, and only what the rules show may differ."""
    return alter(world.write(path), "INSERT INTO meta VALUES ('noise_key', 'neighbours')")


def _answers(capsys, path: Path, handle: str, *commands: tuple[str, ...]) -> list:
    """Exit code, stdout and stderr of each command run as `handle` on the file."""
    found = []
    for command in commands:
        found.append(run(capsys, *command, "--as", handle, "--db", str(path)))
    return found


def _service_answers(path: Path, handle: str) -> str:
    """Tips and FAQ of the facade, as JSON."""
    service = Wholiked(open_database(path))
    try:
        user = service.user(handle)
        faq = [(a.question, a.answer) for a in service.faq(user)]
        return json.dumps([[json_form(t) for t in service.tips(user)], faq], sort_keys=True)
    finally:
        service.close()


def _panel(path: Path, handle: str, video_id: int) -> str:
    """The viewer feed's "who can see my like" panel for the video."""
    seen: list[str] = []

    async def scenario() -> None:
        service = Wholiked(open_database(path))
        app = make_app(service, handle)
        async with app.run_test(size=(120, 36)) as pilot:
            await feed_on(pilot, video_id)
            seen.append(static_text(app, "#audience"))
        service.close()

    run_pilot(scenario)
    return seen[0]


# --- rule 9's warning for a liker -----------------------------------------------------------


def _liker_world(creator_follows_p5: str, someone_blocks_creator: bool) -> World:
    """Private @anna liked public @cara's video 1. cara follows private @p5 (approved or
    pending: cara's business), and public @quinn has blocked cara or not (quinn's). With
    cara's follow approved and no block, exactly 4 accounts (anna, p1-p3) could be behind
    an anonymous like of video 1 for cara: rule 9 says she can tell it is anna's; either
    change makes it 5."""
    w = World()
    w.user("cara", creator=True)
    w.user("anna", private=True)
    for i in (1, 2, 3, 5):
        w.user(f"p{i}", private=True)
    w.user("quinn")
    x = w.video("cara")
    w.like("anna", x)
    w.follow("cara", "p5", creator_follows_p5)
    if someone_blocks_creator:
        w.block("quinn", "cara")
    return w


LIKER_COMMANDS = (
    ("audience", "1", "--json"),
    ("audience", "1"),
    ("tips", "--json"),
    ("tips",),
    ("likers", "1", "--json"),
    ("compare", "1", "--json"),
)


@pytest.mark.parametrize(
    "other", [("pending", False), ("approved", True)], ids=["follow-pending", "blocked"]
)
def test_the_likers_warning_does_not_tell_others_relations(tmp_path, capsys, other) -> None:
    """The exact rule-9 verdict differs between the worlds (the audit shows it); everything
    anna sees, the warning included, is the same."""
    near = _write(_liker_world("approved", False), tmp_path / "near.db")
    far = _write(_liker_world(*other), tmp_path / "far.db")
    audits = [
        json.loads(run(capsys, "audit", "1", "--as", "cara", "--db", str(p), "--json")[1])
        for p in (near, far)
    ]
    assert [a["anonymity"]["effectively_identifiable"] for a in audits] == [True, False]
    assert _answers(capsys, near, "anna", *LIKER_COMMANDS) == _answers(
        capsys, far, "anna", *LIKER_COMMANDS
    )
    assert _service_answers(near, "anna") == _service_answers(far, "anna")
    assert _panel(near, "anna", 1) == _panel(far, "anna", 1)


def test_the_likers_warning_is_conservative(tmp_path, capsys) -> None:
    """Where the exact verdict says the creator can tell, the liker is warned, in words
    that say the warning comes from what the liker can see."""
    path = _write(_liker_world("approved", False), tmp_path / "near.db")
    code, out, _ = run(capsys, "audience", "1", "--as", "anna", "--db", str(path), "--json")
    assert json.loads(out)["effectively_identifiable"] is True
    code, out, _ = run(capsys, "audience", "1", "--as", "anna", "--db", str(path))
    assert "which you cannot see" in out and "the audit has the exact verdict" in out


# --- action messages ------------------------------------------------------------------------


def _requester_world(oscar_follows_pia: str, quinn_blocks_oscar: bool) -> World:
    """Private @anna liked private @pia's video 1 and public @quinn's video 2; @oscar's
    request to anna is pending. Whether pia approved oscar's follow, and whether quinn
    blocked oscar, are oscar's relations: they decide which of anna's likes oscar can view,
    and anna must not learn them from what approving says."""
    w = World()
    w.user("anna", private=True)
    w.user("oscar")
    w.user("pia", private=True, creator=True)
    w.user("quinn", creator=True)
    w.follow("anna", "pia")
    w.like("anna", w.video("pia"))
    w.like("anna", w.video("quinn"))
    w.follow("oscar", "anna", "pending")
    if oscar_follows_pia:
        w.follow("oscar", "pia", oscar_follows_pia)
    if quinn_blocks_oscar:
        w.block("quinn", "oscar")
    return w


ACTIONS = (
    ("approve", "oscar"),
    ("unfollow", "pia"),
    ("follow", "pia"),
    ("block", "oscar"),
    ("unblock", "oscar"),
    ("set-private", "off"),
    ("set-private", "on"),
    ("unlike", "1"),
    ("like", "1"),
    ("follow", "oscar"),
)


@pytest.mark.parametrize(
    "other",
    [("pending", False), ("", True), ("approved", True)],
    ids=["pending", "blocked", "both"],
)
def test_action_messages_do_not_tell_the_requesters_relations(tmp_path, capsys, other) -> None:
    """Every action anna takes, in turn, says the same in both worlds (messages, JSON and
    exit codes), although oscar can view a different number of her liked videos."""

    def act(world: World, name: str, *extra: str) -> list:
        path = _write(world, tmp_path / name)
        return [
            run(capsys, *command, "--as", "anna", "--db", str(path), "--write", *extra)
            for command in ACTIONS
        ]

    for extra in ((), ("--json",)):
        near = act(_requester_world("approved", False), f"near{extra}.db", *extra)
        far = act(_requester_world(*other), f"far{extra}.db", *extra)
        assert "@oscar can now see your likes on the videos they can view" in near[0][1]
        assert near == far


# --- tips under the rules in force ----------------------------------------------------------


def _collab_world(tina_likes_xavi: bool) -> World:
    """Four public fans and private @tina liked @cara's video; the fans liked @xavi's too,
    and so did tina or private @ulla (xavi's like total is the same either way). Six more
    public fans liked only cara's video (the collaboration tip's floor: ten likers cara can
    identify). Under TikTok's or X's rules only xavi identifies the likers of his video."""
    w = World()
    w.user("cara", creator=True)
    w.user("xavi", creator=True)
    w.user("tina", private=True)
    w.user("ulla", private=True)
    mine, his = w.video("cara"), w.video("xavi")
    recent = "2026-11-15T00:00:00Z"
    for i in range(4):
        w.user(f"fan{i}")
        w.like(f"fan{i}", mine, recent)
        w.like(f"fan{i}", his, recent)
    for i in range(6):
        w.user(f"pal{i}")
        w.like(f"pal{i}", mine, recent)
    w.like("tina", mine, recent)
    w.like("tina" if tina_likes_xavi else "ulla", his, recent)
    return w


@pytest.mark.parametrize("rules", ["tiktok", "x", "seed", "instagram", "youtube"])
def test_tips_follow_the_rules_on_other_creators_videos(tmp_path, capsys, rules) -> None:
    """Whether tina liked xavi's video is xavi's to know under every preset but Instagram's
    (where everyone who can view identifies every liker; there the answers may differ)."""
    worlds = [_write(_collab_world(flag), tmp_path / f"w{flag}.db") for flag in (False, True)]
    answers = [
        _answers(
            capsys, p, "cara", ("tips", "--json", "--rules", rules), ("tips", "--rules", rules)
        )
        for p in worlds
    ]
    if rules == "instagram":
        assert answers[0] != answers[1]  # the test can tell the worlds apart where allowed
        assert '"shared_likers": 5' in answers[1][0][1]
    else:
        assert answers[0] == answers[1]


# --- rows checked as an answer reads them -----------------------------------------------------


def _bad_row_world(bad: str) -> World:
    """Public @vera views public @cara's videos 1 and 2; private @p3 and @p4 liked video 1,
    @p5 video 2. Another tool wrote a bad is_private for p3 or for p4: which one is not
    vera's to know (neither is identifiable to her)."""
    w = World()
    w.user("vera")
    w.user("cara", creator=True)
    for i in (3, 4, 5):
        w.user(f"p{i}", private=True)
    one, two = w.video("cara"), w.video("cara")
    w.like("p3", one)
    w.like("p4", one)
    w.like("p5", two)
    w.users[bad]["is_private"] = 2
    return w


def test_a_bad_row_an_answer_reads_is_not_named(tmp_path, capsys, monkeypatch) -> None:
    """On a large unchecked file (here: any file) each answer checks the rows it reads. The
    refusal says the file breaks the format and names `wholiked check`, never the row, so
    likers 1 and likers 2 say the same whoever's row is bad; `wholiked check` names it (as
    do the commands that check the whole file first: that answer does not depend on which
    rows the question reads)."""
    from wholiked.core.store import database

    monkeypatch.setattr(database, "FULL_CHECK_MAX_BYTES", 0)
    commands = [
        ("likers", "1"),
        ("likers", "1", "--json"),
        ("likers", "2", "--json"),
        ("audience", "1"),
    ]
    paths = [_write(_bad_row_world(bad), tmp_path / f"{bad}.db") for bad in ("p3", "p4")]
    said = [_answers(capsys, p, "vera", *commands) for p in paths]
    assert [answer[0] for answer in said[0][:2]] == [2, 2]
    label = str(paths[0])
    assert said[0][0][2] == (
        f"wholiked: error: {label}: the file has rows that break the format;"
        " `wholiked check` names them (table, row and field)\n"
    )
    assert said[0] == [(code, out, err.replace("p4.db", "p3.db")) for code, out, err in said[1]]
    code, _, err = run(capsys, "check", "--db", str(paths[0]))
    assert code == 2 and "table users, row id 3: field is_private" in err

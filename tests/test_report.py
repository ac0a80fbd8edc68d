"""The platform report: on random worlds (hostile ones included: self-follows, dense
follows across blocks, pending requests to public accounts), under every preset and a rule
file, on bare, indexed and counted files, it equals the per-video audits as each video's
creator added up; and its JSON, CSV and text."""

import csv
import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cli_helpers import run
from tests.worlds import World, worlds
from wholiked.core.answers.report import PRIVACY, TOP, SqliteEngine, Sums, report
from wholiked.core.rules import platform, platform_sqlite
from wholiked.core.rules.files import load_rule_file
from wholiked.core.rules.platform import SIZE_BUCKETS
from wholiked.core.rules.presets import PRESETS
from wholiked.core.service import Wholiked
from wholiked.core.store.database import open_database

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "rules" / "creator_sees_followers.toml"


def _size(likes: int) -> str:
    return next(
        name for name, low, high in SIZE_BUCKETS if likes >= low and (high is None or likes <= high)
    )


def _expected(service: Wholiked) -> tuple[dict, list]:
    """Each rule set's sums and exposed videos, from `audit` of every video as its creator."""
    conn = service.db.conn
    videos = conn.execute(
        "SELECT x.id, x.creator_id, u.is_private FROM videos x JOIN users u ON u.id = x.creator_id"
    ).fetchall()
    sizes: dict[int, int] = {}
    audits = {}
    for video_id, creator_id, _ in videos:
        audit = service.audit(video_id, service.user_by_id(creator_id))
        audits[video_id] = audit
        sizes[creator_id] = sizes.get(creator_id, 0) + audit.total
    sums = Sums()
    by_size = {name: Sums() for name, _, _ in SIZE_BUCKETS}
    by_privacy = {name: Sums() for name in PRIVACY}
    exposed = []
    for video_id, creator_id, private in videos:
        audit = audits[video_id]
        seen = audit.anonymity
        assert seen is not None
        flagged = seen.effectively_identifiable
        one = Sums(
            1,
            audit.total,
            audit.total - seen.anonymous,
            seen.anonymous,
            seen.anonymous if flagged else 0,
            int(flagged),
        )
        sums += one
        by_size[_size(sizes[creator_id])] += one
        by_privacy[PRIVACY[int(bool(private))]] += one
        if flagged:
            exposed.append((-seen.anonymous, video_id, seen.candidates))
    return {
        "sums": sums,
        "by_size": by_size,
        "by_privacy": by_privacy,
    }, sorted(exposed)[:TOP]


def _check(w: World, folder: str, mode: str, *, with_file: bool = True) -> None:
    path = w.write(Path(folder) / "w.db", indexes=mode != "bare")
    service = Wholiked(open_database(path, writable=mode == "accelerated"))
    rule_sets = {**PRESETS, **({"mine": load_rule_file(EXAMPLE)} if with_file else {})}
    try:
        found = report(SqliteEngine(service.db), rule_sets)
        for key, rules in rule_sets.items():
            expected, exposed = _expected(service.with_rules(rules))
            got = found.rule_sets[key]
            assert got.totals == expected["sums"], key
            assert got.by_creator_size == expected["by_size"], key
            assert got.by_creator_privacy == expected["by_privacy"], key
            tops = [
                (-t.anonymous, t.video_id, t.candidates)
                for t in found.top_videos
                if t.rules_key == key
            ]
            assert tops == exposed, key
    finally:
        service.close()


HOSTILE = worlds(max_follows=30, self_follows=3, max_videos=5)
"""Dense follows (both ways, across blocks), self-follows, pending requests to anyone."""


@pytest.mark.parametrize(
    ("mode", "with_file"),
    [("bare", True), ("indexed", True), ("accelerated", True), ("indexed", False)],
)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(w=st.one_of(worlds(), HOSTILE))
def test_the_report_is_the_sum_of_every_videos_audit_as_its_creator(
    w: World, mode: str, with_file: bool
) -> None:
    """Every preset and a rule file with two conditions in a clause and the liker's follow
    (and the presets alone: no rule asks whether the liker follows the creator, so only a
    private creator's followers are looked up): the sums, by creator size and privacy,
    and the most exposed videos."""
    with tempfile.TemporaryDirectory() as folder:
        _check(w, folder, mode, with_file=with_file)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(w=st.one_of(worlds(), HOSTILE), with_file=st.booleans())
def test_the_one_query_of_spark_gives_the_flag_tables_audits(w: World, with_file: bool) -> None:
    """`joined_wide_sql` (what the Spark engine runs: every like joined to its pair's
    relationship, the candidates from the population less the related users) gives every
    video's audit under every rule set exactly as the flag tables do, run here by SQLite
    on the same file (many more worlds than a Spark test can afford)."""
    rule_sets = [*PRESETS.values(), *([load_rule_file(EXAMPLE)] if with_file else [])]
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(w.write(Path(folder) / "w.db"))
        try:
            with db.snapshot() as conn, platform_sqlite.scratch(conn):
                platform_sqlite.build_flags(conn, rule_sets)
                tables = sorted(tuple(r) for r in conn.execute("SELECT * FROM r_wide"))
                joined = sorted(tuple(r) for r in conn.execute(platform.joined_wide_sql(rule_sets)))
        finally:
            db.close()
    assert joined == tables


# --- the command --------------------------------------------------------------------------------


def test_report_json_csv_and_text(capsys, tmp_path):
    """The demo world: the JSON's shape (every preset, then the rule file; the six sums, by
    size and by privacy adding up to them; the most exposed videos), one CSV row per rule
    set, and a text table labelled as the omniscient audit."""
    from tests.worlds import DEMO_TEST_KEY
    from wholiked.fixtures.demo import build_demo

    build_demo(tmp_path / "demo.db", noise_key=DEMO_TEST_KEY)
    db = str(tmp_path / "demo.db")
    code, out, err = run(capsys, "report", "--db", db, "--rules", str(EXAMPLE), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["engine"] == "sqlite" and data["omniscient"] is True
    assert list(data["presets"]) == [*PRESETS, "creator_sees_followers"]
    fields = {f: 0 for f in Sums().as_json()}
    for name, r in data["presets"].items():
        assert set(r) == {*fields, "by_creator_size", "by_creator_privacy"}, name
        assert list(r["by_creator_size"]) == [b for b, _, _ in SIZE_BUCKETS]
        assert list(r["by_creator_privacy"]) == list(PRIVACY)
        for group in ("by_creator_size", "by_creator_privacy"):
            for f in fields:
                assert sum(g[f] for g in r[group].values()) == r[f], (name, group, f)
        assert r["identifiable"] + r["anonymous"] == r["likes"]
    seed = data["presets"]["seed"]
    assert (seed["videos"], seed["effectively_identifiable_videos"]) == (25, 3)
    first = data["top_videos"][0]
    assert first == {
        "preset": "seed",
        "video_id": 1,
        "creator": "mia.makes",
        "likes": 48,
        "identifiable": 40,
        "anonymous": 8,
        "candidates": 8,
        "effectively_identifiable_likes": 8,
    }
    code, out, _ = run(capsys, "report", "--db", db, "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["preset"] for r in rows] == list(PRESETS)
    assert rows[0]["effectively_identifiable_likes"] == str(seed["effectively_identifiable_likes"])
    code, out, _ = run(capsys, "report", "--db", db)
    assert code == 0 and out.startswith("PLATFORM AUDIT — omniscient, not what any user sees")
    assert "@mia.makes" in out and "█" in out


def test_report_refuses_a_bad_rule_file_in_one_line(capsys, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("summary = \n", encoding="utf-8")
    code, out, err = run(capsys, "report", "--rules", str(bad), "--json")
    assert code == 2 and out == "" and err.count("\n") == 1 and "not TOML" in err
    code, _, err = run(capsys, "report", "--json", "--csv")
    assert code == 2


def test_a_share_as_a_bar():
    from wholiked.core.answers.report import share_bar

    assert share_bar(0, 4) == "░░░░" and share_bar(1, 4) == "████"
    assert share_bar(0.001, 4) == "█░░░" and share_bar(0.999, 4) == "███░"
    assert share_bar(0.5, 4) == "██░░"


def test_a_share_in_words_never_rounds_a_difference_away():
    from wholiked.core.answers.report import share_percent

    assert [share_percent(p, 9416) for p in (0, 1, 9399, 9414, 9416)] == [
        "0%",
        "<0.1%",
        "99.8%",
        ">99.9%",
        "100%",
    ]
    assert share_percent(0, 0) == "—"

"""The Spark engine: a world exported as Parquet and reported by Spark (local[2], two shuffle
partitions, one session for every test) gives the same report as SQLite, under every
preset and a rule file, on random worlds (hostile ones included) and the demo world."""

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cli_helpers import run
from tests.test_report import EXAMPLE, HOSTILE
from tests.worlds import World, worlds
from wholiked.core.answers.report import SqliteEngine, report
from wholiked.core.answers.report_spark import SparkEngine, spark_session
from wholiked.core.rules.files import load_rule_file
from wholiked.core.rules.presets import PRESETS
from wholiked.core.service import Wholiked
from wholiked.core.store.database import open_database
from wholiked.core.store.parquet import export_parquet


@pytest.fixture(scope="session")
def spark():
    session = spark_session("local[2]", shuffle_partitions=2)
    yield session
    session.stop()


def _both(service: Wholiked, folder: Path, spark) -> tuple[dict, dict]:
    rule_sets = {**PRESETS, "mine": load_rule_file(EXAMPLE)}
    export_parquet(service.db, folder)
    ours = report(SqliteEngine(service.db), rule_sets).as_json()
    theirs = report(SparkEngine(str(folder), session=spark), rule_sets).as_json()
    return ours, theirs


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(w=st.one_of(worlds(), HOSTILE))
def test_spark_equals_sqlite_on_random_worlds(spark, w: World) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = w.write(Path(folder) / "w.db")
        service = Wholiked(open_database(path))
        try:
            ours, theirs = _both(service, Path(folder) / "parquet", spark)
        finally:
            service.close()
    assert ours.pop("engine") == "sqlite" and theirs.pop("engine") == "spark"
    assert theirs == ours


def test_spark_equals_sqlite_on_the_demo_through_the_cli(spark, capsys, tmp_path, monkeypatch):
    """`export --parquet`, then `report --engine spark --parquet DIR` (the session of the
    tests is reused: getOrCreate) prints the JSON `report` prints on the file."""
    from tests.worlds import DEMO_TEST_KEY
    from wholiked.fixtures.demo import build_demo

    build_demo(tmp_path / "demo.db", noise_key=DEMO_TEST_KEY)
    db = str(tmp_path / "demo.db")
    code, out, err = run(capsys, "export", "--db", db, "--parquet", str(tmp_path / "pq"))
    assert code == 0, err
    assert "likes: 9,416 rows" in out
    import json

    args = ("report", "--rules", str(EXAMPLE), "--json")
    code, ours, err = run(capsys, *args, "--db", db)
    assert code == 0, err
    code, theirs, err = run(
        capsys,
        *args,
        "--engine",
        "spark",
        "--parquet",
        str(tmp_path / "pq"),
        "--master",
        "local[2]",
    )
    assert code == 0, err
    ours_json, theirs_json = json.loads(ours), json.loads(theirs)
    assert theirs_json.pop("engine") == "spark" and ours_json.pop("engine") == "sqlite"
    assert theirs_json == ours_json


JOBS_AT_MOST = 30
"""Spark jobs for a whole report (five presets and a rule file, on the demo world). Each job
costs the same stage and task overhead whatever the data, and that overhead was the
report's time in local mode: a step per flag table and the sums of each rule set read one
at a time took 70 jobs here."""


def test_the_report_runs_in_a_few_spark_jobs(spark, tmp_path):
    """Reading the Parquet, every video's audit in one query, the sums and the most exposed
    videos together: the jobs counted from Spark's own status tracker."""
    from tests.worlds import DEMO_TEST_KEY
    from wholiked.fixtures.demo import build_demo

    build_demo(tmp_path / "demo.db", noise_key=DEMO_TEST_KEY)
    service = Wholiked(open_database(tmp_path / "demo.db"))
    try:
        export_parquet(service.db, tmp_path / "pq")
    finally:
        service.close()
    context = spark.sparkContext
    context.setJobGroup("wholiked-report-jobs", "the report's jobs, counted")
    try:
        rule_sets = {**PRESETS, "mine": load_rule_file(EXAMPLE)}
        report(SparkEngine(str(tmp_path / "pq"), session=spark), rule_sets)
    finally:
        context.setLocalProperty("spark.jobGroup.id", None)
    jobs = context.statusTracker().getJobIdsForGroup("wholiked-report-jobs")
    assert 0 < len(jobs) <= JOBS_AT_MOST, len(jobs)


def test_spark_refuses_a_missing_folder_in_one_line(spark, capsys, tmp_path):
    code, out, err = run(
        capsys, "report", "--engine", "spark", "--parquet", str(tmp_path / "none"), "--json"
    )
    assert code == 2 and out == "" and err.count("\n") == 1 and "Parquet" in err
    code, _, err = run(capsys, "report", "--engine", "spark", "--json")
    assert code == 2 and "--parquet" in err


def test_local_mode_shuffles_into_a_few_partitions_per_core() -> None:
    """Spark's 200 shuffle partitions are a cluster's; local mode uses a few per core."""
    from wholiked.core.answers.report_spark import _local_cores

    assert _local_cores("local[3]") == 3 and _local_cores("local[2,4]") == 2
    assert _local_cores("local") == _local_cores("local[*]") >= 1

"""The platform report through the facade (omniscient: every video's audit as its
creator, added up, under every rule set), on the open file or by Spark over Parquet."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wholiked.core.rules.files import catalogue
from wholiked.core.service.door import Door

if TYPE_CHECKING:
    from pathlib import Path

    from wholiked.core.answers.report import PlatformReport
    from wholiked.core.rules.platform import Progress as StepProgress
    from wholiked.core.rules.presets import Preset


class Platform(Door):
    """The platform report, and the Parquet export its Spark engine reads."""

    @staticmethod
    def report_on_spark(
        source: str,
        *,
        files: tuple[Preset, ...] = (),
        master: str = "local[*]",
        progress: StepProgress | None = None,
    ) -> PlatformReport:
        """The platform report computed by Spark over the format's tables as Parquet under
        `source` (`export_parquet`'s folder, or any URI Spark reads), under every preset and
        these rule files: the same SQL as on a file, the same JSON apart from `engine`."""
        from wholiked.core.answers import report
        from wholiked.core.answers.report_spark import SparkEngine

        rule_sets = catalogue(list(files))
        return report.report(SparkEngine(source, master=master), rule_sets, progress=progress)

    def export_parquet(
        self, folder: Path, *, progress: StepProgress | None = None
    ) -> dict[str, int]:
        """Write the world's tables as Parquet under `folder` (one TABLE.parquet each), for
        the Spark engine; the rows written per table."""
        from wholiked.core.store.parquet import export_parquet

        return export_parquet(self.db, folder, progress)

    def report(self, *, progress: StepProgress | None = None) -> PlatformReport:
        """The platform report (omniscient): every video's audit as its creator, added up,
        under every preset and every rule file of the session."""
        from wholiked.core.answers import report

        return report.report(report.SqliteEngine(self.db), self.rule_sets, progress=progress)

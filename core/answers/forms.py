"""Each answer record's one JSON form and, for an answer with a list, its one row form.

The CLI's `--json` prints `json_form(record)`; `--csv` and `--nl` print the rows of
`row_form(record)`, the list part of the same answer with the same fields. The records
stay where they are made (likers, audit, compare...); their forms live here, one
function each, so every command writes a value the same way (README, "The command
line"): booleans as JSON's true/false, a missing value as null (an empty CSV cell), a
list or an object as its JSON (in a CSV cell too).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from wholiked.core.answers.analytics_records import Analytics, Totals, VideoFigures
    from wholiked.core.answers.audit import Audience, Audit
    from wholiked.core.answers.compare import Comparison
    from wholiked.core.answers.likers import Likers
    from wholiked.core.answers.report import PlatformReport
    from wholiked.core.answers.tips.common import Tip
    from wholiked.core.rules.policy import LikerRow

JSON = dict[str, Any]


class Rows(NamedTuple):
    """The list part of an answer: its fields (the CSV header) and one mapping per row."""

    fields: tuple[str, ...]
    rows: Iterable[Mapping[str, Any]]


def _liker(row: LikerRow) -> JSON:
    return {"handle": row.handle, "liked_at": row.liked_at, "reason": row.reason}


def likers_json(answer: Likers) -> JSON:
    return {
        "video_id": answer.video.id,
        "creator": answer.video.creator_handle,
        "total": answer.total,
        "identifiable": [_liker(r) for r in answer.identifiable],
        "anonymous": answer.anonymous,
    }


def likers_rows(answer: Likers) -> Rows:
    return Rows(("handle", "liked_at", "reason"), (_liker(r) for r in answer.identifiable))


def audience_json(answer: Audience) -> JSON:
    return {
        "video_id": answer.video.id,
        "liker": answer.liker.handle,
        "liked": answer.liked,
        "creator_can_see": answer.creator_can_see,
        "reason": answer.reason,
        "audience": answer.audience,
        "audience_at_most": answer.audience_at_most,
        "effectively_identifiable": answer.effectively_identifiable,
    }


def _audited(answer: Audit) -> list[JSON]:
    """Each liker; with an asker, their verdict and its reason too."""
    likers = []
    for r in answer.likers:
        item: JSON = {"handle": r.handle, "liked_at": r.liked_at}
        if answer.viewer is not None:
            item.update(identifiable=r.identifiable, reason=r.reason)
        likers.append(item)
    return likers


def audit_json(answer: Audit) -> JSON:
    report: JSON = {"video_id": answer.video.id, "total": answer.total, "likers": _audited(answer)}
    if answer.anonymity is not None:
        report["audience_count"] = answer.audience_count
        report["anonymity"] = {
            "anonymous": answer.anonymity.anonymous,
            "candidates": answer.anonymity.candidates,
            "effectively_identifiable": answer.anonymity.effectively_identifiable,
        }
    return report


def audit_rows(answer: Audit) -> Rows:
    verdicts = ("identifiable", "reason") if answer.viewer is not None else ()
    return Rows(("handle", "liked_at", *verdicts), _audited(answer))


COMPARE_FIELDS = (
    "preset",
    "can_view",
    "total",
    "identifiable",
    "anonymous",
    "creator_can_see_my_like",
    "reasons",
    "differs_from_seed",
)


def compare_json(answer: Comparison) -> JSON:
    return answer.as_json()


def compare_rows(answer: Comparison) -> Rows:
    """One row per preset: its JSON values (null where the asker cannot view) and the
    answers in which it differs from the seed."""
    rows = []
    for name, view in compare_json(answer)["presets"].items():
        row: JSON = {"preset": name}
        row.update(view or dict.fromkeys(COMPARE_FIELDS[1:-1]))
        row["can_view"] = view is not None
        row["differs_from_seed"] = answer.differs_from_seed(name)
        rows.append(row)
    return Rows(COMPARE_FIELDS, rows)


def _video_figures(v: VideoFigures) -> JSON:
    return {
        "video_id": v.video_id,
        "caption": v.caption,
        "posted_at": v.posted_at,
        "views": v.views,
        "likes": v.likes,
        "comments": v.comments,
        "shares": v.shares,
        "engagement_rate": v.engagement_rate,
    }


def _scope(video_id: int | None) -> str | JSON:
    return "all" if video_id is None else {"video_id": video_id}


def totals_json(answer: Totals | Analytics) -> JSON:
    """The public part (a personal account's whole answer): exact lifetime totals."""
    t = answer.totals
    return {
        "scope": _scope(answer.video_id),
        "window": answer.window,
        "totals": {
            "videos": t.videos,
            "likes": t.likes,
            "comments": t.comments,
            "views": t.views,
            "shares": t.shares,
            "engagement_rate": t.engagement_rate,
        },
        "videos": [_video_figures(v) for v in answer.videos],
    }


def analytics_json(answer: Analytics) -> JSON:
    """The public part and the day's release; released values as {"value", "margin90"}."""
    public = totals_json(answer)
    public["totals"]["likers"] = None if answer.likers is None else answer.likers.as_json()
    return {
        "scope": public["scope"],
        "window": answer.window,
        "release_day": answer.release_day,
        "privacy": asdict(answer.privacy),
        "totals": public["totals"],
        "breakdowns": {
            dimension: {bucket: r.as_json() for bucket, r in buckets.items()}
            for dimension, buckets in answer.breakdowns.items()
        },
        "new_likers_per_day": {d: r.as_json() for d, r in answer.new_likers_per_day.items()},
        "videos": public["videos"],
    }


def report_json(answer: PlatformReport) -> JSON:
    return answer.as_json()


def report_rows(answer: PlatformReport) -> Rows:
    """One row per rule set: its key and its platform-wide sums."""
    from wholiked.core.answers.report import CSV_FIELDS

    return Rows(CSV_FIELDS, answer.rows())


def tip_json(answer: Tip) -> JSON:
    """One tip; `wholiked tips --json` prints the list of them."""
    return {
        "id": answer.id,
        "perspective": answer.perspective,
        "title": answer.title,
        "detail": answer.detail,
        "evidence": answer.evidence,
    }


_JSON: dict[str, Callable[[Any], JSON]] = {
    "Likers": likers_json,
    "Audience": audience_json,
    "Audit": audit_json,
    "Comparison": compare_json,
    "PlatformReport": report_json,
    "Analytics": analytics_json,
    "Totals": totals_json,
    "Tip": tip_json,
}
_ROWS: dict[str, Callable[[Any], Rows]] = {
    "Likers": likers_rows,
    "Audit": audit_rows,
    "Comparison": compare_rows,
    "PlatformReport": report_rows,
}


def json_form(answer: object) -> JSON:
    """The answer's JSON (the CLI's contract)."""
    return _JSON[type(answer).__name__](answer)


def row_form(answer: object) -> Rows:
    """The list part of the answer, row by row (KeyError: this answer has no list)."""
    return _ROWS[type(answer).__name__](answer)


def has_rows(answer: object) -> bool:
    return type(answer).__name__ in _ROWS

"""What a list's find, filter and sort add to a query the rules already wrote.

They only narrow or order the rows the rules return (a find matches text, a filter keeps
one reason the rules gave, a sort orders), never decide who is seen. Every order ends in
a unique tiebreaker (a handle, a video id), so a keyset page under any sort starts
exactly where the last one stopped.
"""

from dataclasses import dataclass
from typing import NamedTuple

MATCH_LIMIT = 10_000
"""At most this many matches of a find are returned (their keys only, in the list's order)."""


@dataclass(frozen=True, slots=True)
class ListView:
    """How a list is shown: `sort` a key of the list's sorts ('' its own order), `only` a
    category to keep ('' every row)."""

    sort: str = ""
    only: str = ""


AS_LISTED = ListView()
"""A list in its own order, every row (the default of every list's query)."""


class SortKey(NamedTuple):
    """An SQL expression to order by, its direction, and how a row's cursor value reads."""

    sql: str
    descending: bool


LIKER_SORTS: dict[str, SortKey] = {
    "when": SortKey("l.liked_at", True),
    "handle": SortKey("u.handle", False),
    "name": SortKey("coalesce(u.display_name, '') COLLATE NOCASE", False),
}
"""The likers' and the audit's sorts (tiebreaker: the handle, ascending); '' is 'when'."""

VIDEO_SORTS: dict[str, SortKey] = {
    "posted": SortKey("x.posted_at", True),
    "likes": SortKey("{likes}", True),
    "views": SortKey("coalesce(x.views, -1)", True),
    "caption": SortKey("coalesce(x.caption, '') COLLATE NOCASE", False),
}
"""The video lists' sorts (tiebreaker: the video id, descending); '' is 'posted'.
`{likes}` stands for the like total's expression."""


PEOPLE_SORTS: dict[str, SortKey] = {
    "handle": SortKey("u.handle", False),
    "name": SortKey("coalesce(u.display_name, '') COLLATE NOCASE", False),
    "since": SortKey("coalesce(r.created_at, '')", True),
}
"""The People lists' sorts besides its own order (by the other account's id, which is also every
sort's tiebreaker, so a keyset page under any sort starts where the last one stopped)."""


def liker_sort(view: ListView) -> SortKey:
    return LIKER_SORTS.get(view.sort) or LIKER_SORTS["when"]


def video_sort(view: ListView) -> SortKey:
    return VIDEO_SORTS.get(view.sort) or VIDEO_SORTS["posted"]


def like_pattern(text: str) -> str:
    """A LIKE pattern (with ESCAPE '\\') matching the text anywhere, wildcards taken literally."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def find_text(text: str) -> str:
    """What a find looks for: the text without surrounding spaces or a leading @."""
    return text.strip().removeprefix("@")

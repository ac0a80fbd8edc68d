"""Audit: every liker of the selected video with the verdict for the acting user (rule 7).

Omniscient, so it is labelled as such on every line that could be mistaken
for a user's view, and it is a perspective of its own, never mixed into the
studio or the feed.
"""

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from wholiked.core.answers.wording import AUDIT_LABEL, error_line, liker_reason, plural, when
from wholiked.core.errors import NotPermitted
from wholiked.core.rules.policy import Cursor, LikerRow
from wholiked.core.service import Audit, ListView, User, Wholiked
from wholiked.tui import text
from wholiked.tui.screens.perspective import PerspectiveScreen, Targets
from wholiked.tui.widgets.acting_badge import ActingBadge
from wholiked.tui.widgets.app_state import app_state
from wholiked.tui.widgets.footer import KeysFooter
from wholiked.tui.widgets.list_table import Find, Listing, ListTable
from wholiked.tui.widgets.paged_table import PAGE_SIZE, Fetch, FetchLast, Page, PagedTable
from wholiked.tui.widgets.people_table import PeopleTable
from wholiked.tui.widgets.video_detail import (
    LIKER_SORT_COLUMNS,
    LIKER_SORTS,
    earlier_page,
    liker_page,
    quoted_caption,
    video_heading,
)

AUDIT_COLUMNS = (
    ("handle", "Handle"),
    ("verdict", "Verdict"),
    ("reason", "Reason"),
    ("when", "Liked (UTC)"),
    ("name", "Display name"),
)
"""The verdict and its reason come right after the handle. When the columns do not fit
(80 columns beside a long handle), the display name gives way first (to 12 cells), then the
time, a long handle, and last the reason (to 14 cells, "private, not f…"): nothing scrolls
sideways and the verdict is always whole (`AUDIT_LISTING.fit`)."""


def audit_cells(row: LikerRow) -> tuple[Text, ...]:
    if row.identifiable is None:
        verdict = "—"
    else:
        verdict = "identifiable" if row.identifiable else "HIDDEN"
    return (
        text.cell(text.handle(row.handle)),
        text.cell(verdict),
        text.cell(liker_reason(row.reason)),
        text.cell(when(row.liked_at)),
        text.cell(row.display_name),
    )


AUDIT_LISTING = Listing(
    "the audit",
    sorts=LIKER_SORTS,
    by_column=LIKER_SORT_COLUMNS,
    filters=(
        ("", "every liker"),
        ("hidden", "only the hidden likers"),
        ("identifiable", "only the identifiable likers"),
    ),
    fit={"name": 12, "when": 11, "handle": 16, "reason": 14},
)
"""h cycles every liker, only the hidden ones, only the identifiable ones (the verdict the
rules give the acting user, kept in SQL); s sorts."""


def audit_fetch(service: Wholiked, acting: User, video_id: int, view: ListView) -> Fetch:
    """Pages of every liker (or those with one verdict) with the verdict for the acting
    user, sorted as `view` says (runs in a worker)."""

    def fetch(after: Cursor | None) -> Page:
        result = service.audit(video_id, acting, limit=PAGE_SIZE, after=after, view=view)
        extra = None
        if after is None:
            likers = service.likers(video_id, acting, limit=0)
            extra = (result, likers.identifiable_count, likers.anonymous)
        return liker_page(result.likers, PAGE_SIZE, view, extra=extra, cells=audit_cells)

    return fetch


def audit_fetch_last(service: Wholiked, acting: User, video_id: int, view: ListView) -> FetchLast:
    """Pages from the end of the audit (End, then scrolling up); runs in a worker."""

    def fetch_last(before: Cursor | None) -> Page:
        rows = service.audit_page_from_end(
            video_id, acting, limit=PAGE_SIZE, before=before, view=view
        )
        return earlier_page(rows, PAGE_SIZE, view, cells=audit_cells)

    return fetch_last


def audit_find(service: Wholiked, acting: User, video_id: int, view: ListView) -> Find:
    """A find among the audit's likers (under its filter), in SQL (runs in a worker)."""

    def find(value: str) -> list[str]:
        found = service.find_likers(video_id, acting, value, audit=True, view=view)
        return [str(i) for i in found]

    return find


SHOWING = {
    "": "Showing every liker (h: only the hidden ones).",
    "hidden": "Showing only the hidden likers (h: only the identifiable ones).",
    "identifiable": "Showing only the identifiable likers (h: every liker).",
}


def anonymity_line(audit: Audit) -> str:
    """Rule 9 and rule 6 for the acting user, worded as `audit --as` prints them."""
    viewer, seen = audit.viewer, audit.anonymity
    if viewer is None or seen is None:
        return ""
    verdict = "effectively identifiable" if seen.effectively_identifiable else "hidden"
    return (
        f"For @{viewer.handle}: {seen.anonymous:,} anonymous among"
        f" {plural(seen.candidates, 'candidate')} ({verdict});"
        f" @{viewer.handle}'s like would be seen by exactly"
        f" {plural(audit.audience_count or 0, 'user')}."
    )


class AuditScreen(PerspectiveScreen):
    """The omniscient listing of the selected video, verdicts for the acting user.

    f and b act on the highlighted row, hidden likers included: this is where you
    can unblock a liker you blocked.
    """

    PERSPECTIVE = "Audit (omniscient)"
    # h (the list's filter) is named in the summary line, not the footer (no room at 80).

    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple[int, int, ListView] | None = None  # (video, user, view) shown

    @property
    def show(self) -> str:
        """What the list holds: "all", "hidden" or "identifiable" likers."""
        return self.table.view.only or "all"

    def on_list_table_view_changed(self, message: ListTable.ViewChanged) -> None:
        message.stop()
        self.reload()

    def compose(self) -> ComposeResult:
        yield ActingBadge(self.PERSPECTIVE, id="badge")
        with Vertical(id="audit-body"):
            yield Static(text.content(AUDIT_LABEL), id="audit-banner")
            yield Static(id="audit-heading", classes="heading")
            yield Static(id="audit-summary")
            yield PeopleTable(AUDIT_COLUMNS, AUDIT_LISTING, id="audit-likers")
        yield KeysFooter()

    @property
    def table(self) -> PeopleTable:
        return self.query_one("#audit-likers", PeopleTable)

    def on_mount(self) -> None:
        self.watch(self.app, "generation", self.data_changed, init=False)
        self.watch(self.app, "video_id", self.data_changed, init=False)
        self.reload()
        self.table.focus()

    def reload_data(self) -> None:
        self.reload()

    def targets(self) -> Targets:
        return Targets(None, self.table.user_at_cursor())

    def _say(self, heading: Content, summary: Content | str = "") -> None:
        self.query_one("#audit-heading", Static).update(heading)
        self.query_one("#audit-summary", Static).update(summary)

    def reload(self) -> None:
        state = app_state(self)
        video_id = state.video_id
        if video_id is None:
            self._say(
                text.content(
                    "No video selected. Pick one in the creator studio (c) or the viewer feed (v),"
                    " then press a."
                )
            )
            self.table.reset()
            self._shown = None
            return
        if self.table.row_count == 0:  # else the rows and their heading stay until replaced
            self._say(text.content(f"Loading the audit of video {video_id}…"))
        table, view, service = self.table, self.table.view, state.service
        keep = table.place()
        if keep is not None and self._shown != (video_id, state.acting.id, view):
            keep = keep.first_page_only()  # another list: its row only if on the first page
        self._shown = (video_id, state.acting.id, view)
        table.describe(
            f"audit-video-{video_id}-as-{state.acting.handle}",
            audit_find(service, state.acting, video_id, view),
        )
        table.load(
            audit_fetch(service, state.acting, video_id, view),
            keep=keep,
            fetch_last=audit_fetch_last(service, state.acting, video_id, view),
        )

    def on_paged_table_loaded(self, message: PagedTable.Loaded) -> None:
        message.stop()
        if not message.first:
            return
        audit: Audit
        audit, identifiable, hidden = message.page.extra
        acting = app_state(self).acting
        self._say(
            text.styled(
                "[b]$heading[/b]\n$caption",
                heading=video_heading(audit.video),
                caption=quoted_caption(audit.video.caption),
            ),
            text.styled(
                "$total in all. Verdicts for $handle: [b]$identifiable[/b] identifiable,"
                " [b]$hidden[/b] hidden from them (they see only the count of those).\n"
                "$anonymity\n$showing",
                total=plural(audit.total, "like"),
                handle=text.handle(acting.handle),
                identifiable=f"{identifiable:,}",
                hidden=f"{hidden:,}",
                anonymity=anonymity_line(audit),
                showing=SHOWING[self.table.view.only] + _sorted(self.table),
            ),
        )

    def on_paged_table_failed(self, message: PagedTable.Failed) -> None:
        message.stop()
        error = message.error
        video_id = app_state(self).video_id
        if isinstance(error, NotPermitted):
            acting = app_state(self).acting
            self._say(
                text.styled(
                    "[b]Not permitted:[/b] $error.",
                    error=str(error),
                ),
                text.content(
                    f"The audit shows verdicts for the acting user, and @{acting.handle} cannot"
                    f" view video {video_id} (its creator is private and they are not an approved"
                    " follower, or there is a block between them). Switch user (u) or pick"
                    " another video."
                ),
            )
            return
        self._say(text.content(error_line(error, app_state(self).service.label)))


def _sorted(table: ListTable) -> str:
    return f" Sorted by {table.sort_words()} (s)." if table.view.sort else ""

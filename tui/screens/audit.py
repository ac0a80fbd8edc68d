"""Audit: every liker of the selected video with the verdict for the acting user (rule 7).

Omniscient, so it is labelled as such on every line that could be mistaken
for a user's view, and it is a perspective of its own, never mixed into the
studio or the feed.
"""

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from wholiked.core.answers.wording import AUDIT_LABEL, error_line, liker_reason, plural, when
from wholiked.core.errors import NotPermitted
from wholiked.core.rules.policy import Cursor, LikerRow
from wholiked.core.service import Audit, User, Wholiked
from wholiked.tui import text
from wholiked.tui.screens.perspective import PerspectiveScreen, Targets
from wholiked.tui.widgets.acting_badge import ActingBadge
from wholiked.tui.widgets.app_state import app_state
from wholiked.tui.widgets.footer import KeysFooter
from wholiked.tui.widgets.paged_table import PAGE_SIZE, Fetch, FetchLast, Page, PagedTable
from wholiked.tui.widgets.people_table import PeopleTable
from wholiked.tui.widgets.video_detail import quoted_caption, video_heading

AUDIT_COLUMNS = (
    ("handle", "Handle"),
    ("verdict", "Verdict"),
    ("reason", "Reason"),
    ("when", "Liked (UTC)"),
    ("name", "Display name"),
)
"""The verdict and its reason come right after the handle, so at 80 columns they are always
whole (a long handle is 25 cells, the longest reason 24); a display name may run off the
right edge (scroll right to read it), never a verdict."""


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
        text.cell(row.display_name, limit=20),
    )


SHOWS = ("all", "hidden", "identifiable")
"""What the audit lists (h cycles): every liker, or only those with one verdict."""


def _shown(row: LikerRow, show: str) -> bool:
    return show == "all" or row.identifiable == (show == "identifiable")


def _cursor(row: LikerRow) -> Cursor:
    return (row.liked_at, row.handle)


def audit_fetch(service: Wholiked, acting: User, video_id: int, show: str = "all") -> Fetch:
    """Pages of every liker (or those with one verdict: pages are read until one is full)
    with the verdict for the acting user (runs in a worker)."""

    def fetch(after: Cursor | None) -> Page:
        rows: list[LikerRow] = []
        first: Audit | None = None
        cursor = after
        while True:
            result = service.audit(video_id, acting, limit=PAGE_SIZE, after=cursor)
            first = first or result
            scanned = result.likers
            rows += [r for r in scanned if _shown(r, show)]
            cursor = _cursor(scanned[-1]) if len(scanned) >= PAGE_SIZE else None
            if cursor is None or len(rows) >= PAGE_SIZE:
                break
        extra = None
        if after is None:
            likers = service.likers(video_id, acting, limit=0)
            extra = (first, likers.identifiable_count, likers.anonymous)
        return Page([(str(r.user_id), audit_cells(r)) for r in rows], after=cursor, extra=extra)

    return fetch


def audit_fetch_last(
    service: Wholiked, acting: User, video_id: int, show: str = "all"
) -> FetchLast:
    """Pages from the end of the audit (End, then scrolling up); runs in a worker."""

    def fetch_last(before: Cursor | None) -> Page:
        rows: list[LikerRow] = []
        cursor = before
        while True:
            scanned = service.audit_page_from_end(video_id, acting, limit=PAGE_SIZE, before=cursor)
            rows = [r for r in scanned if _shown(r, show)] + rows
            cursor = _cursor(scanned[0]) if len(scanned) >= PAGE_SIZE else None
            if cursor is None or len(rows) >= PAGE_SIZE:
                break
        return Page([(str(r.user_id), audit_cells(r)) for r in rows], after=cursor)

    return fetch_last


SHOWING = {
    "all": "Showing every liker (h: only the hidden ones).",
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
    # Named in the summary line, not the footer (at 80 columns it has no room for it).
    BINDINGS = [Binding("h", "show_next", "Hidden/all", show=False, id="audit-filter")]

    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple[int, int, str] | None = None  # (video, user, filter) of the rows
        self.show = "all"
        """What the list holds: "all", "hidden" or "identifiable" likers."""

    def action_show_next(self) -> None:
        """h: all likers, then only the hidden ones, then only the identifiable ones."""
        self.show = SHOWS[(SHOWS.index(self.show) + 1) % len(SHOWS)]
        self.reload()

    def compose(self) -> ComposeResult:
        yield ActingBadge(self.PERSPECTIVE, id="badge")
        with Vertical(id="audit-body"):
            yield Static(text.content(AUDIT_LABEL), id="audit-banner")
            yield Static(id="audit-heading", classes="heading")
            yield Static(id="audit-summary")
            yield PeopleTable(AUDIT_COLUMNS, id="audit-likers")
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
        keep = self.table.place()
        if keep is not None and self._shown != (video_id, state.acting.id, self.show):
            keep = keep.first_page_only()  # another list: its row only if on the first page
        self._shown = (video_id, state.acting.id, self.show)
        self.table.load(
            audit_fetch(state.service, state.acting, video_id, self.show),
            keep=keep,
            fetch_last=audit_fetch_last(state.service, state.acting, video_id, self.show),
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
                showing=SHOWING[self.show],
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

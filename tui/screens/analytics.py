"""Analytics: aggregate numbers of the acting user's own videos that never identify a liker.

A creator account sees its analytics for the selected video or all its videos
(s toggles) over a window (w cycles 7d / 28d / 60d / all): exact public totals,
the daily release's blurred values as `≈ n ± m` (new likers per day as a
sparkline, one bar chart per breakdown, values too few to tell from the noise
without a bar), the release day and ε in words, and a per-video table. A
personal account sees the public totals and the tip saying what a creator
account would add.

Big creators take seconds: the numbers are computed in a thread worker, a
loading indicator shows when that is slow, and a result asked for an older
scope, window, acting user or data (the token) is dropped. What is shown stays
until the new report replaces all of it in one go (the indicator covers it if
that takes long), and the blocks are updated in place, not mounted again.
"""

from dataclasses import dataclass, replace

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Sparkline, Static

from wholiked.core.answers.analytics import WINDOWS
from wholiked.core.answers.wording import (
    error_line,
    odometer_words,
    plural,
    released,
    video_scope_cell,
    video_scope_words,
)
from wholiked.core.errors import NotPermitted
from wholiked.core.service import Analytics, Totals, User, Wholiked
from wholiked.tui import text
from wholiked.tui.screens.perspective import WIDE, PerspectiveScreen
from wholiked.tui.widgets.acting_badge import ActingBadge
from wholiked.tui.widgets.app_state import app_state
from wholiked.tui.widgets.bars import breakdown_block, percent, sparkline_data
from wholiked.tui.widgets.fitted_table import FittedTable
from wholiked.tui.widgets.footer import KeysFooter
from wholiked.tui.widgets.loading import LoadsSoon

WINDOW_ORDER = tuple(WINDOWS)  # 7d, 28d, 60d, all
VIDEO_ROWS = 200
VIDEO_COLUMNS = ("Video", "Caption", "Views", "Likes", "Comments", "Shares", "Rate")
OWN_COLUMN = "Own"
"""Whether the video has analytics of its own today: shown when the world sets a rule."""
PERSONAL_TIP = (
    "Analytics are for creator accounts. A creator account adds, for your own videos, a"
    " daily release: new likers per day, and likers by age band, region, language, device"
    " and hour, each count blurred on purpose so that no one is identified."
)


@dataclass(frozen=True)
class Report:
    """What one computation found, for the token it was asked with."""

    token: int
    data: Analytics | Totals | None = None
    tip: str = ""
    note: str = ""
    error: str = ""
    scope: str = ""
    """What the numbers cover, in words ('video 3', 'all your videos')."""


def window_words(window: str) -> str:
    return "all time" if window == "all" else f"the last {WINDOWS[window]} days"


def compute(service: Wholiked, acting: User, video_id: int | None, window: str) -> Report:
    """The analytics (creator) or totals (personal) of the scope; runs in a worker.

    A selected video that is not the acting user's own falls back to all their videos.
    """
    note = ""
    if video_id is not None and service.video(video_id).creator_id != acting.id:
        note = (
            f"Video {video_id}, selected in the feed, is not yours: analytics cover your own"
            " videos, so all of them are shown."
        )
        video_id = None
    scope = "all your videos" if video_id is None else f"your video {video_id}"
    if acting.is_creator:
        found = service.analytics(acting, video_id=video_id, window=window)
        return Report(0, found, note=note, scope=scope)
    tip = next((t.detail for t in service.tips(acting) if t.id == "creator_account"), PERSONAL_TIP)
    data = service.totals(acting, video_id=video_id, window=window)
    return Report(0, data, tip=tip, note=note, scope=scope)


class AnalyticsBody(LoadsSoon, VerticalScroll):
    """The scrolling body; a loading indicator covers it while a slow computation runs."""


class AnalyticsScreen(PerspectiveScreen):
    """Aggregate analytics of your own videos: s scope, w window."""

    BINDINGS = [
        Binding("s", "scope", "Scope", id="analytics-scope"),
        Binding("w", "window", "Window", id="analytics-window"),
        # Working here, not shown here, so the footer keeps six keys.
        Binding("a", "app.perspective('audit')", show=False, id="audit"),
    ]

    @dataclass
    class Computed(Message):
        report: Report

    def __init__(self) -> None:
        super().__init__()
        self.window = "28d"
        self.one_video = False
        self._token = 0
        self.report: Report | None = None
        self._drawn = False  # a report (or an error) is on screen
        self._asked = ""  # the scope asked for, in words (the heading when a report has none)

    def compose(self) -> ComposeResult:
        yield ActingBadge("Analytics", id="badge")
        with AnalyticsBody(id="analytics-body"):
            yield Static(id="an-heading", classes="heading")
            yield Static(id="an-note", classes="note")
            yield Static(id="an-totals")
            yield Static(id="an-days-title", classes="subheading")
            yield Sparkline([], id="an-sparkline")
            yield Static(id="an-days-note", classes="dim-note")
            yield Static(id="an-release", classes="dim-note")
            yield Static(id="an-withheld", classes="withheld")
            yield Grid(id="an-breakdowns")
            yield Static(id="an-videos-title", classes="subheading")
            yield FittedTable(id="an-videos", cursor_type="row", zebra_stripes=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one("#an-videos", DataTable)
        for column in VIDEO_COLUMNS:
            table.add_column(column, key=column.lower())
        self.watch(self.app, "generation", self.data_changed, init=False)
        self.query_one(AnalyticsBody).focus()  # arrows and PgDn scroll the breakdowns
        self.reload_data()

    def on_screen_resume(self) -> None:
        # PerspectiveScreen's handler runs too (Textual calls each class's handler).
        if self.one_video and self.report is not None:
            self.reload_data()  # another video may have been selected meanwhile
        else:
            self._fit_breakdowns()  # the terminal may have been resized meanwhile

    # --- keys -----------------------------------------------------------------------------

    def action_scope(self) -> None:
        self.one_video = not self.one_video
        self.reload_data()

    def action_window(self) -> None:
        self.window = WINDOW_ORDER[(WINDOW_ORDER.index(self.window) + 1) % len(WINDOW_ORDER)]
        self.reload_data()

    # --- loading --------------------------------------------------------------------------

    def reload_data(self) -> None:
        state = app_state(self)
        self._token += 1
        self.report = None
        video_id = state.video_id if self.one_video else None
        scope = f"video {video_id}" if video_id is not None else "all your videos"
        if self.one_video and video_id is None:
            scope += " (select a video in the studio first)"
        self._asked = scope
        if not self._drawn:
            self._heading(scope)  # else what is shown stays until the new report is in
        self.query_one(AnalyticsBody).loading_soon()
        self._compute(state.service, state.acting, video_id, self.window, self._token)

    @work(thread=True, exclusive=True, group="analytics", exit_on_error=False)
    def _compute(
        self, service: Wholiked, acting: User, video_id: int | None, window: str, token: int
    ) -> None:
        try:
            report = compute(service, acting, video_id, window)
        except NotPermitted as exc:
            report = Report(0, error=f"Not permitted: {error_line(exc, service.label)}")
        except Exception as exc:  # a readable line, never a crash
            report = Report(0, error=error_line(exc, service.label))
        self.post_message(self.Computed(replace(report, token=token)))

    def _heading(self, scope: str) -> None:
        self._set(
            "an-heading",
            text.styled(
                "[b]Analytics of $scope · $window[/b]  (s: one video / all · w: 7d, 28d, 60d, all)",
                scope=scope,
                window=window_words(self.window),
            ),
        )

    def on_analytics_screen_computed(self, message: Computed) -> None:
        message.stop()
        report = message.report
        if report.token != self._token:
            return  # asked for another scope, window, acting user or data
        self.query_one(AnalyticsBody).loaded()
        self.report = report
        self._drawn = True
        with self.app.batch_update():
            self._clear()
            self._heading(report.scope or self._asked)  # what is shown, when it says
            if report.error or report.data is None:
                self._set("an-note", text.content(report.error))
                return
            self._show(report)

    # --- drawing --------------------------------------------------------------------------

    def _set(self, widget_id: str, content: Content | str) -> None:
        widget = self.query_one(f"#{widget_id}", Static)
        widget.update(content)
        widget.display = bool(content)  # no blank gap where there is nothing to say

    def _clear(self) -> None:
        for widget_id in (
            "an-note",
            "an-totals",
            "an-days-title",
            "an-days-note",
            "an-release",
            "an-withheld",
            "an-videos-title",
        ):
            self._set(widget_id, "")
        self.query_one("#an-sparkline", Sparkline).data = []
        self.query_one("#an-sparkline").display = False
        for block in self.query_one("#an-breakdowns", Grid).children:
            block.display = False  # kept for the next report's blocks (see _show_creator)
        self.query_one("#an-videos", DataTable).clear()

    def _show(self, report: Report) -> None:
        data = report.data
        assert data is not None
        t = data.totals
        self._set("an-note", text.content(report.note))
        self._set(
            "an-totals",
            text.content(
                f"{plural(t.videos, 'video')} · {plural(t.likes, 'like')}"
                f" · {plural(t.comments, 'comment')} · {plural(t.views, 'view')}"
                f" · {plural(t.shares, 'share')} · engagement"
                f" {percent(t.engagement_rate)} (likes per view; lifetime public totals, exact)"
            ),
        )
        if isinstance(data, Analytics):
            self._show_creator(data)
        else:
            self._set(
                "an-withheld",
                text.styled("[b]Tip: switch to a creator account[/b]\n$tip", tip=report.tip),
            )
        self._show_videos(data)

    def _show_creator(self, data: Analytics) -> None:
        privacy = data.privacy
        threshold = privacy.threshold
        scopes = video_scope_words(privacy.video_scopes, data.video_id, data.totals.likes)
        if data.likers is None:  # a video with too few likes: nothing of it is released
            self._set(
                "an-release",
                text.content(scopes + " " + odometer_words(privacy.odometer, data.release_day)),
            )
            return
        likers = released(data.likers)
        self._set(
            "an-release",
            text.content(
                f"Daily release of {data.release_day} (likes before 00:00 UTC): liker"
                f" accounts in {window_words(data.window)}: {likers}. Counts are blurred on"
                f" purpose with random noise (privacy budget ε = {privacy.epsilon:g} a day),"
                " so no answer tells whether one account liked. The counts are made to agree"
                " (breakdowns add up, longer windows hold more); ± is a 90% margin, and a"
                f" count is shown only when it stands clear of it (and is at least {threshold}). "
                + (scopes + " " if scopes else "")
                + odometer_words(privacy.odometer, data.release_day)
            ),
        )
        days = data.new_likers_per_day
        dates = [d for d in days if d != "earlier"]
        if dates:
            values, below = sparkline_data(days)
            self._set(
                "an-days-title",
                text.content(f"New likers per day, {dates[0]} to {dates[-1]} (UTC, blurred)"),
            )
            spark = self.query_one("#an-sparkline", Sparkline)
            spark.display = True
            spark.data = values
            earlier = released(days["earlier"])
            note = f"Before {dates[0]}: {earlier}."
            if below:
                note += f" {plural(below, 'day')} too few to tell, drawn at the bottom."
            self._set("an-days-note", text.content(note))
        self._show_breakdowns(data)

    def _show_breakdowns(self, data: Analytics) -> None:
        grid = self.query_one("#an-breakdowns", Grid)
        column = self._breakdown_column()
        blocks = [
            breakdown_block(dimension, buckets, data.privacy.threshold, column)
            for dimension, buckets in data.breakdowns.items()
        ]
        shown = list(grid.query_children(Static))
        for widget, block in zip(shown, blocks, strict=False):
            widget.update(block)
            widget.display = True
        if len(blocks) > len(shown):
            grid.mount_all(Static(b, classes="breakdown") for b in blocks[len(shown) :])

    def _breakdown_column(self) -> int:
        """Cells of one column of the breakdowns' grid at the terminal's width now (the grid
        has 2 columns below the app's "-wide" breakpoint, 3 from there: wholiked.tcss; the
        body's padding and scrollbar take 4 cells, each gutter 2). From the width, not the
        screen's class: a screen in the background is resized before its class follows."""
        width = self.app.size.width
        columns = 3 if width >= WIDE else 2
        return (width - 4 - 2 * (columns - 1)) // columns

    def _fit_breakdowns(self) -> None:
        report = self.report
        if report is not None and isinstance(report.data, Analytics):
            self._show_breakdowns(report.data)

    def on_resize(self) -> None:
        self._fit_breakdowns()

    def _show_videos(self, data: Analytics | Totals) -> None:
        videos = data.videos
        scopes = data.privacy.video_scopes if isinstance(data, Analytics) else None
        own = scopes is not None and scopes.min_likes > 0
        shown = videos[:VIDEO_ROWS]
        more = f" (the first {VIDEO_ROWS:,} shown)" if len(videos) > VIDEO_ROWS else ""
        self._set(
            "an-videos-title", text.content(f"Per video: {plural(len(videos), 'video')}{more}")
        )
        table = self.query_one("#an-videos", DataTable)
        if own != (OWN_COLUMN.lower() in table.columns):
            if own:
                table.add_column(OWN_COLUMN, key=OWN_COLUMN.lower())
            else:
                table.remove_column(OWN_COLUMN.lower())
        for v in shown:
            cells = [] if scopes is None or not own else [video_scope_cell(scopes, v.video_id)]
            table.add_row(
                text.cell(str(v.video_id), justify="right"),
                text.cell(v.caption or "(no caption)", limit=30),
                text.number_cell(v.views),
                text.number_cell(v.likes),
                text.number_cell(v.comments),
                text.number_cell(v.shares),
                text.cell(percent(v.engagement_rate), justify="right"),
                *(text.cell(c) for c in cells),
                key=str(v.video_id),
            )

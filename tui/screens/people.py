"""People (F): the acting user's followers, whom they follow, the follow requests to them and
the accounts they blocked, one list at a time with every list's count.

F (or a click on a tab) shows the next list; f follows or unfollows the highlighted person,
b blocks or unblocks them (a block asks first), and on the requests a approves, d declines.
r and B open it on the requests and the blocked accounts. "Who can see my like" in the feed
opens it on the followers: for a private account, the people that panel means.

Each list is paged (200 rows at a time, by keyset in the service), so 100,000 followers
cost one page at a time; a change runs through the app like every other and the list
reloads with the app's generation, keeping the cursor on the row it acted on (a notice
says so when the row left the list, as an answered request does).
"""

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static, Tab, Tabs

from wholiked.core.answers.wording import error_line, plural
from wholiked.core.service import ListView, PeopleCounts, Person, User, Which, Wholiked
from wholiked.tui import changes, text
from wholiked.tui.read_only import shown_keys
from wholiked.tui.screens.perspective import Targets
from wholiked.tui.widgets.app_state import app_state
from wholiked.tui.widgets.list_table import Find, Listing, ListTable
from wholiked.tui.widgets.paged_table import PAGE_SIZE, Fetch, Page, PagedTable
from wholiked.tui.widgets.people_table import PeopleTable

LISTS: tuple[Which, ...] = ("followers", "following", "requests", "blocked")
TITLES = {
    "followers": "Followers",
    "following": "Following",
    "requests": "Requests",
    "blocked": "Blocked",
}
COLUMNS = (
    ("handle", "Handle"),
    ("name", "Display name"),
    ("account", "Account"),
    ("since", "Since"),
    ("between", "Between you"),
)
YOURS = {"approved": "you follow", "pending": "you asked"}
THEIRS = {"approved": "follows you", "pending": "asks you"}


def note_for(which: str, acting: User) -> str:
    """What the list means for this account, in words."""
    if which == "followers":
        if acting.is_private:
            return (
                "Your approved followers. Your account is private: they are the only accounts"
                " that can see your likes (on the videos they can view) — the people 'who can"
                " see my like' means."
            )
        return (
            "Your followers. Your account is public: everyone who can view a video can see"
            " your like on it, followers or not."
        )
    if which == "following":
        return (
            "The accounts you follow, and the requests you sent that are still pending. You"
            " see the likes of the private ones among them once they approve you."
        )
    if which == "requests":
        if acting.is_private:
            return (
                "Approving (a) makes them an approved follower: they can then see your videos"
                " and identify your likes. Declining (d) removes the request."
            )
        return (
            "Your account is public: new followers are approved at once (going public approves"
            " every pending request), so there is usually nothing to answer here."
        )
    return (
        "Neither of you sees the other's videos or likes while a block lasts. b unblocks;"
        " the follows the block removed stay removed."
    )


def between(person: Person) -> str:
    """How the acting user and this person follow each other, in a few words ('you asked':
    your request is pending; 'asks you': theirs is)."""
    if person.following == person.followed_by == "approved":
        return "mutual"
    words = [YOURS.get(person.following or ""), THEIRS.get(person.followed_by or "")]
    return " · ".join(w for w in words if w)


def person_cells(person: Person) -> tuple[Text, ...]:
    """Narrow cells, so the five columns fit 80 columns: the display name cut at 16, the
    account's privacy in a word, the day only."""
    user = person.user
    account = "private" if user.is_private else "public"
    return (
        text.cell(text.handle(user.handle)),
        text.cell(user.display_name, limit=16),
        text.cell(account),
        text.cell((person.since or "")[:10]),
        text.cell(between(person)),
    )


def people_fetch(service: Wholiked, acting: User, which: Which, view: ListView) -> Fetch:
    """Pages of one list, sorted as `view` says; the first one carries every list's count."""

    def fetch(after: Any) -> Page:
        counts = service.people_counts(acting) if after is None else None
        rows = service.people_page(acting, which, limit=PAGE_SIZE, after=after, view=view)
        more = service.people_cursor(rows[-1], view) if len(rows) >= PAGE_SIZE else None
        return Page([(str(p.user.id), person_cells(p)) for p in rows], after=more, extra=counts)

    return fetch


def people_find(service: Wholiked, acting: User, which: Which, view: ListView) -> Find:
    def find(value: str) -> list[str]:
        return [str(i) for i in service.find_people(acting, which, value, view=view)]

    return find


PEOPLE_LISTING = Listing(
    "the people",
    sorts=(
        ("", "account id (as stored)"),
        ("handle", "handle A–Z"),
        ("name", "display name A–Z"),
        ("since", "newest first"),
    ),
    by_column={"handle": "handle", "name": "name", "since": "since"},
)
"""/ finds a handle or display name, s sorts (or a click on a column's header), e exports
the list under its sort; all in SQL, so a list of 100,000 stays paged."""


class PeopleList(PeopleTable):
    """The People screen's table: F shows the next list (and says so in the footer)."""

    BINDINGS = [Binding("F", "app.people", "Next list", id="people-next")]


class PeopleScreen(ModalScreen[None]):
    """One of the acting user's four lists of people, with the keys that act on them."""

    DEFAULT_CSS = """
    PeopleScreen {
        align: center middle;
    }
    #people {
        width: 100%;
        height: 100%;
        background: $surface;
    }
    #people-title, #people-note, #people-status {
        height: auto;
    }
    #people-note {
        color: $text-muted;
    }
    #people-table {
        height: 1fr;
    }
    """

    BINDINGS = [
        Binding("F", "next_list", "Next list", id="people-next"),
        Binding("a", "answer(True)", "Approve", id="request-approve"),
        Binding("d", "answer(False)", "Decline", id="request-decline"),
        Binding("B", "show('blocked')", "Blocked", show=False, id="people-blocked"),
        Binding("escape", "close", "Back", id="people-close"),
    ]

    def __init__(self, which: str = "followers") -> None:
        super().__init__()
        self.which: Which = which if which in LISTS else "followers"
        self.counts: PeopleCounts | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="people"):
            yield Static(id="people-title")
            yield Tabs(
                *(Tab(TITLES[w], id=f"people-{w}") for w in LISTS),
                active=f"people-{self.which}",
                id="people-tabs",
            )
            yield Static(id="people-note")
            yield PeopleList(COLUMNS, PEOPLE_LISTING, id="people-table")
            yield Static(id="people-status")
        yield Footer()

    @property
    def table(self) -> PeopleTable:
        return self.query_one("#people-table", PeopleTable)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The keys the footer shows: on a read-only file, not those that change it."""
        return shown_keys(self, super().active_bindings)

    def on_mount(self) -> None:
        self.table.focus()
        self.watch(self.app, "generation", self._reload, init=False)
        self._load(keep=False)

    def targets(self) -> Targets:
        """The highlighted person (what f and b act on)."""
        return Targets(None, self.table.user_at_cursor())

    # --- the lists -----------------------------------------------------------------

    def show(self, which: str) -> None:
        """Show another list (r, B and F, a tab)."""
        if which in LISTS and which != self.which:
            self.query_one(Tabs).active = f"people-{which}"  # its message loads the list

    def action_show(self, which: str) -> None:
        self.show(which)

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        event.stop()
        which = (event.tab.id or "").removeprefix("people-")
        if which in LISTS and which != self.which:
            self.which = which
            self._load(keep=False)
            self.table.focus()

    def _reload(self, _generation: int | None = None) -> None:
        self._load(keep=True)

    def _load(self, *, keep: bool) -> None:
        """Load the list shown, for the acting user now; after a change, on the same row."""
        state = app_state(self)
        acting = state.acting
        self.query_one("#people-title", Static).update(self._heading(state.service, acting))
        self.query_one("#people-note", Static).update(text.content(note_for(self.which, acting)))
        table = self.table
        place = table.place() if keep else None
        table.describe(
            f"{self.which}-of-{acting.handle}",
            people_find(state.service, acting, self.which, table.view),
        )
        table.load(people_fetch(state.service, acting, self.which, table.view), keep=place)
        self.refresh_bindings()

    def _heading(self, service: Wholiked, acting: User) -> Content:
        return text.styled(
            "[b]People of $handle[/b] ($privacy account) │ $file",
            handle=text.handle(acting.handle),
            privacy="private" if acting.is_private else "public",
            file=service.file_name + ("" if service.writable else " (read-only)"),
        )

    def on_list_table_view_changed(self, message: ListTable.ViewChanged) -> None:
        message.stop()
        self._load(keep=False)

    def on_paged_table_loaded(self, message: PagedTable.Loaded) -> None:
        message.stop()
        if message.first and isinstance(message.page.extra, PeopleCounts):
            self.counts = message.page.extra
            for which in LISTS:
                label = f"{TITLES[which]} ({self.counts.of(which):,})"
                self.query_one(f"#people-{which}", Tab).label = label
        self._show_status()
        app_state(self).targets_changed()

    def on_paged_table_failed(self, message: PagedTable.Failed) -> None:
        message.stop()
        error = error_line(message.error, app_state(self).service.label)
        self.query_one("#people-status", Static).update(text.content(error))

    def _show_status(self) -> None:
        table = self.table
        total = self.counts.of(self.which) if self.counts is not None else table.row_count
        one, many = {
            "followers": ("follower", "followers"),
            "following": ("account you follow", "accounts you follow"),
            "requests": ("pending request", "pending requests"),
            "blocked": ("blocked account", "blocked accounts"),
        }[self.which]
        shown = plural(total, one, many)
        if table.view.sort:
            shown += f", by {table.sort_words()}"
        if not table.complete:
            shown += f"; {table.row_count:,} loaded, more as you scroll"
        self.query_one("#people-status", Static).update(text.content(shown + "."))

    # --- keys ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer":
            if self.which != "requests":
                return False  # only the requests are answered
            return self.table.user_at_cursor() is not None or None
        return True

    def action_next_list(self) -> None:
        self.show(LISTS[(LISTS.index(self.which) + 1) % len(LISTS)])

    def action_answer(self, approve: bool) -> None:
        if (user_id := self.table.user_at_cursor()) is not None:
            app_state(self).run_change(changes.answer_request(user_id, approve=approve))

    def action_close(self) -> None:
        self.dismiss(None)

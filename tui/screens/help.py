"""Help and FAQ: the keys, the rules in plain words, the platform presets (one line each,
with what the platform documents), and the seed's questions answered live under the
preset in use."""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from wholiked.core.answers.wording import PRIVATE_RULE_NOTE, error_line, preset_sources_line
from wholiked.core.service import PRESETS, User, Wholiked
from wholiked.tui import text
from wholiked.tui.read_only import NEEDS_WRITE_NOTE
from wholiked.tui.widgets.app_state import app_state

if TYPE_CHECKING:
    from wholiked.core.service import FaqAnswer

KEYS = (
    ("c", "Creator studio: your own videos and who liked them"),
    (
        "n",
        "Analytics of your own videos: totals, likes per day, breakdowns (creator accounts;"
        " a personal account sees totals)",
    ),
    ("s", "Analytics: the video selected in the studio, or all your videos"),
    (
        "/",
        "Find in the list that has focus (likers, audit, your videos, the feed): a handle,"
        " display name or caption; a match not loaded yet is read up to",
    ),
    ("n N", "After a find: the next and the previous match (round the ends)"),
    (
        "s",
        "In a list: sort it (likers and audit: newest like, handle, display name; videos:"
        " newest, likes, views, caption); a click on a column's header sorts by it",
    ),
    (
        "h",
        "In a list: filter it (likers by why you can see them, the audit by verdict: hidden"
        " or identifiable, the feed by whether you liked the video)",
    ),
    (
        "e",
        "Export the list that has focus as CSV: every row under its filter and sort, into"
        " exports/ in the data folder (the notice names the file)",
    ),
    ("w", "Analytics: next window (7 days, 28 days, 60 days, all time)"),
    ("t", "Show or hide your tips (creator tips in the studio, viewer tips in the feed)"),
    ("v", "Viewer feed: videos you can view, likers you can identify, who can see your like"),
    ("a", "Audit (omniscient) of the selected video, verdicts for the acting user"),
    ("u", "Switch the acting user (type to filter)"),
    (
        "R",
        "Platform rules (F2 too): answer under the seed, TikTok, Instagram, X or YouTube"
        " rules; every view follows, and the top bar names the rules when not the seed",
    ),
    ("C", "Compare platforms: the selected video and you under every preset, side by side"),
    ("P", "Platform audit (omniscient): every video's audit as its creator, under every rule set"),
    ("l", "Like or unlike the selected video (studio, feed)"),
    (
        "f",
        "Follow or unfollow: the highlighted liker when the likers or audit table has focus,"
        " else the selected video's creator (a request, pending, if they are private)",
    ),
    (
        "b",
        "Block or unblock: the same account as f (a block asks first: it removes follows"
        " both ways, and unblocking does not restore them)",
    ),
    (
        "p",
        "Make your account public or private (going public asks first: it approves every"
        " pending request and shows your likes to everyone who can view the videos)",
    ),
    (
        "F",
        "People: your followers, whom you follow, the requests to you and the accounts you"
        " blocked, with counts; F shows the next list, f follows or unfollows, b blocks or"
        " unblocks, a and d answer a request, Esc goes back. 'Who can see my like' opens it"
        " on your followers",
    ),
    ("r", "People, on the follow requests to you: a approves, d declines"),
    ("B", "People, on the accounts you blocked: b unblocks"),
    (
        "W",
        "Reopen writable: a file opened read-only (--db without --write, as the top bar says)"
        " opened again writable, so the keys that change it work",
    ),
    (
        "ctrl+p",
        "Command palette: 'act as' and a name, 'open video' and an id or caption words; type"
        " 'follow', 'unfollow', 'block' or 'unblock' and a name to act on any account",
    ),
    ("↑ ↓ PgUp PgDn", "Move in a list; long lists load more as you near the end"),
    ("enter", "Open the highlighted video's likers / choose in a dialog"),
    ("tab", "Move between the video list and the likers table"),
    ("?", "This help (Esc closes it)"),
    ("q", "Quit (ctrl+q too)"),
)

WRITE_KEYS = frozenset({"l", "f", "b", "p", "r", "B"})
"""Keys whose action changes the file (r and B: their dialogs' answers and unblocks)."""

RULES = (
    "You can view a video if it is yours, or if neither of you has blocked the other and the"
    " creator is public or you are their approved follower.",
    "Everyone who can view a video sees its like total: every like, from every account.",
    "A liker is identifiable to you if it is you, or if neither of you has blocked the other and"
    " they are public or you are their approved follower. A pending follow request is not"
    " approval. Being the creator gives no extra power.",
    "Everyone else is anonymous: shown only as a count (never as rows, times or positions).",
    "The audit lists every liker with the verdict for the acting user. It is omniscient: no"
    " user of the platform sees it.",
)


class HelpScreen(ModalScreen[None]):
    """Keys, rules and live FAQ answers for the acting user."""

    BINDINGS = [
        Binding("escape,question_mark", "close", "Close", id="help-close"),
        Binding("q", "app.quit", "Quit", id="help-quit"),
    ]

    @dataclass
    class Answers(Message):
        generation: int
        answers: list["FaqAnswer"] = field(default_factory=list)
        error: str = ""

    def __init__(self, service: Wholiked, acting: User) -> None:
        super().__init__()
        self.service = service
        self.acting = acting

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(self._heading(), id="help-heading", classes="heading")
            yield Static(text.content("Computing your numbers…"), id="help-faq")
            yield Static(text.styled("[b]The rules, in plain words[/b]"), classes="heading")
            yield Static(text.lines(*(f"• {rule}" for rule in RULES)), id="help-rules")
            yield Static(text.content(PRIVATE_RULE_NOTE), id="help-model", classes="note")
            yield Static(text.styled("[b]Platform presets (R to switch)[/b]"), classes="heading")
            yield Static(id="help-in-use")
            yield Static(
                text.lines(*(f"• {preset_sources_line(p)}" for p in PRESETS.values())),
                id="help-presets",
            )
            yield Static(text.styled("[b]Keys[/b]"), classes="heading")
            with Grid(id="help-keys"):
                for key, what in KEYS:
                    if key in WRITE_KEYS and not self.service.writable:
                        what = f"{what} ({NEEDS_WRITE_NOTE})"
                    yield Static(text.content(key), classes="key")
                    yield Static(text.content(what))
        yield Footer()

    def _heading(self) -> Content:
        return text.styled(
            "[b]Help — your questions, answered for $handle with your numbers[/b]",
            handle=text.handle(self.acting.handle),
        )

    def on_mount(self) -> None:
        self.query_one("#help").focus()
        self.watch(self.app, "generation", self._recompute, init=False)
        self._recompute()

    def _recompute(self, _generation: int | None = None) -> None:
        """Answer for the current acting user and data (again after an action)."""
        state = app_state(self)
        self.acting = state.acting
        self.service = state.service  # the rules may have changed too
        self.query_one("#help-heading", Static).update(self._heading())
        self.query_one("#help-in-use", Static).update(
            text.content(
                f"In use: {self.service.rules.title}. The answers above and every view follow"
                " it; the rules in plain words above are the seed's."
            )
        )
        self.query_one("#help-faq").loading = True
        self._compute(self.service, self.acting, state.video_id, state.generation)

    @work(thread=True, exclusive=True, group="faq", exit_on_error=False)
    def _compute(
        self, service: Wholiked, acting: User, video_id: int | None, generation: int
    ) -> None:
        """The answers about the video selected in the studio or the feed (when the acting
        user can view it), else about an example video of theirs."""
        try:
            answers = service.faq(acting, video_id=video_id)
        except Exception as exc:
            self.post_message(self.Answers(generation, error=error_line(exc, service.label)))
            return
        self.post_message(self.Answers(generation, answers))

    def on_help_screen_answers(self, message: Answers) -> None:
        message.stop()
        if message.generation != app_state(self).generation:
            return  # computed for an older state or another user
        faq = self.query_one("#help-faq", Static)
        faq.loading = False
        if message.error:
            faq.update(text.content(message.error))
            return
        parts: list[Content] = []
        for item in message.answers:
            parts.append(text.styled("[b]$q[/b]", q=item.question))
            parts.append(text.content(item.answer))
            parts.append(Content(""))
        faq.update(text.lines(*parts[:-1]))

    def action_close(self) -> None:
        self.dismiss(None)

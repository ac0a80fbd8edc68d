"""The wholiked Textual app: act as any user and see exactly what they can see.

The service is injected (`WholikedApp(service, acting)`); nothing here opens a
database. Perspectives are modes (creator studio, viewer feed, audit), each
with its own screen; the user picker, the follow requests and the help are
modal screens.

Three reactives drive every view: `acting` (the user the app acts as), `rules`
(the preset the session answers under: the service is swapped for one with
those rules) and `generation`, bumped when either changes and after every action.
Every screen reloads on a new generation, and worker results carry the
generation (or a load token) they were asked for, so nothing computed for an
older state or another user is ever shown. A reloading panel keeps its previous
content until the new data replaces it (the loading indicator covers it if that
is slow), and the keys act on nothing meanwhile. Actions run in a thread worker;
the acting user is then read again (an action can make the account private).

Other programs' writes to the file are watched for in `tui.watching`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.theme import Theme

from wholiked.core.actions import Outcome
from wholiked.core.answers.wording import block_warning, error_line, public_warning
from wholiked.core.errors import NotPermitted
from wholiked.core.service import BlockCost, PublicCost, Relation, User, Wholiked
from wholiked.tui import changes, text
from wholiked.tui.changes import Change
from wholiked.tui.read_only import NEEDS_WRITE_NOTE
from wholiked.tui.screens.analytics import AnalyticsScreen
from wholiked.tui.screens.audit import AuditScreen
from wholiked.tui.screens.browse import BrowseScreen
from wholiked.tui.screens.commands import WholikedCommands
from wholiked.tui.screens.compare import CompareScreen
from wholiked.tui.screens.confirm import ConfirmScreen
from wholiked.tui.screens.creator_studio import CreatorStudio
from wholiked.tui.screens.help import HelpScreen
from wholiked.tui.screens.people import PeopleScreen
from wholiked.tui.screens.perspective import WIDE, PerspectiveScreen, Targets
from wholiked.tui.screens.platform import PlatformScreen
from wholiked.tui.screens.rules_picker import RulesPicker
from wholiked.tui.screens.user_picker import UserPicker
from wholiked.tui.screens.viewer_feed import ViewerFeed
from wholiked.tui.settings import Settings
from wholiked.tui.watching import FileWatch
from wholiked.tui.widgets.list_table import list_commands
from wholiked.tui.widgets.paged_table import PagedTable

PERSPECTIVES = {
    "creator": "Creator studio",
    "analytics": "Analytics",
    "viewer": "Viewer feed",
    "audit": "Audit (omniscient)",
}
CHANGE_ACTIONS = frozenset({"like", "follow", "block", "privacy", "requests"})
ASKED_FIRST = frozenset({"block"})
"""Verbs on an account that cannot be undone in one key: the app asks before them."""


class WholikedApp(FileWatch, App[None]):
    """Keyboard-first browser of who can see whose likes."""

    CSS_PATH = "wholiked.tcss"
    TITLE = "wholiked"
    MODES = {
        "creator": CreatorStudio,
        "analytics": AnalyticsScreen,
        "viewer": ViewerFeed,
        "audit": AuditScreen,
    }
    DEFAULT_MODE = "creator"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]
    COMMANDS = App.COMMANDS | {WholikedCommands}
    BINDINGS = [
        Binding("c", "perspective('creator')", "Studio", id="creator-studio"),
        Binding("v", "perspective('viewer')", "Feed", id="viewer-feed"),
        Binding("a", "perspective('audit')", "Audit", id="audit"),
        Binding("n", "perspective('analytics')", "Analytics", show=False, id="analytics"),
        Binding("u", "switch_user", "Act as…", id="switch-user"),
        Binding("R,f2", "pick_rules", "Rules", show=False, id="rules"),
        Binding("C", "compare", "Compare", show=False, id="compare"),
        Binding("P", "platform", "Platform", show=False, id="platform"),
        Binding("W", "reopen_writable", "Reopen writable", id="reopen-writable"),
        Binding("question_mark,f1", "help", "Help", id="help"),
        Binding("q", "quit", "Quit", id="quit"),
        Binding("F", "people", "People", show=False, id="people"),
        Binding("B", "blocked", "Blocked accounts", show=False, id="blocked"),
        # Changes: shown in the footer by the screens and tables where they apply.
        Binding("l", "like", "Like/unlike", show=False, id="like"),
        Binding("f", "follow", "Follow", show=False, id="follow"),
        Binding("b", "block", "Block", show=False, id="block"),
        Binding("p", "privacy", "Public/private", show=False, id="privacy"),
        Binding("r", "requests", "Requests", show=False, id="requests"),
    ]

    acting: var[User] = var(None, init=False, always_update=False)  # type: ignore[arg-type]
    """The user the app acts as; every perspective reloads when it changes."""

    rules: var[str] = var("seed", init=False, always_update=False)
    """The name of the preset the session answers under (the service's rules)."""

    generation: var[int] = var(0, init=False)
    """Bumped when the acting user or the rules change and after every action; every view
    reloads."""

    video_id: var[int | None] = var(None, init=False)
    """The video last selected in the studio or the feed (what the audit shows)."""

    @dataclass
    class ChangeDone(Message):
        """A change ran in a worker: its outcome or its error, and the actor read again."""

        change: Change
        outcome: Outcome | None
        error: str
        fresh: User | None

    @dataclass
    class CostRead(Message):
        """What a change would do, read in a worker, to ask about before making it."""

        generation: int
        cost: BlockCost | PublicCost | None
        error: str

    @dataclass
    class RelationRead(Message):
        """How the acting user stands with the person f and b act on (what their footer
        keys say: Follow or Unfollow, Block or Unblock), read in a worker."""

        generation: int
        person: int
        relation: Relation | None

    @dataclass
    class UserRead(Message):
        """A user to act as, read again from the service for the generation it was asked in."""

        generation: int
        user_id: int
        user: User | None
        error: str

    def __init__(
        self, service: Wholiked, acting: User | None = None, *, settings: Settings | None = None
    ) -> None:
        acting = acting or service.default_user()
        if not self._has_videos(service, acting):
            # A personal account that posted nothing opens where it has something to see.
            self.DEFAULT_MODE = "viewer"  # type: ignore[misc]
        super().__init__()
        self.service = service
        self.settings = settings
        """Remembered between runs (the theme) when given; tests run without."""
        self.set_reactive(WholikedApp.acting, acting)
        self.set_reactive(WholikedApp.rules, service.rules_key())
        saved = settings.theme if settings is not None else None
        self.theme = saved if saved in self.available_themes else "textual-dark"
        self._changing = False
        self._changed_at = -1  # the generation an action's reload started
        self._shown_targets: tuple[Any, ...] = ()
        self._relation: tuple[int, int, Relation] | None = None  # (generation, person, ...)
        self.start_watching()

    @staticmethod
    def _has_videos(service: Wholiked, acting: User) -> bool:
        """A creator account, or one that posted a video (read before the app runs)."""
        if acting.is_creator:
            return True
        try:
            return bool(service.creator_videos(acting, limit=1))
        except Exception:  # the studio says what is wrong, as it would have
            return True

    def on_mount(self) -> None:
        self.watch_the_file()
        self.theme_changed_signal.subscribe(self, self._remember_theme)

    def exit(self, *args: Any, **kwargs: Any) -> None:
        self.service.interrupt()  # a background check must not hold the exit up
        super().exit(*args, **kwargs)

    def _remember_theme(self, theme: Theme) -> None:
        settings = self.settings
        if settings is not None and settings.theme != theme.name:
            settings.theme = theme.name
            settings.save()

    def watch_acting(self, _user: User) -> None:
        self.generation += 1

    def watch_rules(self, _name: str) -> None:
        self.generation += 1

    def watch_generation(self, _generation: int) -> None:
        self.call_after_refresh(self.targets_changed)  # how you stand with them may change

    def _reload_everything(self, fresh: User | None) -> None:
        """Every view reloads; with the acting user as read again when it changed."""
        if fresh is not None and fresh != self.acting:
            self.acting = fresh  # its watcher bumps the generation
        else:
            self.generation += 1

    # --- perspectives and dialogs ----------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "perspective" and parameters and parameters[0] == self.current_mode:
            return False  # the key of the perspective you are in is hidden
        if action in CHANGE_ACTIONS:
            return self._change_applies(action, parameters)
        if action == "reopen_writable":
            return not self.service.writable  # offered on a read-only file only
        return True

    def action_perspective(self, mode: str) -> None:
        if mode in self.MODES and mode != self.current_mode:
            self.switch_mode(mode)
            self.refresh_bindings()

    def action_switch_user(self) -> None:
        self.push_screen(UserPicker(self.service, self.acting), self._picked)

    def _picked(self, user: User | None) -> None:
        if user is not None:
            self.act_as(user.id)

    def act_as(self, user_id: int) -> None:
        """Act as this user, read again from the service (a picker's copy may be stale)."""
        self._read_user(user_id, self.generation)

    @work(thread=True, exclusive=True, group="act-as", exit_on_error=False)
    def _read_user(self, user_id: int, generation: int) -> None:
        try:
            user = self.service.user_by_id(user_id)
        except Exception as exc:  # a readable line, never a crash
            self.post_message(self.UserRead(generation, user_id, None, self._error(exc)))
            return
        self.post_message(self.UserRead(generation, user_id, user, ""))

    def on_wholiked_app_user_read(self, message: UserRead) -> None:
        if message.user is None:
            self.notify(
                text.clean(message.error),
                title="Cannot act as that user",
                severity="error",
                markup=False,
            )
        elif message.generation != self.generation:
            self.act_as(message.user_id)  # something changed while it was read: read it again
        else:
            self.acting = message.user

    def action_pick_rules(self) -> None:
        self.push_screen(RulesPicker(self.service), self.use_rules)

    def use_rules(self, name: str | None) -> None:
        """Answer under another rule set (a preset or a loaded rule file) from now on: every
        view reloads with it."""
        if name is None or name not in self.service.rule_sets or name == self.rules:
            return
        self.service = self.service.with_rules(name)
        self.rules = name  # its watcher bumps the generation
        rules = self.service.rules
        self.notify(f"{rules.summary[0].upper()}{rules.summary[1:]}.", title=f"{rules.title} rules")

    def action_compare(self) -> None:
        """The selected video under every preset."""
        if self.video_id is None:
            self.notify(
                "Select a video in the studio (c) or the feed (v) first.",
                title="Compare platforms",
                markup=False,
            )
            return
        self.push_screen(CompareScreen(self.video_id))

    def action_platform(self) -> None:
        """The platform report (omniscient) for the open world, under every rule set."""
        if not isinstance(self.screen, PlatformScreen):
            self.push_screen(PlatformScreen())

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.service, self.acting))

    def action_people(self, which: str = "") -> None:
        """People (F): your followers, whom you follow, requests to you, blocked accounts;
        on People, F shows the next list."""
        screen = self.screen
        if isinstance(screen, PeopleScreen):
            screen.show(which) if which else screen.action_next_list()
        else:
            self.push_screen(PeopleScreen(which or "followers"))

    def action_requests(self) -> None:
        self.action_people("requests")

    def action_blocked(self) -> None:
        self.action_people("blocked")

    async def open_video(self, *, video_id: int, creator_id: int) -> None:
        """Show a video in the studio (own video) or the feed (anyone else's)."""
        mode = "creator" if creator_id == self.acting.id else "viewer"
        if mode != self.current_mode:
            await self.switch_mode(mode)
            self.refresh_bindings()
        screen = self.screen
        if isinstance(screen, BrowseScreen):
            screen.focus_video(video_id)

    # --- changes ---------------------------------------------------------------------------

    def _targets(self) -> Targets:
        """What the keys act on, in the current perspective (not in a dialog above it)."""
        for screen in reversed(self.screen_stack):
            if isinstance(screen, PeopleScreen) and screen.is_mounted:
                return screen.targets()  # the People screen, under a question or not
        base = self.screen_stack[0] if self.screen_stack else None
        if isinstance(base, PerspectiveScreen) and base.is_mounted:
            return base.targets()
        return Targets()  # none yet, or one being composed (a switch of mode)

    def _change_applies(self, action: str, parameters: tuple[object, ...]) -> bool:
        if action in ("privacy", "requests"):
            want = parameters[0] if parameters else None
            return want is None or (want == "private") != self.acting.is_private
        targets = self._targets()
        if action == "like":
            video = targets.video
            want = parameters[0] if parameters else None
            return video is not None and (want is None or (want == "unlike") == video.liked)
        person = targets.person
        if person is None or person == self.acting.id:
            return False
        if not parameters:
            return True
        # Which word the key says (Follow or Unfollow...): the other one's binding is hidden.
        relation = self.relation_with(person)
        if action == "follow":
            now = relation is not None and relation.following is not None
            return (parameters[0] == "unfollow") == now
        now = relation is not None and relation.you_blocked
        return (parameters[0] == "unblock") == now

    def relation_with(self, person: int) -> Relation | None:
        """How the acting user stands with this person, when read for the current state."""
        known = self._relation
        if known is None or known[:2] != (self.generation, person):
            return None
        return known[2]

    def targets_changed(self) -> None:
        """Refresh the footer when the keys that apply changed (not on every cursor move:
        the footer rebuilds itself on each refresh); read how the acting user stands with
        the person f and b act on when not known yet."""
        person = self._targets().person
        if person is not None and person != self.acting.id and self.relation_with(person) is None:
            self._read_relation(person, self.generation)
        shown = (
            self.screen,
            self.focused,
            self.acting.is_private,
            self._change_applies("like", ("like",)),
            self._change_applies("like", ("unlike",)),
            self._change_applies("follow", ("follow",)),
            self._change_applies("follow", ("unfollow",)),
            self._change_applies("block", ("unblock",)),
        )
        if shown != self._shown_targets:
            self._shown_targets = shown
            self.refresh_bindings()

    @work(thread=True, exclusive=True, group="relation", exit_on_error=False)
    def _read_relation(self, person: int, generation: int) -> None:
        try:
            relation = self.service.relation(self.acting, self.service.user_by_id(person))
        except Exception:  # the keys keep their plain words; the action says what is wrong
            relation = None
        self.post_message(self.RelationRead(generation, person, relation))

    def on_wholiked_app_relation_read(self, message: RelationRead) -> None:
        if message.relation is not None and message.generation == self.generation:
            self._relation = (message.generation, message.person, message.relation)
            self.targets_changed()

    def action_like(self, _want: str = "") -> None:
        video = self._targets().video
        if video is not None:
            self.run_change(changes.like(video.video.id, liked=video.liked))

    def action_follow(self, _want: str = "") -> None:
        person = self._targets().person
        if person is not None and person != self.acting.id:
            self.run_change(changes.toggle_follow(person))

    def action_block(self, _want: str = "") -> None:
        person = self._targets().person
        if person is None or person == self.acting.id:
            return
        if self.service.writable:
            self._read_cost(person, self.generation)  # unblock at once, block after asking
        else:
            self.run_change(changes.toggle_block(person))  # refused in words: nothing to ask

    def action_privacy(self, _want: str = "") -> None:
        if self.acting.is_private and self.service.writable:
            self._read_cost(None, self.generation)  # going public: ask first
        else:
            self.run_change(changes.set_private(not self.acting.is_private))

    def act_on(self, verb: str, user_id: int) -> None:
        """Follow, unfollow, block or unblock an account (the palette); a block asks first."""
        if verb in ASKED_FIRST and self.service.writable:
            self._read_cost(user_id, self.generation)
        else:
            self.run_change(changes.on_user(verb, user_id))

    # --- asking before what cannot be undone in one key ------------------------------------

    @work(thread=True, exclusive=True, group="ask", exit_on_error=False)
    def _read_cost(self, user_id: int | None, generation: int) -> None:
        """What blocking `user_id` (None: going public) would do, read off the UI thread."""
        try:
            actor = self.service.user_by_id(self.acting.id)
            if user_id is None:
                cost: BlockCost | PublicCost = self.service.public_cost(actor)
            else:
                cost = self.service.block_cost(actor, self.service.user_by_id(user_id))
        except Exception as exc:  # a readable line, never a crash
            self.post_message(self.CostRead(generation, None, self._error(exc)))
            return
        self.post_message(self.CostRead(generation, cost, ""))

    def on_wholiked_app_cost_read(self, message: CostRead) -> None:
        cost = message.cost
        if cost is None:
            self.notify(
                text.clean(message.error), title="Could not check", severity="error", markup=False
            )
            return
        if message.generation != self.generation:
            return  # the user or the data changed meanwhile: the key's target may have too
        if isinstance(cost, PublicCost):
            question = ConfirmScreen(
                "Make your account public?",
                public_warning(cost.pending, cost.likes),
                "Go public",
            )
            self.push_screen(question, self._confirmed(changes.set_private(False)))
            return
        other = cost.other
        if cost.relation.you_blocked:
            self.run_change(changes.on_user("unblock", other.id))  # undone as easily: no question
            return
        question = ConfirmScreen(
            f"Block @{other.handle}?",
            block_warning(
                other.handle,
                following=cost.relation.following,
                followed_by=cost.relation.followed_by,
                videos=cost.videos,
            ),
            "Block",
        )
        self.push_screen(question, self._confirmed(changes.on_user("block", other.id)))

    def _confirmed(self, change: Change) -> Callable[[bool | None], None]:
        def answered(yes: bool | None) -> None:
            if yes:
                self.run_change(change)

        return answered

    def run_change(self, change: Change) -> None:
        """Run one change in a worker; then notify and reload every view. One at a time."""
        if self._changing:
            self.notify("Still saving the previous change…", severity="warning", markup=False)
            return
        self._changing = True
        self._apply(change, self.acting)

    @work(thread=True, group="change", exit_on_error=False)
    def _apply(self, change: Change, actor: User) -> None:
        outcome, error = None, ""
        try:
            outcome = change.run(self.service, actor)
        except Exception as exc:  # refused or failed: said in the app, never a crash
            error = self._error(exc)
            if isinstance(exc, NotPermitted):
                error = f"Not permitted: {error}"
        try:
            fresh = self.service.user_by_id(actor.id)
        except Exception:
            fresh = None
        self.post_message(self.ChangeDone(change, outcome, error, fresh))

    def on_wholiked_app_change_done(self, message: ChangeDone) -> None:
        self._changing = False
        if message.outcome is not None:
            self.notify(text.clean(message.outcome.message), markup=False)
        else:
            hint = "" if self.service.writable else " W reopens it writable."
            self.notify(
                text.clean(message.error) + hint,
                title=f"Could not {message.change.what}",
                severity="error",
                markup=False,
            )
        fresh = message.fresh
        self._reload_everything(fresh if fresh is not None and fresh.id == self.acting.id else None)
        self._changed_at = self.generation

    def on_paged_table_lost(self, message: PagedTable.Lost) -> None:
        """The row an action was on left its list (a block, an answered request): say so."""
        if self.generation == self._changed_at and message.label:
            self.notify(
                f"{text.clean(message.label)} is no longer in this list after that change;"
                " the cursor is on the row that followed it.",
                markup=False,
            )

    def _error(self, exc: BaseException) -> str:
        return error_line(exc, self.service.label)

    # --- the command palette ---------------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "Act as another user (u)",
            "Switch the acting user (type to filter, or type 'act as' and a name)",
            self.action_switch_user,
        )
        for mode, title in PERSPECTIVES.items():
            yield SystemCommand(
                title,
                f"Show the {title.lower()} perspective",
                partial(self.action_perspective, mode),
            )
        targets = self._targets()
        writes = "" if self.service.writable else f" — {NEEDS_WRITE_NOTE}"
        if not self.service.writable:
            yield SystemCommand(
                "Reopen writable (W)",
                f"{text.clean(self.service.file_name)} is open read-only: open it again"
                " writable, as --write would have",
                self.action_reopen_writable,
            )
        if targets.video is not None:
            verb = "Unlike" if targets.video.liked else "Like"
            yield SystemCommand(
                f"{verb} video {targets.video.video.id} (l)",
                f"The video selected in the studio or the feed{writes}",
                self.action_like,
            )
        if targets.person is not None and targets.person != self.acting.id:
            what = f"The highlighted person, else the selected video's creator{writes}"
            relation = self.relation_with(targets.person)
            follow = "Unfollow" if relation is not None and relation.following else "Follow"
            block = "Unblock" if relation is not None and relation.you_blocked else "Block"
            yield SystemCommand(f"{follow} (f)", what, self.action_follow)
            yield SystemCommand(f"{block} (b)", what, self.action_block)
        privacy = "public" if self.acting.is_private else "private"
        yield SystemCommand(
            f"Make my account {privacy} (p)",
            f"@{self.acting.handle} is {'private' if self.acting.is_private else 'public'}"
            f" now{writes}",
            self.action_privacy,
        )
        yield SystemCommand(
            "People (F)",
            "Your followers, whom you follow, requests to you and blocked accounts, with counts",
            self.action_people,
        )
        yield SystemCommand(
            "Answer follow requests (r)",
            f"People: the requests to you; a approves, d declines{writes}",
            self.action_requests,
        )
        yield SystemCommand(
            "Blocked accounts (B)",
            f"People: the accounts you blocked; b unblocks{writes}",
            self.action_blocked,
        )
        screen_now = self.screen_stack[0] if self.screen_stack else None
        if isinstance(screen_now, BrowseScreen):
            yield SystemCommand(
                "Show or hide tips (t)",
                "Engagement tips computed from your numbers",
                screen_now.action_tips,
            )
        yield from list_commands(screen)
        if isinstance(screen_now, AnalyticsScreen):
            yield SystemCommand(
                "Analytics: one video or all (s)",
                "The video selected in the studio, or all your videos",
                screen_now.action_scope,
            )
            yield SystemCommand(
                "Analytics: next window (w)",
                "7 days, 28 days, 60 days, all time",
                screen_now.action_window,
            )
        if self.video_id is not None:
            yield SystemCommand(
                f"Compare platforms on video {self.video_id} (C)",
                "The video and you under the seed, TikTok, Instagram, X and YouTube rules",
                self.action_compare,
            )
        yield SystemCommand(
            "Platform audit (P)",
            "Omniscient: every video's audit as its creator, added up, under every rule set",
            self.action_platform,
        )
        yield SystemCommand(
            "Platform rules… (R)",
            f"Answer under another platform's rules (in use: {self.service.rules.title})",
            self.action_pick_rules,
        )
        for name, rules in self.service.rule_sets.items():
            if name != self.rules:
                yield SystemCommand(
                    f"Use the {rules.title} rules",
                    rules.summary,
                    partial(self.use_rules, name),
                )
        yield SystemCommand("Help and FAQ", "Keys, rules and your live numbers", self.action_help)
        yield from super().get_system_commands(screen)


def run_app(service: Wholiked, acting: User | None = None) -> None:
    """Run the app until the user quits (called by `wholiked tui`), remembering the theme."""
    try:
        WholikedApp(service, acting, settings=Settings.load()).run()
    finally:
        service.close()

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

Other programs' writes to the file are watched for in `tui.watching`; the changes (what
the keys act on, asking first, one change at a time) are in `tui.changing`, the command
palette's commands in `tui.palette`.
"""

import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.theme import Theme

from wholiked.core.answers.wording import error_line
from wholiked.core.service import User, Wholiked
from wholiked.tui import text
from wholiked.tui.changing import CHANGE_ACTIONS, Changing
from wholiked.tui.palette import palette_commands
from wholiked.tui.screens.analytics import AnalyticsScreen
from wholiked.tui.screens.audit import AuditScreen
from wholiked.tui.screens.browse import BrowseScreen
from wholiked.tui.screens.commands import WholikedCommands
from wholiked.tui.screens.compare import CompareScreen
from wholiked.tui.screens.creator_studio import CreatorStudio
from wholiked.tui.screens.help import HelpScreen
from wholiked.tui.screens.people import PeopleScreen
from wholiked.tui.screens.perspective import WIDE
from wholiked.tui.screens.platform import PlatformScreen
from wholiked.tui.screens.rules_picker import RulesPicker
from wholiked.tui.screens.user_picker import UserPicker
from wholiked.tui.screens.viewer_feed import ViewerFeed
from wholiked.tui.settings import Settings
from wholiked.tui.watching import FileWatch


def _terminal_in() -> int | None:
    """Standard input's descriptor while it is a terminal (not under a browser or a test)."""
    stdin = sys.__stdin__
    try:
        fd = stdin.fileno() if stdin is not None else -1
    except (OSError, ValueError):
        return None
    return fd if fd >= 0 and os.isatty(fd) else None


class WholikedApp(FileWatch, Changing, App[None]):
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
        self.start_changing()
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
        if _terminal_in() is not None:
            self.set_interval(1.0, self._leave_a_closed_terminal)

    def _leave_a_closed_terminal(self) -> None:
        """A terminal closed under `make run` sends the app no hangup (make leads the
        session), and the input thread would then spin on the dead terminal: leave."""
        if _terminal_in() is None:
            self.exit()

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

    def _error(self, exc: BaseException) -> str:
        return error_line(exc, self.service.label)

    # --- the command palette ---------------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from palette_commands(self, screen)
        yield from super().get_system_commands(screen)


def run_app(service: Wholiked, acting: User | None = None) -> None:
    """Run the app until the user quits (called by `wholiked tui`), remembering the theme."""
    try:
        WholikedApp(service, acting, settings=Settings.load()).run()
    finally:
        service.close()

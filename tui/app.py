"""The wholiked Textual app: act as any user and see exactly what they can see.

The service is injected (`WholikedApp(service, acting)`); nothing here opens a
database. Perspectives are modes (creator studio, viewer feed, audit), each
with its own screen; the user picker and the help are modal screens. The
acting user is one reactive on the app: every screen watches it and reloads.
"""

from collections.abc import Iterable
from functools import partial

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import var
from textual.screen import Screen

from core.service import User, Wholiked
from tui.screens.audit import AuditScreen
from tui.screens.browse import BrowseScreen
from tui.screens.commands import WholikedCommands
from tui.screens.creator_studio import CreatorStudio
from tui.screens.help import HelpScreen
from tui.screens.user_picker import UserPicker
from tui.screens.viewer_feed import ViewerFeed

PERSPECTIVES = {
    "creator": "Creator studio",
    "viewer": "Viewer feed",
    "audit": "Audit (omniscient)",
}


class WholikedApp(App[None]):
    """Keyboard-first browser of who can see whose likes."""

    CSS_PATH = "wholiked.tcss"
    TITLE = "wholiked"
    MODES = {"creator": CreatorStudio, "viewer": ViewerFeed, "audit": AuditScreen}
    DEFAULT_MODE = "creator"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (140, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]
    COMMANDS = App.COMMANDS | {WholikedCommands}
    BINDINGS = [
        Binding("c", "perspective('creator')", "Studio", id="creator-studio"),
        Binding("v", "perspective('viewer')", "Feed", id="viewer-feed"),
        Binding("a", "perspective('audit')", "Audit", id="audit"),
        Binding("u", "switch_user", "Act as…", id="switch-user"),
        Binding("question_mark,f1", "help", "Help", id="help"),
        Binding("q", "quit", "Quit", id="quit"),
    ]

    acting: var[User] = var(None, init=False, always_update=False)  # type: ignore[arg-type]
    """The user the app acts as; every perspective reloads when it changes."""

    video_id: var[int | None] = var(None, init=False)
    """The video last selected in the studio or the feed (what the audit shows)."""

    def __init__(self, service: Wholiked, acting: User | None = None) -> None:
        super().__init__()
        self.service = service
        self.set_reactive(WholikedApp.acting, acting or service.default_user())
        self.theme = "textual-dark"

    # --- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "perspective" and parameters and parameters[0] == self.current_mode:
            return False  # the key of the perspective you are in is hidden
        return True

    def action_perspective(self, mode: str) -> None:
        if mode in self.MODES and mode != self.current_mode:
            self.switch_mode(mode)
            self.refresh_bindings()

    def action_switch_user(self) -> None:
        self.push_screen(UserPicker(self.service, self.acting), self._picked)

    def _picked(self, user: User | None) -> None:
        if user is not None:
            self.acting = user

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.service, self.acting))

    async def open_video(self, video_id: int, creator_id: int) -> None:
        """Show a video in the studio (own video) or the feed (anyone else's)."""
        mode = "creator" if creator_id == self.acting.id else "viewer"
        if mode != self.current_mode:
            await self.switch_mode(mode)
            self.refresh_bindings()
        screen = self.screen
        if isinstance(screen, BrowseScreen):
            screen.focus_video(video_id)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "Switch acting user", "Act as another user (type to filter)", self.action_switch_user
        )
        for mode, title in PERSPECTIVES.items():
            yield SystemCommand(
                title,
                f"Show the {title.lower()} perspective",
                partial(self.action_perspective, mode),
            )
        yield SystemCommand("Help and FAQ", "Keys, rules and your live numbers", self.action_help)
        yield from super().get_system_commands(screen)


def run_app(service: Wholiked, acting: User | None = None) -> None:
    """Run the app until the user quits (called by `wholiked tui`)."""
    WholikedApp(service, acting).run()

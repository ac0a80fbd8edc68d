"""The app for Textual's devtools: `textual run --dev wholiked.tui.devapp:app`.

`textual run` (from textual-dev: `pip install textual-dev`) imports this module, reads
its `app` and, as `app` is an App class, instantiates it with no arguments after setting
`sys.argv` to what follows the name. So importing the module opens no database, and
options pass through: `textual run --dev "wholiked.tui.devapp:app --as sam.quiet"` (also
`--db FILE`, `--write`). Run `textual console` in another terminal first to see the
app's log and `print` output.
"""

import argparse
import sys

from wholiked.core.service import User, Wholiked
from wholiked.tui.app import WholikedApp


def make_app_for_devtools(argv: list[str] | None = None) -> WholikedApp:
    """The app on the demo world's working copy (or --db), acting as --as."""
    return DevApp(argv)


def _service(argv: list[str]) -> tuple[Wholiked, User | None]:
    from wholiked.tui.factory import make_service

    parser = argparse.ArgumentParser(prog="wholiked.tui.devapp:app", add_help=False)
    parser.add_argument("--db", default=None)
    parser.add_argument("--as", dest="as_handle", default=None)
    parser.add_argument("--write", action="store_true")
    options, _ = parser.parse_known_args(argv)
    service = make_service(options.db, write=options.write)
    return service, service.user(options.as_handle) if options.as_handle else None


class DevApp(WholikedApp):
    """WholikedApp built from the command line `textual run` leaves in sys.argv."""

    def __init__(self, argv: list[str] | None = None) -> None:
        from wholiked.tui.settings import Settings

        service, acting = _service(sys.argv[1:] if argv is None else argv)
        super().__init__(service, acting, settings=Settings.load())


app = DevApp
"""What `textual run wholiked.tui.devapp:app` runs (a class: built only when run)."""

"""`textual run --dev wholiked.tui.devapp:app` finds the app the way `textual run` does."""

import sys

from textual._import_app import import_app

from tests.tui_helpers import run, settle
from wholiked.tui.app import WholikedApp


def test_textual_run_imports_the_app(monkeypatch) -> None:
    """textual run's own loader (textual._import_app, used by textual-dev) gets a WholikedApp
    on the demo world; importing the module alone opened nothing."""
    sys.modules.pop("wholiked.tui.devapp", None)
    import wholiked.tui.devapp as devapp

    assert devapp.app is devapp.DevApp  # a class: nothing is opened at import time
    monkeypatch.setattr(sys, "argv", ["textual", "run", "--dev"])
    app = import_app("wholiked.tui.devapp:app --as sam.quiet")
    assert isinstance(app, WholikedApp)
    assert app.acting.handle == "sam.quiet"
    assert app.service.writable  # the demo world's working copy

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert app.screen.query_one("#badge") is not None

    run(scenario)
    app.service.close()
    sys.modules.pop("wholiked.tui.devapp", None)

"""The audit screen says what `audit --as` says: rule 9's anonymous count, candidates and
verdict, and rule 6's exact audience of the acting user's like; h lists only the hidden,
then only the identifiable likers, then every liker again."""

from tests.tui_helpers import make_app, row_keys, run, settle, show, static_text
from wholiked.core.service import Wholiked
from wholiked.fixtures.demo import DEMO_CREATOR, DEMO_TOP_VIDEO
from wholiked.tui.widgets.paged_table import PagedTable


def test_audit_shows_rules_6_and_9_and_filters_by_verdict(service: Wholiked) -> None:
    mia = service.user(DEMO_CREATOR)
    audit = service.audit(DEMO_TOP_VIDEO, mia)
    assert audit.anonymity is not None and audit.audience_count is not None
    hidden = [r.user_id for r in audit.likers if not r.identifiable]
    identifiable = [r.user_id for r in audit.likers if r.identifiable]
    assert hidden and identifiable

    async def scenario() -> None:
        app = make_app(service, DEMO_CREATOR)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            await show(pilot, DEMO_TOP_VIDEO)
            await pilot.press("a")
            await settle(pilot)
            summary = " ".join(static_text(app, "#audit-summary").split())
            assert (
                "For @mia.makes: 8 anonymous among 8 candidates (effectively identifiable);"
                f" @mia.makes's like would be seen by exactly {audit.audience_count:,} user"
            ) in summary
            assert "Showing every liker" in summary
            table = app.screen.query_one("#audit-likers", PagedTable)
            assert row_keys(table) == [r.user_id for r in audit.likers]

            await pilot.press("h")
            await settle(pilot)
            assert row_keys(table) == hidden
            assert {str(table.get_row(str(k))[1]) for k in hidden} == {"HIDDEN"}
            assert "Showing only the hidden likers" in static_text(app, "#audit-summary")

            await pilot.press("h")
            await settle(pilot)
            assert row_keys(table) == identifiable
            assert "Showing only the identifiable likers" in static_text(app, "#audit-summary")

            await pilot.press("h")
            await settle(pilot)
            assert row_keys(table) == [r.user_id for r in audit.likers]

    run(scenario)

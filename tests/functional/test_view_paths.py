"""What only the screen does with the reader core's views: keys that never
misfire, marks that stay through a live update, a highlight that stays put."""

from __future__ import annotations

from pathlib import Path

from helpers import SEED, settle
from textual import events
from textual.widgets import Static

from index import TabFilter, UserDB
from tui.app import AbstractsApp
from tui.messages import DumpsChanged
from tui.widgets.abstract_viewer import AbstractViewer
from tui.widgets.author_tabs import AuthorTabs
from tui.widgets.result_list import ResultList
from tui.widgets.search_box import SearchBox


def burst(app: AbstractsApp, *sent: events.Key | events.Paste) -> None:
    """Events as the terminal sends them in one read: none waits for the one
    before to be handled (Pilot's press waits after each key)."""
    assert app._driver is not None
    for event in sent:
        event.set_sender(app)
        app._driver.send_message(event)


def key(character: str) -> events.Key:
    name = {"/": "slash", ":": "colon", " ": "space"}.get(character, character)
    return events.Key(name, character)


def results(app: AbstractsApp) -> ResultList:
    return app.main.query_one(ResultList)


def database(app: AbstractsApp) -> UserDB:
    return UserDB.for_library(app.library.index_dir)


async def test_q_at_launch_quits(app: AbstractsApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.focused is results(app)
        shown = app.active_bindings.values()
        footer = " ".join(b.binding.description for b in shown if b.binding.show)
        assert "Quit" in footer
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_keys_after_slash_land_in_the_box_however_fast(app: AbstractsApp) -> None:
    """Sent in one burst, as a paste or a fast typist sends them: before the box had
    focus the list took them (`/q` quit, `/tag:surv` opened dialogs, `s` unstarred)."""
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        starred = results(app).highlighted_hit
        assert starred is not None
        database(app).toggle_star(starred.paper.key)
        app.main.action_focus_results()  # from the list, where s, t, a, q act
        await settle(pilot)
        burst(app, *[key(c) for c in "/tag:surveys"])
        await settle(pilot)
        assert app.is_running and app.screen is app.main
        assert app.main.query_one(SearchBox).value == "tag:surveys"
        assert database(app).state(starred.paper.key).starred  # no `s` reached the list


async def test_a_paste_after_slash_lands_whole_in_the_box(app: AbstractsApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.main.action_focus_results()
        await settle(pilot)
        burst(app, key("/"), events.Paste("deliberative alignment"))
        await settle(pilot)
        assert app.main.query_one(SearchBox).value == "deliberative alignment"
        assert app.main.query_text == "deliberative alignment"


async def test_s_on_an_author_tab_keeps_the_highlight_and_shows_no_other_list(
    app: AbstractsApp,
) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.main.go_to_author("Tony")
        await settle(pilot)
        await pilot.press("j", "j")
        await settle(pilot)
        chosen = results(app).highlighted_hit
        assert chosen is not None and results(app).highlighted == 2
        tony = {hit.paper.key for hit in results(app).hits}
        shown: list[set[str]] = []
        show_hits = results(app).show_hits

        def recorded(hits, *args, **kwargs):  # type: ignore[no-untyped-def]
            shown.append({hit.paper.key for hit in hits})
            return show_hits(hits, *args, **kwargs)

        results(app).show_hits = recorded  # type: ignore[method-assign]
        await pilot.press("s")  # the first star: the ★ Starred tab comes
        await settle(pilot)
        assert database(app).state(chosen.paper.key).starred
        assert app.main.query_one(AuthorTabs).filter == TabFilter(author="Tony")
        assert results(app).highlighted == 2
        assert results(app).highlighted_hit == chosen
        assert all(keys <= tony for keys in shown)  # never All's list, not for a moment


def starred(app: AbstractsApp, paper: str) -> bool:
    """Whether the paper's row shows a star (after the unread dot, if any)."""
    keys = [hit.paper.key for hit in results(app).hits]
    return results(app).row_text(keys.index(paper)).lstrip("• ").startswith("★")


async def test_marks_stay_through_a_live_update_and_s_does_what_they_show(
    app: AbstractsApp, dumps: Path
) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"model", "enter")
        await settle(pilot)
        first, second = results(app).hits[0].paper.key, results(app).hits[1].paper.key
        await pilot.press("s", "j", "s", "k")
        await settle(pilot)
        assert starred(app, first) and starred(app, second)
        # A paper appended to a dump, another dump deleted, while the reader is open.
        tony = dumps / SEED["tony"].name
        with tony.open("a", encoding="utf-8") as dump:
            dump.write("\nAbstract:A paper appended while the reader is open.\n")
        (dumps / SEED["listing"].name).unlink()
        app.main.post_message(DumpsChanged({tony, dumps / SEED["listing"].name}))
        await settle(pilot)
        assert "appended while the reader" in " ".join(
            hit.paper.abstract for hit in app.library.search("appended", limit=5).hits
        )
        assert starred(app, first) and starred(app, second)
        viewer = app.main.query_one(AbstractViewer)
        assert viewer.hit is not None and viewer.hit.paper.key == first
        assert "★ starred" in str(viewer.query_one("#viewer-marks", Static).content)
        await pilot.press("s")  # it shows starred: s unstars it
        await settle(pilot)
        assert not database(app).state(first).starred
        assert database(app).state(second).starred
        assert not starred(app, first)

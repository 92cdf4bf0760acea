"""Reading new papers as a feed: `J`/`K` go to the next or previous unread paper of
the list, `A` marks every paper of the list read (after asking), `U` undoes that.

The marks are written in a worker to the reading state, then said to the screen
as any mark is (`MarksChanged`): the screen shows the paper's state and asks the
reader core for the view again, whose marks are read from the database.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen

from index import Inputs, PaperState, ReaderCore, Request, UserDB

from ..messages import MarksChanged
from ..widgets.abstract_viewer import AbstractViewer
from ..widgets.result_list import ResultList
from .confirm import ConfirmScreen

# Asks the reader core's request answered and shown, `then` done once it is.
Ask = Callable[[Request | None, Callable[[], object] | None], None]


def unread(state: PaperState | None) -> bool:
    """A paper without a state has never been read."""
    return state is None or not state.read


class UnreadKeys:
    """The feed keys of one screen (its list and its viewer), given its reader
    core, the reading state and a way to ask for views."""

    def __init__(
        self,
        screen: Screen,
        core: ReaderCore,
        user: Callable[[], UserDB],
        ask: Ask,
    ) -> None:
        self.screen = screen
        self.core = core
        self._user = user
        self._ask = ask
        # The papers the last `A` marked read (those unread before it): what `U` undoes.
        self.marked: tuple[str, ...] = ()

    def _viewer_key(self) -> str | None:
        hit = self.screen.query_one(AbstractViewer).hit
        return hit.paper.key if hit is not None else None

    # --- J / K -----------------------------------------------------------------

    def step(self, direction: int) -> None:
        """Highlight the next (1) or previous (-1) unread paper of the list; past the
        papers loaded, the list's next page is loaded and looked through."""
        results = self.screen.query_one(ResultList)
        hits, states = results.hits, results.states
        here = results.highlighted
        if direction > 0:
            order = range(-1 if here is None else here, len(hits))[1:]
        else:
            order = range(len(hits) if here is None else here - 1, -1, -1)
        for index in order:
            if unread(states.get(hits[index].paper.key)):
                results.highlighted = index
                return
        more = self.core.more() if direction > 0 else None
        if more is not None:
            self._ask(more, lambda: self.step(direction))
            return
        where = "after" if direction > 0 else "before"
        self.screen.notify(f"No unread paper {where} this one in the list.", timeout=3)

    # --- A / U -----------------------------------------------------------------

    def mark_all_read(self) -> None:
        """Ask, then mark every paper of the list (all its pages) read."""
        view = self.core.shown
        if view is None or not view.total:
            self.screen.notify("No papers in the list to mark read.", severity="warning")
            return
        inputs = view.inputs
        papers = "the 1 paper" if view.total == 1 else f"all {view.total:,} papers"

        def answered(yes: bool | None) -> None:
            if yes:
                shown = self._viewer_key()
                self._run(lambda: self._mark(inputs, shown))

        question = f"Mark {papers} of this list read?"
        after = "U undoes it: the papers unread now are unread again."
        self.screen.app.push_screen(ConfirmScreen(question, after), answered)

    def _mark(self, inputs: Inputs, shown: str | None) -> None:  # in a worker
        keys = [paper.key for paper in self.core.every_paper(inputs)]
        user = self._user()
        states = user.states(keys)
        newly = tuple(key for key in keys if unread(states.get(key)))
        if not newly:
            self.screen.app.call_from_thread(
                self.screen.notify, "Every paper of the list is read already.", timeout=3
            )
            return
        user.set_read_many(newly, True)
        self.marked = newly
        count = "1 paper" if len(newly) == 1 else f"{len(newly):,} papers"
        self._said(newly, shown, f"Marked {count} read · U undoes it.")

    def undo(self) -> None:
        """The papers the last `A` marked read are unread again (the others as they are)."""
        marked = self.marked
        if not marked:
            self.screen.notify("Nothing to undo: A marks every paper of the list read.", timeout=3)
            return
        shown = self._viewer_key()

        def write() -> None:
            self._user().set_read_many(marked, False)
            self.marked = ()
            count = "1 paper" if len(marked) == 1 else f"{len(marked):,} papers"
            self._said(marked, shown, f"Undone: {count} unread again.")

        self._run(write)

    def _said(self, keys: tuple[str, ...], shown: str | None, said: str) -> None:
        """Tell the screen (from the worker): the new state of the viewer's paper
        (`shown`) if among `keys`, else the first's; and the list again, its marks
        read anew."""
        key = shown if shown in keys else keys[0]
        state = self._user().state(key)
        self.screen.post_message(MarksChanged(state, said, tabs=False, search=True))

    def _run(self, work: Callable[[], None]) -> None:
        self.screen.run_worker(
            work, thread=True, group="state", exit_on_error=False, description="marking read"
        )

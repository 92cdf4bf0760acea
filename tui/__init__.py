"""The Textual reader and the `abstracts` command line."""

import os

# Textual paints at most this many frames a second (its default: 60). A keystroke's
# results wait for the next frame: at 120 they wait half as long (the reader's
# keystroke-to-paint p50 at 10k papers: 46 to 33 ms). Idle, no frame is painted
# either way. Set before Textual is imported; TEXTUAL_FPS set by the user wins.
os.environ.setdefault("TEXTUAL_FPS", "120")

"""`python -m tui` runs the `abstracts` command."""

from .cli import main

main()

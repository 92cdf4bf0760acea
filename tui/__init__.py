"""The Textual reader and the `abstracts` command line."""

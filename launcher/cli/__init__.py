"""The command line's parts: its parser, its output (shared with the self-test and the window's start-up
errors) and the headless `session` command. `launcher/__main__.py` only dispatches to them."""

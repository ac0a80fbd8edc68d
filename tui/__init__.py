"""wholiked's user interfaces: the CLI (tui.cli, Textual-free) and the Textual app."""

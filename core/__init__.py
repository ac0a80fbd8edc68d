"""wholiked's domain, in rooms (see the README's "How the code is laid out").

store/    the format, schema, row models, validation, opening files, derived data
rules/    the visibility rules: every decision of who sees what
answers/  analytics, tips, the FAQ and their wording, built on the rules
actions   what an acting user can change
service   the facade the CLI and the TUI call for every answer and action

Nothing in this package imports Textual or Rich (import-linter checks it).
"""

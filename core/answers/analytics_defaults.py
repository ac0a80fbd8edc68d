"""The analytics answer's defaults, apart from its records so that the facade can name them
without building every record class when a process only asks for likers."""

DEFAULT_WINDOW = "28d"
DEFAULT_K = 5
"""The display threshold τ: released values below it show as "<τ"; k may only raise it."""

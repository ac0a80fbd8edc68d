"""wholiked domain: schema, validation, visibility policy, analytics, tips.

Nothing in this package imports Textual or Rich.
"""

__version__ = "0.1.0"

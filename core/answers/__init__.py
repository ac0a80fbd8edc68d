"""Answers built on the rules: analytics, tips, the FAQ, and their shared wording."""

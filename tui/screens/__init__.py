"""The app's screens: one perspective or dialog per module."""

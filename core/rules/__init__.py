"""The visibility rules: every decision of who sees what is a function here."""

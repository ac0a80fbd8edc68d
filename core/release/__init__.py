"""Differentially private daily release of like analytics: keyed, exact noise and its accounting."""

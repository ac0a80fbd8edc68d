"""The daily release: keyed exact noise, contribution bounding and counting, accounting."""

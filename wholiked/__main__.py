"""`python -m wholiked`: the same command as `wholiked`."""

from wholiked.tui.cli import main

if __name__ == "__main__":
    main()

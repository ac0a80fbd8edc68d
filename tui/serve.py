"""`wholiked serve`: the app in a browser, through textual-serve (the optional `web` extra).

textual-serve runs one command per browser session and shows its terminal in the page
(xterm.js). The command is `python -m wholiked tui --session-copy`, so every session
plays in a fresh copy of the demo world of its own (removed when the session ends), or
`tui --db FILE`, read-only unless --write: then every session shares that file, as two
terminals would. Nothing here imports Textual or textual-serve until the server starts.
"""

import shlex
import socket
import sys
from pathlib import Path

import click

from wholiked.core.errors import BadInput
from wholiked.tui.cli_help import Whole

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def check_port_free(host: str, port: int) -> None:
    """BadInput, one line, when nothing can listen on host:port (another server has it, or
    the address is not this machine's): said before the server starts, not after it said
    it serves."""
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        why = exc.strerror or type(exc).__name__
        raise BadInput(
            f"cannot listen on {host}:{port} ({why.lower()}): another program may be serving"
            " there; pass another --port"
        ) from None


def served_command(db: Path | None, write: bool, as_handle: str | None = None) -> str:
    """The shell command textual-serve runs for each browser session."""
    args = [sys.executable, "-m", "wholiked", "tui"]
    if db is None:
        args.append("--session-copy")
    else:
        args += ["--db", str(db.resolve())] + (["--write"] if write else [])
    if as_handle:
        args += ["--as", as_handle]
    return shlex.join(args)


@click.command("serve")
@click.option(
    "--db",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Serve this SQLite file (read-only unless --write) instead of a demo copy per session.",
)
@click.option("--write", is_flag=True, help="Let the sessions change the --db file.")
@click.option("--as", "as_handle", metavar="HANDLE", help="Whom each session acts as first.")
@click.option(
    "--host",
    default=DEFAULT_HOST,
    show_default=True,
    help="Address to listen on (another than 127.0.0.1 shows the app to your network).",
)
@click.option(
    "--port",
    type=Whole(1, metavar="PORT"),
    default=DEFAULT_PORT,
    show_default=True,
    help="TCP port to listen on (PORT: 1 to 65535).",
)
def serve_command(
    db: Path | None, write: bool, as_handle: str | None, host: str, port: int
) -> None:
    """Run the app in a web browser (needs the web extra: pip install 'wholiked[web]').

    Each browser session gets its own copy of the demo world, fresh and removed when
    the session ends, so visitors never see each other's changes. With --db, every
    session opens that file, read-only unless --write. Stop the server with Ctrl+C.

    \b
    Example:
      wholiked serve                       # then open http://127.0.0.1:8000
      wholiked serve --port 8080 --as sam.quiet
      wholiked serve --db mine.db          # read-only for every visitor
    """
    if port > 65535:
        raise BadInput(f"--port {port} is more than 65535")
    check_port_free(host, port)
    try:
        from textual_serve.server import Server
    except ImportError:
        raise BadInput(
            "serve needs textual-serve: pip install 'wholiked[web]' (or pip install textual-serve)"
        ) from None
    from wholiked.tui.factory import make_service

    if db is not None or as_handle:  # a bad file or handle: one line now, not in every session
        service = make_service(db, write=write)
        try:
            if as_handle:
                service.user(as_handle)
        finally:
            service.close()
    Server(served_command(db, write, as_handle), host=host, port=port, title="wholiked").serve()

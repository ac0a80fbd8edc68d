"""`serve` on a port another program holds: one line naming the port, exit 2, before the
server says it serves."""

import socket

from tests.cli_helpers import run


def test_serve_on_a_busy_port_is_one_line_and_exit_2(capsys) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        code, out, err = run(capsys, "serve", "--host", "127.0.0.1", "--port", str(port))
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert f"127.0.0.1:{port}" in lines[0]
    assert "another --port" in lines[0]
    assert "Serving" not in err

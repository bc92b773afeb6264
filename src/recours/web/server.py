"""Start ``recours web``: bind 127.0.0.1, print and open the address, serve until Ctrl-C."""

from __future__ import annotations

import socket
import threading
import webbrowser
from collections.abc import Callable
from datetime import date
from pathlib import Path

from recours.errors import RecoursError
from recours.web.app import TOKEN_PARAM, Settings, create_app

HOST = "127.0.0.1"


def bind(port: int) -> socket.socket:
    """A listening socket on the loopback address only (0: a free port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((HOST, port))
    except OSError as exc:
        sock.close()
        raise RecoursError(f"impossible d'écouter sur {HOST}:{port} : {exc.strerror}") from None
    sock.listen(64)
    return sock


def serve(
    path: Path,
    *,
    today: date,
    port: int = 0,
    open_browser: bool = True,
    modeles: Path | None = None,
    echo: Callable[[str], None] = print,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Serve the form for ``path`` until interrupted."""
    import uvicorn

    sock = bind(port)
    actual = sock.getsockname()[1]
    settings = Settings(path=path, today=today, port=actual, modeles=modeles)
    app = create_app(settings)
    url = f"http://{HOST}:{actual}/?{TOKEN_PARAM}={settings.token}"
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    echo(f"Formulaire ouvert à l'adresse : {url}")
    echo(f"Réponses enregistrées dans {path}. Ctrl-C pour arrêter.")
    if ready is not None:
        ready(url)
    if open_browser:
        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    try:
        server.run(sockets=[sock])
    finally:
        app.state.session.close()
        sock.close()

"""``recours web``: the questionnaire as a local web form (FastAPI, Jinja, htmx).

Pages are rendered on the server and work without JavaScript; htmx (vendored in
``static/``, no CDN) only spares full reloads. The server listens on 127.0.0.1 and trusts
nothing else on the machine: a token drawn at each launch, given in the printed address,
becomes a SameSite=Strict HttpOnly cookie; Host and Origin are checked (DNS rebinding);
every response carries a ``default-src 'self'`` content security policy; pages are rendered
by the sandboxed, autoescaped Jinja environment of the documents.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import io
import json
import secrets
import shutil
import tempfile
import zipfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import FileSystemLoader
from starlette.datastructures import FormData

from recours.documents.sandbox import make_env
from recours.dossier.models import Dossier
from recours.errors import DossierInvalidError, RecoursError
from recours.law.analysis import Analysis
from recours.questionnaire import spec
from recours.questionnaire.flow import DossierStore, without_nulls

HERE = Path(__file__).resolve().parent
COOKIE = "recours_session"
TOKEN_PARAM = "jeton"
CSP = (
    "default-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'"
)
STATIC = {"htmx.min.js": "text/javascript", "web.css": "text/css"}
PREVIEW_FILES = {".css": "text/css", ".ttf": "font/ttf"}


@dataclass
class Settings:
    path: Path
    today: date
    host: str = "127.0.0.1"
    port: int = 0
    modeles: Path | None = None
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))


class Session:
    """The dossier being answered: in memory, saved to its file after each page.

    The file is read again when it changed on disk (edited by hand, or by the terminal
    questionnaire), so the web form and the CLI never disagree about the dossier.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = DossierStore(settings.path)
        self.data: dict[str, Any] = {}
        self._stamp: tuple[int, int] | None = None
        self._generated: tuple[str, Path] | None = None
        self._analysis: tuple[str, Analysis] | None = None
        self.refresh()

    def _file_stamp(self) -> tuple[int, int] | None:
        try:
            st = self.settings.path.stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def refresh(self) -> None:
        stamp = self._file_stamp()
        if stamp is None or stamp == self._stamp:
            return
        from recours.dossier.validation import read_dossier_file

        data, _ = read_dossier_file(self.settings.path)
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise RecoursError(
                f"{self.settings.path} : le dossier doit être un ensemble de champs (clé : valeur)"
            )
        data.pop("$schema", None)
        self.data = data
        self._stamp = stamp

    def save(self) -> None:
        self.store.save(self.data)
        self._stamp = self._file_stamp()

    def dossier(self) -> Dossier | None:
        try:
            return Dossier.model_validate(without_nulls(self.data))
        except Exception:
            return None

    def problems(self) -> list[tuple[str, str]]:
        from pydantic import ValidationError

        from recours.dossier.validation import problems_from

        try:
            Dossier.model_validate(without_nulls(self.data))
        except ValidationError as exc:
            return [(p.chemin, p.message) for p in problems_from(exc)]
        return []

    def analysis(self, dossier: Dossier) -> Analysis:
        """The legal analysis of the current answers, computed once per state of them."""
        from recours.law.analysis import analyse
        from recours.law.referentiel import load_referentiel

        key = json.dumps([without_nulls(self.data), self.settings.today], default=str)
        if self._analysis is None or self._analysis[0] != key:
            self._analysis = (key, analyse(dossier, self.settings.today, load_referentiel()))
        return self._analysis[1]

    def generated(self, dossier: Dossier) -> Path:
        """Every document of the dossier, generated once per state of the answers."""
        from recours.documents.generate import generate

        state = json.dumps([without_nulls(self.data), self.settings.today], default=str)
        key = hashlib.sha256(state.encode()).hexdigest()
        if self._generated and self._generated[0] == key:
            return self._generated[1]
        folder = Path(tempfile.mkdtemp(prefix="recours-web-"))
        result = generate(
            dossier,
            sortie=folder,
            today=self.settings.today,
            bordereau=True,
            analysis=self.analysis(dossier),
            modeles=self.settings.modeles,
        )
        (folder / ".refus.txt").write_text("\n".join(result.refus), encoding="utf-8")
        if self._generated:
            shutil.rmtree(self._generated[1], ignore_errors=True)
        self._generated = (key, folder)
        return folder

    def close(self) -> None:
        if self._generated:
            shutil.rmtree(self._generated[1], ignore_errors=True)


def _allowed_hosts(settings: Settings, port: int) -> set[str]:
    return {f"127.0.0.1:{port}", f"localhost:{port}"}


def create_app(settings: Settings) -> FastAPI:
    """The web application for one dossier and one launch (its token)."""
    session = Session(settings)
    env = make_env(FileSystemLoader(str(HERE / "templates"), encoding="utf-8"))
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.state.session = session
    app.state.settings = settings
    lock = asyncio.Lock()
    cookie_value = hashlib.sha256(("session:" + settings.token).encode()).hexdigest()

    def render(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        context.setdefault("titre_dossier", settings.path.name)
        html = env.get_template(name).render(**context)
        return HTMLResponse(html, status_code=status)

    def refused(status: int, message: str) -> HTMLResponse:
        return render("refus.html", status=status, message=message)

    @app.middleware("http")
    async def security(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        port = request.url.port or settings.port
        host = request.headers.get("host", "")
        if host not in _allowed_hosts(settings, settings.port or port):
            response: Response = refused(400, "Adresse refusée : ouvrez l'adresse affichée.")
        elif request.method not in ("GET", "HEAD") and not _same_origin(request, settings):
            response = refused(403, "Requête refusée : elle ne vient pas de ce formulaire.")
        else:
            given = request.query_params.get(TOKEN_PARAM)
            if given is not None and hmac.compare_digest(given, settings.token):
                target = request.url.path
                response = RedirectResponse(target, status_code=303)
                response.set_cookie(
                    COOKIE, cookie_value, httponly=True, samesite="strict", path="/"
                )
            elif hmac.compare_digest(request.cookies.get(COOKIE, ""), cookie_value):
                # One user, one dossier: requests are served one at a time.
                async with lock:
                    try:
                        session.refresh()
                    except (DossierInvalidError, RecoursError) as exc:
                        response = refused(500, str(exc))
                    else:
                        response = await call_next(request)
            else:
                response = refused(
                    403,
                    "Accès refusé : ouvrez l'adresse complète affichée par « recours web » "
                    "(elle contient un jeton valable pour cette session).",
                )
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        # "same-origin", not "no-referrer": with no-referrer Chromium sends « Origin: null »
        # on plain form posts (no JavaScript), which the Origin check must refuse.
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    from recours.web import routes

    routes.register(app, session, render)
    return app


def _same_origin(request: Request, settings: Settings) -> bool:
    port = settings.port or request.url.port
    allowed = {f"http://127.0.0.1:{port}", f"http://localhost:{port}"}
    origin = request.headers.get("origin")
    if origin is not None and origin not in allowed:
        return False
    site = request.headers.get("sec-fetch-site")
    return site in (None, "same-origin", "none")


def form_dict(form: FormData) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if isinstance(value, str):
            result.setdefault(key, []).append(value)
    return result


def zip_folder(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"{folder.name}/{path.relative_to(folder)}")
    return buffer.getvalue()


__all__ = ["Settings", "create_app", "form_dict", "spec", "zip_folder"]

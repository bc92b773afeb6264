"""The pages of ``recours web``: one handler per kind of screen (form, list, stage, review,
preview, download). Every answer goes through :mod:`recours.web.forms` and the spec."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from recours.errors import RecoursError
from recours.questionnaire import spec
from recours.web import forms

if TYPE_CHECKING:
    from recours.web.app import Session

Render = Callable[..., HTMLResponse]
HERE = Path(__file__).resolve().parent
DOC_LABELS = {"gracieux": "Recours gracieux", "requete": "Requête"}


def _see(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def register(app: FastAPI, session: Session, render: Render) -> None:
    from recours.web.app import PREVIEW_FILES, STATIC, form_dict, zip_folder

    def nav(current: str = "") -> list[dict[str, Any]]:
        items = [
            ("organisme", "/page/organisme", "Organisme"),
            ("autorites", "/liste/autorites", "Autorités"),
            ("etablissements", "/liste/etablissements", "Établissements"),
            ("decisions", "/liste/decisions", "Décisions"),
            ("suites", f"/liste/{forms.OPTIONAL_LISTS[0].id}", "Autres démarches"),
            ("etape", "/etape", "Délais et documents"),
            ("complements", "/page/complements", "Compléments"),
            ("revue", "/revue", "Récapitulatif"),
        ]
        return [{"id": i, "url": u, "titre": t, "actif": i == current} for i, u, t in items]

    def page_context(
        step: forms.Step, outcome: forms.Outcome | None = None, focus: str = "", retour: str = ""
    ) -> dict[str, Any]:
        section = forms.SECTIONS[step.section]
        data = session.data
        scope = spec.scope_for(data, section, step.indices)
        fields = []
        for pf in spec.page_fields(data, section, step.indices):
            q = pf.question
            stored = spec.get_path(data, pf.path)
            if outcome is not None and pf.path in outcome.raw:
                value: Any = outcome.raw[pf.path]
            elif spec.has_path(data, pf.path):
                value = spec.answer_of(q, stored)
            elif q.default is not None:
                default = q.default(scope)
                value = spec.answer_of(q, default) if default is not None else ""
            else:
                value = {"checkbox": [], "group": "non"}.get(q.kind, "")
            if q.kind == "checkbox" and not value and q.key not in ("financeurs", "exercices"):
                # The model stores "all of them" as an empty list.
                value = [c.value for c in q.options(scope)]
            fields.append(
                {
                    "path": pf.path,
                    "id": field_id(pf.path),
                    "label": pf.label,
                    "aide": q.description,
                    "kind": q.kind,
                    "fieldset": q.fieldset,
                    "optional": q.is_optional and q.kind not in ("group", "checkbox"),
                    "choices": q.options(scope),
                    "value": value,
                    "error": outcome.errors.get(pf.path) if outcome else None,
                    "refresh": q.kind in ("group", "checkbox")
                    or q.key in ("methode", "type", "autorite"),
                    "focus": pf.path == focus,
                }
            )
        previous, following = forms.neighbours(data, step)
        children = []
        for child in section.children:
            items = spec.get_path(
                data, f"{spec.concrete(section.container, step.indices)}.{forms.child_key(child)}"
            )
            for j, _ in enumerate(items if isinstance(items, list) else []):
                idx = (*step.indices, j)
                children.append(
                    {
                        "titre": forms.item_title(data, child, idx),
                        "url": forms.Step("page", child.id, idx).url,
                        "supprimer": f"/liste/{child.id}/supprimer/{'/'.join(map(str, idx))}",
                    }
                )
        title = section.title
        if section.repeated:
            title = f"{section.title} — {forms.item_title(data, section, step.indices)}"
        return {
            "nav": nav(_nav_of(step.section)),
            "titre": title,
            "intro": section.intro,
            "action": step.url,
            "champs": fields,
            "erreurs_page": outcome.page_errors if outcome else [],
            "precedent": previous.url if previous else None,
            "suivant": following.url if following else None,
            "enfants": children,
            "ajouter_enfant": (
                f"/liste/{section.children[0].id}/ajouter/{step.indices[0]}"
                if section.children
                else None
            ),
            "enfants_titre": section.children[0].title if section.children else "",
            "enfant_nom": section.children[0].item_noun if section.children else "",
            "retour": retour,
            "enregistre": outcome is not None and outcome.ok,
        }

    def step_of(sid: str, indices: tuple[int, ...]) -> forms.Step | None:
        section = forms.SECTIONS.get(sid)
        if section is None or section.container.count("[]") != len(indices):
            return None
        prefix = spec.concrete(section.container, indices)
        if not section.repeated and prefix and not isinstance(session.data.get(prefix), dict):
            session.data[prefix] = {}
        elif prefix and not isinstance(spec.get_path(session.data, prefix), dict):
            return None
        return forms.Step("page", sid, indices)

    async def show_page(request: Request, sid: str, indices: tuple[int, ...]) -> Response:
        step = step_of(sid, indices)
        if step is None:
            return render("refus.html", status=404, message="Page introuvable.", nav=nav())
        focus = request.query_params.get("champ", "")
        retour = request.query_params.get("retour", "")
        return render("page.html", **page_context(step, focus=focus, retour=retour))

    async def post_page(request: Request, sid: str, indices: tuple[int, ...]) -> Response:
        step = step_of(sid, indices)
        if step is None:
            return render("refus.html", status=404, message="Page introuvable.", nav=nav())
        form = form_dict(await request.form())
        action = (form.get("action") or ["suivant"])[0]
        retour = (form.get("retour") or [""])[0]
        outcome = forms.apply_answers(session.data, forms.SECTIONS[sid], indices, form)
        session.save()
        previous, following = forms.neighbours(session.data, step)
        section = forms.SECTIONS[sid]
        if action in ("ajouter_exercice", "ajouter_enfant") and section.children:
            child = section.children[0].id
            new = forms.add_item(session.data, child, indices)
            session.save()
            return _see(forms.Step("page", child, new).url)
        if action == "precedent" and previous is not None:
            return _see(previous.url)
        if action == "suivant" and outcome.ok and not outcome.fields_changed:
            if retour == "revue":
                return _see("/revue")
            return _see(following.url if following else "/revue")
        if action == "actualiser":
            outcome.errors.clear()
            outcome.page_errors.clear()
        return render("page.html", **page_context(step, outcome, retour=retour))

    for pattern, count in (
        ("/page/{sid}", 0),
        ("/page/{sid}/{i:int}", 1),
        ("/page/{sid}/{i:int}/{j:int}", 2),
    ):

        def make(count: int = count) -> tuple[Any, Any]:
            async def get_handler(request: Request, sid: str, i: int = 0, j: int = 0) -> Response:
                return await show_page(request, sid, (i, j)[:count])

            async def post_handler(request: Request, sid: str, i: int = 0, j: int = 0) -> Response:
                return await post_page(request, sid, (i, j)[:count])

            return get_handler, post_handler

        handlers = make()
        app.add_api_route(pattern, handlers[0], methods=["GET"], response_class=HTMLResponse)
        app.add_api_route(pattern, handlers[1], methods=["POST"], response_class=HTMLResponse)

    @app.get("/", response_class=HTMLResponse)
    async def accueil() -> Response:
        problems = session.problems()
        started = bool(session.data)
        first = _first_incomplete(session.data, problems)
        return render(
            "accueil.html",
            nav=nav(),
            chemin=str(session.settings.path),
            commence=started,
            complet=started and not problems,
            suite=first,
        )

    @app.get("/liste/{sid}", response_class=HTMLResponse)
    async def liste(sid: str) -> Response:
        section = forms.SECTIONS.get(sid)
        if section is None or not section.repeated or section.container.count("[]") > 1:
            return render("refus.html", status=404, message="Page introuvable.", nav=nav())
        items = session.data.get(sid)
        entries = [
            {
                "titre": forms.item_title(session.data, section, (i,)),
                "url": forms.Step("page", sid, (i,)).url,
                "supprimer": f"/liste/{sid}/supprimer/{i}",
            }
            for i, _ in enumerate(items if isinstance(items, list) else [])
        ]
        step = forms.Step("liste", sid)
        previous, following = forms.neighbours(session.data, step)
        return render(
            "liste.html",
            nav=nav(_nav_of(sid)),
            titre=section.title,
            intro=section.intro,
            question=section.ask_first,
            elements=entries,
            nom=section.item_noun,
            ajouter=f"/liste/{sid}/ajouter",
            precedent=previous.url if previous else None,
            suivant=following.url if following and (entries or section.ask_first) else None,
        )

    @app.post("/liste/{sid}/ajouter")
    async def ajouter(sid: str) -> Response:
        section = forms.SECTIONS.get(sid)
        if section is None or not section.repeated or section.container.count("[]") > 1:
            return _see("/")
        indices = forms.add_item(session.data, sid)
        session.save()
        return _see(forms.Step("page", sid, indices).url)

    @app.post("/liste/exercices/ajouter/{i:int}")
    async def ajouter_exercice(i: int) -> Response:
        if step_of("etablissements", (i,)) is None:
            return _see("/")
        indices = forms.add_item(session.data, "exercices", (i,))
        session.save()
        return _see(forms.Step("page", "exercices", indices).url)

    @app.post("/liste/{sid}/ajouter/{i:int}")
    async def ajouter_enfant(sid: str, i: int) -> Response:
        parent = forms.parent_of(sid)
        if parent is None or step_of(parent.id, (i,)) is None:
            return _see("/")
        indices = forms.add_item(session.data, sid, (i,))
        session.save()
        return _see(forms.Step("page", sid, indices).url)

    @app.post("/liste/{sid}/supprimer/{tail:path}")
    async def supprimer(sid: str, tail: str) -> Response:
        indices = tuple(int(x) for x in tail.split("/") if x.isdigit())
        if step_of(sid, indices) is None:
            return _see("/")
        forms.remove_item(session.data, sid, indices)
        session.save()
        parent = forms.parent_of(sid)
        if parent is not None:
            return _see(forms.Step("page", parent.id, indices[:1]).url)
        return _see(f"/liste/{sid}")

    @app.get("/etape", response_class=HTMLResponse)
    async def etape() -> Response:
        return render("etape.html", nav=nav("etape"), **stage_context())

    def stage_context() -> dict[str, Any]:
        from recours.questionnaire.stage import dossier_stage

        previous, following = forms.neighbours(session.data, forms.Step("etape"))
        context: dict[str, Any] = {
            "precedent": previous.url if previous else None,
            "suivant": following.url if following else None,
        }
        dossier = session.dossier()
        if dossier is None:
            context["problemes"] = [
                {"texte": f"{spec.place(session.data, c)} : {m}", "url": _url_of(session.data, c)}
                for c, m in session.problems()
            ]
            return context
        stage = dossier_stage(session.analysis(dossier))
        context["decisions"] = [
            {
                "titre": s.titre,
                "lignes": s.lignes,
                "avertissements": s.avertissements,
                "possibles": [spec.DOCUMENT_TITRES[d] for d in s.possibles],
                "choix": spec.answer_of(
                    spec.question("decisions[].documents"), dossier.decisions[s.index].documents
                ),
                "modifier": forms.Step("page", "decisions", (s.index,)).url
                + f"?champ=decisions[{s.index}].documents&retour=revue",
            }
            for s in stage.decisions
        ]
        shown = (*spec.DOCUMENT_CHOICES, spec.DOCUMENT_CHOICE_HIERARCHIQUE)
        titles = {c.value: c.title for c in shown}
        for item in context["decisions"]:
            item["choix"] = titles.get(item["choix"], item["choix"])
        context["documents"] = [
            {"titre": d.libelle[:1].upper() + d.libelle[1:], "numero": k, "kind": d.kind}
            for k, d in enumerate(session.analysis(dossier).plan())
        ]
        return context

    @app.get("/revue", response_class=HTMLResponse)
    async def revue() -> Response:
        return render("revue.html", nav=nav("revue"), blocs=review_blocks(), **stage_context())

    def review_blocks() -> list[dict[str, Any]]:
        data = session.data
        blocks = []
        for step in forms.steps(data):
            if step.kind != "page":
                continue
            section = forms.SECTIONS[step.section]
            scope = spec.scope_for(data, section, step.indices)
            rows = []
            for pf in spec.page_fields(data, section, step.indices):
                value = spec.get_path(data, pf.path)
                answered = spec.has_path(data, pf.path)
                shown = forms.shown_value(pf.question, value, scope, answered)
                fieldset = pf.question.fieldset
                label = (
                    f"{fieldset} : {pf.label[:1].lower()}{pf.label[1:]}" if fieldset else pf.label
                )
                rows.append(
                    {
                        "label": label,
                        "valeur": shown,
                        "manquant": not spec.has_path(data, pf.path)
                        and not pf.question.is_optional,
                        "modifier": f"{step.url}?champ={pf.path}&retour=revue#{field_id(pf.path)}",
                    }
                )
            title = section.title
            if section.repeated:
                title = f"{section.title} — {forms.item_title(data, section, step.indices)}"
            blocks.append({"titre": title, "lignes": rows})
        return blocks

    @app.get("/apercu/{numero:int}", response_class=HTMLResponse)
    async def apercu(numero: int) -> Response:
        from recours.documents.generate import build_context, renderers_for
        from recours.documents.sandbox import TEMPLATE_FILES

        dossier = session.dossier()
        if dossier is None:
            return render("refus.html", status=409, message="Dossier incomplet.", nav=nav())
        analysis = session.analysis(dossier)
        planned = analysis.plan()
        if not 0 <= numero < len(planned):
            return render("refus.html", status=404, message="Document introuvable.", nav=nav())
        doc = planned[numero]
        ctx = build_context(analysis, doc)
        renderers = renderers_for(session.settings.modeles)
        try:
            html = renderers.pdf().html(TEMPLATE_FILES[(doc.kind, "pdf")], ctx)
        except RecoursError as exc:
            return render("refus.html", status=500, message=str(exc), nav=nav())
        link = '<link rel="stylesheet" href="/apercu/style.css">'
        html = (
            re.sub(r"(<head[^>]*>)", r"\1" + link, html, count=1)
            if "<head" in html
            else (link + html)
        )
        return HTMLResponse(html)

    @app.get("/apercu/{name:path}")
    async def apercu_fichier(name: str) -> Response:
        from recours.documents.generate import renderers_for

        suffix = Path(name).suffix
        if suffix not in PREVIEW_FILES or ".." in Path(name).parts:
            return Response(status_code=404)
        for folder in renderers_for(session.settings.modeles).search_path:
            candidate = folder / name
            if candidate.is_file():
                return Response(
                    candidate.read_bytes(),
                    media_type=PREVIEW_FILES[suffix],
                    headers={"Cache-Control": "private, max-age=3600"},
                )
        return Response(status_code=404)

    @app.get("/telecharger/{numero:int}/{fmt}")
    async def telecharger(numero: int, fmt: str) -> Response:
        dossier = session.dossier()
        if dossier is None or fmt not in ("docx", "pdf", "zip"):
            return render("refus.html", status=404, message="Document introuvable.", nav=nav())
        planned = session.analysis(dossier).plan()
        if not 0 <= numero < len(planned):
            return render("refus.html", status=404, message="Document introuvable.", nav=nav())
        doc = planned[numero]
        try:
            folder = await run_in_threadpool(session.generated, dossier)
        except RecoursError as exc:
            return render("refus.html", status=409, message=str(exc), nav=nav())
        if fmt == "zip":
            target = folder / f"telerecours_{doc.stem}"
            if not target.is_dir():
                return render(
                    "refus.html", status=404, message="Pas de dossier Télérecours.", nav=nav()
                )
            return Response(
                zip_folder(target),
                media_type="application/zip",
                headers=_attachment(f"telerecours_{doc.stem}.zip"),
            )
        path = folder / f"{doc.stem}.{fmt}"
        if not path.is_file():
            refus = (folder / ".refus.txt").read_text(encoding="utf-8")
            return render(
                "refus.html", status=409, message=refus or "Document non généré.", nav=nav()
            )
        media = (
            "application/pdf"
            if fmt == "pdf"
            else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        return Response(path.read_bytes(), media_type=media, headers=_attachment(path.name))

    @app.get("/static/{name}")
    async def static(name: str) -> Response:
        if name not in STATIC:
            return Response(status_code=404)
        return Response(
            (HERE / "static" / name).read_bytes(),
            media_type=STATIC[name],
            headers={"Cache-Control": "private, max-age=3600"},
        )


def _nav_of(section_id: str) -> str:
    """The menu entry a section belongs to (a child: its parent's; the optional lists: one)."""
    parent = forms.parent_of(section_id)
    if parent is not None:
        section_id = parent.id
    if any(s.id == section_id for s in forms.OPTIONAL_LISTS):
        return "suites"
    return section_id


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


def field_id(path: str) -> str:
    """An HTML id for a dossier path: ``etablissements[0].nom`` -> ``champ-etablissements-0-nom``."""
    return "champ-" + re.sub(r"[^a-zA-Z0-9_-]+", "-", path).strip("-")


def _url_of(data: dict[str, Any], chemin: str) -> str:
    """The page where the field at ``chemin`` is asked."""
    parts = spec.split_path(chemin)
    if not parts:
        return "/"
    head = parts[0]
    if head == "organisme":
        return f"/page/organisme?champ={chemin}#{field_id(chemin)}"
    optional = tuple(s.id for s in forms.OPTIONAL_LISTS)
    if (
        head in optional
        and len(parts) > 3
        and isinstance(parts[1], int)
        and isinstance(parts[3], int)
        and parts[2] == "versements"
    ):
        return f"/page/versements/{parts[1]}/{parts[3]}?champ={chemin}"
    if head in ("autorites", "etablissements", "decisions", *optional):
        if len(parts) > 1 and isinstance(parts[1], int):
            if (
                head == "etablissements"
                and len(parts) > 3
                and parts[2] == "exercices"
                and isinstance(parts[3], int)
            ):
                return f"/page/exercices/{parts[1]}/{parts[3]}?champ={chemin}"
            return f"/page/{head}/{parts[1]}?champ={chemin}#{field_id(chemin)}"
        return f"/liste/{head}"
    return f"/page/complements?champ={chemin}#{field_id(chemin)}"


def _first_incomplete(data: dict[str, Any], problems: list[tuple[str, str]]) -> str:
    if not data:
        return "/page/organisme"
    if problems:
        return _url_of(data, problems[0][0])
    return "/revue"

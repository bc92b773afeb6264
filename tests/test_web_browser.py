"""``recours web`` in a real browser: Debian's Chromium driven by Playwright.

The server runs as the user starts it (``recours web DOSSIER --sans-navigateur``) and the
browser fills the form as a person would, mistakes included. Skipped when Chromium or
Playwright is missing (``.ci/run`` installs the apt package ``chromium``).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from docs_text import docx_paragraphs
from recours.dossier.validation import load_dossier

CHROMIUM = os.environ.get("RECOURS_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOSTILE = "Dupont & Fils <SARL>"
TODAY = "2026-11-01"

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(
    not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)),
    reason=f"Chromium absent ({CHROMIUM})",
)


class Server:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "recours",
                "web",
                str(path),
                "--sans-navigateur",
                "--aujourdhui",
                TODAY,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:(\d+))/\?jeton=(\S+)", line)
        assert match, (
            f"adresse non affichée : {line!r} {self.proc.stderr.read() if self.proc.stderr else ''}"
        )
        self.base, self.port, self.token = match.group(1), int(match.group(2)), match.group(3)
        self.url = f"{self.base}/?jeton={self.token}"

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    srv = Server(tmp_path / "dossier.yaml")
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(accept_downloads=True, locale="fr-FR")
    pg = context.new_page()
    pg.set_default_timeout(30_000)  # 2 shared cores: slow, not stuck
    yield pg
    context.close()


# ---------------------------------------------------------------------- helpers


def fill(page: Any, fields: dict[str, str]) -> None:
    for name, value in fields.items():
        page.fill(f'[name="{name}"]', value)


def choose(page: Any, name: str, value: str) -> None:
    """A radio, a select or a checkbox; waits for the htmx refresh it may trigger."""
    element = page.locator(f'[name="{name}"]').first
    tag = element.evaluate("e => e.tagName.toLowerCase() + ':' + (e.type || '')")
    refresh = element.get_attribute("hx-post") is not None
    with awaiting(page, refresh):
        if tag.startswith("select"):
            page.select_option(f'select[name="{name}"]', value)
        else:
            page.check(f'input[name="{name}"][value="{value}"]')


def errors(page: Any) -> dict[str, str]:
    """Inline errors by field id."""
    found = {}
    for el in page.locator(".champ.en-erreur").all():
        found[el.get_attribute("id")] = el.locator(".erreur").inner_text()
    return found


@contextlib.contextmanager
def awaiting(page: Any, active: bool = True) -> Iterator[None]:
    """Wait for the page that the action inside loads (htmx swap or full load) to settle."""
    if not active:
        yield
        return
    with page.expect_response(lambda r: r.status == 200 and r.request.resource_type != "script"):
        yield
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping')"
    )
    page.wait_for_load_state()


def next_page(page: Any) -> None:
    with awaiting(page):
        page.click("button.principal")


def add(page: Any, label: str) -> None:
    with awaiting(page):
        page.click(f"button:has-text('{label}')")


# ------------------------------------------------------------------------ tests


def test_token_is_required_and_hosts_are_checked(server: Server, page: Any) -> None:
    response = page.goto(server.base + "/")
    assert response.status == 403
    assert "Accès refusé" in page.inner_text("main")
    assert "Raison sociale" not in page.content()
    # A wrong token is refused too.
    response = page.goto(server.base + "/?jeton=faux")
    assert response.status == 403
    # DNS rebinding: another host name pointing at 127.0.0.1 is refused, token or not.
    r = httpx.get(server.url, headers={"Host": f"attaquant.example:{server.port}"})
    assert r.status_code == 400
    # The token gives a SameSite=Strict, HttpOnly cookie and a CSP on every page.
    response = page.goto(server.url)
    assert response.status == 200
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    cookie = next(c for c in page.context.cookies() if c["name"] == "recours_session")
    assert (cookie["sameSite"], cookie["httpOnly"]) == ("Strict", True)
    assert "jeton" not in page.url  # the token leaves the address bar
    # A form posted from another origin is refused even with the cookie.
    r = httpx.post(
        f"{server.base}/page/organisme",
        data={"organisme.raison_sociale": "x"},
        cookies={"recours_session": cookie["value"]},
        headers={"Origin": "http://attaquant.example"},
    )
    assert r.status_code == 403
    assert not server.path.exists()


def test_a_whole_dossier_through_the_form(server: Server, page: Any, tmp_path: Path) -> None:
    page.goto(server.url)
    with awaiting(page):
        page.click("text=Commencer")

    # Organisme, with a wrong SIREN first.
    fill(
        page,
        {
            "organisme.raison_sociale": HOSTILE,
            "organisme.siren": "123456789",
            "organisme.siege.voie": "4 rue des Lavandières",
            "organisme.siege.code_postal": "72000",
            "organisme.siege.commune": "Le Mans",
            "organisme.representant_legal.nom": "Hélène Durand",
            "organisme.representant_legal.qualite": "présidente",
        },
    )
    choose(page, "organisme.representant_legal.civilite", "Madame")
    next_page(page)
    assert "SIREN invalide" in errors(page)["champ-organisme-siren"]
    # The hostile name came back escaped: shown as typed, never as markup.
    assert page.input_value('[name="organisme.raison_sociale"]') == HOSTILE
    assert page.locator("sarl").count() == 0
    fill(page, {"organisme.siren": "778899112"})
    next_page(page)
    assert "/liste/autorites" in page.url

    # One authority.
    add(page, "Ajouter une autorité")
    choose(page, "autorites[0].type", "conseil_departemental")
    fill(
        page,
        {
            "autorites[0].nom": "Département de la Sarthe",
            "autorites[0].adresse.voie": "1 place de l'Exemple",
            "autorites[0].adresse.code_postal": "72000",
            "autorites[0].adresse.commune": "Le Mans",
            "autorites[0].departement": "72",
        },
    )
    next_page(page)
    assert "/liste/etablissements" in page.url

    # One établissement: FINESS of another département, then corrected.
    add(page, "Ajouter un établissement")
    e = "etablissements[0]."
    fill(
        page,
        {
            e + "nom": "Maison d'enfants Les Coquelicots",
            e + "finess": "930000011",
            e + "adresse.voie": "18 chemin des Prés",
            e + "adresse.code_postal": "72100",
            e + "adresse.commune": "Le Mans",
            e + "departement": "72",
        },
    )
    choose(page, e + "categorie", "mecs")
    choose(page, e + "regime_budgetaire", "procedure_contradictoire")
    choose(
        page,
        e + "financeurs",
        page.locator(f'input[name="{e}financeurs"]').first.get_attribute("value"),
    )
    choose(page, e + "methode", "etp")
    fill(page, {e + "coefficient_charges": "1,45"})
    next_page(page)
    problems = errors(page)
    assert "ne correspond pas au département 72" in problems["champ-etablissements-0-finess"]
    # No dead end: either field can be changed; here the FINESS.
    fill(page, {e + "finess": "720000011"})
    add(page, "Ajouter un exercice")
    assert "/page/exercices/0/0" in page.url
    x = "etablissements[0].exercices[0]."
    fill(page, {x + "annee": "2024", x + "etp": "trois"})
    next_page(page)
    assert "nombre invalide" in errors(page)["champ-etablissements-0-exercices-0-etp"]
    fill(page, {x + "etp": "3,2"})
    next_page(page)
    assert "/liste/decisions" in page.url

    # Reload: every answer is still there (saved after each page).
    page.goto(server.base + "/page/etablissements/0")
    page.reload()
    assert page.input_value(f'[name="{e}finess"]') == "720000011"
    assert page.input_value(f'[name="{e}coefficient_charges"]') == "1,45"

    # One decision, with an impossible date first; French dates.
    page.goto(server.base + "/liste/decisions")
    add(page, "Ajouter une décision")
    d = "decisions[0]."
    choose(page, d + "nature", "arrete_tarification")
    fill(page, {d + "numero": "2026-ENF-0412", d + "date": "31/02/2026"})
    fill(page, {d + "date_notification": "20/10/2026"})
    choose(page, d + "voies_et_delais_mentionnes", "oui")
    next_page(page)
    assert "date" in errors(page)["champ-decisions-0-date"]
    fill(page, {d + "date": "12/10/2026"})
    next_page(page)
    # No demande indemnitaire, notified funding or mise en demeure: « non » to each list.
    for listed in ("demandes_indemnitaires", "financements_notifies", "mises_en_demeure"):
        assert page.url.endswith(f"/liste/{listed}"), errors(page)
        with awaiting(page):
            page.click("a.principal:has-text('Non : passer à la suite')")
    assert page.url.endswith("/etape"), errors(page)
    stage = page.inner_text("main")
    assert "Recours gracieux : à envoyer au plus tard le lundi 21 décembre 2026" in stage

    # « précédent » goes back to the decision (through the three empty lists), its answers
    # kept.
    for _ in range(4):
        with awaiting(page):
            page.click("text=« Précédent")
    assert "/page/decisions/0" in page.url
    assert page.input_value(f'[name="{d}date"]') == "12/10/2026"
    page.goto(server.base + "/page/complements")
    fill(page, {"faits_complementaires": "Première ligne.\nDeuxième ligne."})
    next_page(page)
    assert page.url.endswith("/revue")

    # The review: one click edits one field and comes back.
    if os.environ.get("RECOURS_CAPTURES"):
        page.screenshot(path=os.environ["RECOURS_CAPTURES"] + "/revue.png", full_page=True)
    review = page.inner_text("main")
    assert HOSTILE in review
    assert "Conseil départemental" in review or "Département de la Sarthe" in review
    with awaiting(page):
        page.click("a[href^='/page/organisme?champ=organisme.representant_legal.qualite']")
    fill(page, {"organisme.representant_legal.qualite": "présidente du conseil d'administration"})
    with awaiting(page):
        page.click("text=Enregistrer et revenir au récapitulatif")
    assert page.url.endswith("/revue")
    assert "présidente du conseil d'administration" in page.inner_text("main")

    # The file is the dossier the CLI reads.
    dossier = load_dossier(server.path)
    assert dossier.organisme.raison_sociale == HOSTILE
    assert dossier.etablissements[0].finess == "720000011"
    assert str(dossier.decisions[0].date) == "2026-10-12"
    assert dossier.decisions[0].documents is None

    # Preview (the letter's HTML) and the Word download, read back.
    with page.context.expect_page() as preview_info:
        page.click("a:has-text('Aperçu')")
    preview = preview_info.value
    preview.wait_for_load_state()
    text = preview.inner_text("body")
    assert HOSTILE in text
    assert "Département de la Sarthe" in text
    preview.close()
    with page.expect_download() as download_info:
        page.click("a:has-text('Word')")
    target = tmp_path / "lettre.docx"
    download_info.value.save_as(target)
    paragraphs = docx_paragraphs(target)
    assert any(HOSTILE in p for p in paragraphs)
    assert any("Première ligne." in p for p in paragraphs)


def test_an_existing_dossier_resumes(tmp_path: Path, page: Any) -> None:
    source = Path(__file__).resolve().parent.parent / "examples" / "mecs-conseil-departemental.yaml"
    path = tmp_path / "dossier.yaml"
    path.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    srv = Server(path)
    try:
        page.goto(srv.url)
        assert "Le dossier est complet" in page.inner_text("main")
        page.goto(srv.base + "/page/organisme")
        assert (
            page.input_value('[name="organisme.raison_sociale"]')
            == "Association Les Coquelicots du Maine"
        )
        page.goto(srv.base + "/revue")
        text = page.inner_text("main")
        assert "Maison d'enfants Les Coquelicots" in text
        assert "ars-" not in text and "cd-72" not in text  # no internal identifiers
    finally:
        srv.stop()


def test_the_form_works_without_javascript(server: Server, browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(server.url)
        with page.expect_navigation():
            page.click("text=Commencer")
        fill(page, {"organisme.raison_sociale": HOSTILE, "organisme.siren": "12"})
        with page.expect_navigation():
            page.click("button.principal")
        assert "SIREN invalide" in errors(page)["champ-organisme-siren"]
        page.check('input[name="organisme.contact"][value="oui"]')
        with page.expect_navigation():
            page.click("text=Enregistrer et actualiser la page")
        assert page.locator('[name="organisme.contact.nom"]').count() == 1
        data = server.path.read_text(encoding="utf-8")
        assert "raison_sociale: Dupont & Fils <SARL>" in data
    finally:
        context.close()


def test_a_notified_funding_is_entered_and_gives_a_mise_en_demeure(
    tmp_path: Path, page: Any
) -> None:
    source = Path(__file__).resolve().parent.parent / "examples" / "multisite-ars-cpom.yaml"
    path = tmp_path / "dossier.yaml"
    path.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    srv = Server(path)
    try:
        page.goto(srv.url)
        page.goto(srv.base + "/liste/financements_notifies")
        assert "Une autorité vous a-t-elle notifié un financement" in page.inner_text("main")
        add(page, "Ajouter un financement notifié")
        f = "financements_notifies[0]."
        choose(page, f + "autorite", "ars-idf")
        # The ARS is chosen: its payer, the caisse, is asked (and required).
        assert "caisse" in page.inner_text("main")
        choose(page, f + "etablissement", "930000018")
        choose(page, f + "exercice", "2026")
        fill(page, {f + "date_notification": "15/04/2026", f + "montant_notifie": "12 000"})
        next_page(page)
        assert errors(page) == {"champ-financements_notifies-0-payeur": "champ obligatoire"}
        fill(page, {f + "payeur": "Caisse primaire d'assurance maladie de la Seine-Saint-Denis"})
        add(page, "Ajouter un versement")
        assert "/page/versements/0/0" in page.url
        v = f + "versements[0]."
        fill(page, {v + "date": "20/05/2026", v + "montant": "4 000"})
        next_page(page)
        assert "/liste/mises_en_demeure" in page.url
        page.goto(srv.base + "/etape")
        assert "Mise en demeure de payer" in page.inner_text("main")
        if os.environ.get("RECOURS_CAPTURES"):
            page.goto(srv.base + "/page/financements_notifies/0")
            page.screenshot(
                path=os.environ["RECOURS_CAPTURES"] + "/financement.png", full_page=True
            )
        (fin,) = load_dossier(path).financements_notifies
        assert (fin.autorite, fin.etablissement, fin.exercice) == ("ars-idf", "930000018", 2026)
        assert fin.payeur == "Caisse primaire d'assurance maladie de la Seine-Saint-Denis"
        assert str(fin.reste_du) == "8000"
    finally:
        srv.stop()

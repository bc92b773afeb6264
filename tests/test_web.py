"""``recours web`` without a browser: the app through Starlette's test client.

Security (token, Host, Origin, CSP), the page flow over the question spec, saving after
each page, French errors, downloads. The same app is driven by a real Chromium in
test_web_browser.py.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from recours.cli.main import main
from recours.dossier.validation import load_dossier, read_dossier_file
from recours.web import forms
from recours.web.app import Settings, create_app

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
ORIGIN = {"Origin": BASE}


def client_for(path: Path, today: date = date(2026, 11, 1)) -> tuple[TestClient, Settings]:
    settings = Settings(path=path, today=today, port=PORT)
    client = TestClient(create_app(settings), base_url=BASE)
    return client, settings


def logged_in(path: Path) -> TestClient:
    client, settings = client_for(path)
    response = client.get(f"/?jeton={settings.token}", follow_redirects=False)
    assert response.status_code == 303
    return client


def inline_errors(html: str) -> dict[str, str]:
    return dict(re.findall(r'id="(champ-[^"]+)-erreur" role="alert">([^<]*)<', html))


def test_without_the_token_nothing_is_served(tmp_path: Path) -> None:
    client, _settings = client_for(tmp_path / "dossier.yaml")
    for url in ("/", "/page/organisme", "/revue", "/static/htmx.min.js", "/apercu/0"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Accès refusé" in response.text
    assert client.get("/?jeton=mauvais").status_code == 403
    response = client.post(
        "/page/organisme", data={"organisme.raison_sociale": "x"}, headers=ORIGIN
    )
    assert response.status_code == 403
    assert not (tmp_path / "dossier.yaml").exists()


def test_token_becomes_a_strict_httponly_cookie(tmp_path: Path) -> None:
    client, settings = client_for(tmp_path / "dossier.yaml")
    response = client.get(f"/?jeton={settings.token}", follow_redirects=False)
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    assert settings.token not in cookie  # the cookie is derived, the token stays in the URL
    assert response.headers["location"] == "/"  # the token leaves the address bar
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert page.headers["x-content-type-options"] == "nosniff"
    assert '<script src="/static/htmx.min.js"' in page.text  # vendored, no CDN
    assert "http" not in re.sub(r'content="[^"]*"', "", page.text.split("<body")[0])


@pytest.mark.parametrize("host", ["evil.example", f"evil.example:{PORT}", "127.0.0.1:9"])
def test_other_host_names_are_refused(tmp_path: Path, host: str) -> None:
    client = logged_in(tmp_path / "dossier.yaml")
    assert client.get("/", headers={"Host": host}).status_code == 400


@pytest.mark.parametrize(
    "headers",
    [{"Origin": "http://evil.example"}, {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"}],
)
def test_posts_from_another_origin_are_refused(tmp_path: Path, headers: dict[str, str]) -> None:
    client = logged_in(tmp_path / "dossier.yaml")
    response = client.post(
        "/page/organisme", data={"organisme.raison_sociale": "x"}, headers=headers
    )
    assert response.status_code == 403
    assert not (tmp_path / "dossier.yaml").exists()


def test_a_page_saves_valid_answers_and_shows_french_errors(tmp_path: Path) -> None:
    path = tmp_path / "dossier.yaml"
    client = logged_in(path)
    response = client.post(
        "/page/organisme",
        data={
            "organisme.raison_sociale": "Dupont & Fils <SARL>",
            "organisme.siren": "123456789",
            "organisme.siege.code_postal": "7200",
            "organisme.siege.commune": "Le Mans",
            "organisme.signataire": "non",
            "organisme.contact": "non",
            "action": "suivant",
        },
        headers=ORIGIN,
    )
    assert response.status_code == 200  # stays on the page
    errors = inline_errors(response.text)
    assert errors["champ-organisme-siren"].startswith("SIREN invalide")
    assert errors["champ-organisme-siege-code_postal"].startswith("code postal invalide")
    assert errors["champ-organisme-siege-voie"] == "champ obligatoire"
    assert "Dupont &amp; Fils &lt;SARL&gt;" in response.text
    assert "<SARL>" not in response.text
    data, _ = read_dossier_file(path)  # saved at once, valid answers only
    assert data["organisme"]["raison_sociale"] == "Dupont & Fils <SARL>"
    assert "siren" not in data["organisme"]
    assert path.read_text(encoding="utf-8").startswith("# Dossier en cours de saisie")


def test_a_complete_dossier_is_reviewed_previewed_and_downloaded(tmp_path: Path) -> None:
    path = tmp_path / "dossier.yaml"
    shutil.copy(EXAMPLES / "multisite-ars-cpom.yaml", path)
    client = logged_in(path)
    assert "Le dossier est complet" in client.get("/").text
    review = client.get("/revue").text
    assert "modifier" in review
    assert not re.search(r">\s*(ars|cd)-[0-9a-z]+\s*<", review)  # no internal identifiers
    stage = client.get("/etape").text
    assert "Recours gracieux" in stage
    links = sorted(set(re.findall(r'href="/apercu/(\d+)"', stage)))
    assert links
    preview = client.get(f"/apercu/{links[0]}")
    assert preview.status_code == 200
    assert load_dossier(path).organisme.raison_sociale.split()[0] in preview.text
    assert client.get("/apercu/style.css").headers["content-type"].startswith("text/css")
    assert client.get("/apercu/../pyproject.toml").status_code == 404
    word = client.get(f"/telecharger/{links[0]}/docx")
    assert word.status_code == 200
    assert word.headers["content-disposition"].startswith("attachment; filename=")
    assert word.content[:2] == b"PK"


def test_the_telerecours_folder_comes_as_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "dossier.yaml"
    text = (EXAMPLES / "mecs-conseil-departemental.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("    voies_et_delais_mentionnes: true\n",
                                 "    voies_et_delais_mentionnes: true\n"
                                 "    documents: [requete]\n"), encoding="utf-8")  # fmt: skip
    client = logged_in(path)
    stage = client.get("/etape").text
    number = re.search(r'href="/telecharger/(\d+)/zip"', stage)
    assert number, stage
    response = client.get(f"/telecharger/{number.group(1)}/zip")
    assert response.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert any(n.endswith("/requete.pdf") for n in names)
    assert any(n.endswith("/inventaire.pdf") for n in names)


def test_pages_follow_in_order_with_previous_and_next() -> None:
    data: dict[str, Any] = {"autorites": [{}], "etablissements": [{"exercices": [{}, {}]}]}
    urls = [s.url for s in forms.steps(data)]
    assert urls == [
        "/page/organisme",
        "/liste/autorites",
        "/page/autorites/0",
        "/liste/etablissements",
        "/page/etablissements/0",
        "/page/exercices/0/0",
        "/page/exercices/0/1",
        "/liste/decisions",
        "/liste/demandes_indemnitaires",
        "/liste/financements_notifies",
        "/liste/mises_en_demeure",
        "/etape",
        "/page/complements",
        "/revue",
    ]
    data["financements_notifies"] = [{"versements": [{}, {}]}]
    urls = [s.url for s in forms.steps(data)]
    at = urls.index("/liste/financements_notifies")
    assert urls[at : at + 5] == [
        "/liste/financements_notifies",
        "/page/financements_notifies/0",
        "/page/versements/0/0",
        "/page/versements/0/1",
        "/liste/mises_en_demeure",
    ]
    previous, following = forms.neighbours(data, forms.Step("page", "exercices", (0, 0)))
    assert (previous and previous.url, following and following.url) == (
        "/page/etablissements/0",
        "/page/exercices/0/1",
    )


def test_an_optional_list_can_stay_empty(tmp_path: Path) -> None:
    path = tmp_path / "dossier.yaml"
    shutil.copy(EXAMPLES / "multisite-ars-cpom.yaml", path)
    client = logged_in(path)
    page = client.get("/liste/demandes_indemnitaires").text
    assert "Avez-vous déjà envoyé une demande indemnitaire préalable" in page
    assert 'href="/liste/financements_notifies">Non : passer à la suite' in page  # « non »


def test_a_notified_funding_is_entered_with_its_payments(tmp_path: Path) -> None:
    path = tmp_path / "dossier.yaml"
    shutil.copy(EXAMPLES / "multisite-ars-cpom.yaml", path)
    client = logged_in(path)
    added = client.post("/liste/financements_notifies/ajouter", headers=ORIGIN)
    assert added.url.path == "/page/financements_notifies/0"
    page = client.get("/page/financements_notifies/0").text
    assert "Organisme qui verse ce financement" not in page  # no authority chosen yet
    answers = {
        "financements_notifies[0].autorite": "ars-idf",
        "financements_notifies[0].exercice": "2026",
        "financements_notifies[0].date_notification": "31/02/2026",
        "financements_notifies[0].montant_notifie": "12 000,50",
        "action": "suivant",
    }
    response = client.post("/page/financements_notifies/0", data=answers, headers=ORIGIN)
    errors = inline_errors(response.text)
    assert errors["champ-financements_notifies-0-date_notification"].startswith("date invalide")
    # The ARS is chosen: the payer (the caisse) is asked, and required.
    assert "caisse" in response.text and "R.314-111" in response.text
    answers.update(
        {
            "financements_notifies[0].date_notification": "15/04/2026",
            "financements_notifies[0].etablissement": "930000018",
        }
    )
    response = client.post("/page/financements_notifies/0", data=answers, headers=ORIGIN)
    errors = inline_errors(response.text)
    assert errors == {"champ-financements_notifies-0-payeur": "champ obligatoire"}
    answers["financements_notifies[0].payeur"] = "CPAM de la Seine-Saint-Denis"
    answers["financements_notifies[0].payeur_adresse"] = "non"
    answers["action"] = "ajouter_enfant"
    response = client.post("/page/financements_notifies/0", data=answers, headers=ORIGIN)
    assert response.url.path == "/page/versements/0/0"
    response = client.post(
        "/page/versements/0/0",
        data={
            "financements_notifies[0].versements[0].date": "20/05/2026",
            "financements_notifies[0].versements[0].montant": "4000",
            "action": "suivant",
        },
        headers=ORIGIN,
    )
    assert response.url.path == "/liste/mises_en_demeure"
    dossier = load_dossier(path)
    (fin,) = dossier.financements_notifies
    assert (fin.autorite, fin.etablissement, fin.exercice) == ("ars-idf", "930000018", 2026)
    assert (fin.date_notification, fin.payeur) == (
        date(2026, 4, 15),
        "CPAM de la Seine-Saint-Denis",
    )
    assert str(fin.montant_notifie) == "12000.50" and str(fin.reste_du) == "8000.50"
    assert [(v.date, str(v.montant)) for v in fin.versements] == [(date(2026, 5, 20), "4000")]
    review = client.get("/revue").text
    assert "Financement 2026" in review and "12000,50" in review
    assert "mise en demeure de payer" in client.get("/etape").text.lower()


def test_the_file_edited_elsewhere_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "dossier.yaml"
    shutil.copy(EXAMPLES / "mecs-conseil-departemental.yaml", path)
    client = logged_in(path)
    assert "Les Coquelicots du Maine" in client.get("/page/organisme").text
    path.write_text(path.read_text(encoding="utf-8").replace("Coquelicots du Maine", "Bleuets"),
                    encoding="utf-8")  # fmt: skip
    assert "Association Les Bleuets" in client.get("/page/organisme").text


def test_recours_web_is_documented_in_french() -> None:
    result = CliRunner().invoke(main, ["web", "--help"])
    assert result.exit_code == 0
    assert "--sans-navigateur" in result.output
    assert "Remplir le dossier dans un formulaire web" in result.output


def test_a_problem_of_a_new_list_links_to_its_page() -> None:
    from recours.web.routes import _url_of

    assert _url_of({}, "financements_notifies[0].versements[1].date").startswith(
        "/page/versements/0/1?"
    )
    assert _url_of({}, "demandes_indemnitaires[2].date_envoi").startswith(
        "/page/demandes_indemnitaires/2?champ=demandes_indemnitaires[2].date_envoi"
    )
    assert _url_of({}, "mises_en_demeure") == "/liste/mises_en_demeure"

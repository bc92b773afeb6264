"""`recours modeles exporter`: a copy of the bundled templates for a lawyer to adapt."""

from __future__ import annotations

import shutil
from pathlib import Path

from recours.documents.sandbox import STYLESHEET, TEMPLATE_FILES, bundled_templates_dir
from recours.errors import FileExistsRefusedError
from recours.files import atomic_write_bytes, ensure_dir

GUIDE_NAME = "LISEZMOI.md"

GUIDE = """\
# Modèles personnalisés de `recours`

Ce dossier contient une copie des modèles fournis avec `recours`. Modifiez-les, puis
utilisez-les avec :

    recours generer mon-dossier.yaml --modeles CE_DOSSIER

Un modèle absent de ce dossier est remplacé par le modèle fourni : supprimez ceux que vous
ne modifiez pas. La commande indique quel modèle a produit chaque document.

## Les fichiers

| Fichier | Document |
|---|---|
| `recours_gracieux.docx`, `recours_gracieux.html` | recours gracieux (Word, PDF) |
| `requete.docx`, `requete.html` | requête au tribunal administratif (Word, PDF) |
| `demande_indemnitaire.docx`, `demande_indemnitaire.html` | demande indemnitaire préalable (Word, PDF) |
| `mise_en_demeure.docx`, `mise_en_demeure.html` | mise en demeure de payer (Word, PDF) |
| `recours_hierarchique.docx`, `recours_hierarchique.html` | recours hiérarchique aux ministres (Word, PDF) |
| `requete_indemnitaire.docx`, `requete_indemnitaire.html` | requête indemnitaire au tribunal administratif (Word, PDF) |
| `inventaire.html` | inventaire des pièces du dossier Télérecours (PDF) |
| `tableau_montants.html` | tableau de calcul des montants, pièce jointe (PDF) |
| `style.css`, `fonts/` | mise en page et polices des PDF |

Les PDF sont produits à partir des fichiers `.html` ; les fichiers Word à partir des
`.docx`. Si vous ne modifiez que le modèle Word (le `.html` restant identique à celui
fourni), le PDF est produit à partir du document Word par LibreOffice, pour qu'il montre
vos modifications ; sans LibreOffice, `recours generer` refuse d'écrire un PDF qui les
ignorerait (générez alors le Word seul avec `--formats docx`). Si vous modifiez les deux,
chaque format suit son modèle : gardez-les d'accord.

## Les styles Word

La mise en page du Word tient dans des styles nommés : « Corps », « Corps après tableau », « Titre principal »,
« Intertitre », « Sous-intertitre », « Citation », « Texte saisi », « Expéditeur »,
« Destinataire », « Lieu et date », « Objet », « Mention », « Énumération »,
« Conclusions », « Formule de politesse », « Fait à », « Signature », « Pièces »,
« Tableau – texte », « Tableau – montant », « Tableau – en-tête », et le style de tableau
« Tableau des montants ». Modifiez un style (clic droit > Modifier dans la galerie des
styles) pour changer toute la lettre. La formule de politesse, la signature et les pièces
jointes sont liées au paragraphe suivant : elles restent ensemble sur la même page. La
police Liberation Serif est incorporée au fichier.

## Les balises

- `{{ organisme.raison_sociale }}` insère une valeur. La liste complète des variables,
  avec un exemple de chacune : `recours modeles variables` (ou
  `docs/variables-modeles.md`).
- `{% if avocat.present %} … {% else %} … {% endif %}` : texte conditionnel.
- `{% for d in decisions %} … {{ d.intitule }} … {% endfor %}` : répétition. Un chemin
  noté `decisions[].intitule` dans la liste des variables s'utilise ainsi, dans une boucle.
  `{{ loop.index }}` donne le numéro du tour (1, 2, 3…).
- Tapez les guillemets droits `"` ou `'` dans les balises : désactivez la correction
  automatique de Word (Fichier > Options > Vérification > Options de correction
  automatique > Lors de la frappe : guillemets « » et “ ”), sinon la balise est refusée.
- Tapez chaque balise d'un seul tenant, sans changer de mise en forme au milieu : une
  balise dont la moitié est en gras est coupée en deux dans le fichier Word.

## Dans Word : paragraphes et lignes de tableau

- `{%p if … %}`, `{%p for … %}`, `{%p endif %}`, `{%p endfor %}` : la balise occupe un
  paragraphe à elle seule, et ce paragraphe disparaît du document produit. C'est la
  façon de rendre conditionnel ou répété un paragraphe entier. Une seule balise `{%p` par
  paragraphe, rien d'autre dans ce paragraphe (le reste serait supprimé).
- `{%tr for l in montants.lignes %}` … `{%tr endfor %}` : dans un tableau, la balise
  occupe une ligne du tableau à elle seule (laissez les autres cellules vides) ; les lignes
  entre les deux sont répétées.
- Pas d'espace entre `{%` et `p` ou `tr` : `{%p if … %}`, jamais `{% p if … %}`.
- Les textes sur plusieurs lignes (`faits_complementaires`) gardent leurs retours à la
  ligne : insérez-les simplement avec `{{ faits_complementaires }}`, seuls dans leur
  paragraphe.

## Dans les fichiers HTML

Les balises sont les mêmes, sans `{%p` ni `{%tr` : écrivez `{% for … %}` autour des
`<p>` ou des `<tr>` à répéter. Les images et feuilles de style ne peuvent venir que de ce
dossier (ni Internet, ni un autre dossier de l'ordinateur).

## Vérifier avant d'envoyer une lettre

    recours modeles verifier CE_DOSSIER

signale, avec la page (telle que Word l'a enregistrée), le numéro de paragraphe et le
texte du paragraphe (Word) ou la ligne (HTML) : les
erreurs de syntaxe, les balises coupées par Word ou tapées avec des guillemets
typographiques, les `{%p`/`{%tr` mal placés, les variables mal orthographiées, les filtres
inconnus ; puis il produit chaque document des dossiers d'exemple avec vos modèles.

## Sécurité

Les modèles sont exécutés dans un « bac à sable » : ils n'ont accès qu'aux variables
listées, jamais aux fichiers, au réseau ni aux objets Python. Un modèle reçu par
courriel qui tenterait d'y accéder est refusé avec un message d'erreur.
"""


def export_templates(dest: Path, *, force: bool = False) -> list[Path]:
    """Copy the bundled templates, stylesheet and fonts into `dest`, with a French guide."""
    if dest.exists() and any(dest.iterdir()) and not force:
        raise FileExistsRefusedError(
            f"le dossier {dest} n'est pas vide, rien n'a été copié "
            "(utilisez --force pour y écrire quand même)"
        )
    source = bundled_templates_dir()
    ensure_dir(dest)
    written: list[Path] = []
    for name in [*sorted(set(TEMPLATE_FILES.values())), STYLESHEET]:
        shutil.copyfile(source / name, dest / name)
        written.append(dest / name)
    fonts = source / "fonts"
    if fonts.is_dir():
        ensure_dir(dest / "fonts")
        for font in sorted(fonts.iterdir()):
            if font.is_file():
                shutil.copyfile(font, dest / "fonts" / font.name)
                written.append(dest / "fonts" / font.name)
    atomic_write_bytes(dest / GUIDE_NAME, GUIDE.encode("utf-8"), force=True)
    written.append(dest / GUIDE_NAME)
    return written

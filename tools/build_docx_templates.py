"""Build the bundled Word templates (templates/*.docx) with python-docx.

The .docx files are committed so lawyers can open and adapt them in Word; this script is
their reproducible source. Keep the text in step with the HTML templates (a parity test
compares the rendered Word and PDF documents).

    python tools/build_docx_templates.py
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
FONT = "Liberation Serif"


class Builder:
    def __init__(self, titre: str) -> None:
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.2)
        section.left_margin, section.right_margin = Cm(2.5), Cm(2.5)
        normal = self.doc.styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(11)
        rpr = normal.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.append(fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)
        normal.paragraph_format.space_after = Pt(5)
        props = self.doc.core_properties
        props.title = titre
        props.author = "recours"
        props.created = props.modified = dt.datetime(2026, 1, 1, 12, 0)
        props.revision = 1

    def p(
        self,
        *runs: str | tuple[str, str],
        align: str = "justify",
        indent: float | None = None,
        space_after: float | None = None,
    ) -> None:
        """A paragraph; a run given as ("b", text) is bold, ("i", text) italic."""
        para = self.doc.add_paragraph()
        para.alignment = {
            "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
            "left": WD_ALIGN_PARAGRAPH.LEFT,
            "center": WD_ALIGN_PARAGRAPH.CENTER,
        }[align]
        if indent is not None:
            para.paragraph_format.left_indent = Cm(indent)
        if space_after is not None:
            para.paragraph_format.space_after = Pt(space_after)
        for run in runs:
            style, text = run if isinstance(run, tuple) else ("", run)
            r = para.add_run(text)
            r.bold = style == "b"
            r.italic = style == "i"

    def tag(self, text: str) -> None:
        """A control paragraph ({%p ... %}) that docxtpl removes."""
        self.doc.add_paragraph(text)

    def h(self, text: str, level: int = 2) -> None:
        size = {1: 13, 2: 11.5, 3: 11}[level]
        para = self.doc.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER if level == 1 else WD_ALIGN_PARAGRAPH.LEFT
        para.paragraph_format.space_before = Pt(8)
        para.paragraph_format.keep_with_next = True
        run = para.add_run(text)
        run.bold = level < 3
        run.italic = level == 3
        run.font.size = Pt(size)

    def amounts_table(self, with_total_cost: bool = False) -> None:
        headers = ["Établissement", "Exercice", "Calcul"]
        cells = ["{{ l.etablissement }} ({{ l.finess }})", "{{ l.annee }}", "{{ l.formule }}"]
        if with_total_cost:
            headers.append("Coût total")
            cells.append("{{ l.cout_total }}")
        headers += ["Part", "Dû", "Reçu", "Reste dû"]
        cells += ["{{ l.part }}", "{{ l.du }}", "{{ l.recu }}", "{{ l.ecart }}"]
        total = (
            ["Total"]
            + [""] * (len(headers) - 4)
            + [
                "{{ montants.total_du }}",
                "{{ montants.total_recu }}",
                "{{ montants.total_ecart }}",
            ]
        )
        table = self.doc.add_table(rows=0, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        numeric = {len(headers) - 3, len(headers) - 2, len(headers) - 1}
        if with_total_cost:
            numeric.add(3)

        def row(values: list[str], bold: bool = False) -> None:
            tr = table.add_row()
            for i, value in enumerate(values):
                cell = tr.cells[i]
                para = cell.paragraphs[0]
                para.paragraph_format.space_after = Pt(0)
                if i in numeric:
                    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                run = para.add_run(value)
                run.bold = bold
                run.font.size = Pt(9.5)

        row(headers, bold=True)
        tr = table.add_row()
        tr.cells[0].paragraphs[0].add_run("{%tr for l in montants.lignes %}")
        row(cells)
        tr = table.add_row()
        tr.cells[0].paragraphs[0].add_run("{%tr endfor %}")
        row(total, bold=True)

    def footer(self, text: str) -> None:
        para = self.doc.sections[0].footer.paragraphs[0]
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = para.add_run(text + " — page ")
        run.font.size = Pt(8.5)
        self._field(para, "PAGE")
        run = para.add_run(" / ")
        run.font.size = Pt(8.5)
        self._field(para, "NUMPAGES")

    @staticmethod
    def _field(para: object, name: str) -> None:
        fld = OxmlElement("w:fldSimple")
        fld.set(qn("w:instr"), f" {name} ")
        run = OxmlElement("w:r")
        rpr = OxmlElement("w:rPr")
        size = OxmlElement("w:sz")
        size.set(qn("w:val"), "17")
        rpr.append(size)
        run.append(rpr)
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        fld.append(run)
        para._p.append(fld)  # type: ignore[attr-defined]

    def save(self, name: str) -> None:
        self.doc.save(TEMPLATES / name)


def build_gracieux() -> None:
    b = Builder("Recours gracieux")
    b.footer(
        "{{ organisme.raison_sociale }} — recours gracieux"
        "{% if document.reference %} — réf. {{ document.reference }}{% endif %}"
    )
    left = {"align": "left", "space_after": 0.0}
    b.p(("b", "{{ organisme.raison_sociale }}"), **left)
    b.p("{{ organisme.forme_juridique }}", **left)
    b.p(
        "SIREN {{ organisme.siren }}{% if organisme.rna %} — RNA {{ organisme.rna }}{% endif %}",
        **left,
    )
    b.tag("{%p for ligne in organisme.siege.lignes %}")
    b.p("{{ ligne }}", **left)
    b.tag("{%p endfor %}")
    b.tag("{%p for e in etablissements %}")
    b.p("{{ e.nom }} — FINESS {{ e.finess }}", **left)
    b.tag("{%p endfor %}")
    b.tag("{%p if organisme.contact.nom %}")
    b.p(
        "Dossier suivi par : {{ organisme.contact.nom }}"
        "{% if organisme.contact.telephone %} — {{ organisme.contact.telephone }}{% endif %}"
        "{% if organisme.contact.courriel %} — {{ organisme.contact.courriel }}{% endif %}",
        **left,
    )
    b.tag("{%p endif %}")
    b.p("", **left)
    right = {"align": "left", "indent": 8.0, "space_after": 0.0}
    b.p("{{ autorite.titre_titulaire }}", **right)
    b.p("{{ autorite.nom }}", **right)
    b.tag("{%p if autorite.service %}")
    b.p("{{ autorite.service }}", **right)
    b.tag("{%p endif %}")
    b.tag("{%p for ligne in autorite.adresse.lignes %}")
    b.p("{{ ligne }}", **right)
    b.tag("{%p endfor %}")
    b.p("", **left)
    b.p("{{ document.lieu }}, le {{ document.date }}", align="left", indent=8.0)
    b.p(("b", "Lettre recommandée avec demande d'avis de réception"), align="left")
    b.p(
        (
            "b",
            "Objet : recours gracieux — financement de l'indemnité prévue par l'accord du "
            "{{ accord.date }} (« Ségur pour tous »)",
        ),
        align="left",
    )
    b.p(("b", "Références :"), align="left", space_after=0.0)
    b.tag("{%p for d in decisions %}")
    b.p("– {{ d.intitule }} (notification du {{ d.date_notification }})", **left)
    b.tag("{%p endfor %}")
    b.tag("{%p for e in etablissements %}")
    b.p("– {{ e.nom }}, FINESS {{ e.finess }} ({{ e.categorie_libelle }})", **left)
    b.tag("{%p endfor %}")
    b.p("– Exercices : {{ montants.exercices }}", **left)
    b.tag("{%p if document.reference %}")
    b.p("– Notre référence : {{ document.reference }}", **left)
    b.tag("{%p endif %}")
    b.p("")
    b.p("{{ autorite.formule_appel }},")
    b.h("Les faits")
    b.tag("{%p for d in decisions %}")
    b.p(
        "Nous avons reçu notification, le {{ d.date_notification }}, de la décision suivante : "
        "{{ d.intitule }}. Cette décision n'assure pas le financement intégral de l'indemnité due "
        "à nos salariés en application de l'accord du {{ accord.date }}."
    )
    b.tag("{%p endfor %}")
    b.p(
        "L'{{ accord.titre }} (ci-après « l'accord ») institue, à compter du {{ accord.date_effet }}, "
        "une indemnité de {{ accord.montant_mensuel }} brut par mois pour un salarié à temps plein, "
        "au bénéfice des salariés qui ne percevaient aucune des mesures Ségur antérieures. Il a été "
        "agréé par {{ accord.agrement }}, puis étendu par {{ accord.extension }}. Notre association "
        "est tenue de verser cette indemnité."
    )
    b.tag("{%p if faits_complementaires %}")
    b.p("{{ faits_complementaires }}")
    b.tag("{%p endif %}")
    b.h("Le montant en cause")
    b.p(
        "Le coût de la mesure qui relève de votre financement s'établit comme suit, établissement "
        "par établissement :"
    )
    b.amounts_table()
    b.p(
        "Le financement restant dû s'élève ainsi à {{ montants.total_ecart }} "
        "({{ montants.total_ecart_en_lettres }})."
    )
    b.h("En droit")
    b.tag("{%p for m in moyens %}")
    b.h("{{ m.intitule }}", level=3)
    b.p("{{ m.expose }}")
    b.tag("{%p endfor %}")
    b.h("Notre demande")
    b.p(
        "Pour ces motifs, nous vous demandons de bien vouloir modifier "
        "{% if decisions|length > 1 %}les décisions précitées{% else %}la décision précitée{% endif %} "
        "afin d'y intégrer le financement de l'indemnité prévue par l'accord, soit un financement "
        "complémentaire de {{ montants.total_ecart }} au titre "
        "{% if montants.par_exercice|length > 1 %}des exercices{% else %}de l'exercice{% endif %} "
        "{{ montants.exercices }}."
    )
    b.p(
        "{% if document.dans_le_delai %}Le présent recours gracieux est formé dans le délai de "
        "recours contentieux, qu'il interrompt en application de l'{{ textes.crpa_l411_2 }}. "
        "Il vaut également{% else %}Le présent recours gracieux vaut{% endif %} demande "
        "préalable, au sens de l'{{ textes.cja_r421_1 }}, "
        "pour le paiement des sommes réclamées. Nous vous remercions de nous adresser un accusé de "
        "réception comportant les mentions prévues par l'{{ textes.crpa_r112_5 }}."
    )
    b.p(
        "Nous vous prions d'agréer, {{ autorite.formule_appel }}, l'expression de notre haute "
        "considération."
    )
    b.p("")
    b.p("{{ organisme.signataire.nom_complet }}", **right)
    b.p("{{ organisme.signataire.qualite }}", **right)
    b.tag("{%p if not organisme.signataire.est_representant_legal %}")
    b.p("par {{ organisme.signataire.delegation }}", **right)
    b.tag("{%p endif %}")
    b.h("Pièces jointes")
    b.tag("{%p for p in pieces %}")
    b.p("{{ p.numero }}. {{ p.intitule }}", align="left")
    b.tag("{%p endfor %}")
    b.save("recours_gracieux.docx")


def build_requete() -> None:
    b = Builder("Requête")
    b.footer(
        "{{ organisme.raison_sociale }} c/ {{ autorite.nom }} — requête"
        "{% if document.reference %} — réf. {{ document.reference }}{% endif %}"
    )
    b.p(
        "À Mesdames et Messieurs les président et conseillers composant le {{ tribunal.nom }}",
        align="left",
        indent=8.0,
    )
    b.h(
        'REQUÊTE EN {% if decision.conclusions == "reformation" %}RÉFORMATION'
        "{% else %}ANNULATION{% endif %}",
        level=1,
    )
    b.p(
        ("b", "POUR : "),
        "{{ organisme.raison_sociale }}, {{ organisme.forme_juridique }}, SIREN {{ organisme.siren }}"
        "{% if organisme.rna %}, RNA {{ organisme.rna }}{% endif %}, dont le siège est "
        "{{ organisme.siege.une_ligne }}, prise en la personne de son représentant légal, "
        "{{ organisme.representant_legal.nom_complet }}, {{ organisme.representant_legal.qualite }}.",
    )
    b.tag("{%p if avocat.present %}")
    b.p(
        "Ayant pour avocat : {{ avocat.nom }}, avocat au barreau de {{ avocat.barreau }}, "
        "{{ avocat.adresse.une_ligne }}{% if avocat.toque %}, toque {{ avocat.toque }}{% endif %}"
        "{% if avocat.telephone %}, tél. {{ avocat.telephone }}{% endif %}"
        "{% if avocat.courriel %}, {{ avocat.courriel }}{% endif %}."
    )
    b.tag("{%p endif %}")
    b.p(
        ("b", "CONTRE : "),
        "la décision {{ autorite.titre_de }} ({{ autorite.nom }}) notifiée le "
        "{{ decision.date_notification }} — {{ decision.intitule }}"
        "{% if decision.recours_gracieux.envoye %}, ensemble "
        "{% if decision.rejet_explicite %}la décision, notifiée le {{ decision.rejet_explicite }}, "
        "rejetant{% elif delais.rejet_implicite %}la décision implicite, née le "
        "{{ delais.rejet_implicite }}, rejetant{% else %}la décision rejetant{% endif %} le recours "
        "gracieux formé le {{ decision.recours_gracieux.date_envoi }}{% endif %}.",
    )
    b.p(
        ("b", "Défendeur : "),
        "{{ autorite.defendeur }} ({{ autorite.nom }}, {{ autorite.adresse.une_ligne }}).",
    )
    b.h("I. Faits")
    b.p(
        "1. {{ organisme.raison_sociale }} gère {% if etablissements|length > 1 %}les établissements "
        "et services suivants{% else %}l'établissement ou le service suivant{% endif %} : "
        "{% for e in etablissements %}{{ e.nom }} ({{ e.categorie_libelle }}, FINESS {{ e.finess }}, "
        "{{ e.adresse.une_ligne }}){% if not loop.last %} ; {% endif %}{% endfor %}."
    )
    b.p(
        "2. L'{{ accord.titre }} (ci-après « l'accord ») institue, à compter du "
        "{{ accord.date_effet }}, une indemnité de {{ accord.montant_mensuel }} brut par mois pour "
        "un salarié à temps plein, au bénéfice des salariés qui ne percevaient aucune des mesures "
        "Ségur antérieures. Il a été agréé par {{ accord.agrement }}, puis étendu par "
        "{{ accord.extension }}."
    )
    b.p(
        "3. Par la décision attaquée, notifiée le {{ decision.date_notification }} (pièce n° 1), "
        "{{ autorite.titre }} n'a pas assuré le financement intégral de cette indemnité."
    )
    b.tag("{%p if decision.recours_gracieux.envoye %}")
    b.p(
        "4. Par lettre recommandée envoyée le {{ decision.recours_gracieux.date_envoi }}"
        "{% if decision.recours_gracieux.date_reception %} et reçue le "
        "{{ decision.recours_gracieux.date_reception }}{% endif %}, l'association a formé un recours "
        "gracieux (pièce n° 2). {% if decision.rejet_explicite %}Ce recours a été rejeté par une "
        "décision notifiée le {{ decision.rejet_explicite }}.{% elif delais.rejet_implicite %}Le "
        "silence gardé pendant {{ regles.rejet_implicite }} a fait naître une décision implicite "
        "de rejet le "
        "{{ delais.rejet_implicite }}.{% endif %}"
    )
    b.tag("{%p endif %}")
    b.tag("{%p if faits_complementaires %}")
    b.p("{{ faits_complementaires }}")
    b.tag("{%p endif %}")
    b.h("II. Discussion")
    b.h("A. Sur la recevabilité", level=3)
    b.p(
        'Sur le délai. {% if delais.contentieux_evenement == "notification" %}La décision attaquée '
        "a été notifiée le {{ delais.contentieux_point_de_depart }}.{% if delais.delai_raisonnable %}"
        " Cette notification ne mentionnait pas les voies et délais de recours : le délai de "
        "{{ regles.recours }} n'est pas opposable à l'exposante ({{ textes_courts.cja_r421_5 }}), "
        "qui agit dans un délai raisonnable ({{ regles.delai_raisonnable }} ; "
        "{{ textes_courts.ce_czabaj }}).{% endif %}"
        '{% elif delais.contentieux_evenement == "rejet_implicite" %}Formé dans le délai de recours '
        "contentieux, le recours gracieux l'a interrompu ({{ textes_courts.crpa_l411_2 }}) ; la "
        "décision implicite de rejet est née le {{ delais.contentieux_point_de_depart }} "
        "({{ textes_courts.crpa_l231_4 }} ; {{ textes_courts.crpa_l114_3 }}).{% else %}Formé dans "
        "le délai de recours contentieux, le recours gracieux l'a interrompu "
        "({{ textes_courts.crpa_l411_2 }}) ; son rejet exprès a été notifié le "
        "{{ delais.contentieux_point_de_depart }} ({{ textes_courts.cja_r421_2 }}).{% endif %} "
        "{% if document.dans_le_delai %}Le délai de recours expire "
        "le {{ delais.contentieux_date_limite }} : la présente requête est recevable.{% else %}"
        "[À COMPLÉTER : le délai calculé expirait le {{ delais.contentieux_date_limite }} ; exposez "
        "les motifs de recevabilité.]{% endif %}"
    )
    b.tag("{%p if decision.recours_gracieux.envoye %}")
    b.p(
        "Sur la demande préalable. Le recours gracieux du {{ decision.recours_gracieux.date_envoi }} "
        "demandait le paiement des sommes en cause : il a lié le contentieux "
        "({{ textes_courts.cja_r421_1 }})."
    )
    b.tag("{%p endif %}")
    b.p(
        "Sur la capacité et l'intérêt à agir. Association régulièrement déclarée, l'exposante a "
        "capacité pour agir ({{ textes_courts.loi_1901_art6 }}). "
        "{% if organisme.signataire.est_representant_legal %}Elle est représentée par "
        "{{ organisme.representant_legal.nom_complet }}, {{ organisme.representant_legal.qualite }}"
        "{% else %}Elle agit par {{ organisme.signataire.nom_complet }}, "
        "{{ organisme.signataire.qualite }}, en vertu de la {{ organisme.signataire.delegation }}"
        "{% endif %}. Gestionnaire de{% if etablissements|length > 1 %}s établissements{% else %} "
        "l'établissement{% endif %} dont le financement est en cause, elle a intérêt à agir."
    )
    b.h("B. Sur le bien-fondé", level=3)
    b.tag("{%p for m in moyens %}")
    b.p(("b", "{{ loop.index }}. {{ m.intitule }}."), " {{ m.expose }}")
    b.tag("{%p endfor %}")
    b.p("Le financement dû et non versé s'établit comme suit :")
    b.amounts_table()
    b.p(
        "Soit un financement restant dû de {{ montants.total_ecart }} "
        "({{ montants.total_ecart_en_lettres }})."
    )
    b.h("PAR CES MOTIFS")
    b.p("L'association exposante conclut qu'il plaise au tribunal :")
    b.tag('{%p if decision.conclusions == "reformation" %}')
    b.p(
        "– de réformer la décision attaquée et de fixer le tarif de l'exercice "
        "{{ montants.exercices }} à un montant intégrant le coût de l'indemnité prévue par "
        "l'accord, soit un financement supplémentaire de {{ montants.total_ecart }} ;"
    )
    b.p(
        "– à titre subsidiaire, de renvoyer l'association devant {{ autorite.titre }} "
        "pour qu'il soit procédé à une nouvelle fixation de ce tarif intégrant ce coût ;"
    )
    b.tag("{%p else %}")
    b.p(
        "– d'annuler la décision attaquée{% if decision.recours_gracieux.envoye %}, ensemble la "
        "décision rejetant le recours gracieux{% endif %} ;"
    )
    b.p(
        "– d'enjoindre {{ autorite.titre_a }} de réexaminer la demande de financement "
        "de l'association dans le délai que le tribunal fixera ({{ textes_courts.cja_l911_1 }}) ;"
    )
    b.tag("{%p endif %}")
    b.p(
        "– de mettre à la charge {{ autorite.defendeur_de }} une somme au titre de "
        "l'{{ textes.cja_l761_1 }}."
    )
    b.p("")
    right = {"align": "left", "indent": 8.0, "space_after": 0.0}
    b.p("Fait {{ document.lieu|a }}, le {{ document.date }}", **right)
    b.tag("{%p if avocat.present %}")
    b.p("{{ avocat.nom }}", **right)
    b.p("Avocat au barreau de {{ avocat.barreau }}", **right)
    b.tag("{%p elif document.a_faire_signer_par_avocat %}")
    b.p(
        "[À FAIRE SIGNER PAR UN AVOCAT : l'obligation d'avocat devant le tribunal n'est pas "
        "établie pour ce défendeur ; voir les avertissements de recours.]",
        **right,
    )
    b.tag("{%p else %}")
    b.p("{{ organisme.signataire.nom_complet }}", **right)
    b.p("{{ organisme.signataire.qualite }}", **right)
    b.tag("{%p endif %}")
    b.h("Inventaire détaillé des pièces ({{ textes_courts.cja_r412_2 }})")
    b.tag("{%p for p in pieces %}")
    b.p("Pièce n° {{ p.numero }} : {{ p.intitule }}", align="left")
    b.tag("{%p endfor %}")
    b.save("requete.docx")


if __name__ == "__main__":
    build_gracieux()
    build_requete()
    print(f"Modèles Word écrits dans {TEMPLATES}")

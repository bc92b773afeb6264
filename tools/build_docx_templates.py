"""Build the bundled Word templates (templates/*.docx) with python-docx.

The .docx files are committed so lawyers can open and adapt them in Word; this script is
their reproducible source. Keep the text in step with the HTML templates (a parity test
compares the rendered Word and PDF documents).

Layout lives in named paragraph styles with French names (« Corps », « Intertitre »,
« Signature », « Tableau – montant »…): a lawyer restyles the whole letter by editing a
style. Direct formatting is kept for inline emphasis only (« POUR : » in bold).

The bundled Liberation Serif (SIL OFL) is embedded in each template, obfuscated as
ECMA-376 Part 1 §17.8.1 prescribes, so Word and LibreOffice lay the letter out with the
same font on a machine that does not have it; the rendered documents inherit it.

    python tools/build_docx_templates.py
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
FONT = "Liberation Serif"
FONT_FILES = {
    "embedRegular": "LiberationSerif-Regular.ttf",
    "embedBold": "LiberationSerif-Bold.ttf",
    "embedItalic": "LiberationSerif-Italic.ttf",
    "embedBoldItalic": "LiberationSerif-BoldItalic.ttf",
}
OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
TEXT_WIDTH_CM = 16.0  # A4 (21 cm) minus 2.5 cm margins on each side
SIGNATURE_INDENT_CM = 8.0
# Room for the handwritten signature, between the closing formula and the typed name.
SIGNATURE_ROOM_PT = 62
# Amounts table: widths in cm, summing to TEXT_WIDTH_CM. An amount column fits
# « 1 234 567,89 € » in bold 9 pt with its cell margins, so it never wraps.
AMOUNT_COLUMNS = [
    ("Établissement", 3.3, "texte"),
    ("Exercice", 1.5, "texte"),
    ("Calcul", 3.2, "texte"),
    ("Part", 1.4, "texte"),
    ("Dû", 2.2, "montant"),
    ("Reçu", 2.2, "montant"),
    ("Reste dû", 2.2, "montant"),
]


def obfuscate_font(data: bytes, key: str) -> bytes:
    """ECMA-376 font obfuscation: XOR the first 32 bytes with the GUID's bytes, reversed."""
    guid = uuid.UUID(key).bytes[::-1]
    head = bytes(b ^ guid[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


def _twips(cm: float) -> str:
    return str(round(cm / 2.54 * 1440))


def _set_fonts(rpr: Any) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


class Builder:
    def __init__(self, titre: str) -> None:
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.2)
        section.left_margin, section.right_margin = Cm(2.5), Cm(2.5)
        self._defaults()
        self._styles()
        self._settings()
        props = self.doc.core_properties
        props.title = titre
        props.author = "recours"
        props.language = "fr-FR"
        props.created = props.modified = dt.datetime(2026, 1, 1, 12, 0)
        props.revision = 1

    # ------------------------------------------------------------------ styles

    def _defaults(self) -> None:
        styles = self.doc.styles.element
        rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _set_fonts(rpr)
        lang = rpr.find(qn("w:lang"))
        lang.set(qn("w:val"), "fr-FR")
        ppr = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
        spacing = ppr.find(qn("w:spacing"))
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), "240")
        normal = self.doc.styles["Normal"]
        normal.font.name = FONT
        _set_fonts(normal.element.get_or_add_rPr())
        normal.font.size = Pt(11)
        normal.paragraph_format.widow_control = True

    def _style(
        self,
        name: str,
        style_id: str,
        base: str = "Normal",
        *,
        align: str | None = None,
        size: float | None = None,
        bold: bool | None = None,
        italic: bool | None = None,
        indent: float | None = None,
        before: float | None = None,
        after: float | None = None,
        keep_next: bool | None = None,
        keep_together: bool | None = None,
        outline: int | None = None,
        next_style: str | None = None,
    ) -> None:
        style = self.doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.element.set(qn("w:styleId"), style_id)
        style.base_style = self.doc.styles[base]
        style.quick_style = True
        fmt = style.paragraph_format
        if align is not None:
            fmt.alignment = {
                "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
                "left": WD_ALIGN_PARAGRAPH.LEFT,
                "center": WD_ALIGN_PARAGRAPH.CENTER,
                "right": WD_ALIGN_PARAGRAPH.RIGHT,
            }[align]
        if size is not None:
            style.font.size = Pt(size)
        if bold is not None:
            style.font.bold = bold
        if italic is not None:
            style.font.italic = italic
        if indent is not None:
            fmt.left_indent = Cm(indent)
        if before is not None:
            fmt.space_before = Pt(before)
        if after is not None:
            fmt.space_after = Pt(after)
        if keep_next is not None:
            fmt.keep_with_next = keep_next
        if keep_together is not None:
            fmt.keep_together = keep_together
        if outline is not None:
            ppr = style.element.get_or_add_pPr()
            level = OxmlElement("w:outlineLvl")
            level.set(qn("w:val"), str(outline))
            ppr.append(level)
        if next_style is not None:
            style.next_paragraph_style = self.doc.styles[next_style]

    def _styles(self) -> None:
        s = self._style
        s("Corps", "Corps", align="justify", after=5)
        s(
            "Titre principal",
            "Titreprincipal",
            "Corps",
            align="center",
            size=13,
            bold=True,
            before=10,
            after=10,
            keep_next=True,
            outline=0,
        )
        s(
            "Intertitre",
            "Intertitre",
            "Corps",
            align="left",
            size=11.5,
            bold=True,
            before=9,
            after=4,
            keep_next=True,
            keep_together=True,
            outline=1,
            next_style="Corps",
        )
        s(
            "Sous-intertitre",
            "Sousintertitre",
            "Corps",
            align="left",
            italic=True,
            before=6,
            after=3,
            keep_next=True,
            keep_together=True,
            outline=2,
            next_style="Corps",
        )
        s("Citation", "Citation", "Corps", indent=1.0, italic=True)
        s("Corps après tableau", "Corpsapres", "Corps", before=6)
        s("Texte saisi", "Textesaisi", "Corps")
        s("Expéditeur", "Expediteur", align="left")
        s("Destinataire", "Destinataire", align="left", indent=SIGNATURE_INDENT_CM)
        s(
            "Lieu et date",
            "Lieuetdate",
            align="left",
            indent=SIGNATURE_INDENT_CM,
            before=12,
            after=12,
        )
        s("Mention", "Mention", "Corps", align="left", bold=True)
        s("Objet", "Objet", "Corps", align="left", bold=True)
        s("Énumération", "Enumeration", align="left", indent=0.5)
        s("Conclusions", "Conclusions", "Corps", indent=0.5)
        # The closing formula, the signature and the inventory form one block (keep with
        # next): the signature never sits alone on a page, nor the inventory after it.
        s(
            "Formule de politesse",
            "Formuledepolitesse",
            "Corps",
            after=SIGNATURE_ROOM_PT,
            keep_next=True,
            keep_together=True,
        )
        s(
            "Fait à",
            "Faita",
            align="left",
            indent=SIGNATURE_INDENT_CM,
            before=12,
            after=SIGNATURE_ROOM_PT,
            keep_next=True,
            keep_together=True,
        )
        s(
            "Signature",
            "Signature",
            align="left",
            indent=SIGNATURE_INDENT_CM,
            keep_next=True,
            keep_together=True,
        )
        s("Pièces", "Pieces", align="left", after=2, keep_next=True)
        s("Tableau – texte", "Tableautexte", align="left", size=9)
        s("Tableau – montant", "Tableaumontant", "Tableau – texte", align="right")
        s("Tableau – en-tête", "Tableauentete", "Tableau – texte", bold=True)
        s("Tableau – en-tête montant", "Tableauentetemontant", "Tableau – montant", bold=True)
        footer = self.doc.styles["Footer"]
        footer.font.size = Pt(8.5)
        footer.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        table = self.doc.styles.add_style("Tableau des montants", WD_STYLE_TYPE.TABLE)
        table.element.set(qn("w:styleId"), "Tableaudesmontants")
        table.base_style = self.doc.styles["Table Grid"]
        tblpr = table.element.find(qn("w:tblPr"))
        if tblpr is None:
            tblpr = OxmlElement("w:tblPr")
            table.element.append(tblpr)
        margins = parse_xml(
            '<w:tblCellMar xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            '<w:top w:w="28" w:type="dxa"/><w:left w:w="57" w:type="dxa"/>'
            '<w:bottom w:w="28" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
        )
        tblpr.append(margins)

    def _settings(self) -> None:
        settings = self.doc.settings.element
        zoom = settings.find(qn("w:zoom"))
        # Schema order: embedTrueTypeFonts follows zoom; autoHyphenation follows
        # defaultTabStop (off: proper names such as « Ségur » are never hyphenated).
        embed = OxmlElement("w:embedTrueTypeFonts")
        zoom.addnext(embed)
        tab = settings.find(qn("w:defaultTabStop"))
        hyphen = OxmlElement("w:autoHyphenation")
        hyphen.set(qn("w:val"), "false")
        tab.addnext(hyphen)
        compat = settings.find(qn("w:compat"))
        # A line ended by a manual break (multi-line text typed by the user) is not
        # stretched in a justified paragraph.
        compat.insert(0, OxmlElement("w:doNotExpandShiftReturn"))
        lang = settings.find(qn("w:themeFontLang"))
        if lang is not None:
            lang.set(qn("w:val"), "fr-FR")

    def _embed_fonts(self) -> None:
        package = self.doc.part.package
        table_part = next(
            rel.target_part for rel in self.doc.part.rels.values() if rel.reltype == RT.FONT_TABLE
        )
        fonts = parse_xml(table_part.blob)
        entry = next((f for f in fonts.findall(qn("w:font")) if f.get(qn("w:name")) == FONT), None)
        if entry is None:
            entry = parse_xml(
                '<w:font xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
                f'w:name="{FONT}"><w:altName w:val="Times New Roman"/>'
                '<w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/>'
                '<w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>'
            )
            fonts.append(entry)
        for number, (tag, filename) in enumerate(FONT_FILES.items(), start=1):
            data = (TEMPLATES / "fonts" / filename).read_bytes()
            # A key derived from the font file keeps the build reproducible.
            key = "{" + str(uuid.UUID(hashlib.sha256(data).hexdigest()[:32])).upper() + "}"
            part = Part(
                PackURI(f"/word/fonts/font{number}.odttf"),
                OBFUSCATED_FONT,
                obfuscate_font(data, key),
                package,
            )
            rid = table_part.relate_to(part, RT.FONT)
            embed = OxmlElement(f"w:{tag}")
            embed.set(qn("r:id"), rid)
            embed.set(qn("w:fontKey"), key)
            entry.append(embed)
        from lxml import etree

        table_part._blob = etree.tostring(
            fonts, xml_declaration=True, encoding="UTF-8", standalone=True
        )

    # ------------------------------------------------------------------ content

    def p(self, style: str, *runs: str | tuple[str, str]) -> None:
        """A paragraph of a named style; a run given as ("b", text) is bold, ("i", text) italic."""
        para = self.doc.add_paragraph(style=style)
        for run in runs:
            emphasis, text = run if isinstance(run, tuple) else ("", run)
            r = para.add_run(text)
            if emphasis == "b":
                r.bold = True
            elif emphasis == "i":
                r.italic = True

    def tag(self, text: str) -> None:
        """A control paragraph ({%p ... %}) that docxtpl removes."""
        self.doc.add_paragraph(text)

    def amounts_table(self) -> None:
        headers = [c[0] for c in AMOUNT_COLUMNS]
        kinds = [c[2] for c in AMOUNT_COLUMNS]
        cells = [
            "{{ l.etablissement }} ({{ l.finess }})",
            "{{ l.annee }}",
            "{{ l.formule }}",
            "{{ l.part }}",
            "{{ l.du }}",
            "{{ l.recu }}",
            "{{ l.ecart }}",
        ]
        total = [
            "Total",
            "",
            "",
            "",
            "{{ montants.total_du }}",
            "{{ montants.total_recu }}",
            "{{ montants.total_ecart }}",
        ]
        table = self.doc.add_table(rows=0, cols=len(headers))
        table.style = self.doc.styles["Tableau des montants"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False  # w:tblLayout type="fixed": the widths below are kept
        tblpr = table._tbl.tblPr
        width = tblpr.find(qn("w:tblW"))
        if width is None:
            width = OxmlElement("w:tblW")
            tblpr.append(width)
        width.set(qn("w:w"), _twips(TEXT_WIDTH_CM))
        width.set(qn("w:type"), "dxa")
        for col, (_name, cm, _kind) in zip(
            table._tbl.tblGrid.gridCol_lst, AMOUNT_COLUMNS, strict=True
        ):
            col.set(qn("w:w"), _twips(cm))

        def row(values: list[str], header: bool = False, style_text: str = "texte") -> None:
            tr = table.add_row()
            trpr = tr._tr.get_or_add_trPr()
            # A row never splits across pages; the header row repeats on each page.
            trpr.append(OxmlElement("w:cantSplit"))
            if header:
                trpr.append(OxmlElement("w:tblHeader"))
            for i, value in enumerate(values):
                cell = tr.cells[i]
                cell.width = Cm(AMOUNT_COLUMNS[i][1])
                para = cell.paragraphs[0]
                kind = kinds[i]
                if style_text == "entete":
                    para.style = self.doc.styles[
                        "Tableau – en-tête montant" if kind == "montant" else "Tableau – en-tête"
                    ]
                else:
                    para.style = self.doc.styles[
                        "Tableau – montant" if kind == "montant" else "Tableau – texte"
                    ]
                if value:
                    para.add_run(value)

        row(headers, header=True, style_text="entete")
        tr = table.add_row()
        tr._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        tr.cells[0].paragraphs[0].add_run("{%tr for l in montants.lignes %}")
        row(cells)
        tr = table.add_row()
        tr.cells[0].paragraphs[0].add_run("{%tr endfor %}")
        row(total, style_text="entete")

    def footer(self, text: str) -> None:
        para = self.doc.sections[0].footer.paragraphs[0]
        para.style = self.doc.styles["Footer"]
        para.add_run(text + " — page ")
        self._field(para, "PAGE")
        para.add_run(" / ")
        self._field(para, "NUMPAGES")

    @staticmethod
    def _field(para: object, name: str) -> None:
        fld = OxmlElement("w:fldSimple")
        fld.set(qn("w:instr"), f" {name} ")
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        fld.append(run)
        para._p.append(fld)  # type: ignore[attr-defined]

    def save(self, name: str) -> None:
        self._embed_fonts()
        self.doc.save(TEMPLATES / name)


def sender_block(b: Builder) -> None:
    """The sender of a letter: the association, its établissements, who follows the file."""
    b.p("Expéditeur", ("b", "{{ organisme.raison_sociale }}"))
    b.p("Expéditeur", "{{ organisme.forme_juridique }}")
    b.p(
        "Expéditeur",
        "SIREN {{ organisme.siren }}{% if organisme.rna %} — RNA {{ organisme.rna }}{% endif %}",
    )
    b.tag("{%p for ligne in organisme.siege.lignes %}")
    b.p("Expéditeur", "{{ ligne }}")
    b.tag("{%p endfor %}")
    b.tag("{%p for e in etablissements %}")
    b.p("Expéditeur", "{{ e.nom }} — FINESS {{ e.finess }}")
    b.tag("{%p endfor %}")
    b.tag("{%p if organisme.contact.nom %}")
    b.p(
        "Expéditeur",
        "Dossier suivi par : {{ organisme.contact.nom }}"
        "{% if organisme.contact.telephone %} — {{ organisme.contact.telephone }}{% endif %}"
        "{% if organisme.contact.courriel %} — {{ organisme.contact.courriel }}{% endif %}",
    )
    b.tag("{%p endif %}")
    b.p("Expéditeur", "")


def recipient_block(b: Builder) -> None:
    """The authority a letter is addressed to: its head, its name, service and address."""
    b.p("Destinataire", "{{ autorite.titre_titulaire }}")
    b.p("Destinataire", "{{ autorite.nom }}")
    b.tag("{%p if autorite.service %}")
    b.p("Destinataire", "{{ autorite.service }}")
    b.tag("{%p endif %}")
    b.tag("{%p for ligne in autorite.adresse.lignes %}")
    b.p("Destinataire", "{{ ligne }}")
    b.tag("{%p endfor %}")


def accord_paragraph(b: Builder) -> None:
    """What the accord gives, and that the association must pay it."""
    b.p(
        "Corps",
        "L'{{ accord.titre }} (ci-après « l'accord ») institue, à compter du {{ accord.date_effet }}, "
        "une indemnité de {{ accord.montant_mensuel }} brut par mois pour un salarié à temps plein, "
        "au bénéfice des salariés qui ne percevaient aucune des mesures Ségur antérieures. Il a été "
        "agréé par {{ accord.agrement }}, puis étendu par {{ accord.extension }}. Notre association "
        "est tenue de verser cette indemnité.",
    )


def pieces_block(b: Builder) -> None:
    """The numbered list of the pièces attached to a letter."""
    b.p("Intertitre", "Pièces jointes")
    b.tag("{%p for p in pieces %}")
    b.p("Pièces", "{{ p.numero }}. {{ p.intitule }}")
    b.tag("{%p endfor %}")


def applicant_block(b: Builder) -> None:
    """« POUR : » the association and its lawyer (the requêtes)."""
    b.p(
        "Corps",
        ("b", "POUR : "),
        "{{ organisme.raison_sociale }}, {{ organisme.forme_juridique }}, SIREN {{ organisme.siren }}"
        "{% if organisme.rna %}, RNA {{ organisme.rna }}{% endif %}, dont le siège est "
        "{{ organisme.siege.une_ligne }}, prise en la personne de son représentant légal, "
        "{{ organisme.representant_legal.nom_complet }}, {{ organisme.representant_legal.qualite }}.",
    )
    b.tag("{%p if avocat.present %}")
    b.p(
        "Corps",
        "Ayant pour avocat : {{ avocat.nom }}, avocat au barreau de {{ avocat.barreau }}, "
        "{{ avocat.adresse.une_ligne }}{% if avocat.toque %}, toque {{ avocat.toque }}{% endif %}"
        "{% if avocat.telephone %}, tél. {{ avocat.telephone }}{% endif %}"
        "{% if avocat.courriel %}, {{ avocat.courriel }}{% endif %}.",
    )
    b.tag("{%p endif %}")


def signature_block(b: Builder) -> None:
    """The signatory of a letter: their own name, without « Madame » / « Monsieur », their
    qualité and, when they are not the legal representative, their delegation."""
    b.p("Signature", "{{ organisme.signataire.nom }}")
    b.p("Signature", "{{ organisme.signataire.qualite }}")
    b.tag("{%p if not organisme.signataire.est_representant_legal %}")
    b.p("Signature", "par {{ organisme.signataire.delegation }}")
    b.tag("{%p endif %}")


def build_gracieux() -> None:
    b = Builder("Recours gracieux")
    b.footer(
        "{{ organisme.raison_sociale }} — recours gracieux"
        "{% if document.reference %} — réf. {{ document.reference }}{% endif %}"
    )
    sender_block(b)
    recipient_block(b)
    b.p("Lieu et date", "{{ document.lieu }}, le {{ document.date }}")
    b.p("Mention", "Lettre recommandée avec demande d'avis de réception")
    b.p(
        "Objet",
        "Objet : recours gracieux — financement de l'indemnité prévue par l'accord du "
        "{{ accord.date }} (« Ségur pour tous »)",
    )
    b.p("Mention", "Références :")
    b.tag("{%p for d in decisions %}")
    b.p("Énumération", "– {{ d.intitule }} (notification du {{ d.date_notification }})")
    b.tag("{%p endfor %}")
    b.tag("{%p for e in etablissements %}")
    b.p("Énumération", "– {{ e.nom }}, FINESS {{ e.finess }} — {{ e.categorie_libelle }}")
    b.tag("{%p endfor %}")
    b.p("Énumération", "– Exercices : {{ montants.exercices }}")
    b.tag("{%p if document.reference %}")
    b.p("Énumération", "– Notre référence : {{ document.reference }}")
    b.tag("{%p endif %}")
    b.p("Corps", "")
    b.p("Corps", "{{ autorite.formule_appel }},")
    b.p("Intertitre", "Les faits")
    b.tag("{%p for d in decisions %}")
    b.p(
        "Corps",
        "Nous avons reçu notification, le {{ d.date_notification }}, de la décision suivante : "
        "{{ d.intitule }}. Cette décision n'assure pas le financement intégral de l'indemnité due "
        "à nos salariés en application de l'accord du {{ accord.date }}.",
    )
    b.tag("{%p endfor %}")
    accord_paragraph(b)
    b.tag("{%p if faits_complementaires %}")
    b.p("Texte saisi", "{{ faits_complementaires }}")
    b.tag("{%p endif %}")
    b.p("Intertitre", "Le montant en cause")
    b.p(
        "Corps",
        "Le coût de la mesure qui relève de votre financement s'établit comme suit, établissement "
        "par établissement :",
    )
    b.amounts_table()
    b.p(
        "Corps après tableau",
        "Le financement restant dû s'élève ainsi à {{ montants.total_ecart }} "
        "({{ montants.total_ecart_en_lettres }}).",
    )
    b.p("Intertitre", "En droit")
    b.tag("{%p for m in moyens %}")
    b.p("Sous-intertitre", "{{ m.intitule }}")
    b.p("Corps", "{{ m.expose }}")
    b.tag("{%p endfor %}")
    b.p("Intertitre", "Notre demande")
    b.p(
        "Corps",
        "Pour ces motifs, nous vous demandons de bien vouloir modifier "
        "{% if decisions|length > 1 %}les décisions précitées{% else %}la décision précitée{% endif %} "
        "afin d'y intégrer le financement de l'indemnité prévue par l'accord, soit un financement "
        "complémentaire de {{ montants.total_ecart }} au titre "
        "{% if montants.par_exercice|length > 1 %}des exercices{% else %}de l'exercice{% endif %} "
        "{{ montants.exercices }}.",
    )
    b.p(
        "Corps",
        "{% if document.dans_le_delai %}Le présent recours gracieux est formé dans le délai de "
        "recours contentieux, qu'il interrompt en application de l'{{ textes.crpa_l411_2 }}. "
        "Il vaut également{% else %}Le présent recours gracieux vaut{% endif %} demande "
        "préalable, au sens de l'{{ textes.cja_r421_1 }}, "
        "pour le paiement des sommes réclamées. Nous vous remercions de nous adresser un accusé de "
        "réception comportant les mentions prévues par l'{{ textes.crpa_r112_5 }}.",
    )
    b.p(
        "Formule de politesse",
        "Nous vous prions d'agréer, {{ autorite.formule_appel }}, l'expression de notre haute "
        "considération.",
    )
    signature_block(b)
    pieces_block(b)
    b.save("recours_gracieux.docx")


def build_requete() -> None:
    b = Builder("Requête")
    b.footer(
        "{{ organisme.raison_sociale }} c/ {{ autorite.nom }} — requête"
        "{% if document.reference %} — réf. {{ document.reference }}{% endif %}"
    )
    b.p(
        "Destinataire",
        "À Mesdames et Messieurs les président et conseillers composant le {{ tribunal.nom }}",
    )
    b.p(
        "Titre principal",
        'REQUÊTE EN {% if decision.conclusions == "reformation" %}RÉFORMATION'
        "{% else %}ANNULATION{% endif %}",
    )
    applicant_block(b)
    b.p(
        "Corps",
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
        "Corps",
        ("b", "Défendeur : "),
        "{{ autorite.defendeur }} ({{ autorite.nom }}, {{ autorite.adresse.une_ligne }}).",
    )
    b.p("Intertitre", "I. Faits")
    b.p(
        "Corps",
        "1. {{ organisme.raison_sociale }} gère {% if etablissements|length > 1 %}les établissements "
        "et services suivants{% else %}l'établissement ou le service suivant{% endif %} : "
        "{% for e in etablissements %}{{ e.nom }} — {{ e.categorie_libelle }}, FINESS {{ e.finess }}, "
        "{{ e.adresse.une_ligne }}{% if not loop.last %} ; {% endif %}{% endfor %}.",
    )
    b.p(
        "Corps",
        "2. L'{{ accord.titre }} (ci-après « l'accord ») institue, à compter du "
        "{{ accord.date_effet }}, une indemnité de {{ accord.montant_mensuel }} brut par mois pour "
        "un salarié à temps plein, au bénéfice des salariés qui ne percevaient aucune des mesures "
        "Ségur antérieures. Il a été agréé par {{ accord.agrement }}, puis étendu par "
        "{{ accord.extension }}.",
    )
    b.p(
        "Corps",
        "3. Par la décision attaquée, notifiée le {{ decision.date_notification }} (pièce n° 1), "
        "{{ autorite.titre }} n'a pas assuré le financement intégral de cette indemnité.",
    )
    b.tag("{%p if decision.recours_gracieux.envoye %}")
    b.p(
        "Corps",
        "4. Par lettre recommandée envoyée le {{ decision.recours_gracieux.date_envoi }}"
        "{% if decision.recours_gracieux.date_reception %} et reçue le "
        "{{ decision.recours_gracieux.date_reception }}{% endif %}, l'association a formé un recours "
        "gracieux (pièce n° 2). {% if decision.rejet_explicite %}Ce recours a été rejeté par une "
        "décision notifiée le {{ decision.rejet_explicite }}.{% elif delais.rejet_implicite %}Le "
        "silence gardé pendant {{ regles.rejet_implicite }} a fait naître une décision implicite "
        "de rejet le "
        "{{ delais.rejet_implicite }}.{% endif %}",
    )
    b.tag("{%p endif %}")
    b.tag("{%p if faits_complementaires %}")
    b.p("Texte saisi", "{{ faits_complementaires }}")
    b.tag("{%p endif %}")
    b.p("Intertitre", "II. Discussion")
    b.p("Sous-intertitre", "A. Sur la recevabilité")
    b.p(
        "Corps",
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
        "les motifs de recevabilité.]{% endif %}",
    )
    b.tag("{%p if decision.recours_gracieux.envoye %}")
    b.p(
        "Corps",
        "Sur la demande préalable. Le recours gracieux du {{ decision.recours_gracieux.date_envoi }} "
        "demandait le paiement des sommes en cause : il a lié le contentieux "
        "({{ textes_courts.cja_r421_1 }}).",
    )
    b.tag("{%p endif %}")
    b.p(
        "Corps",
        "Sur la capacité et l'intérêt à agir. Association régulièrement déclarée, l'exposante a "
        "capacité pour agir ({{ textes_courts.loi_1901_art6 }}). "
        "{% if organisme.signataire.est_representant_legal %}Elle est représentée par "
        "{{ organisme.representant_legal.nom_complet }}, {{ organisme.representant_legal.qualite }}"
        "{% else %}Elle agit par {{ organisme.signataire.nom_complet }}, "
        "{{ organisme.signataire.qualite }}, en vertu de la {{ organisme.signataire.delegation }}"
        "{% endif %}. Gestionnaire de{% if etablissements|length > 1 %}s établissements{% else %} "
        "l'établissement{% endif %} dont le financement est en cause, elle a intérêt à agir.",
    )
    b.p("Sous-intertitre", "B. Sur le bien-fondé")
    b.tag("{%p for m in moyens %}")
    b.p("Corps", ("b", "{{ loop.index }}. {{ m.intitule }}."), " {{ m.expose }}")
    b.tag("{%p endfor %}")
    b.p("Corps", "Le financement dû et non versé s'établit comme suit :")
    b.amounts_table()
    b.p(
        "Corps après tableau",
        "Soit un financement restant dû de {{ montants.total_ecart }} "
        "({{ montants.total_ecart_en_lettres }}).",
    )
    b.p("Intertitre", "PAR CES MOTIFS")
    b.p("Corps", "L'association exposante conclut qu'il plaise au tribunal :")
    b.tag('{%p if decision.conclusions == "reformation" %}')
    b.p(
        "Conclusions",
        "– de réformer la décision attaquée et de fixer le tarif de l'exercice "
        "{{ montants.exercices }} à un montant intégrant le coût de l'indemnité prévue par "
        "l'accord, soit un financement supplémentaire de {{ montants.total_ecart }} ;",
    )
    b.p(
        "Conclusions",
        "– à titre subsidiaire, de renvoyer l'association devant {{ autorite.titre }} "
        "pour qu'il soit procédé à une nouvelle fixation de ce tarif intégrant ce coût ;",
    )
    b.tag("{%p else %}")
    b.p(
        "Conclusions",
        "– d'annuler la décision attaquée{% if decision.recours_gracieux.envoye %}, ensemble la "
        "décision rejetant le recours gracieux{% endif %} ;",
    )
    b.p(
        "Conclusions",
        "– d'enjoindre {{ autorite.titre_a }} de réexaminer la demande de financement "
        "de l'association dans le délai que le tribunal fixera ({{ textes_courts.cja_l911_1 }}) ;",
    )
    b.tag("{%p endif %}")
    b.p(
        "Conclusions",
        "– de mettre à la charge {{ autorite.defendeur_de }} une somme au titre de "
        "l'{{ textes.cja_l761_1 }}.",
    )
    b.p("Fait à", "Fait {{ document.lieu|a }}, le {{ document.date }}")
    b.tag("{%p if avocat.present %}")
    b.p("Signature", "{{ avocat.nom }}")
    b.p("Signature", "Avocat au barreau de {{ avocat.barreau }}")
    b.tag("{%p elif document.a_faire_signer_par_avocat %}")
    b.p(
        "Signature",
        "[À FAIRE SIGNER PAR UN AVOCAT : l'obligation d'avocat devant le tribunal n'est pas "
        "établie pour ce défendeur ; voir les avertissements de recours.]",
    )
    b.tag("{%p else %}")
    b.p("Signature", "{{ organisme.signataire.nom }}")
    b.p("Signature", "{{ organisme.signataire.qualite }}")
    b.tag("{%p endif %}")
    b.p("Intertitre", "Inventaire détaillé des pièces ({{ textes_courts.cja_r412_2 }})")
    b.tag("{%p for p in pieces %}")
    b.p("Pièces", "Pièce n° {{ p.numero }} : {{ p.intitule }}")
    b.tag("{%p endfor %}")
    b.save("requete.docx")


def build_hierarchique() -> None:
    """The recours hiérarchique: the recours gracieux's claim and grounds, addressed to the
    ministers of tutelle, with a copy to the author of the decision."""
    b = Builder("Recours hiérarchique")
    b.footer(
        "{{ organisme.raison_sociale }} — recours hiérarchique"
        "{% if document.reference %} — réf. {{ document.reference }}{% endif %}"
    )
    sender_block(b)
    b.p("Destinataire", "{{ superieur.titre }}")
    b.p("Destinataire", "[ministère destinataire et adresse à compléter]")
    b.p("Lieu et date", "{{ document.lieu }}, le {{ document.date }}")
    b.p("Mention", "Lettre recommandée avec demande d'avis de réception")
    b.p(
        "Objet",
        "Objet : recours hiérarchique — financement de l'indemnité prévue par l'accord du "
        "{{ accord.date }} (« Ségur pour tous »)",
    )
    b.p("Mention", "Références :")
    b.p(
        "Énumération",
        "– {{ decision.intitule }} (notification du {{ decision.date_notification }})",
    )
    b.tag("{%p for e in etablissements %}")
    b.p("Énumération", "– {{ e.nom }}, FINESS {{ e.finess }} — {{ e.categorie_libelle }}")
    b.tag("{%p endfor %}")
    b.p(
        "Énumération",
        "– Exercice{% if montants.par_exercice|length > 1 %}s{% endif %} : "
        "{{ montants.exercices }}",
    )
    b.tag("{%p if document.reference %}")
    b.p("Énumération", "– Notre référence : {{ document.reference }}")
    b.tag("{%p endif %}")
    b.p("Corps", "")
    b.p("Corps", "{{ superieur.formule_appel }},")
    b.p(
        "Corps",
        "Nous formons devant vous un recours hiérarchique contre la décision "
        "{{ autorite.titre_de }} mentionnée en référence. {{ superieur.pouvoir }} "
        "({{ superieur.fondement }}).",
    )
    b.p("Intertitre", "Les faits")
    b.p(
        "Corps",
        "Nous avons reçu notification, le {{ decision.date_notification }}, de la décision "
        "suivante : {{ decision.intitule }}. Cette décision n'assure pas le financement intégral "
        "de l'indemnité due à nos salariés en application de l'accord du {{ accord.date }}.",
    )
    accord_paragraph(b)
    b.tag("{%p if faits_complementaires %}")
    b.p("Texte saisi", "{{ faits_complementaires }}")
    b.tag("{%p endif %}")
    b.p("Intertitre", "Le montant en cause")
    b.p(
        "Corps",
        "Le coût de la mesure qui relève du financement {{ autorite.defendeur_de }} s'établit "
        "comme suit, établissement par établissement :",
    )
    b.amounts_table()
    b.p(
        "Corps après tableau",
        "Le financement restant dû s'élève ainsi à {{ montants.total_ecart }} "
        "({{ montants.total_ecart_en_lettres }}).",
    )
    b.p("Intertitre", "En droit")
    b.tag("{%p for m in moyens %}")
    b.p("Sous-intertitre", "{{ m.intitule }}")
    b.p("Corps", "{{ m.expose }}")
    b.tag("{%p endfor %}")
    b.p("Intertitre", "Notre demande")
    b.p(
        "Corps",
        "Pour ces motifs, nous vous demandons de bien vouloir réformer la décision précitée ou, "
        "à défaut, la retirer, et fixer {% if decision.fixe_un_tarif %}le tarif{% else %}le "
        "financement{% endif %} de sorte qu'il intègre le financement de l'indemnité prévue par "
        "l'accord, soit un financement complémentaire de {{ montants.total_ecart }} au titre "
        "{% if montants.par_exercice|length > 1 %}des exercices{% else %}de l'exercice{% endif %} "
        "{{ montants.exercices }}.",
    )
    b.p(
        "Corps",
        "{% if document.dans_le_delai %}Le présent recours hiérarchique est formé dans le délai "
        "de recours contentieux, parallèlement au recours gracieux adressé "
        "{% if decision.recours_gracieux.envoye %}le {{ decision.recours_gracieux.date_envoi }} "
        "{% endif %}{{ autorite.titre_a }}. En application de l'{{ textes.crpa_l411_2_al2 }}, "
        "{{ superieur.regle_double }} {% elif decision.recours_gracieux.envoye %}Un recours "
        "gracieux a été adressé le {{ decision.recours_gracieux.date_envoi }} "
        "{{ autorite.titre_a }}. {% endif %}Nous vous remercions de nous adresser un accusé de "
        "réception comportant les mentions prévues par l'{{ textes.crpa_r112_5 }}, applicables "
        "au présent recours ({{ textes_courts.crpa_l411_3 }}).",
    )
    b.p(
        "Formule de politesse",
        "Nous vous prions d'agréer, {{ superieur.formule_appel }}, l'expression de notre haute "
        "considération.",
    )
    signature_block(b)
    b.p("Corps", "")
    b.p(
        "Corps",
        "Copie adressée {{ autorite.titre_a }}{% if autorite.service %} ({{ autorite.service }})"
        "{% endif %}{% if autorite.adresse.une_ligne %}, {{ autorite.adresse.une_ligne }}"
        "{% endif %}.",
    )
    pieces_block(b)
    b.save("recours_hierarchique.docx")


if __name__ == "__main__":
    build_gracieux()
    build_requete()
    build_hierarchique()
    print(f"Modèles Word écrits dans {TEMPLATES}")

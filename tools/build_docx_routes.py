"""Build the Word templates of the indemnity routes (templates/demande_indemnitaire.docx,
templates/mise_en_demeure.docx, templates/requete_indemnitaire.docx) with python-docx.

Kept apart from build_docx_templates.py (whose Builder it reuses); keep the text in step
with templates/demande_indemnitaire.html, templates/mise_en_demeure.html and
templates/requete_indemnitaire.html (a parity test compares the rendered Word and PDF
documents).

    python tools/build_docx_routes.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_docx_templates import (
    Builder,
    accord_paragraph,
    applicant_block,
    pieces_block,
    recipient_block,
    sender_block,
    signature_block,
)


def build_demande_indemnitaire() -> None:
    b = Builder("Demande indemnitaire préalable")
    b.footer(
        "{{ organisme.raison_sociale }} — demande indemnitaire préalable"
        "{% if document.reference %} — réf. {{ document.reference }}{% endif %}"
    )
    sender_block(b)
    recipient_block(b)
    b.p("Expéditeur", "")
    b.p("Lieu et date", "{{ document.lieu }}, le {{ document.date }}")
    b.p("Mention", "Lettre recommandée avec demande d'avis de réception")
    b.p(
        "Objet",
        "Objet : Demande indemnitaire préalable — financement de l'indemnité prévue par "
        "l'accord du {{ accord.date }} (« Ségur pour tous »), "
        "{% if montants.par_exercice|length > 1 %}exercices{% else %}exercice{% endif %} "
        "{{ montants.exercices }}",
    )
    b.p("Mention", "Références :")
    b.tag("{%p for e in etablissements %}")
    b.p("Énumération", "– {{ e.nom }}, FINESS {{ e.finess }} — {{ e.categorie_libelle }}")
    b.tag("{%p endfor %}")
    b.p("Énumération", "– Exercices : {{ montants.exercices }}")
    b.tag("{%p for d in decisions %}")
    b.p("Énumération", "– {{ d.intitule }} (notification du {{ d.date_notification }})")
    b.tag("{%p endfor %}")
    b.tag("{%p if document.reference %}")
    b.p("Énumération", "– Notre référence : {{ document.reference }}")
    b.tag("{%p endif %}")
    b.p("Corps", "{{ autorite.formule_appel }},")
    b.p("Intertitre", "Les faits")
    accord_paragraph(b)
    b.tag("{%p for x in exercices %}")
    b.p("Sous-intertitre", "Exercice {{ x.annee }}")
    b.tag("{%p for s in x.situations %}")
    b.p(
        "Corps",
        "{{ s.etablissement }} (FINESS {{ s.finess }}) : {% if s.sans_decision %}le financement "
        "de cette indemnité pour l'exercice {{ x.annee }} ne nous a pas été alloué{% else %}la décision suivante n'a pas intégré le financement de cette "
        "indemnité : {{ s.decision_intitule }} (notification du "
        "{{ s.decision_notification }}){% endif %}. Le coût de l'indemnité qui reste à "
        "notre charge pour cet exercice s'élève à {{ s.montant }}.",
    )
    b.tag("{%p endfor %}")
    b.tag("{%p endfor %}")
    b.tag("{%p if faits_complementaires %}")
    b.p("Texte saisi", "{{ faits_complementaires }}")
    b.tag("{%p endif %}")
    b.p("Intertitre", "La faute")
    b.p(
        "Corps",
        "Cette absence de financement résulte {% if faute.refus %}{% if decisions|length > 1 %}"
        "des décisions précitées{% else %}de la décision précitée{% endif %}"
        "{% if faute.carence %} et, pour les exercices et établissements qu'aucune décision n'a "
        "traités, {% endif %}{% endif %}{% if faute.carence %}de la carence de votre "
        "administration dans l'exercice de son pouvoir de tarification{% endif %}. Elle "
        "méconnaît les règles qui s'imposent à votre administration en matière de tarification"
        "{% if moyens %}, rappelées ci-dessous{% endif %} : cette illégalité constitue une faute "
        "de nature à engager sa responsabilité.",
    )
    b.tag("{%p for m in moyens %}")
    b.p("Sous-intertitre", "{{ m.intitule }}")
    b.p("Corps", "{{ m.expose }}")
    b.tag("{%p endfor %}")
    b.p("Intertitre", "Le préjudice")
    b.p(
        "Corps",
        "Cette faute nous cause directement un préjudice égal au coût de l'indemnité dont nous "
        "supportons la charge sans en avoir reçu le financement. Il s'établit comme suit, "
        "établissement par établissement et exercice par exercice :",
    )
    damage_amounts(b)
    b.p("Intertitre", "Notre demande")
    b.p(
        "Corps",
        "Pour ces motifs, nous vous demandons de bien vouloir nous verser la somme de "
        "{{ montants.total_ecart }} en réparation de ce préjudice, assortie des intérêts au taux "
        "légal à compter de la date de réception de la présente demande "
        "({{ textes.cc_1231_6 }}), ainsi que de la capitalisation de ces intérêts "
        "({{ textes.cc_1343_2 }}).",
    )
    b.p(
        "Corps",
        "La présente demande constitue une réclamation écrite qui interrompt la prescription "
        "quadriennale des créances qu'elle concerne, en application de "
        "l'{{ textes.loi_1968_art2 }}. Elle constitue également la demande préalable prévue par "
        "l'{{ textes.cja_r421_1_al2 }}. Nous vous remercions de nous adresser un accusé de "
        "réception comportant les mentions prévues par l'{{ textes.crpa_r112_5 }}.",
    )
    b.p(
        "Formule de politesse",
        "Nous vous prions d'agréer, {{ autorite.formule_appel }}, l'expression de notre haute "
        "considération.",
    )
    signature_block(b)
    pieces_block(b)
    b.save("demande_indemnitaire.docx")


def damage_amounts(b: Builder) -> None:
    """The amounts table of a claim, the amount per exercise when there are several, and
    the total damage in figures and words (demande and requête indemnitaires)."""
    b.amounts_table()
    b.tag("{%p if montants.par_exercice|length > 1 %}")
    b.p("Corps après tableau", "Soit, par exercice :")
    b.tag("{%p for x in montants.par_exercice %}")
    b.p("Énumération", "– Exercice {{ x.annee }} : {{ x.ecart }}")
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")
    b.p(
        "Corps",
        "Le préjudice s'élève ainsi à {{ montants.total_ecart }} "
        "({{ montants.total_ecart_en_lettres }}).",
    )


def _amounts_row(b: Builder) -> None:
    headers = ["Exercice", "Montant notifié", "Montant versé", "Reste dû"]
    cells = [
        "{{ financement.exercice }}",
        "{{ financement.montant_notifie }}",
        "{{ financement.montant_verse }}",
        "{{ financement.reste_du }}",
    ]
    table = b.doc.add_table(rows=0, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for values, bold in ((headers, True), (cells, False)):
        tr = table.add_row()
        for i, value in enumerate(values):
            para = tr.cells[i].paragraphs[0]
            para.paragraph_format.space_after = Pt(0)
            if i > 0:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            run = para.add_run(value)
            run.bold = bold
            run.font.size = Pt(9.5)


def build_mise_en_demeure() -> None:
    b = Builder("Mise en demeure de payer")
    b.footer(
        "{{ organisme.raison_sociale }} — mise en demeure de payer"
        "{% if document.reference %} — réf. {{ document.reference }}{% endif %}"
    )
    sender_block(b)
    b.tag("{%p for ligne in payeur.lignes %}")
    b.p("Destinataire", "{{ ligne }}")
    b.tag("{%p endfor %}")
    b.tag("{%p if payeur.est_autorite and autorite.service %}")
    b.p("Destinataire", "{{ autorite.service }}")
    b.tag("{%p endif %}")
    b.tag("{%p for ligne in payeur.adresse.lignes %}")
    b.p("Destinataire", "{{ ligne }}")
    b.tag("{%p endfor %}")
    b.p("Expéditeur", "")
    b.p("Lieu et date", "{{ document.lieu }}, le {{ document.date }}")
    b.p("Mention", "Lettre recommandée avec demande d'avis de réception")
    b.p(
        "Objet",
        "Objet : Mise en demeure de payer — financement notifié au titre de l'exercice "
        "{{ financement.exercice }} pour l'indemnité prévue par l'accord du "
        "{{ accord.date }} (« Ségur pour tous »)",
    )
    b.p("Mention", "Références :")
    b.p(
        "Énumération",
        "– Notification{% if financement.reference %} {{ financement.reference }}{% endif %} "
        "du {{ financement.date_notification }} ({{ autorite.nom }})",
    )
    b.tag("{%p for e in etablissements %}")
    b.p("Énumération", "– {{ e.nom }}, FINESS {{ e.finess }} — {{ e.categorie_libelle }}")
    b.tag("{%p endfor %}")
    b.p("Énumération", "– Exercice : {{ financement.exercice }}")
    b.tag("{%p if document.reference %}")
    b.p("Énumération", "– Notre référence : {{ document.reference }}")
    b.tag("{%p endif %}")
    b.p("Corps", "{{ payeur.formule_appel }},")
    b.p("Intertitre", "Les faits")
    b.p(
        "Corps",
        "Par notification{% if financement.reference %} {{ financement.reference }}{% endif %} "
        "du {{ financement.date_notification }}, {{ autorite.defendeur_nom }} a alloué, au titre "
        "de l'exercice {{ financement.exercice }}, un financement de "
        "{{ financement.montant_notifie }} destiné à couvrir le coût de l'indemnité prévue par "
        "l'{{ accord.titre }}, pour {% if etablissements|length > 1 %}les établissements"
        "{% else %}l'établissement{% endif %} {% for e in etablissements %}{{ e.nom }} (FINESS "
        "{{ e.finess }}){% if not loop.last %}, {% endif %}{% endfor %}.",
    )
    b.tag("{%p if financement.versements %}")
    b.p("Corps", "À ce jour, nous avons reçu à ce titre les versements suivants :")
    b.tag("{%p for v in financement.versements %}")
    b.p("Énumération", "– le {{ v.date }} : {{ v.montant }}")
    b.tag("{%p endfor %}")
    b.tag("{%p else %}")
    b.p("Corps", "À ce jour, aucun versement ne nous est parvenu à ce titre.")
    b.tag("{%p endif %}")
    _amounts_row(b)
    b.tag("{%p if faits_complementaires %}")
    b.p("Texte saisi", "{{ faits_complementaires }}")
    b.tag("{%p endif %}")
    b.p("Intertitre", "Notre demande")
    b.p(
        "Corps",
        "Nous vous mettons en demeure de nous verser, dans les meilleurs délais, la somme de "
        "{{ financement.reste_du }} ({{ financement.reste_du_en_lettres }}) restant due sur ce "
        "financement notifié.",
    )
    b.p(
        "Corps",
        "Cette somme portera intérêts au taux légal à compter de la date de réception de la "
        "présente mise en demeure ({{ textes.cc_1231_6 }} ; {{ textes.cc_1344_1 }}).",
    )
    b.p(
        "Corps",
        "La présente lettre constitue la demande préalable prévue par "
        "l'{{ textes.cja_r421_1_al2 }}. Elle constitue également une demande de paiement qui "
        "interrompt la prescription quadriennale, en application de "
        "l'{{ textes.loi_1968_art2 }}. Nous vous remercions de nous adresser un accusé de "
        "réception comportant les mentions prévues par l'{{ textes.crpa_r112_5 }}.",
    )
    b.p(
        "Formule de politesse",
        "Nous vous prions d'agréer, {{ payeur.formule_appel }}, l'expression de notre "
        "{% if payeur.est_autorite %}haute considération{% else %}considération distinguée"
        "{% endif %}.",
    )
    signature_block(b)
    b.tag("{%p if not payeur.est_autorite %}")
    # An ARS's title already names the agency (« … de l'Agence régionale de santé X »).
    b.p(
        "Énumération",
        "Copie : {{ autorite.titre_titulaire }}"
        '{% if not (autorite.type == "ars" and autorite.ars) %}, {{ autorite.nom }}{% endif %}',
    )
    b.tag("{%p endif %}")
    pieces_block(b)
    b.save("mise_en_demeure.docx")


def build_requete_indemnitaire() -> None:
    b = Builder("Requête indemnitaire")
    b.footer(
        "{{ organisme.raison_sociale }} c/ {{ autorite.nom }} — requête indemnitaire"
        "{% if document.reference %} — réf. {{ document.reference }}{% endif %}"
    )
    b.p(
        "Destinataire",
        "À Mesdames et Messieurs les président et conseillers composant le {{ tribunal.nom }}",
    )
    b.tag("{%p if tribunal.a_verifier %}")
    b.p("Mention", "[À VÉRIFIER AVANT LE DÉPÔT : {{ tribunal.avertissement }}]")
    b.tag("{%p endif %}")
    b.p("Titre principal", "REQUÊTE INDEMNITAIRE")
    applicant_block(b)
    b.p(
        "Corps",
        ("b", "CONTRE : "),
        "{{ autorite.defendeur }} ({{ autorite.nom }}, {{ autorite.adresse.une_ligne }}).",
    )
    b.p(
        "Corps",
        ("b", "Objet : "),
        "condamnation {{ autorite.defendeur_de }} à réparer le préjudice causé par l'absence de "
        "financement de l'indemnité prévue par l'accord du {{ accord.date }} (« Ségur pour "
        "tous »), {% if montants.par_exercice|length > 1 %}exercices{% else %}exercice{% endif %} "
        "{{ montants.exercices }}, après le rejet de la demande indemnitaire préalable du "
        "{{ demande.date_envoi }}.",
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
        "{{ accord.extension }}. L'association est tenue de verser cette indemnité.",
    )
    b.p("Corps", "3. Le financement de cette indemnité ne lui a pas été alloué :")
    b.tag("{%p for x in exercices %}")
    b.tag("{%p for s in x.situations %}")
    b.p(
        "Énumération",
        "– exercice {{ x.annee }}, {{ s.etablissement }} (FINESS {{ s.finess }}) : "
        "{% if s.sans_decision %}aucune décision ne l'a alloué{% else %}la décision suivante ne "
        "l'a pas intégré : {{ s.decision_intitule }} (notification du "
        "{{ s.decision_notification }}){% endif %} ; le coût resté à la charge de l'association "
        "s'élève à {{ s.montant }}.",
    )
    b.tag("{%p endfor %}")
    b.tag("{%p endfor %}")
    b.p(
        "Corps",
        "4. Par lettre recommandée envoyée le {{ demande.date_envoi }}"
        "{% if demande.reception_connue %} et reçue le {{ demande.date_reception }}{% endif %}, "
        "l'association a adressé {{ autorite.titre_a }} une demande indemnitaire préalable "
        "tendant à la réparation de ce préjudice (pièce n° 1) ; {{ recevabilite.rejet }}.",
    )
    b.tag("{%p if faits_complementaires %}")
    b.p("Texte saisi", "{{ faits_complementaires }}")
    b.tag("{%p endif %}")
    b.p("Intertitre", "II. Discussion")
    b.p("Sous-intertitre", "A. Sur la recevabilité")
    b.p("Corps", "Sur la demande préalable. {{ recevabilite.liaison }}")
    b.p(
        "Corps",
        "Sur le délai. {{ recevabilite.delai }} {% if document.dans_le_delai %}La présente "
        "requête est recevable.{% else %}[À COMPLÉTER : le délai calculé expirait le "
        "{{ demande.date_limite }} ; exposez les motifs de recevabilité.]{% endif %}",
    )
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
    b.p("Sous-intertitre", "B. Sur la responsabilité")
    b.p(
        "Corps",
        "L'absence de financement résulte {% if faute.refus %}{% if decisions|length > 1 %}"
        "des décisions précitées{% else %}de la décision précitée{% endif %}"
        "{% if faute.carence %} et, pour les exercices et établissements qu'aucune décision n'a "
        "traités, {% endif %}{% endif %}{% if faute.carence %}de la carence "
        "{{ autorite.titre_de }} dans l'exercice de son pouvoir de tarification{% endif %}. Elle "
        "méconnaît les règles qui s'imposent à l'autorité de tarification"
        "{% if moyens %}, rappelées ci-dessous{% endif %} : cette illégalité constitue une faute "
        "de nature à engager la responsabilité {{ autorite.defendeur_de }}.",
    )
    b.tag("{%p for m in moyens %}")
    b.p("Corps", ("b", "{{ loop.index }}. {{ m.intitule }}."), " {{ m.expose }}")
    b.tag("{%p endfor %}")
    b.p("Sous-intertitre", "C. Sur le préjudice")
    b.p(
        "Corps",
        "Cette faute cause directement à l'exposante un préjudice égal au coût de l'indemnité "
        "dont elle supporte la charge sans en avoir reçu le financement. Il s'établit comme suit, "
        "établissement par établissement et exercice par exercice :",
    )
    damage_amounts(b)
    b.p("Sous-intertitre", "D. Sur les intérêts et leur capitalisation")
    b.p("Corps", "{{ interets.expose }}")
    b.p("Intertitre", "PAR CES MOTIFS")
    b.p("Corps", "L'association exposante conclut qu'il plaise au tribunal :")
    b.p(
        "Conclusions",
        "– de condamner {{ autorite.defendeur_nom }} à lui verser la somme de "
        "{{ montants.total_ecart }} ({{ montants.total_ecart_en_lettres }}) en réparation du "
        "préjudice subi au titre {% if montants.par_exercice|length > 1 %}des exercices"
        "{% else %}de l'exercice{% endif %} {{ montants.exercices }} ;",
    )
    b.p("Conclusions", "– {{ interets.conclusions }} ;")
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
        "[À FAIRE SIGNER PAR UN AVOCAT : {{ avocat_requis.explication }}]",
    )
    b.tag("{%p else %}")
    b.p("Signature", "{{ organisme.signataire.nom }}")
    b.p("Signature", "{{ organisme.signataire.qualite }}")
    b.tag("{%p endif %}")
    b.p("Intertitre", "Inventaire détaillé des pièces ({{ textes_courts.cja_r412_2 }})")
    b.tag("{%p for p in pieces %}")
    b.p("Pièces", "Pièce n° {{ p.numero }} : {{ p.intitule }}")
    b.tag("{%p endfor %}")
    b.save("requete_indemnitaire.docx")


if __name__ == "__main__":
    build_demande_indemnitaire()
    build_mise_en_demeure()
    build_requete_indemnitaire()

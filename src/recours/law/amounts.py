"""Amounts engine: cost of the measure, each authority's share, funding received, gap.

Pure (no I/O, no clock). Decimal throughout. Rounding rule, stated to the user:
each établissement x exercise cost is rounded to the cent (half up); each authority's
share is rounded to the cent (half up) and the last authority of the list takes the
remainder, so that shares always add up exactly to the cost.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from recours.dossier.models import Dossier, Etablissement, Exercice
from recours.formatting import montant, nombre
from recours.law.referentiel import load_referentiel

CENT = Decimal("0.01")
ETP_ALERT = Decimal(100)
COEFFICIENT_ALERT = Decimal(2)
REGLE_ARRONDI = (
    "Montants arrondis au centime (arrondi commercial) pour chaque établissement et exercice ; "
    "la dernière autorité listée reçoit le reliquat d'arrondi pour que les parts totalisent le coût."
)

METHODES: dict[str, str] = {
    "etp": "ETP × montant mensuel brut × mois × coefficient de charges saisi",
    "cout_unitaire": "ETP × coût unitaire DGCS annuel × mois / 12",
    "cout_reel": "coût réel chargé issu de la paie",
}


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Part:
    """One authority's share of one établissement x exercise.

    ``reclame`` is what may be claimed from this authority: its unpaid share, reduced when
    another funder of the same établissement and exercise paid more than its own share, so
    that no euro already received is claimed twice (the claims of a line add up to the
    cost less everything received, never below zero).
    """

    autorite: str
    pourcentage: Decimal
    du: Decimal
    recu: Decimal
    reclame: Decimal

    @property
    def ecart(self) -> Decimal:
        return self.du - self.recu


@dataclass(frozen=True)
class CoutExercice:
    """Cost of the measure for one établissement and one exercise."""

    finess: str
    etablissement: str
    annee: int
    methode: str
    formule: str
    cout: Decimal
    parts: tuple[Part, ...]


@dataclass
class Totaux:
    du: Decimal = Decimal("0.00")
    recu: Decimal = Decimal("0.00")
    reclame: Decimal = Decimal("0.00")

    @property
    def ecart(self) -> Decimal:
        return self.du - self.recu

    def add(self, part: Part) -> None:
        self.du += part.du
        self.recu += part.recu
        self.reclame += part.reclame


@dataclass
class AmountsReport:
    lignes: list[CoutExercice]
    par_autorite: dict[str, Totaux]
    par_exercice: dict[int, Totaux]
    par_autorite_exercice: dict[tuple[str, int], Totaux]
    total: Totaux
    avertissements: list[str] = field(default_factory=list)

    def lignes_de(
        self, autorite: str, finess: set[str] | None = None
    ) -> list[tuple[CoutExercice, Part]]:
        """(cost line, share) pairs of one authority, optionally for some établissements."""
        out = []
        for ligne in self.lignes:
            if finess is not None and ligne.finess not in finess:
                continue
            out += [(ligne, p) for p in ligne.parts if p.autorite == autorite]
        return out


def _fr(value: Decimal) -> str:
    """French number for formulas and warnings: '5 270', '6,5', '1,45'."""
    return nombre(value)


def cost_of(etab: Etablissement, ex: Exercice) -> tuple[Decimal, str]:
    """Cost of the measure for one exercise, and the formula that produced it."""
    ref = load_referentiel()
    mois = Decimal(ex.mois)
    if etab.methode == "etp":
        assert ex.etp is not None and etab.coefficient_charges is not None
        montant = ref.accord.montant_mensuel_brut.valeur
        cout = cents(ex.etp * montant * mois * etab.coefficient_charges)
        formule = (
            f"{_fr(ex.etp)} ETP × {_fr(montant)} € × {ex.mois} mois × "
            f"{_fr(etab.coefficient_charges)}"
        )
    elif etab.methode == "cout_unitaire":
        assert ex.etp is not None
        unitaire = ref.cout_unitaire_dgcs.valeur
        cout = cents(ex.etp * unitaire * mois / Decimal(12))
        formule = f"{_fr(ex.etp)} ETP × {_fr(unitaire)} € × {ex.mois} mois / 12"
    else:
        assert ex.cout_reel is not None
        cout = cents(ex.cout_reel)
        formule = "coût réel issu de la paie"
    return cout, formule


def split_shares(cout: Decimal, etab: Etablissement, ex: Exercice) -> tuple[Part, ...]:
    """Each funder's share, what it paid, and what may be claimed from it.

    An overpayment by one funder (received above its share) first reduces the claims on
    the other funders, in the order they are listed.
    """
    shares: list[tuple[str, Decimal, Decimal, Decimal]] = []
    remaining = cout
    for i, fin in enumerate(etab.financeurs):
        last = i == len(etab.financeurs) - 1
        du = remaining if last else cents(cout * fin.part / Decimal(100))
        remaining -= du
        recu = cents(ex.financement_recu.get(fin.autorite, Decimal(0)))
        shares.append((fin.autorite, fin.part, du, recu))
    surplus = sum((max(recu - du, Decimal(0)) for _, _, du, recu in shares), Decimal(0))
    parts: list[Part] = []
    for autorite, pourcentage, du, recu in shares:
        claim = max(du - recu, Decimal(0))
        offset = min(claim, surplus)
        surplus -= offset
        parts.append(Part(autorite, pourcentage, du, recu, claim - offset))
    return tuple(parts)


def compute_amounts(dossier: Dossier) -> AmountsReport:
    """Amounts table per établissement x exercise x authority, with totals and warnings."""
    lignes: list[CoutExercice] = []
    par_autorite: dict[str, Totaux] = defaultdict(Totaux)
    par_exercice: dict[int, Totaux] = defaultdict(Totaux)
    par_autorite_exercice: dict[tuple[str, int], Totaux] = defaultdict(Totaux)
    total = Totaux()
    warnings: list[str] = []
    for i, etab in enumerate(dossier.etablissements):
        if etab.coefficient_charges is not None and etab.coefficient_charges > COEFFICIENT_ALERT:
            warnings.append(
                f"etablissements[{i}].coefficient_charges : coefficient {_fr(etab.coefficient_charges)} "
                f"inhabituellement élevé ({etab.nom}) ; vérifiez-le"
            )
        # Lines come out in year order; j stays the index in the file, for the warning paths.
        for j, ex in sorted(enumerate(etab.exercices), key=lambda pair: pair[1].annee):
            if ex.etp is not None and ex.etp > ETP_ALERT:
                warnings.append(
                    f"etablissements[{i}].exercices[{j}].etp : {_fr(ex.etp)} ETP éligibles pour "
                    f"{etab.nom} en {ex.annee}, inhabituellement élevé ; vérifiez la saisie"
                )
            cout, formule = cost_of(etab, ex)
            parts = split_shares(cout, etab, ex)
            lignes.append(
                CoutExercice(etab.finess, etab.nom, ex.annee, etab.methode, formule, cout, parts)
            )
            for part in parts:
                if part.recu > part.du:
                    warnings.append(
                        f"etablissements[{i}].exercices[{j}].financement_recu : {etab.nom}, "
                        f"{ex.annee}, « {part.autorite} » : le financement reçu "
                        f"({montant(part.recu)}) dépasse le montant dû ({montant(part.du)})"
                    )
                par_autorite[part.autorite].add(part)
                par_exercice[ex.annee].add(part)
                par_autorite_exercice[(part.autorite, ex.annee)].add(part)
                total.add(part)
    return AmountsReport(
        lignes=lignes,
        par_autorite=dict(par_autorite),
        par_exercice=dict(sorted(par_exercice.items())),
        par_autorite_exercice=dict(sorted(par_autorite_exercice.items())),
        total=total,
        avertissements=warnings,
    )

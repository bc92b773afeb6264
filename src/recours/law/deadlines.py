"""The deadlines engine: last days of the recours gracieux and of the requête.

Pure: no I/O and no clock (``today`` is a parameter). Durations, département lists and
article references come from the legal referential (``delais`` and ``articles``). Every
uncertain point is resolved towards the earlier date, and said in a French warning.
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from types import MappingProxyType
from typing import Any, Final

from recours.errors import DossierInvalidError, FieldProblem
from recours.formatting import avec_de, duree_ans, duree_mois
from recours.formatting import date_longue as _fr
from recours.law.referentiel import article_label, load_referentiel, texte_voie

STATUT_OUVERT: Final = "ouvert"
STATUT_DERNIER_JOUR: Final = "dernier_jour"
STATUT_EXPIRE: Final = "expire"
STATUT_ENVOYE: Final = "envoye"
STATUTS_OUVERTS: Final = frozenset({STATUT_OUVERT, STATUT_DERNIER_JOUR})

EVENEMENT_NOTIFICATION: Final = "notification"
EVENEMENT_REJET_IMPLICITE: Final = "rejet_implicite"
EVENEMENT_REJET_EXPLICITE: Final = "rejet_explicite"
# When the later rejection of a recours hiérarchique starts the delay (CRPA L.411-2 al. 2).
EVENEMENT_REJET_IMPLICITE_HIERARCHIQUE: Final = "rejet_implicite_hierarchique"
EVENEMENT_REJET_EXPLICITE_HIERARCHIQUE: Final = "rejet_explicite_hierarchique"

EVENEMENTS_HIERARCHIQUES: Final = frozenset(
    {EVENEMENT_REJET_IMPLICITE_HIERARCHIQUE, EVENEMENT_REJET_EXPLICITE_HIERARCHIQUE}
)

_ONE_DAY: Final = timedelta(days=1)

# Subdivision codes of the `holidays` package for territories with their own public
# holidays. Alsace-Moselle is added from the referential (57 -> "57", 67/68 -> "6AE").
_OVERSEAS_SUBDIVS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "971": "971",
        "972": "972",
        "973": "973",
        "974": "974",
        "975": "PM",
        "976": "976",
        "977": "BL",
        "978": "MF",
        "984": "TF",
        "986": "WF",
        "987": "PF",
        "988": "NC",
    }
)


@dataclass(frozen=True)
class DeadlineInput:
    """The dates of one contested decision, as known to the association."""

    notification: date
    envoi_gracieux: date | None = None  # postmark (CRPA L.112-1)
    reception_gracieux: date | None = None  # authority's receipt (CRPA L.114-3)
    accuse_reception_conforme: bool = True  # acknowledgment had the R.112-5 mentions
    rejet_explicite: date | None = None  # notification of an explicit rejection of the recours
    voies_et_delais_mentionnes: bool = True  # in the notification of the decision
    departement: str | None = None  # département of the établissement ("75", "2A", "971"...)
    decision_tarifaire: bool = False  # the decision sets a tariff (pre-2025 one-month rule)
    # Recours hiérarchique (CRPA L.411-2 al. 2, L.411-7), beside or instead of the gracieux.
    envoi_hierarchique: date | None = None  # postmark
    reception_hierarchique: date | None = None  # receipt by the superior
    accuse_hierarchique_conforme: bool = True  # acknowledgment had the R.112-5 mentions
    rejet_explicite_hierarchique: date | None = None  # notification of its express rejection
    type_autorite: str | None = None  # author of the decision: who the superior is


@dataclass(frozen=True)
class HierarchicalState:
    """What a recours hiérarchique does to the contentious delay (CRPA L.411-2 al. 2)."""

    date_envoi: date | None
    date_reception: date | None
    interruptif: bool  # posted within the initial delay, to an authority that has a superior
    retenu: bool  # counted in the retained deadline (False when its addressee is uncertain)
    rejet_implicite: date | None
    date_limite_si_retenu: date | None  # the requête deadline if it is counted

    def to_json(self) -> dict[str, object]:
        return {
            "date_envoi": _iso(self.date_envoi),
            "date_reception": _iso(self.date_reception),
            "interruptif": self.interruptif,
            "retenu": self.retenu,
            "rejet_implicite": _iso(self.rejet_implicite),
            "date_limite_si_retenu": _iso(self.date_limite_si_retenu),
        }


@dataclass(frozen=True)
class Deadline:
    """One deadline: its last day, what starts it, and where it stands on ``today``."""

    date_limite: date
    point_de_depart: date
    evenement: str  # "notification" | "rejet_implicite" | "rejet_explicite"
    delai_raisonnable: bool  # True when the Czabaj one-year limit applies
    statut: str  # "ouvert" | "dernier_jour" | "expire" | "envoye"
    jours_restants: int  # (date_limite - today).days, negative once expired
    fondements: tuple[str, ...]  # keys of referential articles

    def to_json(self) -> dict[str, object]:
        return {
            "date_limite": self.date_limite.isoformat(),
            "point_de_depart": self.point_de_depart.isoformat(),
            "evenement": self.evenement,
            "delai_raisonnable": self.delai_raisonnable,
            "statut": self.statut,
            "jours_restants": self.jours_restants,
            "fondements": [article_label(key) for key in self.fondements],
            "fondements_cles": list(self.fondements),
        }


@dataclass(frozen=True)
class DeadlineReport:
    """Both deadlines of a decision on ``aujourdhui``, with warnings and what remains possible."""

    aujourdhui: date
    entree: DeadlineInput
    recours_gracieux: Deadline
    gracieux_interruptif: bool | None  # None when no recours gracieux was sent
    rejet_implicite: date | None
    recours_contentieux: Deadline
    avertissements: tuple[str, ...]
    possibilites: tuple[str, ...]
    recours_hierarchique: HierarchicalState | None = None

    def to_json(self) -> dict[str, object]:
        """JSON-ready dict (ISO dates); a stable interface for federation scripts."""
        entree = self.entree
        gracieux = self.recours_gracieux.to_json()
        gracieux["date_envoi"] = _iso(entree.envoi_gracieux)
        gracieux["date_reception"] = _iso(entree.reception_gracieux)
        gracieux["interruptif"] = self.gracieux_interruptif
        return {
            "aujourdhui": self.aujourdhui.isoformat(),
            "notification": entree.notification.isoformat(),
            "departement": entree.departement,
            "entree": {
                "notification": entree.notification.isoformat(),
                "envoi_gracieux": _iso(entree.envoi_gracieux),
                "reception_gracieux": _iso(entree.reception_gracieux),
                "accuse_reception_conforme": entree.accuse_reception_conforme,
                "rejet_explicite": _iso(entree.rejet_explicite),
                "voies_et_delais_mentionnes": entree.voies_et_delais_mentionnes,
                "departement": entree.departement,
                "envoi_hierarchique": _iso(entree.envoi_hierarchique),
                "reception_hierarchique": _iso(entree.reception_hierarchique),
                "accuse_hierarchique_conforme": entree.accuse_hierarchique_conforme,
                "rejet_explicite_hierarchique": _iso(entree.rejet_explicite_hierarchique),
                "type_autorite": entree.type_autorite,
            },
            "recours_gracieux": gracieux,
            "rejet_implicite": _iso(self.rejet_implicite),
            "recours_contentieux": self.recours_contentieux.to_json(),
            "avertissements": list(self.avertissements),
            "possibilites": list(self.possibilites),
            "recours_hierarchique": (
                None if self.recours_hierarchique is None else self.recours_hierarchique.to_json()
            ),
        }


# --- calendar -------------------------------------------------------------------------


def _msg(code: str, **params: str) -> str:
    """A warning worded in the referential (``messages``)."""
    return load_referentiel().message(code, **params)


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


@functools.cache
def _france_holidays_class() -> Any:
    """The `holidays` library's France class, read from its own module.

    `holidays.country_holidays("FR")` imports `holidays.countries`, whose __init__
    imports every one of its 200+ country modules: about 30 ms (0.1 s on a loaded
    machine), nearly all of what the holidays cost a command; France's module needs none
    of them. On any trouble (a later version laid out otherwise), None: the caller goes
    through the library's entry point. tests/test_deadlines.py checks both give the
    same days.
    """
    import importlib.util
    from pathlib import Path

    try:
        package = importlib.util.find_spec("holidays")
        if package is None or not package.submodule_search_locations:
            return None
        path = Path(next(iter(package.submodule_search_locations))) / "countries" / "france.py"
        spec = importlib.util.spec_from_file_location("holidays.countries.france", path)
        if spec is None or spec.loader is None:
            return None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.France
    except Exception:
        return None


@functools.cache
def _holidays(year: int, subdiv: str | None) -> Mapping[date, str]:
    """Public holidays of one year: national list (None) or with a territory's own."""
    # Imported here: the package takes ~0.1 s to import and most commands never need it.
    france = _france_holidays_class()
    if france is not None:
        days = france(subdiv=subdiv, years=year, language="fr")
    else:
        from holidays.utils import country_holidays

        days = country_holidays("FR", subdiv=subdiv, years=year, language="fr")
    return MappingProxyType({day: str(name) for day, name in days.items()})


def add_months(start: date, months: int) -> date:
    """``start`` plus ``months`` months, same day of the month, clamped to the month's end.

    The same result as ``start + dateutil.relativedelta(months=months)``, without the
    untyped import (31 Dec 2024 + 2 months -> 28 Feb 2025).
    """
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _is_closed(day: date, subdiv: str | None) -> bool:
    return day.weekday() >= 5 or day in _holidays(day.year, subdiv)


def _next_working_day(day: date, subdiv: str | None = None) -> date:
    """The day itself, or the next day that is neither a weekend nor a holiday.

    CE, 19 sept. 2014, n° 362568 (weekend, holiday); C. trav., art. L.3133-1 (holidays).
    """
    while _is_closed(day, subdiv):
        day += _ONE_DAY
    return day


def _normalize_departement(departement: str | None) -> str | None:
    if departement is None:
        return None
    code = departement.strip().upper()
    return code.zfill(2) if code.isdigit() and len(code) == 1 else code


def _local_subdiv(departement: str | None) -> tuple[str, str] | None:
    """(holidays subdiv, French name of the territory) when it has its own holidays."""
    if departement is None:
        return None
    if departement in load_referentiel().delais.departements_alsace_moselle:
        return ("57" if departement == "57" else "6AE"), "Alsace-Moselle"
    subdiv = _OVERSEAS_SUBDIVS.get(departement)
    if subdiv is None:
        return None
    known = load_referentiel().departements.get(departement)
    return subdiv, (known.departement if known is not None else departement)


def _overseas_warning(departement: str | None) -> list[str]:
    """CJA R.421-7 (+1 month overseas) is never applied: its application is uncertain."""
    if departement is None or departement not in load_referentiel().delais.departements_outre_mer:
        return []
    return [_msg("delai_outre_mer")]


@dataclass(frozen=True)
class _LastDay:
    last_day: date
    warnings: tuple[str, ...]
    fondements: tuple[str, ...]  # extra grounds when the date was moved


def _extend(raw: date, departement: str | None, describe: str) -> _LastDay:
    """Move ``raw`` to a national working day; warn if local holidays would move it further."""
    final = _next_working_day(raw)
    fondements: list[str] = []
    if final != raw:
        fondements.append("ce-jour-ouvrable")
        moved_over = (raw + timedelta(days=i) for i in range((final - raw).days))
        if any(day in _holidays(day.year, None) for day in moved_over):
            fondements.append("ct-l3133-1")
    warnings: list[str] = []
    local = _local_subdiv(departement)
    if local is not None:
        subdiv, territory = local
        local_final = _next_working_day(raw, subdiv)
        if local_final != final:
            holiday = _holidays(final.year, subdiv).get(final, "jour férié local")
            if territory == "Alsace-Moselle":
                ground = f"{holiday}, {article_label('ct-l3134-13')}"
            else:
                ground = holiday
            warnings.append(
                _msg(
                    "delai_ferie_local",
                    delai=describe,
                    date=_fr(final),
                    territoire=territory,
                    ferie=ground,
                    date_locale=_fr(local_final),
                )
            )
    warnings += _overseas_warning(departement)
    return _LastDay(final, tuple(warnings), tuple(fondements))


@functools.lru_cache(maxsize=16384)
def _last_day_months(start: date, months: int, departement: str | None) -> _LastDay:
    # Cached: in batch, thousands of dossiers share the same notification dates.
    describe = f"Délai de {months} mois à compter du {_fr(start)}"
    # "De quantième à quantième" then one franc day; some count from the day after the
    # start instead. They differ around short months (29/30 Dec -> 28 Feb or 1 Mar).
    standard = add_months(start, months) + _ONE_DAY
    alternative = add_months(start + _ONE_DAY, months)
    standard_final = _next_working_day(standard)
    alternative_final = _next_working_day(alternative)
    result = _extend(min(standard, alternative), departement, describe)
    if standard_final == alternative_final:
        return result
    warning = _msg(
        "delai_mois_courts",
        delai=describe,
        date_standard=_fr(standard_final),
        date_lendemain=_fr(alternative_final),
        date_retenue=_fr(result.last_day),
    )
    return _LastDay(result.last_day, (warning, *result.warnings), result.fondements)


def last_day(start: date, months: int, departement: str | None = None) -> tuple[date, list[str]]:
    """Last day of a délai franc of ``months`` months from ``start``, with warnings.

    Échéance at the same day of the month (clamped in short months), plus one franc day
    (CE, 5 oct. 2018, n° 409579); when counting from the day after ``start`` gives an
    earlier day, that one is kept. A last day on a Saturday, Sunday or national public
    holiday (C. trav., art. L.3133-1) moves to the next working day (CE, 19 sept. 2014,
    n° 362568). Local holidays (Alsace-Moselle, C. trav., art. L.3134-13; overseas) never
    move it: they only produce a warning, as does the R.421-7 overseas extension.
    """
    result = _last_day_months(start, months, _normalize_departement(departement))
    return result.last_day, list(result.warnings)


def last_day_in_days(
    start: date, days: int, departement: str | None = None
) -> tuple[date, list[str]]:
    """Last day of a délai franc of ``days`` days from ``start`` (start + days + 1), with warnings.

    Same weekend and holiday rules as :func:`last_day` (e.g. 15-day référé appeals).
    """
    result = _extend(
        start + timedelta(days=days + 1),
        _normalize_departement(departement),
        f"Délai de {days} jours à compter du {_fr(start)}",
    )
    return result.last_day, list(result.warnings)


def _reasonable_time(start: date) -> date:
    """Czabaj reasonable time, taken conservatively: start + N years, same day, not franc."""
    years = load_referentiel().delais.delai_raisonnable_annees
    return add_months(start, 12 * years)


# --- the chain of deadlines ------------------------------------------------------------


def _status(limit: date, today: date) -> tuple[str, int]:
    remaining = (limit - today).days
    if remaining > 0:
        return STATUT_OUVERT, remaining
    if remaining == 0:
        return STATUT_DERNIER_JOUR, 0
    return STATUT_EXPIRE, remaining


def status_on(limit: date, today: date) -> tuple[str, int]:
    """Status of a last day on ``today`` ("ouvert", "dernier_jour", "expire") and days left."""
    return _status(limit, today)


@dataclass(frozen=True)
class _Leg:
    """A deadline before its status against today is known."""

    date_limite: date
    point_de_depart: date
    evenement: str
    delai_raisonnable: bool
    fondements: tuple[str, ...]

    def on(self, today: date, sent: bool = False) -> Deadline:
        statut, remaining = _status(self.date_limite, today)
        return Deadline(
            date_limite=self.date_limite,
            point_de_depart=self.point_de_depart,
            evenement=self.evenement,
            delai_raisonnable=self.delai_raisonnable,
            statut=STATUT_ENVOYE if sent else statut,
            jours_restants=remaining,
            fondements=self.fondements,
        )


def _validate(inp: DeadlineInput) -> None:
    """Refuse impossible date orders (the same checks as the dossier models)."""
    problems: list[FieldProblem] = []
    sent = inp.envoi_gracieux or inp.reception_gracieux
    if (
        inp.envoi_gracieux is not None
        and inp.reception_gracieux is not None
        and inp.reception_gracieux < inp.envoi_gracieux
    ):
        problems.append(
            FieldProblem("reception_gracieux", "antérieure à la date d'envoi du recours gracieux")
        )
    if inp.rejet_explicite is not None:
        if sent is None:
            problems.append(
                FieldProblem(
                    "rejet_explicite",
                    "indiquez aussi la date d'envoi du recours gracieux auquel ce rejet répond",
                )
            )
        elif inp.rejet_explicite < sent:
            problems.append(
                FieldProblem("rejet_explicite", "antérieur à l'envoi du recours gracieux")
            )
    problems += _validate_hierarchical(inp)
    if problems:
        raise DossierInvalidError("dates du recours", problems)


def _validate_hierarchical(inp: DeadlineInput) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    sent = inp.envoi_hierarchique or inp.reception_hierarchique
    if (
        inp.envoi_hierarchique is not None
        and inp.reception_hierarchique is not None
        and inp.reception_hierarchique < inp.envoi_hierarchique
    ):
        problems.append(
            FieldProblem(
                "reception_hierarchique", "antérieure à la date d'envoi du recours hiérarchique"
            )
        )
    if inp.rejet_explicite_hierarchique is not None:
        if sent is None:
            problems.append(
                FieldProblem(
                    "rejet_explicite_hierarchique",
                    "indiquez aussi la date d'envoi du recours hiérarchique auquel ce rejet répond",
                )
            )
        elif inp.rejet_explicite_hierarchique < sent:
            problems.append(
                FieldProblem(
                    "rejet_explicite_hierarchique", "antérieur à l'envoi du recours hiérarchique"
                )
            )
    return problems


def _months(inp: DeadlineInput, start: date) -> int:
    """Length of a contentious delay starting on `start`.

    Before the transfer to the administrative courts (1 January 2025), a tariff decision had
    to be brought before the TITSS within one month (former CASF R.351-15). The transitional
    provisions of décret n° 2024-1168 were not read, so the shorter, prudent length is kept
    for any delay that starts before the reform.
    """
    ref = load_referentiel()
    if inp.decision_tarifaire and start < ref.tribunaux.date_tarification:
        return ref.delais.recours_mois_tarification_avant_reforme
    return ref.delais.recours_mois


def _pre_reform_warning(inp: DeadlineInput) -> list[str]:
    ref = load_referentiel()
    reform = ref.tribunaux.date_tarification
    if inp.notification >= reform:
        return []
    before = duree_mois(ref.delais.recours_mois_tarification_avant_reforme)
    now = duree_mois(ref.delais.recours_mois)
    durations = {
        "reforme": _fr(reform),
        "ancien_delai": before,
        "de_ancien_delai": avec_de(before),
        "delai": now,
        "de_delai": avec_de(now),
    }
    if inp.decision_tarifaire:
        return [_msg("delai_avant_reforme_tarif", **durations)]
    return [_msg("delai_avant_reforme", **durations)]


def _notification_leg(inp: DeadlineInput, departement: str | None) -> tuple[_Leg, list[str]]:
    """Contentious deadline from the notification (CJA R.421-1), or Czabaj (R.421-5)."""
    rules = load_referentiel().delais
    if inp.voies_et_delais_mentionnes:
        months = _months(inp, inp.notification)
        result = _last_day_months(inp.notification, months, departement)
        fondements = ("cja-r421-1", "ce-delai-franc", *result.fondements)
        if months != rules.recours_mois:
            fondements = ("casf-r351-15", "ce-delai-franc", *result.fondements)
        leg = _Leg(result.last_day, inp.notification, EVENEMENT_NOTIFICATION, False, fondements)
        return leg, list(result.warnings)
    limit = _reasonable_time(inp.notification)
    warning = _msg(
        "delai_sans_voies_et_delais",
        delai=duree_mois(rules.recours_mois),
        delai_raisonnable=duree_ans(rules.delai_raisonnable_annees),
        date_limite=_fr(limit),
    )
    leg = _Leg(limit, inp.notification, EVENEMENT_NOTIFICATION, True, ("cja-r421-5", "ce-czabaj"))
    return leg, [warning]


def _implicit_leg(
    implicit: date, compliant: bool, departement: str | None, months: int
) -> _LastDay:
    """Last day against an implicit rejection (CJA R.421-2), or one year (L.112-6)."""
    if compliant:
        result = _last_day_months(implicit, months, departement)
        grounds = ("cja-r421-2", "ce-delai-franc", *result.fondements)
        return _LastDay(result.last_day, result.warnings, grounds)
    grounds = ("cja-r421-2", "crpa-r112-5", "crpa-l112-6", "ce-jounda-nguegoh")
    return _LastDay(_reasonable_time(implicit), (), grounds)


def _after_gracieux(
    inp: DeadlineInput, postmark: date, departement: str | None, today: date
) -> tuple[_Leg, date | None, list[str]]:
    """Contentious deadline once a timely recours gracieux interrupted it (CRPA L.411-2).

    Silence for N months after the authority's receipt is an implicit rejection (CRPA
    L.231-4, L.114-3); the deadline runs from it (CJA R.421-2), or again from an explicit
    rejection notified before that deadline expired.
    """
    rules = load_referentiel().delais
    warnings: list[str] = []
    receipt = inp.reception_gracieux
    if receipt is None:
        receipt = postmark
        warnings.append(_msg("delai_reception_inconnue", date_envoi=_fr(postmark)))
    implicit = add_months(receipt, rules.rejet_implicite_mois)
    implicit_result = _implicit_leg(
        implicit, inp.accuse_reception_conforme, departement, _months(inp, implicit)
    )
    running = implicit_result.last_day
    base = ("crpa-l411-2", "crpa-l114-3", "crpa-l231-4")

    explicit = inp.rejet_explicite
    if explicit is not None and explicit <= running:
        result = _last_day_months(explicit, _months(inp, explicit), departement)
        warnings += result.warnings
        warnings.append(
            _msg(
                "delai_rejet_explicite",
                date_rejet=_fr(explicit),
                de_delai_raisonnable=avec_de(duree_ans(rules.delai_raisonnable_annees)),
            )
        )
        leg = _Leg(
            result.last_day,
            explicit,
            EVENEMENT_REJET_EXPLICITE,
            False,
            ("crpa-l411-2", "cja-r421-2", "ce-delai-franc", *result.fondements),
        )
        # An explicit rejection notified first prevents the implicit one from arising.
        return leg, (implicit if explicit >= implicit else None), warnings

    warnings += implicit_result.warnings
    day_after = implicit + _ONE_DAY
    other = _implicit_leg(
        day_after, inp.accuse_reception_conforme, departement, _months(inp, day_after)
    ).last_day
    if other != running:
        warnings.append(
            _msg(
                "delai_rejet_implicite_lendemain",
                date_rejet=_fr(implicit),
                delai=duree_mois(rules.rejet_implicite_mois),
                date_reception=_fr(receipt),
                lendemain=_fr(day_after),
                date_autre=_fr(other),
                date_retenue=_fr(running),
            )
        )
    if not inp.accuse_reception_conforme:
        warnings.append(
            _msg(
                "delai_accuse_non_conforme",
                de_delai_raisonnable=avec_de(duree_ans(rules.delai_raisonnable_annees)),
                date_limite=_fr(running),
            )
        )
    if explicit is not None:
        warnings.append(
            _msg("delai_rejet_explicite_tardif", date_rejet=_fr(explicit), date_limite=_fr(running))
        )
    elif today <= running:
        warnings.append(
            _msg(
                "delai_rejet_explicite_a_venir",
                date_limite=_fr(running),
                delai=duree_mois(rules.recours_mois),
            )
        )
    leg = _Leg(
        running,
        implicit,
        EVENEMENT_REJET_IMPLICITE,
        not inp.accuse_reception_conforme,
        (*base, *implicit_result.fondements),
    )
    return leg, implicit, warnings


def _possibilities(inp: DeadlineInput) -> tuple[str, ...]:
    """What remains possible once the contentious deadline has expired (referential)."""
    texts: list[str] = []
    for possibility in load_referentiel().apres_expiration:
        # The Czabaj hint is moot when the one-year reasonable time is what just expired.
        if not inp.voies_et_delais_mentionnes and "ce-czabaj" in possibility.references:
            continue
        texts.append(possibility.texte)
    return tuple(texts)


def _with_hierarchical(
    inp: DeadlineInput,
    departement: str | None,
    today: date,
    initial_limit: date,
    current: _Leg,
    gracieux_interrupted: bool,
) -> tuple[_Leg, HierarchicalState, list[str]]:
    """The contentious deadline once a recours hiérarchique is recorded.

    CRPA L.411-2: a recours hiérarchique posted within the initial delay interrupts it; when
    a recours gracieux was also posted within that delay, the delay restarts only once both
    are rejected (al. 2), silence for two months being a rejection (L.411-7). Offered against
    a DG ARS (the ministers, one source) and a préfet (superior uncertain: not counted, the
    later date is only shown); a président du conseil départemental has no superior.
    """
    postmark = inp.envoi_hierarchique or inp.reception_hierarchique
    assert postmark is not None
    warnings: list[str] = []
    superiors = load_referentiel().recours_hierarchique
    superior = superiors.get(inp.type_autorite) if inp.type_autorite else None  # type: ignore[call-overload]

    def state(
        interruptif: bool, retenu: bool, implicit: date | None, limit: date | None
    ) -> HierarchicalState:
        return HierarchicalState(
            inp.envoi_hierarchique, inp.reception_hierarchique, interruptif, retenu, implicit, limit
        )

    if superior is not None and not superior.possible:
        warnings.append(texte_voie("hierarchique_pcd"))
        return current, state(False, False, None, None), warnings
    if postmark > initial_limit:
        warnings.append(
            texte_voie("hierarchique_tardif", date=_fr(postmark), date_limite=_fr(initial_limit))
        )
        return current, state(False, False, None, None), warnings

    as_gracieux = replace(
        inp,
        envoi_gracieux=inp.envoi_hierarchique,
        reception_gracieux=inp.reception_hierarchique,
        accuse_reception_conforme=inp.accuse_hierarchique_conforme,
        rejet_explicite=inp.rejet_explicite_hierarchique,
    )
    leg, implicit, chain_warnings = _after_gracieux(as_gracieux, postmark, departement, today)
    # Its own sentences name the recours gracieux: keep only the calendar ones.
    warnings += [w for w in chain_warnings if "recours gracieux" not in w]
    if inp.reception_hierarchique is None:
        warnings.append(texte_voie("hierarchique_reception_inconnue", envoi=_fr(postmark)))
    if not inp.accuse_hierarchique_conforme and leg.evenement == EVENEMENT_REJET_IMPLICITE:
        warnings.append(texte_voie("hierarchique_ar_non_conforme"))
    own = replace(
        leg,
        evenement=(
            EVENEMENT_REJET_IMPLICITE_HIERARCHIQUE
            if leg.evenement == EVENEMENT_REJET_IMPLICITE
            else EVENEMENT_REJET_EXPLICITE_HIERARCHIQUE
        ),
    )
    if gracieux_interrupted:
        # Both within the initial delay: the later rejection starts the delay (al. 2).
        later = max((current, own), key=lambda x: (x.point_de_depart, x.date_limite))
        leg = replace(later, fondements=("crpa-l411-2-al2", "crpa-l411-7", *later.fondements))
    else:
        leg = replace(own, fondements=("crpa-l411-7", *own.fondements))
    if superior is None or superior.confiance == "U":
        titre = (
            f"du {load_referentiel().autorites[inp.type_autorite].titre_autorite}"  # type: ignore[index]
            if superior is not None
            else "d'une autorité non précisée"
        )
        warnings.append(
            texte_voie(
                "hierarchique_incertain",
                autorite=titre,
                superieur=(superior.superieur if superior is not None else None) or "inconnu",
                date_limite=_fr(current.date_limite),
                date_double=_fr(leg.date_limite),
            )
        )
        return current, state(True, False, implicit, leg.date_limite), warnings
    warnings.append(texte_voie("hierarchique_ars"))
    if gracieux_interrupted:
        warnings.append(
            texte_voie(
                "hierarchique_double",
                date_depart=_fr(leg.point_de_depart),
                date_limite=_fr(leg.date_limite),
            )
        )
    return leg, state(True, True, implicit, leg.date_limite), warnings


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def compute_deadlines(inp: DeadlineInput, today: date) -> DeadlineReport:
    """Deadlines of the recours gracieux and of the requête for one decision, on ``today``.

    The recours gracieux must be posted (CRPA L.112-1) within the contentious deadline,
    which it then interrupts (CRPA L.411-2); see :func:`last_day` for the computation.
    Raises :class:`~recours.errors.DossierInvalidError` on impossible date orders.
    """
    _validate(inp)
    departement = _normalize_departement(inp.departement)
    notification_leg, warnings = _notification_leg(inp, departement)
    warnings = _pre_reform_warning(inp) + warnings
    gracieux_leg = _Leg(
        notification_leg.date_limite,
        inp.notification,
        EVENEMENT_NOTIFICATION,
        notification_leg.delai_raisonnable,
        ("crpa-l411-2", "crpa-l112-1", *notification_leg.fondements),
    )
    contentieux_leg = notification_leg
    gracieux_chain: list[str] = []
    rejet_implicite: date | None = None
    interruptif: bool | None = None

    postmark = inp.envoi_gracieux or inp.reception_gracieux
    if postmark is None:
        if today > gracieux_leg.date_limite:
            warnings.append(
                _msg("delai_gracieux_expire", date_limite=_fr(gracieux_leg.date_limite))
            )
    else:
        if inp.envoi_gracieux is None:
            warnings.append(_msg("delai_envoi_inconnu", date_reception=_fr(postmark)))
        interruptif = postmark <= gracieux_leg.date_limite
        if interruptif:
            contentieux_leg, rejet_implicite, gracieux_chain = _after_gracieux(
                inp, postmark, departement, today
            )
        else:
            warnings.append(
                _msg(
                    "delai_gracieux_tardif",
                    date_envoi=_fr(postmark),
                    date_limite=_fr(gracieux_leg.date_limite),
                )
            )
            if inp.rejet_explicite is not None:
                warnings.append(_msg("delai_rejet_de_tardif", date_rejet=_fr(inp.rejet_explicite)))

    hierarchical: HierarchicalState | None = None
    if inp.envoi_hierarchique is not None or inp.reception_hierarchique is not None:
        gracieux_limit = contentieux_leg.date_limite
        contentieux_leg, hierarchical, h_warnings = _with_hierarchical(
            inp, departement, today, gracieux_leg.date_limite, contentieux_leg, bool(interruptif)
        )
        if contentieux_leg.evenement in EVENEMENTS_HIERARCHIQUES:
            # The gracieux's own running date no longer matters: drop its hints.
            gracieux_chain = [w for w in gracieux_chain if _fr(gracieux_limit) not in w]
        warnings += gracieux_chain + h_warnings
    else:
        warnings += gracieux_chain
    warnings += _overseas_warning(departement)
    contentieux = contentieux_leg.on(today)
    return DeadlineReport(
        aujourdhui=today,
        entree=inp,
        recours_gracieux=gracieux_leg.on(today, sent=bool(interruptif)),
        gracieux_interruptif=interruptif,
        rejet_implicite=rejet_implicite,
        recours_contentieux=contentieux,
        avertissements=_unique(warnings),
        possibilites=_possibilities(inp) if contentieux.statut == STATUT_EXPIRE else (),
        recours_hierarchique=hierarchical,
    )


def next_deadline(report: DeadlineReport) -> Deadline | None:
    """The earliest deadline still open: the recours gracieux if not sent, else the requête."""
    gracieux = report.recours_gracieux
    if report.gracieux_interruptif is None and gracieux.statut in STATUTS_OUVERTS:
        return gracieux
    if report.recours_contentieux.statut in STATUTS_OUVERTS:
        return report.recours_contentieux
    return None

"""Deadlines as calendar events (.ics), so they land in the association's calendar."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

from icalendar import Alarm, Calendar, Event

from recours.formatting import date_longue
from recours.law.deadlines import DeadlineReport

PRODID = "-//recours//Délais Ségur pour tous//FR"


def _uid(*parts: str) -> str:
    # Stable identifiers: re-exporting the same deadlines updates events instead of duplicating.
    digest = hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:24]
    return f"{digest}@recours"


def _event(day: date, summary: str, description: str, uid: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", timedelta(days=-7))
    event.add_component(alarm)
    return event


def deadlines_to_ics(report: DeadlineReport, libelle: str = "") -> bytes:
    """One all-day event per deadline still meaningful, with a reminder a week before."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    # DTSTAMP derived from the input, not the clock, so the same input gives the same file.
    stamp = datetime.combine(report.aujourdhui, datetime.min.time(), tzinfo=UTC)
    key = f"{libelle}|{report.entree.notification.isoformat()}"
    suffix = f" — {libelle}" if libelle else ""
    gracieux = report.recours_gracieux
    if report.gracieux_interruptif is None:
        cal.add_component(
            _event(
                gracieux.date_limite,
                f"Dernier jour pour envoyer le recours gracieux{suffix}",
                "Date limite du cachet de la poste (décision notifiée le "
                f"{date_longue(report.entree.notification)}).",
                _uid(key, "gracieux"),
                stamp,
            )
        )
    if report.rejet_implicite is not None:
        cal.add_component(
            _event(
                report.rejet_implicite,
                f"Naissance du rejet implicite du recours gracieux{suffix}",
                "Sans réponse de l'autorité, le recours gracieux est rejeté implicitement ce jour.",
                _uid(key, "rejet-implicite"),
                stamp,
            )
        )
    contentieux = report.recours_contentieux
    cal.add_component(
        _event(
            contentieux.date_limite,
            f"Dernier jour pour déposer la requête au tribunal{suffix}",
            "La requête doit être enregistrée au greffe (ou sur Télérecours) au plus tard ce jour. "
            f"Point de départ : {date_longue(contentieux.point_de_depart)}.",
            _uid(key, "contentieux"),
            stamp,
        )
    )
    return bytes(cal.to_ical())


def events_to_ics(events: list[tuple[date, str, str, str]], stamp_day: date) -> bytes:
    """One calendar of all-day events (day, summary, description, identity key).

    The identity key gives a stable UID: importing the file again updates the events.
    """
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    stamp = datetime.combine(stamp_day, datetime.min.time(), tzinfo=UTC)
    for day, summary, description, key in events:
        cal.add_component(_event(day, summary, description, _uid(key), stamp))
    return bytes(cal.to_ical())

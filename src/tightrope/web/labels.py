"""Plain-language labels for the closed vocabularies, as the web pages show them."""

from __future__ import annotations

import datetime as dt
from typing import Any

_SPECIAL: dict[str, str] = {
    "romantic_sexual": "Romantic or sexual",
    "social_media": "Social media contact",
    "clinical_services": "Clinical services to someone connected to the client",
    "additional_service": "A second service role with the same client",
    "evaluative": "Teaching, supervising or evaluating them",
    "incidental_contact": "An incidental encounter",
    "community_overlap": "Overlap in a small community",
    "couples_family_therapy": "Couples or family therapy",
    "forensic_evaluation": "Forensic evaluation",
    "relative_or_partner": "A relative or partner of the client",
    "close_associate": "A close associate of the client",
    "other_party": "The client (or the other person)",
    "practitioner": "You (the practitioner)",
    "to_start_relationship": "Ended in order to start the other relationship",
    "unilateral": "Ended by one side",
    "third_party": "Someone else",
    "circumstance": "Circumstance (no one proposed it)",
    "mutual": "Both of you",
    "marriage_family_therapist": "Marriage and family therapist",
    "behavior_technician": "Behavior technician (RBT)",
    "abuse_by_prior_professional": "Abused by a previous professional",
    "harassment_or_violence": "Harassment or violence",
    "proceed_with_safeguards": "Proceed with safeguards",
    "ethics_consultation_service": "Ethics consultation service",
    "changes_requested": "Changes requested",
    "end_and_refer": "End it and refer",
}
_KEEP_CASE = {"APA", "ACA", "NASW", "AAMFT", "CRCC", "BACB", "BACB-RBT", "APA-PSYCHIATRY",
              "AMA"}


def label(value: Any) -> str:
    """A human label for a vocabulary value (``romantic_sexual`` -> ``Romantic or sexual``)."""
    text = str(getattr(value, "value", value))
    if text in _KEEP_CASE:
        return text
    if text in _SPECIAL:
        return _SPECIAL[text]
    words = text.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def answer_text(value: Any) -> str:
    """An answer as a sentence fragment: yes/no, lists, numbers, dates."""
    if value is None:
        return "Not known"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list | tuple):
        return ", ".join(label(item) for item in value) if value else "None"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return label(value)


def when(moment: dt.datetime | None) -> str:
    """A timestamp as a short local date and time."""
    if moment is None:
        return ""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")

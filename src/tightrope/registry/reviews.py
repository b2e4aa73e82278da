"""When a case is due for re-assessment: one pure rule, used everywhere.

The verdict is true on its assessment date; the registry reminds the clinician
when it may stop being true:

1. A time-limited prohibition (``prohibited`` with an ``until``): re-assess on
   the earliest date a prohibiting rule lapses. A lapse is never a permission
   (DESIGN.md, "Verdicts"), so the clinician must look again then, not assume.
2. An ongoing or unavoidable relationship (``other.status: ongoing``,
   ``other.avoidable: false``, ``other.kind: community_overlap``), or any
   ``proceed_with_safeguards`` verdict: every 90 days from the assessment date.
   Monitoring is one of the safeguards (DESIGN.md, layer 4), and a relationship
   that goes on changes; 90 days is the registry's default interval, chosen
   in issue #3, not a rule of any code.
3. Otherwise none: a permanent prohibition, or a relationship declined or
   avoided that is not going on, has nothing to wait for.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core.assessment import Assessment
from ..core.case import Case
from ..core.vocabulary import OtherKind, OtherStatus, Verdict
from .vocabulary import ReviewReason

REVIEW_INTERVAL = dt.timedelta(days=90)


@dataclass(frozen=True)
class Review:
    due_on: dt.date
    reason: ReviewReason


def next_review(case: Case, assessment: Assessment) -> Review | None:
    """The next re-assessment date for this case and its assessment, and why (or none)."""
    if assessment.verdict is Verdict.prohibited:
        if assessment.until is None:
            return None
        lapses = [finding.until for finding in assessment.findings
                  if finding.effect == "prohibited" and finding.until is not None
                  and finding.until > assessment.as_of]
        return Review(min(lapses, default=assessment.until), ReviewReason.waiting_period_ends)
    other = case.other
    reason: ReviewReason | None = None
    if other.kind is OtherKind.community_overlap:
        reason = ReviewReason.community_overlap
    elif other.avoidable is False:
        reason = ReviewReason.unavoidable_relationship
    elif other.status is OtherStatus.ongoing:
        reason = ReviewReason.ongoing_relationship
    elif assessment.verdict is Verdict.proceed_with_safeguards:
        reason = ReviewReason.safeguards_monitoring
    if reason is None:
        return None
    return Review(assessment.as_of + REVIEW_INTERVAL, reason)

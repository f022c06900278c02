"""The rules of the yearly rating, as data.

Sources (looked up 2026-12-05; third-party copies, to be checked against the official texts):
- Quy định 366-QĐ/TW (Bộ Chính trị, 2025) on reviewing, evaluating and rating collectives and individuals in the
  political system yearly: criteria scored on a 100-point scale; "Hoàn thành xuất sắc nhiệm vụ" from 90 points,
  "Hoàn thành tốt nhiệm vụ" from 70 to under 90, "Hoàn thành nhiệm vụ" from 50 to under 70, under 50 (or a
  disqualifying condition) "Không hoàn thành nhiệm vụ" (laodong.vn, "Điểm đánh giá để tính xếp loại ... hoàn
  thành xuất sắc nhiệm vụ"; the same bands in Nghị định 335/2025/NĐ-CP for civil servants, cafef.vn).
- The share of "excellent" may not exceed 20 % of those rated "good" or better in the same organisation (the
  civil-service rule ties its rate to the party's: doanhnhan.vn); the exceptions for outstanding units are
  decided above the cell, so the share is a campaign setting (default 20) and the system warns, never refuses.
- Members exempt from party work and activity are not rated (Quy định 124-QĐ/TW, 2023, kept by 366).
"""

import dataclasses

from django.utils.translation import gettext as _

from .choices import GRADE_ORDER, Grade

DEFAULT_EXCELLENT_QUOTA_PERCENT = 20


@dataclasses.dataclass(frozen=True)
class PointBands:
    excellent_from: int = 90
    good_from: int = 70
    completed_from: int = 50

    def best_grade_for(self, points: int) -> str:
        """The best grade `points` allow; the cell and the committee may rate lower, never higher."""
        if points >= self.excellent_from:
            return Grade.EXCELLENT
        if points >= self.good_from:
            return Grade.GOOD
        if points >= self.completed_from:
            return Grade.COMPLETED
        return Grade.NOT_COMPLETED


BANDS = PointBands()


def is_better(grade: str, than: str) -> bool:
    return GRADE_ORDER.index(grade) < GRADE_ORDER.index(than)


def grade_allowed_by_points(grade: str, points: int) -> str | None:
    """Why `grade` cannot go with `points` (a message), or None."""
    best = BANDS.best_grade_for(points)
    if is_better(grade, best):
        return _("With %(points)s points the grade can be at most “%(best)s”.") % {
            "points": points,
            "best": Grade(best).label,
        }
    return None


def excellent_allowed(*, excellent: int, good: int, quota_percent: int) -> int:
    """How many "excellent" grades the quota allows among `excellent + good` rated "good or better"."""
    return (excellent + good) * quota_percent // 100

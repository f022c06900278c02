import datetime

from common.tests.clock import TODAY
from rating.services import rating_campaign_issue


def issue(tree, *, unit=None, quota: int = 20):
    return rating_campaign_issue(
        actor=tree.users["officer_a"],
        unit=unit or tree.commune_a,
        year=TODAY.year,
        self_review_due=TODAY + datetime.timedelta(days=10),
        decision_due=TODAY + datetime.timedelta(days=20),
        excellent_quota_percent=quota,
    )


REVIEW = {
    "strengths": "Gương mẫu, tham gia đầy đủ sinh hoạt chi bộ.",
    "shortcomings": "Còn chậm nộp đảng phí một tháng.",
    "remedies": "Nộp đảng phí đúng hạn.",
}

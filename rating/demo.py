"""The demo's year-end rating, half done: the ward issued it; in the demo cell half the members have filed their
self-reviews (a few on paper, recorded by the secretary), the cell has proposed some grades at its meeting and the
committee has decided a few. The demo member's own self-review is left to file."""

import datetime
import random

from accounts.models import User
from orgunits.models import Unit

from .choices import Grade, Stage
from .models import MemberRating
from .services import cell_grade_record, rating_campaign_issue, rating_decide, self_review_file

# (lowest, highest points, grade the member proposes, weight)
SELF_REVIEWS = ((90, 97, Grade.EXCELLENT, 15), (72, 89, Grade.GOOD, 70), (55, 69, Grade.COMPLETED, 15))
STRENGTHS = (
    "Chấp hành tốt chủ trương của Đảng, chính sách, pháp luật của Nhà nước; tham gia đầy đủ sinh hoạt chi bộ.",
    "Gương mẫu trong gia đình và khu dân cư; tích cực tham gia phong trào của tổ dân phố.",
    "Hoàn thành nhiệm vụ được chi bộ phân công; đóng đảng phí đầy đủ, đúng hạn.",
)
SHORTCOMINGS = (
    "Có lúc chưa mạnh dạn phát biểu ý kiến trong sinh hoạt chi bộ.",
    "Việc tự học tập nghị quyết còn hạn chế.",
)
REMEDIES = "Tích cực nghiên cứu, học tập nghị quyết; mạnh dạn đóng góp ý kiến xây dựng chi bộ."


def demo_rating(
    *,
    rng: random.Random,
    commune: Unit,
    cell: Unit,
    officer: User,
    secretary: User,
    keep_for: User,
    today: datetime.date,
    at,
) -> None:
    campaign = rating_campaign_issue(
        actor=officer,
        unit=commune,
        year=today.year,
        self_review_due=today + datetime.timedelta(days=10),
        decision_due=today + datetime.timedelta(days=25),
        excellent_quota_percent=20,
    )
    rows = list(
        MemberRating.objects.filter(campaign=campaign, unit=cell, stage=Stage.WAITING)
        .exclude(member_id=keep_for.member_id)
        .select_related("member__user")
        .order_by("member__sort_name", "pk")
    )
    filed = rows[: len(rows) // 2]
    for number, rating in enumerate(filed):
        low, high, grade, _weight = rng.choices(SELF_REVIEWS, weights=[option[-1] for option in SELF_REVIEWS])[0]
        member_user = getattr(rating.member, "user", None)
        rating = self_review_file(
            actor=member_user or secretary,
            rating=rating,
            strengths=rng.choice(STRENGTHS),
            shortcomings=rng.choice(SHORTCOMINGS),
            remedies=REMEDIES,
            points=rng.randint(low, high),
            self_grade=grade,
            now=at(today - datetime.timedelta(days=6 - number % 5), 20),
        )
        if number % 2:
            continue
        voters = rng.randint(14, 18)
        rating = cell_grade_record(
            actor=secretary,
            rating=rating,
            grade=grade,
            votes_for=voters - rng.randint(0, 2),
            voters=voters,
            now=at(today - datetime.timedelta(days=1), 21),
        )
        if number % 4 == 0:
            rating_decide(actor=officer, rating=rating, grade=grade, now=at(today, 8))

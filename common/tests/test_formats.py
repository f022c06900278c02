import datetime

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import translation
from django.utils.formats import date_format, number_format


def test_vietnamese_counts_group_thousands_with_dots_and_decimals_with_commas():
    with translation.override("vi"):
        assert (intcomma(12256), number_format(92.1, 1)) == ("12.256", "92,1")


def test_vietnamese_short_dates_read_day_month_year():
    with translation.override("vi"):
        assert date_format(datetime.date(2023, 3, 15), "SHORT_DATE_FORMAT") == "15/03/2023"

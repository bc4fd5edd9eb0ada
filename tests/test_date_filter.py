"""The date a page prints is the body's day (Europe/Rome), whatever hour UTC says."""

import datetime as dt

from django.test import override_settings

from relazione.templatetags.relazione_tags import it_date


def test_a_moment_after_midnight_in_rome_is_that_day():
    # 23:30 UTC on 1 December is 00:30 on 2 December in Rome: the publication is of the 2nd.
    moment = dt.datetime(2026, 12, 1, 23, 30, tzinfo=dt.UTC)
    assert it_date(moment) == "02/12/2026"


def test_summer_time_is_taken_into_account():
    moment = dt.datetime(2026, 6, 30, 22, 30, tzinfo=dt.UTC)  # 00:30 CEST on 1 July
    assert it_date(moment) == "01/07/2026"
    assert it_date(dt.datetime(2026, 6, 30, 21, 30, tzinfo=dt.UTC)) == "30/06/2026"


@override_settings(TIME_ZONE="UTC")
def test_the_zone_is_the_installations_setting():
    assert it_date(dt.datetime(2026, 12, 1, 23, 30, tzinfo=dt.UTC)) == "01/12/2026"


def test_plain_dates_and_empty_values():
    assert it_date(dt.date(2023, 6, 30)) == "30/06/2023"
    assert it_date(dt.datetime(2023, 6, 30, 23, 59)) == "30/06/2023"  # naive: taken as it is
    assert it_date(None) == ""
    assert it_date("") == ""

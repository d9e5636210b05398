import datetime

from django.core.exceptions import ValidationError

import pytest

from schools.models import (
    SchoolPage,
    current_school_year,
    validate_phone,
    validate_school_year,
    validate_uai,
)


@pytest.mark.parametrize("code", ["0451234K", "0750001A", "9740001Z"])
def test_valid_uai_codes_pass(code):
    validate_uai(code)


@pytest.mark.parametrize(
    "code", ["451234K", "04512345K", "0451234", "0451234k", "045123KK", "2A01234B", ""]
)
def test_malformed_uai_codes_are_refused_in_french(code):
    with pytest.raises(ValidationError) as error:
        validate_uai(code)
    assert "7 chiffres" in str(error.value)


@pytest.mark.django_db
def test_uai_is_normalised_and_must_be_unique():
    school = SchoolPage.objects.get(slug="marie-curie")
    school.uai = " 0451003l "
    school.full_clean()
    assert school.uai == "0451003L"

    other = SchoolPage.objects.get(slug="jules-ferry")
    other.uai = "0451003L"
    with pytest.raises(ValidationError) as error:
        other.full_clean()
    assert "code UAI" in str(error.value.message_dict["uai"])


@pytest.mark.parametrize("year", ["2026-2027", "1999-2000"])
def test_school_years_are_two_following_years(year):
    validate_school_year(year)


@pytest.mark.parametrize("year", ["2026-2028", "2026", "2026/2027", "abcd-efgh", ""])
def test_other_school_years_are_refused(year):
    with pytest.raises(ValidationError):
        validate_school_year(year)


def test_the_school_year_starts_in_september():
    assert current_school_year(datetime.date(2026, 8, 31)) == "2025-2026"
    assert current_school_year(datetime.date(2026, 9, 1)) == "2026-2027"


@pytest.mark.parametrize("phone", ["02 38 12 34 56", "0238123456", "+33 2 38 12 34 56"])
def test_french_phone_numbers_pass(phone):
    validate_phone(phone)


@pytest.mark.parametrize("phone", ["12345", "02 38 12 34", "+44 20 7946 0958"])
def test_other_phone_numbers_are_refused(phone):
    with pytest.raises(ValidationError):
        validate_phone(phone)

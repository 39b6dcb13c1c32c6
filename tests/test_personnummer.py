"""Personal identity numbers in free text: found, told apart from look-alikes, masked."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn

from parsers.personnummer import IdentityNumber, find_personnummer, mask_personnummer


@pytest.mark.parametrize(
    ("text", "kind", "masked"),
    [
        ("19850412-1230", "personnummer", "19850412-****"),
        ("198504121230", "personnummer", "19850412****"),
        ("850412-1230", "personnummer", "850412-****"),
        ("8504121230", "personnummer", "850412****"),
        ("850412+1230", "personnummer", "850412+****"),
        ("19811218-9876", "personnummer", "19811218-****"),
        ("121212-1212", "personnummer", "121212-****"),
        ("20010101-1237", "personnummer", "20010101-****"),
        ("18991231-1231", "personnummer", "18991231-****"),
        # 29 February: a 10-digit "00" year may be 2000, a leap year.
        ("000229-1235", "personnummer", "000229-****"),
        ("20000229-1235", "personnummer", "20000229-****"),
        # Samordningsnummer: the day plus 60.
        ("701063-2391", "samordningsnummer", "701063-****"),
        ("19701063-2391", "samordningsnummer", "19701063-****"),
        ("7010632391", "samordningsnummer", "701063****"),
        # Letters next to the number do not hide it.
        ("pnr:19850412-1230", "personnummer", "pnr:19850412-****"),
        ("(850412-1230)", "personnummer", "(850412-****)"),
        # As people type them: a space for the hyphen, a word processor's dash or
        # no-break space, full-width digits from an East Asian input method.
        ("850709 9805", "personnummer", "850709 ****"),
        ("19850709 9805", "personnummer", "19850709 ****"),
        ("850709\u20139805", "personnummer", "850709\u2013****"),
        ("850709\u00a09805", "personnummer", "850709\u00a0****"),
        ("８５０７０９－９８０５", "personnummer", "８５０７０９－****"),
        ("８５０７０９９８０５", "personnummer", "８５０７０９****"),
        ("１９８５０７０９－９８０５", "personnummer", "１９８５０７０９－****"),
        # In a Message-ID that a reply copies into In-Reply-To and References.
        ("<850709-9805.1@x.se>", "personnummer", "<850709-****.1@x.se>"),
    ],
)
def test_valid_number(text: str, kind: str, masked: str) -> None:
    [number] = find_personnummer(text)
    assert number.kind == kind
    assert text[number.start : number.end] == number.text
    assert number.text in text
    assert mask_personnummer(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        # Wrong check digit
        "19850412-1231",
        "850412-1231",
        "8504121239",
        "19811218-9875",
        # A valid check digit but no such date
        "851312-1239",
        "850432-1236",
        "850492-1233",
        "850460-1231",
        "19000229-1235",
        "21850412-1230",
        "17850412-1230",
        # Organisationsnummer: the "month" is 20 or more
        "556677-8899",
        "5566778899",
        "212000-1355",
        "202100-6255",
        "16556677-8899",
        # Phone numbers
        "031-365 12 34",
        "031-3651234",
        "0706-12 34 56",
        "08-123 45 67",
        "+46 31 365 12 34",
        "+46701234567",
        # Part of a longer run of digits
        "1198504121230",
        "19850412-12301",
        "119850412-1230",
        "8504121230123",
        # A space-separated candidate inside a longer grouped number
        "031 850412 1230",
        "850412 1230 12",
        "08-850412 1230",
        # Other separators or none of the shapes
        "850412/1230",
        "850412  1230",
        "85-04-12-1230",
        "2027-04-01",
        "4711203",
        "",
    ],
)
def test_not_a_personal_number(text: str) -> None:
    assert find_personnummer(text) == []
    assert mask_personnummer(text) == text


def test_an_unseparated_phone_number_that_passes_every_check_is_masked() -> None:
    # 070-123 45 69 written without separators is also 23 January 2007 with a valid check
    # digit; masking it costs little, leaking a personnummer would not.
    assert mask_personnummer("0701234569") == "070123****"


@pytest.mark.parametrize(
    "text",
    [
        "Ring 070-123 45 67 eller 031 365 12 34",
        "Postnummer 411 38 Göteborg, ansvarskod 4711203",
        "Org.nr 556677 8899",
        "Kontonummer 8327-9 123456 7890",
        "Mobil 0707 123456",
    ],
)
def test_numbers_written_with_spaces_that_are_not_personal(text: str) -> None:
    assert mask_personnummer(text) == text


def test_several_numbers_in_a_mail() -> None:
    text = (
        "Första person i kön är 19850412-1230 enligt socialsekreteraren, därefter "
        "701063-2391 och 8504121230.\nOrg.nr 556677-8899, telefon 031-365 12 34, "
        "ansvarskod 4711203, från och med 2027-04-01. Fel: 850412-1231."
    )
    found = find_personnummer(text)
    assert [(n.text, n.kind) for n in found] == [
        ("19850412-1230", "personnummer"),
        ("701063-2391", "samordningsnummer"),
        ("8504121230", "personnummer"),
    ]
    assert found[0] == IdentityNumber(
        text.index("19850412"), text.index("19850412") + 13, "19850412-1230", "personnummer"
    )
    assert mask_personnummer(text) == (
        "Första person i kön är 19850412-**** enligt socialsekreteraren, därefter "
        "701063-**** och 850412****.\nOrg.nr 556677-8899, telefon 031-365 12 34, "
        "ansvarskod 4711203, från och med 2027-04-01. Fel: 850412-1231."
    )


def test_masking_twice_changes_nothing_more() -> None:
    once = mask_personnummer("19850412-1230 och 8504121230")
    assert mask_personnummer(once) == once == "19850412-**** och 850412****"


# Generated numbers


@st.composite
def _identity_numbers(draw: st.DrawFn) -> tuple[str, str, str, str]:
    """A valid number as written: (whole text, date part, separator, last four digits)."""
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
    samordning = draw(st.booleans())
    day = born.day + 60 if samordning else born.day
    short_date = f"{born:%y%m}{day:02d}"
    serial = f"{draw(st.integers(0, 999)):03d}"
    last_four = serial + luhn.calc_check_digit(short_date + serial)
    twelve = draw(st.booleans())
    date_part = f"{born.year // 100}{short_date}" if twelve else short_date
    separator = draw(st.sampled_from(["-", ""] if twelve else ["-", "+", ""]))
    return date_part + separator + last_four, date_part, separator, last_four


_WORDS = st.lists(
    st.text(alphabet=st.characters(blacklist_categories=["Nd", "Cs"]), min_size=1, max_size=12),
    max_size=6,
)


def _embed(number: str, before: list[str], after: list[str]) -> str:
    return " ".join([*before, number, *after])


@given(_identity_numbers(), _WORDS, _WORDS)
def test_a_generated_number_is_found_and_masked(
    written: tuple[str, str, str, str], before: list[str], after: list[str]
) -> None:
    number, date_part, separator, last_four = written
    text = _embed(number, before, after)
    assert [found.text for found in find_personnummer(text)] == [number]
    masked = mask_personnummer(text)
    assert date_part + separator + last_four not in masked
    assert masked == _embed(date_part + separator + "****", before, after)


@given(_identity_numbers(), st.integers(1, 9))
def test_a_wrong_check_digit_is_not_a_number(
    written: tuple[str, str, str, str], offset: int
) -> None:
    number = written[0]
    wrong = number[:-1] + str((int(number[-1]) + offset) % 10)
    assert find_personnummer(wrong) == []


_MIXED = st.lists(
    st.one_of(
        _identity_numbers().map(lambda written: written[0]),
        st.text(alphabet="0123456789-+ *", max_size=14),
        st.text(max_size=8),
    ),
    max_size=8,
).map("".join)


@given(st.one_of(st.text(), _MIXED))
def test_masking_is_idempotent_and_touches_only_the_last_four_digits(text: str) -> None:
    masked = mask_personnummer(text)
    assert mask_personnummer(masked) == masked
    assert len(masked) == len(text)
    serials = {i for n in find_personnummer(text) for i in range(n.end - 4, n.end)}
    for index, (original, now) in enumerate(zip(text, masked, strict=True)):
        assert now == ("*" if index in serials else original)

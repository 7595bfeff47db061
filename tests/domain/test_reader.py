"""The one validating reader the program file, profiles and progress files are read with: every complaint names
its place, strictly (one error) or leniently (the place noted, the default given)."""

from __future__ import annotations

import pytest

from kwc_desktop.domain.program import ProgramError
from kwc_desktop.domain.reader import Reader, ReadError, Said
from kwc_desktop.domain.text import UserError

DOCUMENT = {"options": {"numbers": [{"id": "a"}, {"id": "b"}, {"id": "c"}, {"kind": 7, "id": "secret-value"}]}}


def numbers(reader: Reader) -> list[Reader]:
    return reader.table("options").tables("numbers")


def test_a_strict_reader_raises_one_error_naming_the_place():
    fourth = numbers(Reader(DOCUMENT))[3]
    assert fourth.where == "options.numbers[3]"
    with pytest.raises(ReadError) as error:
        fourth.whole("id")
    assert error.value.where == "options.numbers[3]"
    assert error.value.message("en") == "options.numbers[3]: field 'id' must be a whole number ≥ 0"
    assert error.value.message("ja") == error.value.message("en")  # the document's own words, for its author
    assert isinstance(error.value, UserError)


def test_a_lenient_reader_notes_the_place_and_gives_the_default():
    problems: list[str] = []
    fourth = numbers(Reader(DOCUMENT, problems=problems))[3]
    assert fourth.whole("kind") == 7
    assert fourth.whole("id") == 0
    assert fourth.flag("kind", False) is False
    assert fourth.table("missing").data == {}
    assert problems == ["options.numbers[3].id", "options.numbers[3].kind", "options.numbers[3].missing"]
    assert "secret-value" not in " ".join(problems)  # the place, never the value


def test_a_place_says_where_it_is_inside_a_file():
    error = ProgramError("procedures[2] 'hq-sms'", Said("field 'contact' names unknown contact 'x'"))
    within = error.within("program.toml")
    assert isinstance(within, ProgramError) and isinstance(within, ReadError) and isinstance(within, ValueError)
    assert str(within) == "program.toml: procedures[2] 'hq-sms': field 'contact' names unknown contact 'x'"
    assert str(ProgramError("", "field 'schema' must be 1").within("p.toml")) == "p.toml: field 'schema' must be 1"


def test_a_profile_complains_in_the_users_language_with_the_same_shape():
    from kwc_desktop.domain.profile import ProfileError

    error = ProfileError("owners[0]", UserError("profile.no_owners")).within("p.toml")
    assert isinstance(error, ReadError)
    assert error.message("en").startswith("p.toml: owners[0]: ")
    assert error.message("ja") != error.message("en")

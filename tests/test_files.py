"""Reading the text of a file from a Russian-speaking office, shared by the watchlist and the
passenger-list importers."""

from __future__ import annotations

import pytest

from chegara.files import utf8_or_cp1251

TEXT = "№;ФИО;Дата рождения\n5;Иванов Иван;01.02.1970\n"


@pytest.mark.parametrize("raw", [TEXT.encode("utf-8"), TEXT.encode("utf-8-sig"),
                                 TEXT.encode("cp1251")])
def test_utf8_with_or_without_a_byte_order_mark_and_windows_1251_read_alike(raw: bytes) -> None:
    assert utf8_or_cp1251(raw) == TEXT


def test_bytes_that_are_neither_are_refused_unless_asked_to_replace_them() -> None:
    # 0x98 is the one byte Windows-1251 leaves without a character; alone it is not UTF-8.
    raw = "Иван".encode("cp1251") + b"\x98"
    with pytest.raises(UnicodeDecodeError):
        utf8_or_cp1251(raw)
    assert utf8_or_cp1251(raw, errors="replace") == "Иван\ufffd"

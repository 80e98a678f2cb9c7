"""The list formats agencies receive: UN consolidated XML, OFAC SDN CSV, FollowTheMoney JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chegara.errors import BadInput
from chegara.screening.csv_formats import iter_queries_csv
from chegara.screening.importers import detect_format, read_list
from chegara.screening.matcher import ScreeningInputError

UN_XML = """<?xml version="1.0" encoding="utf-8"?>
<CONSOLIDATED_LIST dateGenerated="2026-10-01T00:00:00">
 <INDIVIDUALS>
  <INDIVIDUAL>
   <DATAID>6908555</DATAID><VERSIONNUM>1</VERSIONNUM>
   <FIRST_NAME>ABDUL</FIRST_NAME><SECOND_NAME>RAHMAN</SECOND_NAME><THIRD_NAME>YUSUFZAI</THIRD_NAME>
   <UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE><REFERENCE_NUMBER>QDi.999</REFERENCE_NUMBER>
   <NAME_ORIGINAL_SCRIPT>عبد الرحمن</NAME_ORIGINAL_SCRIPT>
   <NATIONALITY><VALUE>Afghanistan</VALUE></NATIONALITY>
   <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Abdurakhmon Yusufzoy</ALIAS_NAME></INDIVIDUAL_ALIAS>
   <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1971-03-05</DATE></INDIVIDUAL_DATE_OF_BIRTH>
   <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1969</FROM_YEAR><TO_YEAR>1972</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>
   <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>OA123456</NUMBER></INDIVIDUAL_DOCUMENT>
  </INDIVIDUAL>
 </INDIVIDUALS>
 <ENTITIES><ENTITY><FIRST_NAME>SOME FRONT COMPANY</FIRST_NAME></ENTITY></ENTITIES>
</CONSOLIDATED_LIST>
"""

SDN = ('36,"YUSUPOV, Rustam Alisherovich","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
       '-0- ,"DOB 12 May 1980; POB Tashkent, Uzbekistan; nationality Uzbekistan; '
       'Passport FA1234567 (Uzbekistan); Gender Male."\n'
       '37,"GREEN SHIPPING LTD","-0- ","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
       '38,"KARIMOVA, Dilnoza","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
       '"DOB 1975 to 1977."\n')
ALT = '36,101,"aka","IUSUPOV, Rustam",-0- \n'


def test_un_consolidated_list(tmp_path: Path) -> None:
    path = tmp_path / "consolidated.xml"
    path.write_text(UN_XML, encoding="utf-8")
    assert detect_format(path) == "un-xml"
    (person,) = read_list(path)
    assert person.entry_id == "QDi.999"
    assert person.name == "ABDUL RAHMAN YUSUFZAI"
    assert "Abdurakhmon Yusufzoy" in person.aliases and "عبد الرحمن" in person.aliases
    assert person.birth_dates == ("1971-03-05", "1969..1972")
    assert person.nationalities == ("AFG",)
    assert person.document_numbers == ("OA123456",)
    assert person.programme == "Al-Qaida"


def test_un_list_errors_name_the_element(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text(UN_XML.replace("</INDIVIDUALS>", ""), encoding="utf-8")
    with pytest.raises(BadInput, match=r"line \d+, column \d+"):
        read_list(broken)
    nameless = tmp_path / "nameless.xml"
    nameless.write_text(UN_XML.replace("<FIRST_NAME>ABDUL</FIRST_NAME>", ""), encoding="utf-8")
    with pytest.raises(BadInput, match=r"<INDIVIDUAL> #1 \(QDi.999\)"):
        read_list(nameless)
    other = tmp_path / "other.xml"
    other.write_text("<sdnList/>", encoding="utf-8")
    with pytest.raises(BadInput, match="CONSOLIDATED_LIST"):
        read_list(other)


def test_ofac_sdn_with_aliases(tmp_path: Path) -> None:
    (tmp_path / "sdn.csv").write_text(SDN, encoding="utf-8")
    (tmp_path / "alt.csv").write_text(ALT, encoding="utf-8")
    people = read_list(tmp_path / "sdn.csv")
    assert [p.entry_id for p in people] == ["36", "38"]  # the company is not a traveller
    yusupov, karimova = people
    assert yusupov.name == "YUSUPOV Rustam Alisherovich"
    assert yusupov.aliases == ("IUSUPOV Rustam",)
    assert yusupov.birth_dates == ("1980-05-12",)
    assert yusupov.nationalities == ("UZB",) and yusupov.document_numbers == ("FA1234567",)
    assert yusupov.gender == "Male"
    assert karimova.birth_dates == ("1975..1977",)
    (tmp_path / "sdn.csv").write_text('39,"SHORT ROW"\n', encoding="utf-8")
    with pytest.raises(BadInput, match="line 1 has 2 fields"):
        read_list(tmp_path / "sdn.csv")


def test_followthemoney_persons(tmp_path: Path) -> None:
    lines = [
        {"id": "NK-1", "schema": "Person", "properties": {
            "name": ["Rustam Yusupov"], "alias": ["Юсупов Рустам"], "birthDate": ["1980-05-12"],
            "nationality": ["uz"], "passportNumber": ["FA1234567"], "topics": ["sanction"]}},
        {"id": "NK-2", "schema": "Company", "properties": {"name": ["Front LLC"]}},
    ]
    path = tmp_path / "entities.ftm.json"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines),
                    encoding="utf-8")
    (person,) = read_list(path)
    assert (person.entry_id, person.name, person.aliases) == ("NK-1", "Rustam Yusupov",
                                                              ("Юсупов Рустам",))
    assert person.nationalities == ("UZ",) and person.programme == "sanction"
    path.write_text(json.dumps(lines[0]) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(BadInput, match="line 2: not JSON"):
        read_list(path)


def test_duplicate_ids_and_unknown_formats_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "dups.csv"
    path.write_text("id,name\n1,A B\n1,C D\n", encoding="utf-8")
    with pytest.raises(BadInput, match="appears twice"):
        read_list(path)
    odd = tmp_path / "list.pdf"
    odd.write_bytes(b"%PDF")
    with pytest.raises(BadInput, match="--format"):
        read_list(odd)


def test_xml_entity_bombs_are_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
                    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
                    "<CONSOLIDATED_LIST>&b;</CONSOLIDATED_LIST>", encoding="utf-8")
    with pytest.raises(BadInput, match="entities"):
        read_list(bomb)


def test_uploaded_file_names_cannot_escape() -> None:
    from chegara.screening.importers import safe_filename

    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("..") == "upload" and safe_filename(None) == "upload"


@pytest.mark.parametrize(("fmt", "content", "needle"), [
    ("csv", None, "is a directory"),
    ("ftm-json", None, "is a directory"),
    ("un-xml", None, "is a directory"),
    ("ofac-csv", None, "is a directory"),
    ("ftm-json", b'{"schema": "Person"}\n\x82\xff\n', "not UTF-8"),
    ("csv", "id,name\n1,Иван Петров\n".encode("utf-16"), "UTF-16"),
])
def test_unreadable_list_files_are_refused_in_words(tmp_path: Path, fmt: str,
                                                     content: bytes | None, needle: str) -> None:
    path = tmp_path / "list"
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    with pytest.raises(BadInput, match=needle):
        read_list(path, fmt)


@pytest.mark.parametrize(("content", "needle"), [
    (b"id,name\nq1," + b"A" * 200_000 + b"\n", r":2: field larger than field limit"),
    ("id,name\nq1,Иван\n".encode("cp1251"), "not UTF-8 text"),
])
def test_unreadable_screening_files_name_the_problem(tmp_path: Path, content: bytes,
                                                     needle: str) -> None:
    path = tmp_path / "travellers.csv"
    path.write_bytes(content)
    with pytest.raises(ScreeningInputError, match=needle):
        list(iter_queries_csv(path))

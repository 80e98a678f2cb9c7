"""Write a PAXLST interchange from a ``Manifest``: demo voyages, benchmarks and round-trip tests.

Follows the WCO/IATA/ICAO API guidelines layout (D:05B) that ``paxlst.read_paxlst`` reads, with
release characters where names hold service characters (``O'BRIEN`` becomes ``O?'BRIEN``).
"""

from __future__ import annotations

from datetime import datetime

from chegara.passengers.manifest import Manifest, Traveller

_SERVICE = "?:+'"


def escape(text: str) -> str:
    """Text with every service character released by ``?``."""
    return "".join("?" + c if c in _SERVICE else c for c in text)


def _moment(value: datetime | None) -> str:
    return value.strftime("%y%m%d%H%M") if value else ""


def _traveller_segments(traveller: Traveller) -> list[str]:
    party = "FM" if traveller.role == "crew" else "FL"
    given = ":".join(escape(g) for g in traveller.given_names.split())
    name = escape(traveller.surname) + (":" + given if given else "")
    segments = [f"NAD+{party}+++{name}", f"ATT+2++{traveller.sex or ''}"]
    if traveller.birth_date:
        segments.append(f"DTM+329:{traveller.birth_date.strftime('%y%m%d')}")
    if traveller.embarkation:
        segments.append(f"LOC+178+{traveller.embarkation}")
    if traveller.debarkation:
        segments.append(f"LOC+179+{traveller.debarkation}")
    if traveller.nationality:
        segments.append(f"NAT+2+{traveller.nationality}")
    if traveller.booking_reference:
        segments.append(f"RFF+AVF:{escape(traveller.booking_reference)}")
    for document in traveller.documents:
        segments.append(f"DOC+{document.document_type}:110:111+{escape(document.number)}")
        if document.expiry_date:
            segments.append(f"DTM+36:{document.expiry_date.strftime('%y%m%d')}")
        if document.issuing_state:
            segments.append(f"LOC+91+{document.issuing_state}")
    return segments


def compose_paxlst(manifest: Manifest, reference: str = "1", sender: str = "CHEGARA") -> str:
    """One UNA/UNB/UNG/UNH ... UNT/UNE/UNZ interchange holding the manifest as PAXLST."""
    crew_list = manifest.list_type == "crew"
    body = [f"BGM+{'250' if crew_list else '745'}", "NAD+MS+++CHEGARA DEMO"]
    for leg in manifest.legs:
        body.append(f"TDT+20+{leg.designator}+++{leg.carrier}")
        body.append(f"LOC+125+{leg.origin or ''}")
        body.append(f"DTM+189:{_moment(leg.departure)}:201")
        body.append(f"LOC+87+{leg.destination or ''}")
        body.append(f"DTM+232:{_moment(leg.arrival)}:201")
    for traveller in manifest.travellers:
        body.extend(_traveller_segments(traveller))
    body.append(f"CNT+{'41' if crew_list else '42'}:{len(manifest.travellers)}")
    stamp = "260101:0000"
    head = [
        f"UNB+UNOA:4+{sender}+CHEGARA+{stamp}+{reference}",
        f"UNG+PAXLST+{sender}+CHEGARA+{stamp}+{reference}+UN+D:05B",
        f"UNH+{reference}+PAXLST:D:05B:UN:IATA",
    ]
    tail = [f"UNT+{len(body) + 2}+{reference}", f"UNE+1+{reference}", f"UNZ+1+{reference}"]
    return "UNA:+.? '" + "'\n".join(head + body + tail) + "'\n"

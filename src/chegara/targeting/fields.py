"""The canonical fields of a customs declaration and an SPS consignment: the names every
import is mapped onto, how each is parsed, and what an officer calls it.

Kept apart from the import itself (``declarations.py``, which needs pandas) so that the pages
can name the fields without loading the data stack.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

FieldKind = Literal["text", "code", "date", "number", "hs"]


@dataclass(frozen=True)
class FieldSpec:
    """One canonical field: its name, how it is parsed, whether it may be absent, and what an
    officer calls it (the pages show the label, translated, never the name)."""

    name: str
    kind: FieldKind
    required: bool = False
    non_negative: bool = False
    description: str = ""
    # No default: a new field cannot reach the pages without the officer's word for it.
    label: str = field(kw_only=True)


DECLARATION_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("declaration_id", "code", required=True, description="unique key",
              label="Declaration number"),
    FieldSpec("date", "date", required=True, description="day the declaration was lodged",
              label="Date lodged"),
    FieldSpec("office", "code", description="customs office", label="Customs office"),
    FieldSpec("process_type", "code", description="declaration process (e.g. paperless)",
              label="Processing type"),
    FieldSpec("import_type", "code", description="import type (e.g. e-commerce)",
              label="Import type"),
    FieldSpec("import_use", "code", description="intended use of the goods", label="Intended use"),
    FieldSpec("payment_type", "code", description="duty payment type", label="Duty payment method"),
    FieldSpec("transport_mode", "code", description="mode of transport at the border",
              label="Mode of transport at the border"),
    FieldSpec("declarant_id", "code", description="declarant (broker)",
              label="Declarant (customs broker)"),
    FieldSpec("importer_id", "code", description="importer", label="Importer"),
    FieldSpec("seller_id", "code", description="overseas seller", label="Seller (exporter)"),
    FieldSpec("courier_id", "code", description="express carrier", label="Express carrier"),
    FieldSpec("hs_code", "hs", description="HS code, 2 to 10 digits", label="HS code"),
    FieldSpec("departure_country", "code", description="country of departure (ISO alpha-2)",
              label="Country of departure"),
    FieldSpec("origin_country", "code", description="country of origin (ISO alpha-2)",
              label="Country of origin"),
    FieldSpec("tax_rate", "number", non_negative=True, description="duty rate, percent",
              label="Duty rate, %"),
    FieldSpec("tax_type", "code", description="duty type (e.g. FTA preferential)",
              label="Tariff treatment"),
    FieldSpec("origin_indicator", "code", description="how the origin is marked",
              label="Origin marking"),
    FieldSpec("net_mass_kg", "number", non_negative=True, description="net mass, kg",
              label="Net mass (kg)"),
    FieldSpec("value", "number", non_negative=True, description="declared customs value",
              label="Customs value"),
    FieldSpec("quantity", "number", non_negative=True, description="supplementary units",
              label="Quantity in supplementary units"),
    FieldSpec("currency", "code", description="currency of the value (ISO 4217)", label="Currency"),
    FieldSpec("items", "number", non_negative=True, description="number of items",
              label="Number of goods items"),
    FieldSpec("description", "text", description="free-text goods description",
              label="Description of goods"),
)

CONSIGNMENT_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("commodity_category", "code", description="SPS commodity category",
              label="Commodity category"),
    FieldSpec("species_or_product", "text", description="animal species or plant product",
              label="Animal species or plant product"),
    FieldSpec("establishment", "code", description="approved establishment of origin",
              label="Establishment of origin"),
    FieldSpec("certificate_number", "code", description="veterinary / phytosanitary certificate",
              label="Veterinary or phytosanitary certificate"),
)

ALL_FIELDS: tuple[FieldSpec, ...] = DECLARATION_FIELDS + CONSIGNMENT_FIELDS
FIELDS_BY_NAME: dict[str, FieldSpec] = {spec.name: spec for spec in ALL_FIELDS}
NUMBER_FIELDS: tuple[str, ...] = tuple(s.name for s in ALL_FIELDS if s.kind == "number")

"""The sentences the services write for officers: reasons, explanations and summaries.

The services store and return these in English (the API and the CLI speak English, and stored
records keep their wording). The web interface shows them in the reader's language: it matches
a stored sentence against the templates registered here and fills the Russian template of
``web/locale/ru.json`` (keyed by the English template) with the captured values. So a template
must keep producing exactly the wording records already hold, and every one needs a Russian
entry (a test checks both).

This module imports nothing of ours, so every service can format from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Message:
    """An English template with what the translator needs to know about its placeholders.

    ``words``: a placeholder that takes only these English words (each translated on its own);
    ``nested``: a placeholder that holds another registered sentence; ``lists``: a placeholder
    that holds sentences joined by the given separator, or by several from the loosest to the
    tightest (a profile's "a and b or c" is split at " or ", then each part at " and "). A
    separator inside brackets or inside a registered word does not split. ``places``: a
    placeholder that holds a crossing point's name, shown as the shipped geography names it in
    the reader's language (as stored where it does not). Other placeholders are copied as they
    are (names, codes, an officer's own words).
    """

    text: str
    words: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    nested: frozenset[str] = frozenset()
    lists: Mapping[str, str | tuple[str, ...]] = field(default_factory=dict)
    places: frozenset[str] = frozenset()

    def format(self, **values: Any) -> str:
        return self.text.format(**values)


CHANNELS = ("red", "yellow", "blue", "green")

# --- Targeting: channel selection (targeting/selection.py) -----------------------------------
WHERE_OFFICE = "at this office"  # only in decisions stored before the office was named
WHERE_ALL_OFFICES = "at all offices"
WHERE_NO_OFFICE = "without an office"
RANDOM_SAMPLE = Message("random compliance sample (about {percent:g}% of declarations)")
# The score is a calibrated probability, shown as a percentage with its place in the day among
# the declarations of the office named (its crossing point's name, else its code).
SCORE_RANKED_AT_OFFICE = Message(
    "risk score {score:.1%}, ranked {rank:d} of {n:d} declarations at {office} that day",
    places=frozenset({"office"}))
SCORE_AMONG_HIGHEST = Message(
    "risk score {score:.1%}, ranked {rank:d} of {n:d} declarations {where} that day",
    words={"where": (WHERE_OFFICE, WHERE_ALL_OFFICES, WHERE_NO_OFFICE)})
# An authorised economic operator's place is by the reduced score, which decided the channel.
REDUCED_SCORE_RANKED_AT_OFFICE = Message(
    "risk score {score:.1%}, reduced to {reduced:.1%} for an authorised economic operator, "
    "ranked {rank:d} of {n:d} declarations at {office} that day by the reduced score",
    places=frozenset({"office"}))
REDUCED_SCORE_RANKED = Message(
    "risk score {score:.1%}, reduced to {reduced:.1%} for an authorised economic operator, "
    "ranked {rank:d} of {n:d} declarations {where} that day by the reduced score",
    words={"where": (WHERE_ALL_OFFICES, WHERE_NO_OFFICE)})
SCORE_RELEASED = Message("risk score {score:.1%}: released, post-clearance audit")
# The blue lane is filled by the reduced score too; the sentence gives the one that decided.
REDUCED_SCORE_RELEASED = Message(
    "risk score {score:.1%}, reduced to {reduced:.1%} for an authorised economic operator: "
    "released, post-clearance audit")
# Decisions stored before the rank was shown read as below; kept so that they still show in
# Russian. (The released sentence's former "0.952" still matches the template above.)
FORMER_SCORE_AMONG_HIGHEST = Message(
    "risk score {score:.3f} among the highest of {n:d} declarations {where} that day",
    words={"where": (WHERE_OFFICE, WHERE_ALL_OFFICES)})
AEO_REDUCED = Message("authorised economic operator: reduced inspection rate")

# --- Targeting: risk profiles (targeting/rules.py) -------------------------------------------
# A profile's criteria: conditions joined by " and ", alternatives in brackets joined by
# " or " (an "all" inside them unbracketed, so "and" binds tighter), "not (...)" around a
# negated one. Splitting at these keeps a condition's free wording from swallowing the rest.
CRITERIA_JOINT = " and "
ALTERNATIVES_JOINTS = (" or ", CRITERIA_JOINT)
PROFILE_FIRED = Message("profile {id} ({name}): {criteria} -> {channel}",
                        words={"channel": CHANNELS}, lists={"criteria": CRITERIA_JOINT})
PROFILE_FIRED_WITH_INSTRUCTIONS = Message(
    "profile {id} ({name}): {criteria} -> {channel}; examiner: {instructions}",
    words={"channel": CHANNELS}, lists={"criteria": CRITERIA_JOINT})
ANY_OF_CRITERIA = Message("({alternatives})", lists={"alternatives": ALTERNATIVES_JOINTS})
NOT_CRITERIA = Message("not ({criteria})", lists={"criteria": CRITERIA_JOINT})
HS_RANGES = Message("HS {ranges}")
ON_WATCHLIST = Message("trader on watch-list {name}")
PRICE_BELOW_REFERENCE = Message("price per kg below {ratio:.0%} of the reference")
# A traveller rule's hit (passengers/service.py).
TRAVELLER_RULE_MATCHED = Message("rule “{name}”: {reasons}", lists={"reasons": "; "})
# The declaration fields a profile compares (targeting/fields.py and rules.DERIVED_FIELDS,
# "_" read as blanks; a test keeps them in step), and the comparisons in rules.FieldTest's words.
DECLARATION_FIELD_WORDS = (
    "declaration id", "date", "office", "process type", "import type", "import use",
    "payment type", "transport mode", "declarant id", "importer id", "seller id", "courier id",
    "hs code", "departure country", "origin country", "tax rate", "tax type", "origin indicator",
    "net mass kg", "value", "quantity", "currency", "items", "description",
    "commodity category", "species or product", "establishment", "certificate number", "hs6",
    "hs4", "hs2")
FIELD_OPERATOR_WORDS: dict[str, str] = {
    "in": "is one of", "not_in": "is not one of", "equals": "is", "gt": ">", "ge": ">=",
    "lt": "<", "le": "<=", "between": "between", "contains": "mentions"}
FIELD_TEST = Message("{field} {op} {values}", words={
    "field": DECLARATION_FIELD_WORDS, "op": tuple(FIELD_OPERATOR_WORDS.values())})
FIELD_EMPTY = Message("{field} is empty: {answer}", words={
    "field": DECLARATION_FIELD_WORDS, "answer": ("True", "False")})

# --- Targeting: the risk model's reasons (targeting/model.py) --------------------------------
# Entity names map to what the examiner calls them.
ENTITY_WORDS: dict[str, str] = {
    "importer": "importer", "declarant": "declarant", "seller": "seller",
    "courier": "courier", "hs6": "HS subheading", "hs4": "HS heading", "hs2": "HS chapter",
    "origin": "country of origin", "departure": "country of departure", "office": "office",
    "importer_hs6": "this importer with this HS subheading",
    "declarant_importer": "this declarant for this importer",
    "seller_importer": "this seller with this importer",
    "hs6_origin": "this HS subheading from this origin",
    "office_hs4": "this HS heading at this office",
    "declarant_hs4": "this declarant with this HS heading",
}
CODE_WORDS: dict[str, str] = {
    "hs2": "HS chapter", "origin_country": "country of origin",
    "departure_country": "country of departure", "origin_indicator": "origin marking",
    "transport_mode": "transport mode", "payment_type": "payment type",
    "import_type": "import type", "import_use": "import use", "process_type": "process type",
    "tax_type": "duty type",
}
RARE_VALUE = "rare or new value"
BLANK = "blank"
CODED_VALUE = Message("{words} {shown}", words={"words": tuple(CODE_WORDS.values())},
                      nested=frozenset({"shown"}))
_ENTITIES = {"words": tuple(ENTITY_WORDS.values())}
NOT_ON_DECLARATION = Message("no {words} on the declaration", words=_ENTITIES)
NO_PAST_DECLARATIONS = Message("{words}: no past declarations", words=_ENTITIES)
ONE_PAST_DECLARATION = Message("{words}: {n:g} past declaration", words=_ENTITIES)
PAST_DECLARATIONS = Message("{words}: {n:g} past declarations", words=_ENTITIES)
NEVER_INSPECTED = Message("{words}: never inspected before", words=_ENTITIES)
FRAUD_FOUND = Message("{words}: fraud found in {frauds:.0f} of {n:g} past inspections",
                      words=_ENTITIES)
NUMERIC_WORDS: dict[str, str] = {
    "tax_rate": "duty rate {v:g}%",
    "log_value": "declared value {e:,.0f}",
    "log_net_mass": "net mass {e:,.1f} kg",
    "log_value_per_kg": "declared value per kg {e:,.2f}",
    "log_duty_at_stake": "duty at stake about {e:,.0f}",
    "quantity": "quantity {v:g}",
    "items": "{v:g} items",
    "weekday": "lodged on weekday {v:g} (0 = Monday)",
    "price_z": "price {v:+.1f} robust deviations from the reference",
    "log_price_ratio": "price {r:.0%} of the reference price",
    "reference_observations": "reference price from {v:g} past declarations",
    "prior_fraud_rate": "overall fraud rate {v:.0%}",
}

# --- Targeting: undervaluation (targeting/valuation.py) --------------------------------------
REFERENCE_LEVEL_WORDS: dict[str, str] = {
    "hs6_origin": "same HS6 and origin", "hs6": "same HS6, all origins",
    "hs4": "same HS4 heading"}
UNDERVALUED = Message(
    "declared {declared:,.2f} per kg is {share:.0%} of the reference {reference:,.2f} per kg "
    "({where}, {n:d} past declarations)",
    words={"where": tuple(REFERENCE_LEVEL_WORDS.values())})

# --- Targeting: SPS checks (targeting/sps.py) -------------------------------------------------
FREQUENCIES = Message(
    "identity {identity:g} %, physical {physical:g} %, laboratory {laboratory:g} %")
ANY_ORIGIN = "any origin"
FROM_ORIGIN = Message("from {country}")
SPS_CATEGORY = Message("SPS category {code} ({scope}): {frequencies}",
                       nested=frozenset({"frequencies"}), lists={"scope": "; "})
NO_CATEGORY_FOR_THIS = Message(
    "no SPS category covers this HS {hs} from {origin}: every check by default ({frequencies})",
    nested=frozenset({"origin", "frequencies"}))
NO_CATEGORY_FOR = Message(
    "no SPS category covers {category} HS {hs} from {origin}: every check by default "
    "({frequencies})", nested=frozenset({"origin", "frequencies"}))
UNKNOWN_ORIGIN = "an unknown origin"
ORIGIN_RAISED = Message(
    "origin {country}: {failures:d} non-compliant {category} consignments in the last {days:d} "
    "days ({threshold:d} or more raise the frequencies): increased to {frequencies}",
    nested=frozenset({"frequencies"}))
ESTABLISHMENT_REINFORCED = Message(
    "establishment {establishment}: non-compliant result of {day}, {clean:d} of {needed:d} "
    "favourable results since: reinforced checks (every check and a laboratory sample)")
ESTABLISHMENT_REDUCED = Message(
    "establishment {establishment}: {results:d} favourable results in the last {days:d} days, "
    "none non-compliant: reduced to {frequencies}", nested=frozenset({"frequencies"}))
CHECK_WORDS: dict[str, str] = {"identity": "identity check", "physical": "physical check",
                               "laboratory": "laboratory sample"}
DOCUMENTARY_ALWAYS = Message("documentary check (always)")
DRAWN = Message("{check} (draw < {percent:g} %)", words={"check": tuple(CHECK_WORDS.values())})
NOT_DRAWN = Message("no {check} (draw >= {percent:g} %)",
                    words={"check": tuple(CHECK_WORDS.values())})
DRAW = Message("draw {draw:.4f} (seed {seed:d}): {checks}", lists={"checks": "; "})
PROFILE_ADDS_CHECKS = Message("risk profile {profiles} ({channel}) adds the {checks} check",
                              words={"channel": CHANNELS}, lists={"checks": " and "})

# --- Screening: why an entry was hit (screening/matcher.py) -----------------------------------
NAME_PRIOR = Message("name prior")
# The outcomes are screening.attributes' DOB_* words, each with its own translation.
BIRTH_DATE = Message("birth date {outcome}", nested=frozenset({"outcome"}))
NATIONALITY_LISTED = Message("nationality {nationality} listed")
NATIONALITY_NOT_LISTED = Message("nationality {nationality} not listed ({listed})")
GENDER_SAME = Message("gender same")
GENDER_DIFFERS = Message("gender {traveller} vs {listed}")
DOCUMENT_LISTED = Message("document number listed")
DOCUMENT_DIFFERS = Message("document number differs")

# --- Screening: why a traveller cannot be screened (screening/attributes.py, matcher.py,
# lookup.py, service.py). The API and CLI return them as errors; a voyage keeps them as the
# reason a traveller was "not screened" (NOT_SCREENED below).
TRAVELLER_NOT_SCREENABLE = Message("traveller {position:d} ({name!r}): {problem}",
                                   nested=frozenset({"problem"}))
THRESHOLD_NOT_BETWEEN = Message("threshold {threshold} is not between 0 and 1")
THRESHOLD_NOT_IN_RANGE = Message("threshold {threshold} is not in [0, 1]")
QUERY_NAME_TOO_LONG = Message("query name longer than 300 characters")
QUERY_NAME_WITHOUT_LETTERS = Message("query name {name!r} has no letters")
UNREADABLE_BIRTH_DATE = Message("unreadable birth date {text!r}")
BIRTH_MONTH_OUT_OF_RANGE = Message("birth date {text!r}: month {month:d} out of range")
BIRTH_DAY_OUT_OF_RANGE = Message("birth date {text!r}: day {day:d} out of range")
BIRTH_YEAR_OUT_OF_RANGE = Message("birth date {text!r}: year {year:d} out of range")
UNKNOWN_NATIONALITY_CODE = Message("unknown nationality code {code!r}")
UNKNOWN_GENDER = Message("unknown gender {value!r}")
UNKNOWN_WATCHLISTS = Message("unknown watchlist(s): {names}")

# --- Passenger lists: what was tolerated while reading them (passengers/edifact.py, paxlst.py,
# pnrgov.py, manifest_csv.py). Quoted values ("{code!r}") are the sender's own characters.
AT_SEGMENT = Message("{tag} (segment #{position:d}, line {line:d})")
AT_SEGMENT_PROBLEM = Message("segment {where}: {problem}",
                             nested=frozenset({"where", "problem"}))
NOT_UTF8 = Message("input is not UTF-8: read as ISO 8859-1")
SHORT_SERVICE_ADVICE = Message(
    "UNA: service string advice {advice!r} has {length:d} characters instead of 6; read as "
    "component {component!r}, element {element!r}, release {release!r}, terminator "
    "{terminator!r}")
ENDED_BY_LINE_BREAK = "segment ended by a line break"
ENDED_BY_END_OF_INPUT = "end of input"
NO_TERMINATOR = Message("no terminator ({why})",
                        words={"why": (ENDED_BY_LINE_BREAK, ENDED_BY_END_OF_INPUT)})
TEXT_AFTER_UNZ = Message("text after UNZ ignored: {text!r}")
OTHER_APOSTROPHE = Message("{count:d} segment(s) ended with an apostrophe other than the "
                           "declared terminator {terminator!r}")
NO_INTERCHANGE_ENVELOPE = Message("no UNB/UNZ interchange envelope")
INTERCHANGE_GROUP_COUNT = Message(
    "control count {count!r} but the interchange holds {held:d} group(s)")
INTERCHANGE_MESSAGE_COUNT = Message(
    "control count {count!r} but the interchange holds {held:d} message(s)")
GROUP_MESSAGE_COUNT = Message("control count {count!r} but the group holds {held:d} message(s)")
REFERENCE_DIFFERS = Message("reference {reference!r} differs from {header}'s {expected!r}")
SEGMENT_COUNT = Message("segment count {count!r} but the message holds {held:d} segments")
NO_MESSAGE_REFERENCE = Message("no message reference")
BLANKS_IN_REFERENCE = Message("blanks inside the reference {reference!r}")
UNKNOWN_LIST_TYPE = Message("BGM document code {code!r} is not a known list type")
PARTY_SKIPPED = Message("NAD party {party!r} at {where} skipped", nested=frozenset({"where"}))
ROLES = ("passenger", "crew")
LIST_TYPES = ("passengers", "crew")
ROLE_UNLIKE_LIST = Message(
    "NAD {party} ({role}) at {where} in a {listed} list (first such traveller)",
    words={"role": ROLES, "listed": LIST_TYPES}, nested=frozenset({"where"}))
NO_SURNAME = Message("traveller without a surname")
DOC_OUTSIDE_TRAVELLER = Message("DOC outside a traveller")
COUNT_NOT_A_NUMBER = Message("control count {count!r} is not a number")
COUNT_AS_SEPARATE_ELEMENT = Message("count given as a separate data element")
TRAVELLER_COUNT = Message("CNT declares {count:d} travellers but the list holds {held:d}")
COUNT_OF_OTHER_LIST = Message("CNT qualifier {qualifier} counts {kind} in a {listed} list",
                              words={"kind": LIST_TYPES, "listed": LIST_TYPES})
NO_CONTROL_TOTAL = Message("PAXLST without CNT control total")
PNR_COUNT = Message("EQN declares {count:d} PNR(s) but the message holds {held:d}")
COLUMNS_IGNORED = Message("header: column(s) ignored: {columns}")

# --- Passenger lists: the pre-arrival hits on a voyage (passengers/service.py) ----------------
NO_DOCUMENT_DECLARED = Message("no travel document declared")
DOCUMENT_EXPIRED_BEFORE_ARRIVAL = Message(
    "{document_type} {number} expired on {expiry}, before arrival on {arrival}")
UNKNOWN_ISSUING_STATE = Message(
    "{document_type} {number}: issuing state {state!r} is not an ICAO Doc 9303 code")
UNKNOWN_NATIONALITY = Message("nationality {nationality!r} is not an ICAO Doc 9303 code")
REGISTRY_STATUSES = ("lost", "stolen", "invalidated", "revoked")
REPORTED_IN_REGISTRY = Message(
    "{document_type} {number} ({state}) reported {status} ({source}, {reported_on})",
    words={"status": REGISTRY_STATUSES})
# Reports may come without a date; this wording must stay more specific than the one above.
REPORTED_IN_REGISTRY_UNDATED = Message(
    "{document_type} {number} ({state}) reported {status} ({source}, date unknown)",
    words={"status": REGISTRY_STATUSES})
ON_WATCHLIST_SCORED = Message("{name} on {title} (score {score:.2f})")
NOT_SCREENED = Message("not screened: {reason}", nested=frozenset({"reason"}))
# passengers/rules.py words each condition that held from these (operators with "_" read as
# blanks); a range has its own wording so that its "and" reads in the reader's language. The
# attribute names are those of passengers.rules.ATTRIBUTES: restricting the placeholder to them
# keeps a condition's wording from swallowing the whole "rule ..." sentence around it.
RULE_ATTRIBUTES = (
    "origin", "destination", "route", "transport_mode", "carrier", "voyage", "embarkation",
    "debarkation", "role", "nationality", "sex", "age", "document_type",
    "document_issuing_state", "has_booking", "booking_lead_hours", "payment_forms",
    "travel_agency", "one_way", "bags", "co_travellers")
RULE_OPERATORS = ("equals", "not equals", "in", "not in", "greater", "less")
RULE_CONDITION_HELD = Message("{attribute} {operator} {expected} (is {actual})",
                              words={"attribute": RULE_ATTRIBUTES, "operator": RULE_OPERATORS})
RULE_RANGE_HELD = Message("{attribute} between {low} and {high} (is {actual})",
                          words={"attribute": RULE_ATTRIBUTES})

# --- Document checks: the machine readable zone (documents/mrz.py) ----------------------------
NOTHING = "nothing"
MRZ_BLANKS_REMOVED = Message("blanks inside the MRZ were removed")
MRZ_ON_ONE_LINE = Message("MRZ given on one line, split as {count:d} x {width:d}")
MRZ_UNKNOWN_FORMAT = Message(
    "{count:d} line(s) of {shape} characters match no Doc 9303 format "
    "(TD1 3x30, TD2/MRV-B 2x36, TD3/MRV-A 2x44)", nested=frozenset({"shape"}))
MRZ_BAD_CHARACTERS = Message("line {line:d} holds characters outside A-Z 0-9 <: {characters!r}")
MRZ_DOCUMENT_CODE_LETTER = Message("{format} documents start with {allowed}, found {found!r}",
                                   lists={"allowed": " or "})
MRZ_V_SECOND = Message("V is not allowed as second character")
MRZ_AI_ON_TD1 = Message("AI is not allowed on a TD1")
MRZ_AC_ON_TD2 = Message("AC is not allowed on a TD2")
MRZ_CREW_CERTIFICATE = Message("AC is reserved for the crew member certificate")
MRZ_NOT_A_STATE_CODE = Message("{raw!r} is not a three-letter code")
MRZ_UNKNOWN_STATE = Message("{code} is not a Doc 9303 state or organisation code")
MRZ_SPECIMEN_STATE = Message("{code} is the Doc 9303 specimen state")
# {name} is the code table's name of a legacy code (documents/data/icao_codes.tsv), written
# in one of the three forms below; a country the table adds later still shows, in English.
MRZ_LEGACY_STATE = Message("{code} ({name}) is not a current code", nested=frozenset({"name"}))
WITHDRAWN_COUNTRIES = ("Netherlands Antilles", "Neutral Zone", "Kosovo")
STATE_WITHDRAWN_IN = Message("{country} (withdrawn from ISO 3166 in {year})",
                             nested=frozenset({"country"}))
STATE_WITHDRAWN = Message("{country} (withdrawn from ISO 3166)", nested=frozenset({"country"}))
STATE_NOT_IN_ISO = Message("{country} (code in use, not in ISO 3166)",
                           nested=frozenset({"country"}))
MRZ_GERMANY_AS_DEU = Message("Doc 9303 writes Germany as D, not DEU")
MRZ_NAME_STARTS_WITH_FILLER = Message("name field starts with a filler: no primary identifier")
MRZ_NAME_DIGITS = Message("name field holds digits")
MRZ_NAME_TRUNCATED = Message("name fills the whole field and may be truncated")
MRZ_NAME_FILLERS = Message("unexpected run of fillers inside the name")
MRZ_OCR_READING = Message("read {found!r} at position {position:d} as {other!r} -> {changed}")
MRZ_OCR_READING_AT_LINE = Message(
    "read {found!r} at line {line:d} position {position:d} as {other!r}")
MRZ_CHECK_DIGIT_NOT_A_DIGIT = Message(
    "check digit {digit!r} [{code}] is not a digit (computed {expected})")
MRZ_CHECK_DIGIT_MISMATCH = Message(
    "check digit {digit} [{code}] does not match the computed {expected}")
MRZ_NO_LONG_NUMBER_RULE = Message(
    "'<' at the check digit position [document_number_cd]: {format} has no long-number rule")
MRZ_NO_NUMBER_OVERFLOW = Message(
    "'<' at the check digit position [document_number_cd] but no number overflow and check "
    "digit at the start of the optional data")
MRZ_NUMBER_FILLERS = Message("filler inside the document number")
MRZ_NUMBER_EMPTY = Message("document number is empty")
MRZ_LONG_NUMBER = Message(
    "long document number: {count:d} character(s) continued in the optional data")
MRZ_BIRTH_DATE_UNKNOWN = Message("birth date partly or wholly unknown: {raw}")
MRZ_EXPIRY_NOT_DIGITS = Message("expiry date {raw} must be six digits")
MRZ_NOT_YYMMDD = Message("{raw!r} is not a YYMMDD date")
MRZ_NOT_A_CALENDAR_DATE = Message("{raw} is not a calendar date")
MRZ_SEX_X = Message("X in the MRZ: Doc 9303 writes unspecified sex as <")
MRZ_SEX_UNKNOWN = Message("{raw!r} is not M, F, X or <")
MRZ_EMPTY_OPTIONAL_DATA_FILLER = Message(
    "filler '<' instead of 0 as check digit of empty optional data [optional_data_cd]")
MRZ_COMPOSITE_MISMATCH = Message(
    "composite check digit {digit!r} [composite_cd] does not match the computed {expected}")
MRZ_EXPIRED = Message("document expired on {day}")
MRZ_EXPIRY_BEFORE_BIRTH = Message("expiry date is before the birth date")
MRZ_NOT_YET_VALID = Message("document not valid before {day}")
PRINTED_NAME_IMPLAUSIBLE = Message(
    "printed {printed!r} is not a plausible transliteration of MRZ {mrz!r}")
PRINTED_DIFFERS = Message("printed {printed!r} differs from MRZ {mrz!r}")
PRINTED_DATE_DIFFERS = Message("printed {printed} differs from MRZ {mrz}")

# --- Four-eyes approval summaries (where each kind of change is requested) -------------------
SHARE_ALERT_SUMMARY = Message("Share risk alert “{title}” with partner states")
WATCHLIST_VERSION_SUMMARY = Message(
    "Activate version {number} of {title}: +{added:d} -{removed:d} ~{changed:d} entries")
SPS_ACTIVATE_SUMMARY = Message("Activate SPS category {code} v{version}: {name} -> {frequencies}",
                               nested=frozenset({"frequencies"}))
SPS_RETIRE_SUMMARY = Message("Retire SPS category {code} v{version}: {name}")
PROFILE_ACTIVATE_SUMMARY = Message("Activate risk profile {code} v{version}: {name} -> {channel}",
                                   words={"channel": CHANNELS})
MODEL_ACTIVATE_SUMMARY = Message(
    "Activate risk model {version} (data {data_from}..{data_to}, precision@5% {precision:.3f})")
OVERRIDE_SUMMARY = Message("Override decision {decision:d}: {channel} -> {to}: {reason}",
                           words={"channel": CHANNELS, "to": CHANNELS})
TRAVELLER_RULE_SUMMARY = Message("Activate traveller rule “{name}” version {version}")
IMPACT_LEVEL_SUMMARY = Message("Impact level of {section}: {level} -> {to}. {reason}",
                               nested=frozenset({"level", "to"}))


def _registered() -> tuple[Message, ...]:
    found = [value for value in globals().values() if isinstance(value, Message)]
    found += [Message(text) for text in NUMERIC_WORDS.values()]
    return tuple(found)


# Every template of every area; the web interface translates what matches one of them.
MESSAGES: tuple[Message, ...] = _registered()
# Words that stand alone or fill a placeholder of the templates above.
WORDS: frozenset[str] = frozenset({
    WHERE_OFFICE, WHERE_ALL_OFFICES, RARE_VALUE, BLANK, ANY_ORIGIN, UNKNOWN_ORIGIN,
    *CHANNELS, *ENTITY_WORDS.values(), *CODE_WORDS.values(), *REFERENCE_LEVEL_WORDS.values(),
    *CHECK_WORDS.values(), *FIELD_TEST.words["op"], "identity", "physical", "and",
    ENDED_BY_LINE_BREAK, ENDED_BY_END_OF_INPUT, *ROLES, *LIST_TYPES, *REGISTRY_STATUSES,
    *RULE_ATTRIBUTES, *RULE_OPERATORS, NOTHING, "or", *DECLARATION_FIELD_WORDS,
    *FIELD_EMPTY.words["answer"], *WITHDRAWN_COUNTRIES, WHERE_NO_OFFICE})

"""Name normalisation for screening: phonetic keys, name parts and their roles.

Why a phonetic key rather than one "correct" transliteration: the Latin spelling of a Cyrillic
name cannot be turned back into Cyrillic with certainty (kh, h and x are all х; j is ж in a
Kyrgyz passport, дж in an Uzbek one and й in scholarly writing), and a clerk may have typed a
Latin name back into Cyrillic.  So every spelling, in either script, is folded into one alphabet
in which the letters the schemes disagree on coincide (see ``translit_tables``).  Two spellings
of one name under any of the schemes fold to the same key, or to keys one or two vowel changes
apart; a consonant "skeleton" (the key without vowels) tells a transliteration difference from a
different name.  Where a Latin group is truly ambiguous ("ch", "j") both readings are kept.

A name is split into parts with a role, because the naming customs decide which parts may be
compared: a Russian-style patronymic (-ович, -овна) is only compared with a patronymic, a Turkic
filiation (-ұлы, уулу, ўғли, -қызы) with any part but the patronymic, and a single letter is an
initial (MRZ truncation).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from rapidfuzz.distance import OSA

from chegara.screening import translit_tables as tt

ROLE_NAME: Final = "name"
ROLE_PATRONYMIC: Final = "patronymic"
ROLE_FILIATION: Final = "filiation"
ROLE_INITIAL: Final = "initial"

MAX_KEYS_PER_PART: Final = 4
MAX_PARTS: Final = 6

_SPLIT = re.compile(r"[\s,;<_/\-‐‑–—.()]+")
_DOUBLE = re.compile(r"([^aeou])\1+")


_LETTER_TABLE: Final = str.maketrans(
    {**tt.FOLD_CYRILLIC, **tt.FOLD_LATIN_LETTERS, **{a: "'" for a in tt.APOSTROPHES}}
)


def _map_letters(text: str) -> str:
    """Cyrillic and diacritic Latin letters to the fold alphabet; other letters kept in ASCII."""
    mapped = unicodedata.normalize("NFC", text.lower()).translate(_LETTER_TABLE)
    if mapped.isascii():
        return "".join(c for c in mapped if c.isalpha() or c == "'")
    # Combining marks left over (ALA-LC ligature tie i͡u, ICU ū̆) carry no distinction we use.
    decomposed = unicodedata.normalize("NFD", mapped)
    return "".join(
        c for c in decomposed
        if not unicodedata.combining(c) and (c.isalpha() or c == "'")
    )


# Groups replaced longest first; single letters last, so that no output of one replacement
# feeds another (the fold symbols S J C X are upper case and never part of a group).
_GROUP_ORDER: Final = sorted(tt.FOLD_LATIN_GROUPS, key=lambda g: (-len(g), g))


def _replace_groups(mapped: str, readings: dict[str, str]) -> str:
    for group in _GROUP_ORDER:
        if group in mapped:
            mapped = mapped.replace(group, readings.get(group, tt.FOLD_LATIN_GROUPS[group]))
    return mapped.replace("'", "")


def _alternatives(mapped: str) -> list[dict[str, str]]:
    """Readings to try: the usual one, then each ambiguous group read the other way."""
    options: list[dict[str, str]] = [{}]
    for group, readings in tt.FOLD_LATIN_AMBIGUOUS.items():
        if not (group in mapped and _ambiguous_in(group, mapped)):
            continue
        if group == "dj":
            # One scheme writes the glide one way: where j is read as the glide (scientific ю =
            # ju), "dj" is д and the glide too (Djusenbaev), in the same reading, not after
            # every other combination has used up the keys.
            glide = [o.get("j") == "i" for o in options]
            options = ([{**o, group: "di"} if g else o for o, g in zip(options, glide, strict=True)]
                       + [{**o, group: r} for o, g in zip(options, glide, strict=True) if not g
                          for r in readings[1:]])
            continue
        options += [{**o, group: r} for o in options for r in readings[1:]]
    return options


def _ambiguous_in(group: str, text: str) -> bool:
    if group == "j":
        # Scholarly й (Jusupov, Sergej, Lejli) stands next to a vowel; дж is "dj" anyway.
        return re.search(r"(?<!d)j[aeiouy]|[aeiouy]j", text) is not None
    if group == "ch":
        # French ш; "tch" is ч in every scheme.
        return re.search(r"(?<![ts])ch", text) is not None
    return True


def _tidy(key: str) -> str:
    key = _DOUBLE.sub(r"\1", key)
    key = key.replace("dJ", "J").replace("tC", "C").replace("SC", "S")
    # The glide before e is written (ye, ie, je) or not (e) depending on the scheme, and ё is
    # e in ICAO but yo, ë or io elsewhere.
    key = key.replace("ie", "e").replace("io", "e")
    return _DOUBLE.sub(r"\1", key)


@lru_cache(maxsize=200_000)
def fold_keys(token: str) -> tuple[str, ...]:
    """Phonetic keys of one word, primary reading first (at most ``MAX_KEYS_PER_PART``)."""
    mapped = _map_letters(token)
    keys: list[str] = []
    for readings in _alternatives(mapped):
        key = _tidy(_replace_groups(mapped, readings))
        if key not in keys:
            keys.append(key)
        if len(keys) >= MAX_KEYS_PER_PART:
            break
    return tuple(keys)


def fold(token: str) -> str:
    """The primary phonetic key of a word (``Юсупов``, ``Ioussoupov`` -> ``iusupov``)."""
    keys = fold_keys(token)
    return keys[0] if keys else ""


@lru_cache(maxsize=200_000)
def skeleton(key: str) -> str:
    """Consonant skeleton of a folded key: the part of a name transliteration keeps."""
    consonants = [tt.SKELETON_MERGE.get(c, c) for c in key if c not in tt.FOLD_VOWELS]
    return "".join(consonants) or key


@dataclass(frozen=True, slots=True)
class NamePart:
    """One word of a name (or a word with its filiation marker) with its folded keys and role."""

    text: str
    keys: tuple[str, ...]
    role: str

    @property
    def skeletons(self) -> tuple[str, ...]:
        return tuple({skeleton(k): None for k in self.keys})

    @property
    def key(self) -> str:
        return self.keys[0]


def _role(key: str) -> str:
    if len(key) == 1:
        return ROLE_INITIAL
    if len(key) >= 6 and key.endswith(tt.PATRONYMIC_ENDINGS):
        return ROLE_PATRONYMIC
    for ending in tt.FILIATION_ENDINGS:
        if key.endswith(ending) and len(key) >= len(ending) + 3:
            return ROLE_FILIATION
    return ROLE_NAME


_LETTER = re.compile(r"[^\W\d_]")


def split_words(name: str) -> list[str]:
    """Words of a name: spaces, commas, hyphens (Касым-Жомарт) and MRZ fillers separate them."""
    return [w for w in _SPLIT.split(name) if _LETTER.search(w)]


@lru_cache(maxsize=200_000)
def _word_part(word: str) -> NamePart | None:
    keys = fold_keys(word)
    if not keys or not keys[0]:
        return None
    return NamePart(word, keys, _role(keys[0]))


@lru_cache(maxsize=200_000)
def parse_name(name: str) -> tuple[NamePart, ...]:
    """Parts of a personal name in the order written, filiation words joined to their stem."""
    parts: list[NamePart] = []
    for word in split_words(name):
        part = _word_part(word)
        if part is None:
            continue
        keys = part.keys
        if keys[0] in tt.FILIATION_WORDS and parts and parts[-1].role != ROLE_INITIAL:
            stem = parts.pop()
            joined = tuple(dict.fromkeys(a + b for a in stem.keys for b in keys))
            parts.append(
                NamePart(f"{stem.text} {word}", joined[:MAX_KEYS_PER_PART], ROLE_FILIATION)
            )
            continue
        parts.append(part)
    return tuple(_infer_patronymic(parts[:MAX_PARTS]))


def _infer_patronymic(parts: list[NamePart]) -> list[NamePart]:
    """In a three-part name without a Russian-style patronymic, a Turkic filiation word that
    follows the given name is the patronymic: "Surname Given Father-uly" (the usual order) or
    "Given Father-uly Surname".  Elsewhere (Kozhakhmetuly Bolat) it is a surname."""
    if len(parts) != 3 or any(p.role == ROLE_PATRONYMIC for p in parts):
        return parts
    for position in (2, 1):
        p = parts[position]
        if p.role == ROLE_FILIATION:
            parts[position] = NamePart(p.text, p.keys, ROLE_PATRONYMIC)
            break
    return parts


def looks_truncated(name: str) -> bool:
    """An upper-case name that fills an MRZ name field (TD1 30, TD3 39) may have its end cut."""
    letters = [c for c in name if c.isalpha()]
    if not letters or any(c.islower() for c in letters):
        return False
    length = len(" ".join(name.split()))
    return length >= 27


# ------------------------------------------------------------------ comparing two name parts

LEVEL_EXACT: Final = "exact"
LEVEL_TRANSLIT: Final = "transliteration"
LEVEL_TYPO: Final = "typo"
LEVEL_PREFIX: Final = "truncated"
LEVEL_INITIAL: Final = "initial"
LEVEL_DIFFERENT: Final = "different"


def compare_keys(
    q_keys: tuple[str, ...], e_keys: tuple[str, ...], *, prefix_ok: bool = False
) -> tuple[str, float]:
    """Agreement level and similarity in [0, 1] of two parts given their folded keys.

    Equal keys are the same name.  Equal skeletons with a few vowel changes are a
    transliteration difference.  Skeletons one edit apart with at most one letter changed are a
    typing error.  Anything further is a different name: real near-namesakes (Юсупов / Юнусов)
    differ in two consonants or more.
    """
    for qk in q_keys:
        if qk in e_keys:
            return LEVEL_EXACT, 1.0
    best_level = LEVEL_DIFFERENT
    best_sim = 0.0
    for qk in q_keys:
        qs = skeleton(qk)
        for ek in e_keys:
            level, sim = _compare_one(qk, qs, ek, prefix_ok)
            if _LEVEL_RANK[level] > _LEVEL_RANK[best_level] or (
                level == best_level and sim > best_sim
            ):
                best_level, best_sim = level, sim
    return best_level, best_sim


def _compare_one(qk: str, qs: str, ek: str, prefix_ok: bool) -> tuple[str, float]:
    if qk == ek:
        return LEVEL_EXACT, 1.0
    longest = max(len(qk), len(ek))
    d_f = OSA.distance(qk, ek, score_cutoff=3)
    sim = 1.0 - min(d_f, longest) / longest
    d_s = OSA.distance(qs, skeleton(ek), score_cutoff=2)
    if d_s == 0 and d_f <= max(1, longest // 4):
        return LEVEL_TRANSLIT, sim
    if longest >= 4 and d_s <= 1 and d_f <= 1:
        return LEVEL_TYPO, sim
    if prefix_ok and len(qk) >= 3 and len(ek) > len(qk):
        head = ek[: len(qk)]
        if head == qk or (len(qk) >= 6 and OSA.distance(qk, head, score_cutoff=1) <= 1):
            return LEVEL_PREFIX, len(qk) / len(ek)
    return LEVEL_DIFFERENT, sim


_LEVEL_RANK: Final = {
    LEVEL_DIFFERENT: 0, LEVEL_INITIAL: 1, LEVEL_PREFIX: 2, LEVEL_TYPO: 3, LEVEL_TRANSLIT: 4,
    LEVEL_EXACT: 5,
}


@lru_cache(maxsize=100_000)
def latin_renderings(text: str) -> tuple[str, ...]:
    """Lower-case ASCII spellings of a word as passports and Russian records print it."""
    if is_cyrillic(text):
        forms = {_transliterate(text, "icao_9303"), _transliterate(text, "bgn_pcgn")}
    else:
        forms = {text}
    out = []
    for f in forms:
        ascii_form = unicodedata.normalize("NFKD", f).encode("ascii", "ignore").decode().lower()
        out.append("".join(c for c in ascii_form if c.isalpha()))
    return tuple(dict.fromkeys(out))


def typing_slip(query_text: str, entry_text: str) -> bool:
    """One keyboard slip in a Latin word that breaks a letter group (Kohsanov for Koshanov,
    Yezrhanov for Yerzhanov) hides the name from the phonetic key; compare the letters."""
    if is_cyrillic(query_text):
        return False
    q = latin_renderings(query_text)[0]
    if len(q) < 5:
        return False
    return any(
        OSA.distance(q, e, score_cutoff=1) <= 1 for e in latin_renderings(entry_text)
    )


_FATHER_MARKERS: Final = (
    "oviC", "eviC", "ovna", "evna", "iCna", "iC", "uli", "ulu", "kizi", "ugli", "ogli", "oglu",
)


def father_name(key: str) -> str:
    """The father's name inside a folded patronymic (Алишерович, Alisher o'g'li -> aliSer),
    so that a Russian-style and a Turkic patronymic of one father agree."""
    for marker in _FATHER_MARKERS:
        if key.endswith(marker) and len(key) - len(marker) >= 3:
            return key[: -len(marker)]
    return key


def initial_agrees(letter_key: str, e_keys: tuple[str, ...]) -> bool:
    """Whether a one-letter initial can be the printed first letter of a folded part."""
    for ek in e_keys:
        first = ek[:1]
        if letter_key in tt.INITIAL_LETTERS.get(first, first):
            return True
    return False


# ------------------------------------------------------------------ variants and MRZ checks

def _transliterate(text: str, scheme: str) -> str:
    table = tt.SCHEMES[scheme]
    initial = tt.IOTATED_INITIAL.get(scheme, {})
    out: list[str] = []
    prev = ""
    for ch in text:
        low = ch.lower()
        if low in tt.CENTRAL_ASIAN_TO_RUSSIAN and low not in table:
            low_text = tt.CENTRAL_ASIAN_TO_RUSSIAN[low]
        else:
            low_text = low
        piece = ""
        for c in low_text:
            if c in initial and (not prev.isalpha() or prev in tt.VOWELS_CYRILLIC or prev in "йъь"):
                piece += initial[c]
            elif scheme == "mvd_310_fr" and c == "с":
                piece += "s"
            else:
                # A letter outside the scheme's alphabet (ы in Uzbek) takes its ICAO form.
                piece += table.get(c, tt.ICAO_9303.get(c, c))
            prev = c
        if not low_text:
            prev = low
        if ch.isupper() and piece:
            piece = piece[0].upper() + piece[1:]
        out.append(piece)
    result = "".join(out)
    if scheme == "mvd_310_fr":
        # A single с between vowels is doubled in the French reading (Moussa, Ioussoupov).
        result = re.sub(r"(?<=[aeiouy])s(?=[aeiouy])", "ss", result)
    return result


def transliterate(name: str, scheme: str) -> str:
    """Romanise a Cyrillic name under one scheme of ``translit_tables.SCHEMES``."""
    if scheme not in tt.SCHEMES:
        raise ValueError(f"unknown transliteration scheme {scheme!r}")
    return _transliterate(name, scheme)


def is_cyrillic(name: str) -> bool:
    return any("\u0400" <= c <= "\u04ff" for c in name)


def latin_variants(name: str) -> set[str]:
    """Latin spellings a name can be met under: every scheme for Cyrillic, plus plain ASCII."""
    variants: set[str] = set()
    if is_cyrillic(name):
        for scheme in tt.SCHEMES:
            variants.add(_transliterate(name, scheme))
    else:
        variants.add(name)
    for v in list(variants):
        ascii_form = unicodedata.normalize("NFKD", v).encode("ascii", "ignore").decode()
        if ascii_form.strip():
            variants.add(ascii_form)
    return variants


def mrz_name(name: str, length: int = 39) -> str:
    """An MRZ name field (``SURNAME<<GIVEN<NAMES``) for a name written surname first."""
    words = [w.upper() for w in split_words(latin_form(name))]
    if not words:
        return ""
    field = words[0] + "<<" + "<".join(words[1:])
    return field[:length]


def latin_form(name: str) -> str:
    """ICAO 9303 romanisation of a Cyrillic name; a Latin name with diacritics reduced."""
    text = _transliterate(name, "icao_9303") if is_cyrillic(name) else name
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def plausible_transliteration(printed_name: str, mrz_name_field: str) -> bool:
    """Whether an MRZ name can be the romanisation of the name printed on the document.

    Every MRZ word must agree with a different printed word (same name after folding, one
    typing slip, an initial, or the cut end of a truncated field); a printed word may be missing
    from the MRZ only when the field is full, as Doc 9303 Part 4 cuts from the end.
    """
    printed = parse_name(printed_name)
    mrz_text = mrz_name_field.replace("<", " ")
    mrz = parse_name(mrz_text)
    if not printed or not mrz:
        return False
    truncated = len(mrz_name_field.rstrip("<")) >= 27 or looks_truncated(mrz_text)
    used: set[int] = set()
    for i, part in enumerate(mrz):
        last = i == len(mrz) - 1
        match = None
        for j, p in enumerate(printed):
            if j in used:
                continue
            if part.role == ROLE_INITIAL:
                ok = initial_agrees(part.key, p.keys)
            else:
                level, _ = compare_keys(part.keys, p.keys, prefix_ok=last and truncated)
                ok = level != LEVEL_DIFFERENT
            if ok:
                match = j
                break
        if match is None:
            return False
        used.add(match)
    return len(used) == len(printed) or truncated

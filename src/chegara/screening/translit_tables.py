"""Transliteration tables for the Cyrillic alphabets of Central Asia, written from the standards.

Officers meet the same person under many romanisations: the passport prints ICAO 9303, a
Russian record was typed under GOST 7.79, an old Soviet passport carries the French-style
spelling of MVD order 310, a Kazakh document uses the 2021 Latin alphabet.  Screening has to see
through all of them, so each scheme is kept here as plain data (letter -> Latin), one table per
scheme, with the few positional rules the standards state (BGN/PCGN "ye" at the start of a word
and after a vowel, MVD-French "ss" for a single с between vowels).

The matcher itself does not transliterate into one chosen scheme: it folds every spelling into
a phonetic key (see ``FOLD_*`` below and :mod:`chegara.screening.names`).  The scheme tables
serve to produce the spellings an entry will be met under (``latin_variants``), and the tests
check that every one of them folds to a key the matcher accepts.
"""

from __future__ import annotations

from typing import Final

Table = dict[str, str]

VOWELS_CYRILLIC: Final = frozenset("аеёиоуыэюяәөүұіӯӣў")

# ICAO Doc 9303 Part 3, section 6 (Cyrillic), as printed in passports since 2013.
ICAO_9303: Final[Table] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia",
    # Letters of other Cyrillic alphabets listed in the same ICAO table.
    "ґ": "g", "є": "ie", "і": "i", "ї": "i", "ў": "u", "ј": "j", "ѕ": "dz",
}

# BGN/PCGN 1947 for Russian.  "ye"/"yë" apply word-initially and after vowels, й, ъ, ь.
BGN_PCGN_RUSSIAN: Final[Table] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "ë", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "”", "ы": "y", "ь": "’", "э": "e", "ю": "yu",
    "я": "ya",
}
BGN_IOTATED_INITIAL: Final[Table] = {"е": "ye", "ё": "yë"}

# GOST 7.79-2000 system A (one letter, diacritics) and system B (Latin letter combinations).
GOST_779_A: Final[Table] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "ë", "ж": "ž",
    "з": "z", "и": "i", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "c",
    "ч": "č", "ш": "š", "щ": "ŝ", "ъ": "ʺ", "ы": "y", "ь": "ʹ", "э": "è", "ю": "û",
    "я": "â",
}
GOST_779_B: Final[Table] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "x", "ц": "cz",
    "ч": "ch", "ш": "sh", "щ": "shh", "ъ": "``", "ы": "y`", "ь": "`", "э": "e`", "ю": "yu",
    "я": "ya",
}

# MVD order 310 (1997), French-style mapping used in Soviet and early post-Soviet passports.
MVD_310_FRENCH: Final[Table] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "j",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "ou", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "tch", "ш": "ch", "щ": "chtch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iou",
    "я": "ia",
}

# Scholarly (scientific) transliteration, as in Slavic linguistics.
SCIENTIFIC: Final[Table] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "ë", "ж": "ž",
    "з": "z", "и": "i", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "x", "ц": "c",
    "ч": "č", "ш": "š", "щ": "šč", "ъ": "ʺ", "ы": "y", "ь": "ʹ", "э": "è", "ю": "ju",
    "я": "ja",
}

# Kazakh Latin alphabet approved in 2021 (national letters only; the rest as Russian-ICAO).
KAZAKH_LATIN_2021: Final[Table] = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e",
    "ё": "io", "ж": "j", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l",
    "м": "m", "н": "n", "ң": "ñ", "о": "o", "ө": "ö", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ұ": "ū", "ү": "ü", "ф": "f", "х": "h", "һ": "h", "ц": "ts",
    "ч": "ç", "ш": "ş", "щ": "şş", "ъ": "", "ы": "y", "і": "ı", "ь": "", "э": "e",
    "ю": "iu", "я": "ia",
}

# Uzbek Latin alphabet of 1995 (the letters with a turned comma are written with ʻ).
UZBEK_LATIN_1995: Final[Table] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ғ": "gʻ", "д": "d", "е": "e", "ё": "yo",
    "ж": "j", "з": "z", "и": "i", "й": "y", "к": "k", "қ": "q", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ў": "oʻ",
    "ф": "f", "х": "x", "ҳ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "ъ": "ʼ", "ь": "",
    "э": "e", "ю": "yu", "я": "ya",
}
UZBEK_IOTATED_INITIAL: Final[Table] = {"е": "ye"}

# Turkmen Latin alphabet of 1993.
TURKMEN_LATIN_1993: Final[Table] = {
    "а": "a", "ә": "ä", "б": "b", "в": "w", "г": "g", "д": "d", "е": "e", "ё": "ýo",
    "ж": "ž", "җ": "j", "з": "z", "и": "i", "й": "ý", "к": "k", "л": "l", "м": "m",
    "н": "n", "ң": "ň", "о": "o", "ө": "ö", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ү": "ü", "ф": "f", "х": "h", "ц": "s", "ч": "ç", "ш": "ş", "щ": "şç",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "ýu", "я": "ýa",
}

# BGN/PCGN 1994 for Tajik.
TAJIK_BGN_1994: Final[Table] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ғ": "gh", "д": "d", "е": "e", "ё": "yo",
    "ж": "zh", "з": "z", "и": "i", "ӣ": "í", "й": "y", "к": "k", "қ": "q", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ӯ": "ŭ", "ф": "f", "х": "kh", "ҳ": "h", "ҷ": "j", "ч": "ch", "ш": "sh", "ъ": "ʼ",
    "э": "e", "ю": "yu", "я": "ya",
}

# BGN/PCGN for Kazakh (1979) and Kyrgyz (1979): Russian BGN plus the national letters.
KAZAKH_BGN: Final[Table] = {
    **BGN_PCGN_RUSSIAN,
    "ә": "ä", "ғ": "gh", "қ": "q", "ң": "ng", "ө": "ö", "ұ": "ū", "ү": "ü", "һ": "h",
    "і": "ī",
}
KYRGYZ_BGN: Final[Table] = {**BGN_PCGN_RUSSIAN, "ң": "ng", "ө": "ö", "ү": "ü"}

# Kyrgyz passports print ж as "j" (otherwise ICAO).
KYRGYZ_PASSPORT: Final[Table] = {**ICAO_9303, "ж": "j", "ң": "n", "ө": "o", "ү": "u"}

# Folding of the Central Asian letters into Russian spelling, as a Russian-language record
# writes them (Жумабеков Алихан Серикулы for Серікұлы).
CENTRAL_ASIAN_TO_RUSSIAN: Final[Table] = {
    "қ": "к", "ғ": "г", "ң": "н", "ә": "а", "ө": "о", "ү": "у", "ұ": "у", "ӯ": "у",
    "ў": "у", "һ": "х", "ҳ": "х", "ҷ": "дж", "җ": "дж", "ӣ": "и", "і": "и",
}

SCHEMES: Final[dict[str, Table]] = {
    "icao_9303": ICAO_9303,
    "bgn_pcgn": BGN_PCGN_RUSSIAN,
    "gost_779_a": GOST_779_A,
    "gost_779_b": GOST_779_B,
    "mvd_310_fr": MVD_310_FRENCH,
    "scientific": SCIENTIFIC,
    "kazakh_latin_2021": KAZAKH_LATIN_2021,
    "uzbek_latin_1995": UZBEK_LATIN_1995,
    "turkmen_latin_1993": TURKMEN_LATIN_1993,
    "tajik_bgn_1994": TAJIK_BGN_1994,
    "kazakh_bgn": KAZAKH_BGN,
    "kyrgyz_bgn": KYRGYZ_BGN,
    "kyrgyz_passport": KYRGYZ_PASSPORT,
}
"""Schemes by name.  A scheme without a national letter first folds it into Russian spelling."""

IOTATED_INITIAL: Final[dict[str, Table]] = {
    "bgn_pcgn": BGN_IOTATED_INITIAL,
    "kazakh_bgn": BGN_IOTATED_INITIAL,
    "kyrgyz_bgn": BGN_IOTATED_INITIAL,
    "uzbek_latin_1995": UZBEK_IOTATED_INITIAL,
    "tajik_bgn_1994": UZBEK_IOTATED_INITIAL,
}

# ---------------------------------------------------------------------------------------------
# Phonetic folding.  Every spelling, Cyrillic or Latin, is reduced to one alphabet in which the
# letters that the schemes above render differently coincide.  Upper-case symbols stand for
# sounds that need two or more Latin letters: S = ш/щ, J = ж/дж/ҷ/җ, C = ч/ц, X = х/ҳ/һ.
# ---------------------------------------------------------------------------------------------

FOLD_CYRILLIC: Final[Table] = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "ґ": "g", "д": "d",
    "е": "e", "ё": "e", "є": "e", "ж": "J", "җ": "J", "ҷ": "J", "з": "z", "и": "i",
    "і": "i", "ї": "i", "ӣ": "i", "й": "i", "ј": "i", "к": "k", "қ": "k", "л": "l",
    "м": "m", "н": "n", "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ұ": "u", "ү": "u", "ӯ": "u", "ў": "u", "ф": "f", "х": "X",
    "ҳ": "X", "һ": "X", "ц": "C", "ч": "C", "ш": "S", "щ": "S", "ъ": "", "ы": "i",
    "ь": "", "э": "e", "ю": "iu", "я": "ia",
}

# Latin letters with diacritics, as the schemes above and national alphabets use them.
FOLD_LATIN_LETTERS: Final[Table] = {
    "š": "S", "ş": "S", "ș": "S", "ŝ": "S", "ž": "J", "č": "C", "ç": "C", "ć": "C",
    "ğ": "g", "ǵ": "g", "ñ": "n", "ň": "n", "ń": "n", "ä": "a", "á": "a", "à": "a",
    "ā": "a", "ã": "a", "â": "ia", "û": "iu", "ë": "e", "é": "e", "è": "e", "ê": "e",
    "ē": "e", "ė": "e", "ö": "o", "ó": "o", "ò": "o", "ō": "o", "ő": "o", "ø": "o",
    "ü": "u", "ū": "u", "ŭ": "u", "ú": "u", "ù": "u", "ů": "u", "ı": "i", "í": "i",
    "ì": "i", "ī": "i", "î": "i", "ï": "i", "ĭ": "i", "ý": "i", "ȳ": "i", "ÿ": "i",
    "ḩ": "X", "ḥ": "X", "ß": "s", "đ": "d",
}

# Apostrophe-like marks: Uzbek oʻ gʻ, BGN soft/hard signs, GOST B back-ticks.
APOSTROPHES: Final = frozenset("'ʼʻ`ʹʺ’‘′″\"´")

# Latin letter groups, matched longest first.  "ch" is French ш or English ч; "j" is ж/дж in
# most schemes but й in the scientific one; "x" is х in Uzbek and GOST B but кс in French and
# English: both readings are kept (see names.fold_keys).  "dz" is what ASCII leaves of "dž".
FOLD_LATIN_GROUPS: Final[Table] = {
    "chtch": "S", "shch": "S", "sch": "S", "shh": "S", "tch": "C", "dzh": "J", "dj": "J",
    "zh": "J", "sh": "S", "ch": "C", "kh": "X", "gh": "g", "ts": "C", "dz": "J",
    "ng": "n", "cz": "C", "ck": "k", "ph": "f", "ou": "u", "o'": "u", "g'": "g", "q": "k",
    "w": "v",
    "x": "X", "h": "X", "j": "J", "y": "i", "c": "C",
}
FOLD_LATIN_AMBIGUOUS: Final[dict[str, tuple[str, ...]]] = {
    "ch": ("C", "S"), "j": ("J", "i"), "x": ("X", "ks"), "dj": ("J", "di"),
}

FOLD_VOWELS: Final = frozenset("aeiou")

# The consonant skeleton merges further: letters that lose their mark in ASCII renderings
# (ž -> z, š -> s, č -> c) become the plain letter.
SKELETON_MERGE: Final[Table] = {"J": "z", "S": "s", "C": "c", "X": "x"}

# Latin first letters a folded symbol can be printed with (for MRZ initials).
INITIAL_LETTERS: Final[dict[str, str]] = {
    "S": "sc", "J": "jzd", "C": "ct", "X": "khx", "i": "iyj", "e": "eyij", "u": "uoy",
    "o": "o", "k": "kqc", "g": "g", "v": "vw", "f": "fp",
}

# Naming customs.  Patronymic endings (Russian-style) after folding: -ович/-евич -> ...vic,
# -овна/-евна -> ...vna, -ич/-ична (Ильич, Кузьминична).
PATRONYMIC_ENDINGS: Final = ("viC", "vna", "iCna")
# Turkic "son of"/"daughter of" words, written apart (Асанбек уулу, Алишер ўғли) or joined
# (Серікұлы).  They are folded first, so уулу/uulu/ulu and ўғли/o'g'li/ugli/ogli coincide.
FILIATION_WORDS: Final = frozenset(
    {"ulu", "uulu", "uli", "ugli", "ogli", "oglu", "ogl", "kizi", "kiz", "kizii", "gizi"}
)
FILIATION_ENDINGS: Final = ("uli", "ulu", "kizi", "ugli", "ogli", "oglu")
# Surname endings the dataset and the region use; they mark a part as a family name when the
# order of a name is unknown (explanations only; matching does not depend on order).
SURNAME_ENDINGS: Final = (
    "ov", "ova", "ev", "eva", "in", "ina", "zoda", "zada", "zade", "iev", "ieva", "skii",
    "skaia", "dze", "Svili", "ian", "ien",
)

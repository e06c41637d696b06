"""Hepburn romaji of a kana reading (「さっぽろ」 → sapporo), so that managers who
type site names in Latin letters (Sapporo, shinagawa, Naha) are understood."""

from __future__ import annotations

import re
from collections.abc import Collection

_DIGRAPHS = {
    "きゃ": "kya", "きゅ": "kyu", "きょ": "kyo", "しゃ": "sha", "しゅ": "shu", "しょ": "sho",
    "ちゃ": "cha", "ちゅ": "chu", "ちょ": "cho", "にゃ": "nya", "にゅ": "nyu", "にょ": "nyo",
    "ひゃ": "hya", "ひゅ": "hyu", "ひょ": "hyo", "みゃ": "mya", "みゅ": "myu", "みょ": "myo",
    "りゃ": "rya", "りゅ": "ryu", "りょ": "ryo", "ぎゃ": "gya", "ぎゅ": "gyu", "ぎょ": "gyo",
    "じゃ": "ja", "じゅ": "ju", "じょ": "jo", "びゃ": "bya", "びゅ": "byu", "びょ": "byo",
    "ぴゃ": "pya", "ぴゅ": "pyu", "ぴょ": "pyo",
}  # fmt: skip
_KANA = dict(
    zip(
        "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよ"
        "らりるれろわをんがぎぐげござじずぜぞだぢづでどばびぶべぼぱぴぷぺぽ",
        """
        a i u e o ka ki ku ke ko sa shi su se so ta chi tsu te to na ni nu ne no
        ha hi fu he ho ma mi mu me mo ya yu yo ra ri ru re ro wa o n ga gi gu ge go
        za ji zu ze zo da ji zu de do ba bi bu be bo pa pi pu pe po
        """.split(),  # noqa: SIM905 - a syllabary to read, not to diff
        strict=True,
    )
)


def romaji(kana: str) -> str | None:
    """Hepburn romaji of a hiragana word; None when it holds anything else."""
    out: list[str] = []
    double = False
    i = 0
    while i < len(kana):
        pair = kana[i : i + 2]
        if pair in _DIGRAPHS:
            syllable, i = _DIGRAPHS[pair], i + 2
        elif kana[i] == "っ":
            double, i = True, i + 1
            continue
        elif kana[i] == "ー":
            i += 1
            continue
        elif kana[i] in _KANA:
            syllable, i = _KANA[kana[i]], i + 1
        else:
            return None
        if double:
            syllable = ("t" if syllable.startswith("ch") else syllable[0]) + syllable
            double = False
        out.append(syllable)
    return "".join(out) or None


_SYLLABLES = {
    **{latin: kana for kana, latin in _KANA.items() if kana not in "ぢづを"},
    **{latin: kana for kana, latin in _DIGRAPHS.items()},
    "wo": "を", "si": "し", "ti": "ち", "tu": "つ", "hu": "ふ", "zi": "じ", "di": "ぢ", "du": "づ",
    "sya": "しゃ", "syu": "しゅ", "syo": "しょ", "tya": "ちゃ", "tyu": "ちゅ", "tyo": "ちょ",
    "jya": "じゃ", "jyu": "じゅ", "jyo": "じょ", "zya": "じゃ", "zyu": "じゅ", "zyo": "じょ",
}  # fmt: skip
_LONGEST = max(map(len, _SYLLABLES))
_CONSONANTS = frozenset("bcdfghjkmprstwyz")


def kana(word: str) -> str | None:
    """Hiragana of a lower-case word typed in romaji (「owaru」 → 「おわる」, 「nanpun」 →
    「なんぷん」, 「kyou」 → 「きょう」); None when it is not romaji throughout (「help」
    「level」)."""
    out: list[str] = []
    i = 0
    while i < len(word):
        for size in range(min(_LONGEST, len(word) - i), 0, -1):
            syllable = _SYLLABLES.get(word[i : i + size])
            if syllable is not None and syllable != "ん":
                out.append(syllable)
                i += size
                break
        else:
            rest = word[i + 1 : i + 2]
            if word[i] == "n" and (not rest or (rest not in "aeiouy" and rest != "")):
                out.append("ん")  # 「nanpun」, 「n'」 before a vowel is typed nn
                i += 1
                i += 1 if rest == "'" else 0
            elif (word[i] in _CONSONANTS and rest == word[i]) or word[i : i + 3] == "tch":
                out.append("っ")  # 「sapporo」「matcha」
                i += 1
            else:
                return None
    return "".join(out) or None


_TOKEN = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?|[^A-Za-z0-9]+")
_CODE = re.compile(r"[^aeiou]+", re.IGNORECASE)
"""「KP」「ss」「lv」: a code, no word."""
_HONORIFICS = frozenset({"san", "kun", "chan", "sama", "sensei"})
_MIN_WORDS = 2
_PARTICLES = {"wa": "は", "e": "へ", "wo": "を"}
"""Particles as typed in romaji, written as said."""
_JAPANESE_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u9fff々]")


def kana_message(text: str, keep: Collection[str] = ()) -> str | None:
    """「Umeda KP E1 itsu owaru?」 as 「Umeda KP E1 いつおわる?」: a message in Latin letters
    whose every word is romaji (or a code: KP, E1) is Japanese, its lower-case words read
    in kana (the readings and hiragana spellings the parser knows then apply). Capitalised
    words (names and places), the words of ``keep`` (Latin names the data has: 「kensho」)
    and a name before -san stay as typed; None when a word is not romaji (English: 「How」
    「help」「level」) or fewer than two words are read."""
    if _JAPANESE_SCRIPT.search(text):
        return None
    tokens = _TOKEN.findall(text)
    out: list[str] = []
    read = 0
    for n, token in enumerate(tokens):
        if not token.isalpha() or _CODE.fullmatch(token) or _before_honorific(tokens, n):
            out.append(token)
            continue
        word = _PARTICLES.get(token) or kana(token.lower().replace("'", ""))
        if word is None:
            return None
        if not token.islower() or token in keep:
            out.append(token)
            continue
        read += 1
        if len(out) > 1 and out[-1] == " " and _JAPANESE_SCRIPT.search(out[-2][-1:]):
            out.pop()  # 「nanji ni owaru」: no spaces between Japanese words
        out.append(word)
    japanese = any(t.lower() in _MARKERS for t in tokens)  # not 「Naha E2 done in time?」
    return "".join(out) if read >= _MIN_WORDS and japanese else None


_MARKERS = frozenset(
    [
        "itsu",
        "owaru",
        "owari",
        "nanji",
        "nanpun",
        "nannin",
        "okure",
        "okureru",
        "dou",
        "doko",
        "dare",
        "nani",
        "desu",
        "masu",
        "kudasai",
        "onegai",
        "ouen",
        "yabai",
        "daijoubu",
        "daijobu",
        "ikeru",
        "oshiete",
        "misete",
        "kyou",
        "ashita",
        "kinou",
        "mada",
        "shite",
        "dekiru",
        "imasu",
        "iru",
        "hito",
        "zenbu",
        "joukyou",
        "jokyo",
        "maniau",
    ]
)
"""Words only Japanese has: a Latin message is read as romaji only with one of them (English
words that spell romaji, 「done in time」「on time」, would otherwise turn into kana)."""


def _before_honorific(tokens: list[str], n: int) -> bool:
    """「takayama-san」「kaneko san」: a name, kept as typed."""
    rest = "".join(tokens[n + 1 : n + 3]).lstrip("- ").lower()
    return tokens[n].lower() in _HONORIFICS or any(rest.startswith(h) for h in _HONORIFICS)

"""Text normalisation shared by the gazetteer and the classifier.

Managers type on phones and PCs with different IMEs, so the same word arrives as
「エントリー２」, 「ｴﾝﾄﾘ2」 or 「エントリ-2」. :func:`normalize` maps these to one
canonical form (「エントリ2」) so that dictionary look-ups and embeddings see the
same text. The function is idempotent on chat-sized input:
``normalize(normalize(t)) == normalize(t)``.
"""

from __future__ import annotations

import re
import unicodedata

MAX_CHARS = 2000
"""Longer input is cut: nobody types more in a chat box, and it bounds the work."""

_KATAKANA = "\u30a1-\u30fa\u30fd-\u30ff"
# Dash-like characters that people type instead of the long-vowel mark after katakana.
_DASH_AFTER_KATAKANA = re.compile(rf"(?<=[{_KATAKANA}ー])[-‐‑‒–—―−~〜]")
# A word-final long-vowel mark (JIS Z 8301 style): 「エントリー」 → 「エントリ」. Marks inside a
# word (「データ」) are kept. Applied to the canonical form only, so both spellings meet.
_FINAL_LONG_VOWEL = re.compile(rf"(?<=[{_KATAKANA}])ー+(?![{_KATAKANA}ー])")
_SPACES = re.compile(r"\s+")
_MONTHS = re.compile(r"(?<=\d)\s*[ヶヵカケ]\s*月")
_DASHED_ENTRY = re.compile(r"(?<![a-z])e\s*[-‐‑–]\s*([12])(?!\d)")
"""「E-1」: エントリ1 as 「e1」."""
_CLOCK_DEADLINE = re.compile(r"(?<![\d:])([012]?\d)\s*:\s*([0-5]\d)(?=\s*の?(?:締め|〆|締切|納期))")
"""「17:10締めのとこ」: a deadline's clock time, written as 「17時10分締め」 (one form for
every reader of the deadline)."""

# Misspellings and unconverted IME input that managers actually produce for the words the
# intents hinge on. Each entry is justified by a common cause:
#   * 「進渉」 is a well-known misuse of 「進捗」 (same reading, wrong kanji);
#   * 「遅廷」 mixes up 延 and 廷 (similar shape, both テイ/エン in handwriting IMEs);
#   * hiragana forms are IME input sent before conversion;
#   * 「間に合わん」 is the colloquial (western Japan) negative of 「間に合わない」;
#   * 「エンリト」 is a transposition typo of the most frequent katakana word here.
_REPLACEMENTS: tuple[tuple[str, str], ...] = (
    ("進渉", "進捗"),
    ("進ちょく", "進捗"),
    ("しんちょく", "進捗"),
    ("遅廷", "遅延"),
    ("ちえん", "遅延"),
    ("まにあ", "間に合"),
    ("間にあ", "間に合"),
    ("間に会", "間に合"),
    ("間に合わん", "間に合わない"),
    ("のうき", "納期"),
    ("だいじょうぶ", "大丈夫"),
    ("大丈ぶ", "大丈夫"),
    ("えんとり", "エントリ"),
    ("エンリト", "エントリ"),
    ("エントロ", "エントリ"),
    ("レべル", "レベル"),  # hiragana べ for katakana ベ: the same shape on a phone keyboard
    ("ほせい", "補正"),
    ("補整", "補正"),
    ("終わんない", "終わらない"),
    ("終わんねえ", "終わらない"),
    ("けんしょう", "検証"),
    ("ケンショウ", "検証"),
    ("ホセイ", "補正"),
    ("おうえん", "応援"),
    ("しょうにん", "承認"),
    ("なんじかん", "何時間"),
    ("なんじ", "何時"),
    ("おわる", "終わる"),
    ("おわり", "終わり"),
    ("おわら", "終わら"),
    ("おくれ", "遅れ"),
    ("なんぷん", "何分"),
    # head counts in kana: 「ふたりまで」「ひとりだけ」
    # phone input sent unconverted (「ぜんたいどんなかんじ」「ぬいてもへいき？」)
    ("じょうきょう", "状況"),
    ("ぜんたい", "全体"),
    ("どんなかんじ", "どんな感じ"),
    ("だいじょぶ", "大丈夫"),
    ("ぬいて", "抜いて"),
    ("ぬいたら", "抜いたら"),
    ("ぬけたら", "抜けたら"),
    ("いれて", "入れて"),
    ("いれたら", "入れたら"),
    ("すきる", "スキル"),
    ("きりかえ", "切り替え"),
    ("じかん", "時間"),
    ("よゆう", "余裕"),
    ("ぎりぎり", "ギリギリ"),
    ("ひとり", "1人"),
    ("ふたり", "2人"),
    ("さんにん", "3人"),
    ("よにん", "4人"),
    ("れべる", "レベル"),
    ("けいけん", "経験"),
    ("なんにん", "何人"),
    ("えすえす", "ss"),
    ("ふえたら", "増えたら"),
    ("ふやしたら", "増やしたら"),
    ("はやいじゅん", "速い順"),
    ("できるひと", "できる人"),
    ("けーぴー", "kp"),
    ("けいぴー", "kp"),
)


# A message of several words in katakana only (no kanji, no hiragana): typed on a
# terminal without conversion. Read as hiragana, the replacements above and the place
# readings apply.
# Several words are needed: a single katakana word (「ベリファイ」「サッポロ」) stays katakana.
_ALL_KATAKANA = re.compile(
    rf"^(?=(?:.*[{_KATAKANA}]){{4}})(?=.*\S\s+\S)[{_KATAKANA}ー\sa-z0-9\W]+$"
)
_KANA_WORDS = (
    (re.compile(r"へいき(?!ん)"), "平気"),  # not へいきん (平均)
    (re.compile(r"(?<=\d)\s*(?:めい|メイ)"), "名"),  # 「2めい」「2ﾒｲ」
    (re.compile(r"(?<=\d)\s*ねん"), "年"),  # 「けいけん3ねんいじょう」
    (re.compile(r"(?<=\d)\s*にん"), "人"),  # 「2ﾆﾝ ﾌｴﾀﾗ」
    (re.compile(r"(?<=\d)\s*いじょう"), "以上"),  # 「れべる4いじょう」, not 異常
)
_TO_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}


def normalize(text: str) -> str:
    """Canonical form of ``text``: NFKC, lower-case ASCII, unified long vowels and typos.

    NFKC turns full-width ASCII and digits into half-width (「ＳＳ１」 → 「SS1」) and
    half-width katakana into full-width (「ｴﾝﾄﾘ」 → 「エントリ」); circled digits become
    digits. Whitespace runs collapse to one space.
    """
    if not text:
        return ""
    out = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text[:MAX_CHARS]).lower())
    if _ALL_KATAKANA.match(out):  # 「ﾓﾘｵｶ ﾉ ｼﾝﾁｮｸ」 from an old terminal: read it as kana
        out = out.translate(_TO_HIRAGANA)
    for wrong, right in _REPLACEMENTS:
        if wrong in out:
            out = out.replace(wrong, right)
    for pattern, word in _KANA_WORDS:
        out = pattern.sub(word, out)
    out = _DASH_AFTER_KATAKANA.sub("ー", out)
    out = _FINAL_LONG_VOWEL.sub("", out)
    out = _MONTHS.sub("か月", out)
    out = _DASHED_ENTRY.sub(r"e\1", out)
    out = _CLOCK_DEADLINE.sub(r"\1時\2分", out)
    return _SPACES.sub(" ", out).strip()[:MAX_CHARS]

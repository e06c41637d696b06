"""Hepburn romaji of a kana reading (「さっぽろ」 → sapporo), so that managers who
type site names in Latin letters (Sapporo, shinagawa, Naha) are understood."""

from __future__ import annotations

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

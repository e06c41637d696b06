"""Japanese tokens for lexical search: SudachiPy morphemes in their normalised form.

Text is NFKC-normalised and case-folded first, so full-width and half-width forms meet
(「エントリー１」 and 「エントリ1」 both give ``エントリー`` ``1``). Split mode A (the
shortest units) lets a query word match inside compounds (「速度」 in 「処理速度」).
Particles, auxiliary verbs and punctuation (by part of speech) and the light verbs
する／いる／ある／なる (by normalised form) carry no topic and are dropped; other verbs
that Sudachi marks 非自立可能 (遅れる, 出す, 続ける …) do carry one and are kept.
"""

from __future__ import annotations

import threading
import unicodedata
from functools import lru_cache

from sudachipy import SplitMode, Tokenizer

from aimee.sudachi import dictionary

DROPPED_POS = frozenset({"助詞", "助動詞", "補助記号", "記号", "空白"})
LIGHT_VERBS = frozenset({"為る", "居る", "有る", "成る"})


class JapaneseTokenizer:
    """Turns a text into search terms; safe to share between threads."""

    def __init__(self, mode: SplitMode = SplitMode.A) -> None:
        self._mode = mode
        self._lock = threading.Lock()
        self._tokenizer: Tokenizer | None = None

    def _get(self) -> Tokenizer:
        if self._tokenizer is None:
            self._tokenizer = dictionary().tokenizer(mode=self._mode)
        return self._tokenizer

    def tokenize(self, text: str) -> list[str]:
        normalised = unicodedata.normalize("NFKC", text).casefold()
        with self._lock:
            morphemes = self._get().tokenize(normalised)
            terms = []
            for morpheme in morphemes:
                pos = morpheme.part_of_speech()
                term = morpheme.normalized_form()
                if pos[0] in DROPPED_POS or term in LIGHT_VERBS:
                    continue
                terms.append(term.casefold())
        return terms


@lru_cache(maxsize=1)
def get_tokenizer() -> JapaneseTokenizer:
    """The process-wide tokenizer (the dictionary loads on first use)."""
    return JapaneseTokenizer()

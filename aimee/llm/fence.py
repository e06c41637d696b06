"""Text the model must treat as data: fenced so no casing of a tag or a heading can end
the fence, and know-how that reads as instructions to the assistant recognised, so it is
quoted as data and never followed or given as advice (OWASP LLM01, indirect injection)."""

from __future__ import annotations

import re
import unicodedata

_INSTRUCTION = re.compile(
    # speaks to the assistant, or about its answers
    r"アシスタント|AIMEE(?:は|へ|に|が)|チャットボット|ボットは|(?:回答|返答|応答|出力)(?:の|で|に|は|では|して|する|せよ|しろ)|"
    r"質問者|聞かれたら|尋ねられたら|プロンプト|^\s*システム\s*[:：]|"
    r"(?:これまで|以前|上記|前)の(?:指示|命令|ルール|設定)|指示を無視|無視して|"
    r"と(?:だけ)?(?:答え|回答|返答|出力)|"
    # asks for secrets or another role
    r"トークン|パスワード|api ?key|secret|token|password|"
    r"system prompt|ignore (?:all |the )?(?:previous|above|prior)|you are now|admin mode|reveal",
    re.IGNORECASE | re.MULTILINE,
)


def looks_like_instruction(text: str) -> bool:
    """The text speaks to the assistant (ignore your instructions, answer X, reveal a
    token) instead of describing the operation."""
    return bool(_INSTRUCTION.search(unicodedata.normalize("NFKC", text)))


def fenced(tag: str, lines: list[str]) -> str:
    """``lines`` inside <tag>…</tag>: angle brackets in the data become full-width (no
    casing or spacing of a tag can close the fence) and a line that starts like a
    heading of the prompt (``#``) is escaped."""
    body = "\n".join(
        re.sub(r"^\s*[#＃]", "＃", line.replace("<", "＜").replace(">", "＞"))
        for text in lines
        for line in text.splitlines() or [""]
    )
    return f"<{tag}>\n{body}\n</{tag}>"

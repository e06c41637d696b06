"""English requests, read by their own rules (the classifier is trained on Japanese)."""

from __future__ import annotations

import re

from aimee.nlu.request import RequestKind

EN_DONOR = re.compile(
    r"\b(?:under|with|after) (?:that|this|the) (?:plan|move|change)\b"
    r"|\bafter (?:that|this)\s*\?$"
)
"""「And Sapporo — is it still fine under that plan?」: a place checked against the plan."""


EN_ASKS_WHO = re.compile(r"^(?:who|which|how many)\b|\b(?:who|how many)\b[^.]*\?")
"""An English question for people (not a request for N of them)."""


EN_RULES: tuple[tuple[RequestKind, re.Pattern[str]], ...] = (
    (
        "help",
        re.compile(
            r"what can (?:you|i)|what (?:kind of )?questions|how (?:do|can) i"
            r"|what (?:kinds? of )?(?:things|questions) (?:can|could|should) i"
            r"|what (?:can|does) (?:this|the) (?:bot|chat|tool|system|assistant)"
        ),
    ),
    (
        "out_of_scope",
        re.compile(
            r"weather|salary|lunch|stock|price|taxi|\bbook\b|password|overtime|meeting room"
            r"|\bnews\b|\btrains?\b|\btraffic\b|pizza|coffee|\bsnow|\brain(?:ing|y)?\b|typhoon"
            r"|parking|expense|vacation|birthday|\bwrite (?:a|an|the|me)\b|wi-?fi|uniform"
        ),
    ),
    (
        "what_if",
        re.compile(
            r"\bwhat if\b|\bif (?:we|i|you)\b.*\b(?:move|remove|add|take|send|put|bring|lend)"
            r"|what (?:would )?happens?\b"
        ),
    ),
    (
        "knowhow",
        re.compile(r"\brules?\b|guideline|policy|best practice|past cases?|precedent|last time"),
    ),
    (
        "plan",
        re.compile(
            r"\bsuggest\b|reallocat|what (?:should|can|do) (?:i|we) do about"
            r"|\bneeds? (?:help|support|backup|more (?:people|hands|staff))\b|\bneed a plan\b"
            r"|what should (?:i|we) do\b|^(?:please |can you |could you )?plan\b"
            r"|\bplan (?:help|support|cover|backup|extra people)\b"
            r"|who (?:to|should (?:i|we)|can (?:we|i)|could (?:we|i)) "
            r"(?:move|send|spare|lend)|who should go|\bspare (?:one|two|three|\d)"
            r"|\b(?:get|borrow|bring|need)\s+(?:in\s+)?(?:a couple(?: of)?|one|two|three|four|\d"
            r"|some|more|extra)\s+(?:more\s+|extra\s+)?(?:people|persons|operators|staff|hands"
            r"|helpers|(?:from|into|onto)\b)"
            # "Can you find me a couple of people for it?" "pull people from Morioka" "plan
            # something" "find help from within Morioka" "I can free up four people"
            r"|\bfind (?:me |us )?(?:a couple of |some |one |two |three |\d )?"
            r"(?:people|someone|somebody|help|helpers|staff|operators|cover)\b"
            r"|\bpull (?:people|someone|staff|operators|help)\b|\bplan something\b"
            r"|\bfree up (?:exactly )?(?:one|two|three|four|five|\d)\b.*\bwhere\b"
        ),
    ),
    (
        "finish_time",
        re.compile(
            r"\bwhen will\b|\bfinish|\bdone by\b|how much time|margin|what time|minutes late"
            r"|how much slack|\bcutting it close\b|\bclose call\b"
            r"|\betas?\b"
            r"|how many minutes|by how much|how late|how far (?:past|over|behind)|past the deadline"
        ),
    ),
    (
        "operator_lookup",
        re.compile(r"\bwhere is\b|\bwhere's\b|\bskills?\b.*\b(?:of|does|have)\b|\btell me about\b"),
    ),
    (  # "the total number of late tasks across the floor": a figure asked (SCHEMA: status)
        "status",
        re.compile(r"\btotal (?:number of |count of )?(?:late|delayed|overdue)\b"),
    ),
    (  # "How many people are working on Naha correction?": the queue's staff, as it stands
        "status",
        re.compile(r"how many (?:people|operators|staff|workers) (?:are )?(?:working|assigned)\b"),
    ),
    (
        "skill_search",
        re.compile(
            r"\bwho\b|\banyone\b|fastest|quickest|most experienced|most senior|available"
            r"|\bwhich operators?\b|\bfree\b|\bidle\b"
            r"|how many (?:people|operators|staff|workers|of them) (?:can|could|are able|know)"
            r"|\bno ?one\b|\bnobody\b"
        ),
    ),
    (
        "plan",
        re.compile(
            r"\bsend\b|\bhelp\b|move people|reallocat|\bplan\b|\bfix\b|\bsave\b|suggest|\bcover\b"
        ),
    ),
    (
        "delay_risk",
        re.compile(
            r"\blate\b|\bmiss|\bbehind\b|at risk|deadline|on time|\btotal\b|\bworst\b"
            r"|most urgent|in trouble"
        ),
    ),
    ("status", re.compile(r"status|progress|how is|how's|how are|overview|summary|rundown")),
    ("knowhow", re.compile(r"\brules?\b|guideline|policy|best practice")),
)
"""Kinds of an English request, first match wins (the classifier is trained on Japanese)."""

"""Realistic free text for notes, memos and names: accents, CJK, emoji, right-to-left, combining.

Hypothesis' default strings are mostly ASCII or single odd code points, so a server that
breaks on a customer's name in Hebrew or a memo with an emoji rarely meets one. Each
vendor profile names its free-text fields (`free_text`); `annotate` gives those properties
of the spec a format of our own, and `install` registers the Hypothesis strategy that
Schemathesis then draws them from. Scenario checks draw from the same scripts with `sample`.
"""

from __future__ import annotations

import random
from typing import Any

from hypothesis import strategies as st

FORMAT = "contracts-realistic-text"

# Unicode blocks real customers write in, as (name, first, last code point). A word is drawn
# from one block; a combining word puts marks on Latin letters; an emoji word may leave the
# Basic Multilingual Plane (where utf8mb3 databases and UCS-2 code fail).
SCRIPTS: tuple[tuple[str, int, int], ...] = (
    ("latin accents", 0x00C0, 0x017F),
    ("cyrillic", 0x0410, 0x044F),
    ("greek", 0x03B1, 0x03C9),
    ("hebrew (rtl)", 0x05D0, 0x05EA),
    ("arabic (rtl)", 0x0627, 0x064A),
    ("devanagari", 0x0905, 0x0939),
    ("hiragana", 0x3041, 0x3096),
    ("cjk", 0x4E00, 0x9FA5),
    ("hangul", 0xAC00, 0xD7A3),
    ("emoji", 0x1F300, 0x1F64F),
)
COMBINING = (0x0300, 0x036F)
BASE_LETTERS = "aeiounc"


def _word(first: int, last: int) -> st.SearchStrategy[str]:
    return st.text(st.characters(min_codepoint=first, max_codepoint=last), min_size=1, max_size=6)


def _combined() -> st.SearchStrategy[str]:
    marked = st.tuples(
        st.sampled_from(BASE_LETTERS),
        st.characters(min_codepoint=COMBINING[0], max_codepoint=COMBINING[1]),
    ).map("".join)
    return st.lists(marked, min_size=1, max_size=4).map("".join)


def realistic_text() -> st.SearchStrategy[str]:
    """One to five words, each from one script (or Latin with combining marks), space-joined."""
    words = st.one_of([_word(first, last) for _, first, last in SCRIPTS] + [_combined()])
    plain = st.text(st.characters(min_codepoint=0x61, max_codepoint=0x7A), min_size=1, max_size=8)
    return (
        st.lists(st.one_of(words, plain), min_size=1, max_size=5)
        .map(" ".join)
        .filter(lambda text: not text.isascii())
    )


def sample(rng: random.Random) -> str:
    """A text with one word of every script and a combining word, in a random order."""
    words = ["".join(chr(rng.randint(first, last)) for _ in range(3)) for _, first, last in SCRIPTS]
    words.append("".join(rng.choice(BASE_LETTERS) + chr(rng.randint(*COMBINING)) for _ in range(2)))
    rng.shuffle(words)
    return " ".join(words)


def annotate(spec: Any, names: tuple[str, ...]) -> Any:
    """Mark plain string properties called one of `names` with `FORMAT` (in place; returned).

    Only properties with no format, enum, pattern or length bound of their own: those
    constrain the value more than "free text" does. A length bound is left to Schemathesis'
    coverage phase, which sends strings of exactly the bound and one past it: drawn from a
    format of our own, such a string can only be found by filtering, so every edge ended in
    a 1-2 s search for nothing and was never sent. Those notes still get realistic text from
    the `reads_see_writes` scenario (`sample`).
    """
    if isinstance(spec, dict):
        properties = spec.get("properties")
        if isinstance(properties, dict):
            for name, schema in properties.items():
                if name in names and _plain_string(schema):
                    schema["format"] = FORMAT
        for value in spec.values():
            annotate(value, names)
    elif isinstance(spec, list):
        for item in spec:
            annotate(item, names)
    return spec


def _plain_string(schema: Any) -> bool:
    if not isinstance(schema, dict):
        return False
    kind = schema.get("type")
    is_string = kind == "string" or (isinstance(kind, list) and "string" in kind)
    constrained = {"format", "enum", "pattern", "const", "minLength", "maxLength"}
    return is_string and not constrained & schema.keys()


def install() -> None:
    """Register the strategy with Schemathesis (idempotent)."""
    import schemathesis

    schemathesis.openapi.format(FORMAT, realistic_text())

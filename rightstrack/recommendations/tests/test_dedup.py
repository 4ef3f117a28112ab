"""The candidate index of dedup.py: what a source is compared with, by State and rarest words."""

from rightstrack.recommendations.dedup import Candidate, CandidateIndex, HeldScopes, rarest, words

TEXTS = [
    "Abolish the death penalty and ratify the Second Optional Protocol",
    "Establish a moratorium on executions with a view to abolishing the death penalty",
    "Ratify the Convention against Torture and its Optional Protocol",
    "Guarantee freedom of expression and of peaceful assembly",
    "Release all political prisoners and guarantee freedom of assembly",
    "Ensure the independence of the judiciary and of lawyers",
]


def _candidates() -> list[Candidate]:
    return [
        Candidate(id=pk, number="", text=text, wordings=[], states=frozenset({pk % 2}))
        for pk, text in enumerate(TEXTS, start=1)
    ]


def _ids(found: list[Candidate]) -> list[int | None]:
    return [candidate.id for candidate in found]


def test_it_keeps_lower_cased_words_without_function_words_or_punctuation() -> None:
    assert words("Ratify the Convention, and its Protocol (2006)!") == {
        "ratify",
        "convention",
        "protocol",
        "2006",
    }


def test_it_finds_by_scanning_first_exactly_what_the_word_index_finds_later() -> None:
    queries = [
        ("Abolish the death penalty", {7}),
        ("Guarantee freedom of peaceful assembly", {1}),
        ("Ratify the Optional Protocol to the Convention against Torture", {0}),
        ("Ensure the independence of lawyers", {5}),
    ]
    for text, states in queries:
        scanned = CandidateIndex(_candidates())
        first = scanned.likely(text, states)
        assert scanned._by_word is None  # the first look-up scans: no index of every word
        indexed = CandidateIndex(_candidates())
        assert indexed.by_word  # built before the look-up
        assert _ids(first) == _ids(indexed.likely(text, states))
        # The second look-up uses the index, and finds the same.
        assert _ids(scanned.likely(text, states)) == _ids(first)
        assert scanned._by_word is not None


def test_it_finds_a_candidate_added_after_the_first_look_up() -> None:
    index = CandidateIndex(_candidates())
    assert _ids(index.likely("Protect journalists and human rights defenders", {7})) == []
    index.add(
        Candidate(
            id=99,
            number="",
            text="Protect journalists and human rights defenders from reprisals",
            wordings=[],
            states=frozenset({3}),
        )
    )
    assert _ids(index.likely("Protect journalists and human rights defenders", {7})) == [99]


def test_it_keeps_a_scope_in_the_order_of_ids_as_recommendations_change() -> None:
    held = HeldScopes(limit=5)
    first, second, third = _candidates()[:3]
    held.add("a", [third, first])
    held.add("b", [second])
    assert _ids(held.of("a")) == [1, 3]
    # 3 deleted (merged away), 2 moved from scope b to a, 7 created in a, 8 in a scope not kept.
    moved = Candidate(id=2, number="", text="moved", wordings=[], states=frozenset())
    created = Candidate(id=7, number="", text="new", wordings=[], states=frozenset())
    elsewhere = Candidate(id=8, number="", text="other", wordings=[], states=frozenset())
    held.replace([3, 2, 7, 8], [("a", moved), ("a", created), ("c", elsewhere)])
    assert _ids(held.of("a")) == [1, 2, 7]
    numbered = Candidate(id=5, number="98.2", text="numbered", wordings=[], states=frozenset())
    held.replace([5], [("a", numbered)])
    # A numbered record's look-up: its number and the unnumbered ones, in the order of ids.
    assert _ids(held.with_numbers("a", {"98.2"})) == [1, 2, 5, 7]
    assert _ids(held.with_numbers("a", {"98.3"})) == [1, 2, 7]
    held.replace([5], [])
    assert _ids(held.with_numbers("a", {"98.2"})) == [1, 2, 7]
    assert held.of("b") == []
    assert "c" not in held and len(held) == 3


def test_it_lets_the_scopes_used_least_recently_go_beyond_its_limit() -> None:
    held = HeldScopes(limit=3)
    candidates = _candidates()
    held.add("a", candidates[0:2])
    held.add("b", candidates[2:4])
    held.add("c", candidates[4:6])
    held.of("a")
    held.shrink(keep={"c"})
    assert "b" not in held and "a" not in held and "c" in held
    assert len(held) == 2


def test_it_takes_the_same_rarest_words_whatever_order_the_words_come_in() -> None:
    # Six words each used by one item: which four are taken must not depend on the order of
    # the text's word set, which changes from one process to the next.
    by_word = {word: [word.upper()] for word in ("assembly", "death", "judiciary", "lawyers")}
    by_word |= {"penalty": ["PENALTY"], "torture": ["TORTURE"], "freedom": ["A", "B"]}
    text_words = list(by_word)

    taken = rarest(text_words, by_word)

    assert taken == ["ASSEMBLY", "DEATH", "JUDICIARY", "LAWYERS"]
    assert rarest(reversed(text_words), by_word) == taken

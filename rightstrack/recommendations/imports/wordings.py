"""Splitting a UPR recommendation into its States' wordings.

UN documents group the wordings of several States under one number:
"Declare a moratorium … (Brazil); introduce a moratorium … (Lithuania); …". Each wording ends with
the recommending States in parentheses, followed by ";" or "." or the end of the text. Other
parentheses ("(i) simplify…", "(No. 29)", "(for example, article 193-1 …)") are part of the text.
"""

import re

from .values import clean_text

_DIGIT = re.compile(r"\d")
_MAX_WORDS_IN_STATE_NAME = 9
# Words that name laws, treaties and bodies, never a State: "(Law on Gender Equality)",
# "(Convention No. 189)", "(Committee against Torture)".
_NOT_IN_STATE_NAMES = frozenset(
    (
        *("law", "laws", "act", "code", "convention", "covenant", "protocol", "treaty"),
        *("charter", "declaration", "principles", "rules", "guidelines", "agenda", "statute"),
        *("committee", "council", "commission", "court", "ombudsman", "office", "ministry"),
        *("plan", "programme", "program", "strategy", "organization", "organisation"),
    )
)


def _closing_paren(text, start):
    """Index of the ")" that closes the "(" at start, or -1 when it is never closed."""
    depth = 0
    for index in range(start, len(text)):
        char = text[index]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
    return -1


def _top_level_parts(content):
    parts, depth, current = [], 0, []
    for char in content:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char in ",;" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [clean_text(part).strip(" .") for part in parts]


def state_names(content, is_state=None):
    """The State names in the text of a parenthesis, or None when it does not list States.

    Without ``is_state`` the names are judged by their form; with it, a parenthesis lists
    States when at least one of its names is one.
    """
    names = _top_level_parts(content)
    if is_state is not None:
        return names if any(is_state(name) for name in names if name) else None
    for name in names:
        # "the former Yugoslav Republic of Macedonia" is written with a small "the".
        bare = name[4:] if name.startswith("the ") else name
        capitalised = bare[:1].isupper() or (bare != name and any(c.isupper() for c in bare))
        if not capitalised or _DIGIT.search(name) or ":" in name:
            return None
        words = name.split()
        if len(words) > _MAX_WORDS_IN_STATE_NAME:
            return None
        if any(word.lower().strip(",.") in _NOT_IN_STATE_NAMES for word in words):
            return None
        # An acronym ("ICRMW", "ILO") names a treaty or an organisation, never a State.
        if " " not in bare and bare.isupper():
            return None
    return names


def _parenthesis_run(text, start):
    """Consecutive parentheses from start: [(open, close, content)] and the index after them."""
    groups = []
    index = start
    while index < len(text) and text[index] == "(":
        close = _closing_paren(text, index)
        if close < 0:
            break
        groups.append((index, close, text[index + 1 : close]))
        index = close + 1
        while index < len(text) and text[index] in " \t\n":
            index += 1
    return groups, index


def _ends_wording(text, index):
    if index >= len(text):
        return True
    if text[index] == ";":
        return True
    return text[index] == "." and (index + 1 >= len(text) or text[index + 1].isspace())


def split_wordings(text, is_state=None):
    """[{"text": wording, "states": [names]}] of a recommendation's text, in order.

    Text after the last list of States (or a text without any) becomes a wording without States.
    ``is_state(name)`` tells a State's name from other text in parentheses (see state_names).
    """
    wordings = []
    start = index = 0
    while index < len(text):
        if text[index] != "(":
            index += 1
            continue
        groups, after = _parenthesis_run(text, index)
        if not groups:
            index += 1
            continue
        if _ends_wording(text, after):
            # The States are the trailing parentheses that list names; "(No. 29) (France)" keeps
            # "(No. 29)" in the wording.
            states, first_state_group = [], None
            for position in range(len(groups) - 1, -1, -1):
                names = state_names(groups[position][2], is_state)
                if names is None:
                    break
                states = names + states
                first_state_group = groups[position][0]
            if states:
                wording = clean_text(text[start:first_state_group]).strip(" ;,")
                if wording:
                    wordings.append({"text": wording, "states": states})
                elif wordings:
                    wordings[-1]["states"].extend(states)
                index = start = after + 1
                continue
        index = groups[0][1] + 1
    rest = clean_text(text[start:]).strip(" ;,")
    if rest:
        wordings.append({"text": rest.rstrip("."), "states": []})
    return wordings


def join_wordings(wordings):
    """The readable text of a recommendation: its wordings without the lists of States."""
    return "; ".join(wording["text"] for wording in wordings)


def all_states(wordings):
    """Every recommending State of the wordings, once each, in order of appearance."""
    seen = []
    for wording in wordings:
        for state in wording["states"]:
            if state not in seen:
                seen.append(state)
    return seen

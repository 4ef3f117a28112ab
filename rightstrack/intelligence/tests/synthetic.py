"""Small labelled data made up for the tests: topics that words tell apart, actions that the
first verb tells apart, and a UPR Info export writer (Mac Roman, CR line ends) for commands."""

import csv
import io
import random

TOPICS = {
    "Death penalty": ["death penalty", "executions", "capital punishment", "moratorium"],
    "Torture and other CID treatment": ["torture", "ill-treatment", "police custody", "cruel"],
    "Women's rights": ["women", "gender equality", "domestic violence", "girls"],
    "Right to education": ["education", "schools", "teachers", "literacy"],
}
ACTIONS = {
    "2": ["Continue", "Maintain", "Pursue"],
    "3": ["Consider", "Explore", "Study"],
    "4": ["Ensure", "Strengthen", "Promote"],
    "5": ["Ratify", "Adopt", "Abolish"],
}
FILLER = ["in law and practice", "for all persons", "without delay", "as recommended", "nationally"]


def make_examples(count, *, seed=0, two_topics_every=3):
    """[(text, [issues], action)] with one or two topics each."""
    rng = random.Random(seed)
    topics = sorted(TOPICS)
    examples = []
    for index in range(count):
        chosen = [topics[index % len(topics)]]
        if index % two_topics_every == 0:
            chosen.append(topics[(index + 1) % len(topics)])
        action = sorted(ACTIONS)[rng.randrange(len(ACTIONS))]
        words = []
        for topic in chosen:
            words += rng.sample(TOPICS[topic], 2)
        text = (
            f"{rng.choice(ACTIONS[action])} measures on {' and '.join(words)} {rng.choice(FILLER)}"
        )
        examples.append((text, chosen, action))
    return examples


def upr_info_csv(path, examples, *, session, state="Belarus"):
    """Write examples as a UPR Info export: Mac Roman bytes, CR line ends."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r")
    writer.writerow(
        [
            "To",
            "To-Rgrp",
            "To-Org",
            "Text",
            "From",
            "From-Rgrp",
            "From-Org",
            "Response",
            "Action",
            "Issue",
            "Session",
        ]
    )
    for number, (text, issues, action) in enumerate(examples):
        writer.writerow(
            [
                state,
                "EEG",
                "",
                text,
                f"State {number % 7}",
                "WEOG",
                "",
                "Accepted",
                action,
                ",".join(issues),
                session,
            ]
        )
    path.write_bytes(buffer.getvalue().encode("mac_roman"))
    return path

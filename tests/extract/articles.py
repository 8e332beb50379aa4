"""Short articles written for these tests in the manner of wire copy and of the summaries
that event datasets code (GTD incident summaries, ACLED notes, MUC-era all-caps wire).

The places and armed groups are real; the incidents are invented. Every article is run
through the extractor by `test_articles.py` (what a reader would expect from it) and by
`test_contract.py` (the shape of every record it yields).
"""

from __future__ import annotations

from typing import Any


def article(article_id: str, published_at: str, text: str) -> dict[str, Any]:
    return {"article_id": article_id, "published_at": published_at, "title": None, "text": text}


def extract_text(text: str, published_at: str) -> list[dict[str, Any]]:
    """The extractor's records for one untitled article."""
    from pipelines.extract import extract_article

    return extract_article(article("t", published_at, text))


ARTICLES: dict[str, dict[str, Any]] = {
    a["article_id"]: a
    for a in [
        # GTD incident summary: day, town, province and country in one chain; no claim.
        # Published on a Tuesday, so "On Monday" is the day before.
        article(
            "gtd-kandahar",
            "2016-05-10",
            "On Monday, in Kandahar city, Kandahar province, Afghanistan, unknown gunmen shot "
            "and killed two police officers at a checkpoint. No group claimed responsibility "
            "for the incident.",
        ),
        # ACLED note: the coded place followed by "(District, Region)".
        article(
            "acled-leego",
            "2021-08-30",
            "On 28 August 2021, Al Shabaab militants attacked a Somali army base near Leego "
            "village (Burhakaba, Bay), killing three soldiers.",
        ),
        # A named group as the subject of the attack verb: the perpetrator is stated.
        article(
            "stated-jowhar",
            "2021-08-30",
            "Al Shabaab attacked a military base near Jowhar on Saturday, killing five "
            "soldiers, the army said.",
        ),
        # A claim of responsibility, with the channel it came through.
        article(
            "claim-mogadishu",
            "2023-04-12",
            "A car bomb exploded outside a police station in Mogadishu on Tuesday, killing at "
            "least five people and wounding 12 others, police said.\n\n"
            "Al Shabaab claimed responsibility in a statement on Telegram.",
        ),
        # Blame with the party who blames ("Washington" is the United States); no claim.
        article(
            "blame-taji",
            "2020-03-12",
            "Rockets slammed into Taji military base north of Baghdad on Wednesday, killing two "
            "American soldiers and a British medic, officials said.\n\n"
            "No group has claimed the attack, but Washington blamed Kataib Hezbollah for the "
            "strike.",
        ),
        # "suspected <group> militants": the group is suspected, not stated.
        article(
            "suspect-nganzai",
            "2019-07-29",
            "Suspected Boko Haram militants killed 65 people at a funeral in Nganzai, Borno "
            "state, Nigeria, on Saturday, a local official said.",
        ),
        # A city followed by a weekday ("in Karachi on Friday"), the commonest wire lead.
        article(
            "place-karachi",
            "2021-05-12",
            "Gunmen killed two police officers in Karachi on Friday, police said.",
        ),
        # A foreign bureau's dateline is not where the attack happened, and the dateline's
        # date is the day of the report, not of the attack ("on Monday").
        article(
            "dateline-kabul",
            "2021-05-12",
            "KABUL, May 12 (Hindu Kush Wire) \u2014 Gunmen shot dead two police officers at a "
            "checkpoint in Kandahar on Monday, officials said.",
        ),
        # A statement date ("the military said Tuesday") is not the date of the attack.
        article(
            "statement-besmaya",
            "2020-03-18",
            "Two rockets struck the Besmaya camp late Monday night, the coalition said Tuesday. "
            "The statement made no mention of casualties.",
        ),
        # A news incident followed by an earlier attack told as context.
        article(
            "background-gao",
            "2021-11-20",
            "A roadside bomb struck an army patrol near Gao, Mali, on Friday, killing four "
            "soldiers, the army said.\n\n"
            "In September, a similar bomb killed two UN peacekeepers on the same road.",
        ),
        # A cumulative statement only: an aggregate, never an incident.
        article(
            "aggregate-burkina",
            "2021-06-01",
            "Since January, 40 attacks have killed at least 200 people in northern Burkina "
            "Faso, according to a tally by a local monitoring group.",
        ),
        # The same cumulative statement after a news incident: one incident, one aggregate.
        article(
            "aggregate-after-news",
            "2021-06-01",
            "Gunmen on motorbikes killed 11 villagers in an attack on Solhan, in northern "
            "Burkina Faso, on Sunday, the government said.\n\n"
            "Since January, 40 attacks have killed at least 200 people in the region, "
            "according to a tally by a local monitoring group.",
        ),
        # MUC-era wire copy: all capitals, a dateline with a two-digit year, "LAST NIGHT".
        article(
            "caps-soyapango",
            "1990-02-04",
            "SAN SALVADOR, 4 FEB 90 (EFE) -- URBAN GUERRILLAS SHOT AND KILLED TWO NATIONAL "
            "POLICEMEN AT A CHECKPOINT IN SOYAPANGO LAST NIGHT, A MILITARY SPOKESMAN REPORTED "
            "TODAY. THREE OTHER AGENTS WERE WOUNDED.",
        ),
        # All capitals again, with the attack dated in the body two days before the dateline.
        article(
            "caps-dated",
            "1990-02-04",
            "SAN SALVADOR, 4 FEB 90 (EFE) -- URBAN GUERRILLAS SHOT AND KILLED TWO NATIONAL "
            "POLICEMEN AT A CHECKPOINT IN SOYAPANGO ON 2 FEBRUARY. A MILITARY SPOKESMAN GAVE "
            "THE NEWS AT A PRESS CONFERENCE.",
        ),
        # Non-violent news that uses the vocabulary of violence.
        article(
            "nonviolent-protest",
            "2022-06-02",
            "Thousands of teachers marched peacefully through Nairobi on Wednesday to demand "
            "higher pay. Police escorted the demonstrators and no arrests were reported. Union "
            "leaders said they would return next week.",
        ),
        article(
            "nonviolent-earthquake",
            "2022-06-22",
            "A magnitude 5.9 earthquake struck eastern Afghanistan early on Wednesday, killing "
            "at least 1,000 people and injuring hundreds more, officials said. Rescue teams "
            "were searching collapsed homes in Paktika province.",
        ),
        article(
            "nonviolent-arrest",
            "2021-09-15",
            "Police in Lahore arrested three men on Tuesday on suspicion of planning attacks on "
            "government buildings. The suspects were taken into custody after a raid on a "
            "house, and officers seized documents and mobile phones.",
        ),
        article(
            "nonviolent-vote",
            "2021-12-14",
            "Iraq's parliament voted on Monday to approve a new budget for the security forces. "
            "Lawmakers debated the bill for three hours before the vote passed with a large "
            "majority.",
        ),
        article(
            "nonviolent-defused",
            "2022-03-03",
            "Bomb disposal experts defused an improvised explosive device found on a roadside "
            "in Peshawar on Wednesday, police said. The device was discovered by a passer-by "
            "and nobody was hurt.",
        ),
        # A defused bomb whose second paragraph describes the device's charge.
        article(
            "nonviolent-defused-described",
            "2022-03-03",
            "Bomb disposal experts defused an improvised explosive device found on a roadside "
            "in Peshawar on Wednesday, police said.\n\n"
            "The device contained around four kilograms of explosives and was rigged to a "
            "remote trigger, a police spokesman said.",
        ),
    ]
}

# One claim written with the group's name in several spellings and cases.
GROUP_SPELLINGS = ["Al Shabaab", "al-Shabaab", "AL-SHABAAB", "al Shabaab", "Al-Shabab"]


def claim_article(spelling: str) -> dict[str, Any]:
    return article(
        f"claim-spelling-{spelling}",
        "2023-04-12",
        "A roadside bomb killed four soldiers near Afgoye on Tuesday. "
        f"{spelling} claimed responsibility for the attack.",
    )


ALL_ARTICLES: list[dict[str, Any]] = [*ARTICLES.values(), *map(claim_article, GROUP_SPELLINGS)]

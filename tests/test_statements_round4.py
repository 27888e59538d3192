"""English attribution mechanisms of the fourth round, on sentences written fresh for these
tests (not taken from the corpus): one key per organisation across its legal forms and its
formal name, local governments named in lower case, a named unit an organisation owns,
people whose employer a description gives, organisation nouns such as "the federation",
prefixed titles, common words opening a sentence, and quoted nicknames."""

import pytest

from registry.statements import extract
from registry.statements.en_discourse import Discourse
from registry.statements.en_mentions import is_title_word, parse_org_phrase, parse_subject


def _first_quote(text):
    return next(c for c in extract(text) if c.kind == "quote")


def test_legal_forms_do_not_split_one_organisation():
    text = (
        "Huadian Power Corp Ltd opened a Douyin account. Huadian Power said the account would post daily.\n\n"
        "Huadian Power Corporation has 40 plants."
    )
    discourse = Discourse(text, frozenset())
    assert discourse.canonical("Huadian Power Corp Ltd") == discourse.canonical("Huadian Power")
    assert discourse.canonical("Huadian Power Corporation") == discourse.canonical("Huadian Power")
    assert discourse.salience[discourse.canonical("Huadian Power")] == 6  # three names, counted as one
    # a country alone is never what is left of a name
    assert discourse.canonical("China Corp") != discourse.canonical("China")


def test_formal_name_is_an_alias_of_the_name_the_article_uses():
    text = (
        "Jintai Shipping posted its first livestream on Tuesday.\n\n"
        "The company, formally known as Jintai Ocean Shipping Group, runs 90 vessels."
    )
    discourse = Discourse(text, frozenset())
    assert discourse.canonical("Jintai Shipping") == discourse.canonical("Jintai Ocean Shipping Group")


@pytest.mark.parametrize(
    ("phrase", "org"),
    [
        ("the Hunan provincial government", "Hunan provincial government"),
        ("the Chengdu municipal people's government", "Chengdu municipal people's government"),
        ("PetroChina's Daqing Oilfield", "PetroChina's Daqing Oilfield"),
        ("Wuhan University's School of Law", "Wuhan University's School of Law"),
    ],
)
def test_organisation_phrases(phrase, org):
    assert parse_org_phrase(phrase) == (org, None)


def test_lower_case_local_government_in_a_long_title():
    mention = parse_subject(
        "Zhou Min, deputy head of the information office of the Hunan provincial government,",
        frozenset(),
        verb_first=False,
    )
    assert (mention.name, mention.role, mention.org) == (
        "Zhou Min",
        "deputy head of the information office",
        "Hunan provincial government",
    )


def test_an_age_between_name_and_title_and_an_owned_unit():
    quote = _first_quote(
        '"We post from the rig floor," says Ma Lin, 29, a mud engineer at PetroChina\'s Daqing Oilfield in '
        "Heilongjiang province."
    )
    assert (quote.speaker, quote.org) == ("Ma Lin", "PetroChina's Daqing Oilfield")


def test_an_organisation_noun_means_the_organisation_named_before():
    text = (
        "The China Poultry Federation released a survey on Monday.\n\n"
        '"Farmers now sell on Kuaishou," said Tan Yu, deputy secretary-general of the federation.'
    )
    quote = _first_quote(text)
    assert (quote.speaker, quote.org) == ("Tan Yu", "China Poultry Federation")


def test_a_described_person_works_for_an_organisation():
    text = (
        "Wu Gang climbs a pylon every morning with a phone strapped to his helmet.\n\n"
        "The 41-year-old lineman works for state-owned Guodian Grid, which runs the county's network.\n\n"
        '"People want to see where the power comes from," Wu said.'
    )
    quote = _first_quote(text)
    assert quote.speaker == "Wu Gang"
    assert quote.org == "Guodian Grid"


def test_prefixed_titles_are_titles():
    assert is_title_word("Co-Chief") and is_title_word("Vice-Chairman") and is_title_word("Acting-Director")
    assert not is_title_word("Co-Op")
    mention = parse_subject("said Co-Chief Executive Officer Luo Hang", frozenset(), verb_first=True)
    assert (mention.name, mention.org) == ("Luo Hang", None)


def test_a_common_word_opening_the_sentence_is_not_an_employer():
    text = (
        "Studios that make mobile gaming apps now court older players on Douyin.\n\n"
        'Gaming analyst Fu Qiang said the shift was overdue. "Older players spend more," Fu said.'
    )
    quote = _first_quote(text)
    assert quote.speaker == "Fu Qiang"
    assert quote.org is None
    # the same word as an organisation the article names as one stays an employer
    text = 'Tongda Logistics opened an account.\n\n"We ship fast," said Tongda spokesman Bai Lu.'
    assert _first_quote(text).org is not None


@pytest.mark.parametrize(
    "text",
    [
        'Staff call them "the night owls", a nickname that stuck after the first month.',
        'Viewers call it "the tower channel" and tune in every evening.',
    ],
)
def test_quoted_nicknames_are_not_statements(text):
    assert [c for c in extract(text) if c.kind == "quote"] == []


def test_calling_something_remains_speech():
    text = 'Zhao Hui, a Sinopec spokesman, praised the launch, calling it "a new way to reach drivers".'
    quote = _first_quote(text)
    assert (quote.quote, quote.speaker) == ("a new way to reach drivers", "Zhao Hui")


def test_a_product_code_is_not_an_organisation():
    from registry.statements.en_mentions import looks_like_org

    assert not looks_like_org("C919") and not looks_like_org("ARJ21") and not looks_like_org("A320")
    assert looks_like_org("CRRC") and looks_like_org("SASAC")


def test_a_platform_counts_less_towards_what_the_article_is_about():
    text = (
        "Bilibili users watched a livestream on Monday. Yunhai Aerospace Technology ran it.\n\n"
        "Bilibili said the stream trended. Yunhai Aerospace Technology plans more."
    )
    discourse = Discourse(text, frozenset())
    yunhai, bilibili = discourse.canonical("Yunhai Aerospace Technology"), discourse.canonical("Bilibili")
    # named as often as the company, the platform counts half
    assert discourse.salience[bilibili] * 2 == discourse.salience[yunhai]
    assert discourse.main_orgs[0] == yunhai


def _options_of(text):
    seen = {}

    def chooser(quote, options):
        seen[quote] = options
        return options[0]

    extract(text, chooser=chooser)
    return list(seen.values())


ONE_COMPANY = (
    "Yunhai Aerospace Technology Corp opened a Douyin account. Yunhai Aerospace Technology posted 40 "
    "videos.\n\nYunhai Aerospace Technology plans more.\n\n"
)


def test_staff_of_the_one_organisation_an_article_is_about():
    (options,) = _options_of(ONE_COMPANY + '"We film every test," said test pilot Qin Bo.')
    implied = [o for o in options if "o:implied" in o.features]
    assert [(o.speaker.name, o.speaker.org) for o in implied] == [("Qin Bo", "Yunhai Aerospace Technology")]
    # the model takes it (the corpus test retrains nothing: the stored model)
    assert _first_quote(ONE_COMPANY + '"We film every test," said test pilot Qin Bo.').org == (
        "Yunhai Aerospace Technology"
    )


def test_no_organisation_implied_for_an_outsider_or_when_two_share_the_story():
    (options,) = _options_of(ONE_COMPANY + '"They film well," said Lu Dan, an analyst.')
    assert not any("o:implied" in o.features for o in options)
    two = (
        "Yunhai Aerospace Technology and Tianchi Aviation Technology opened Douyin accounts. Yunhai Aerospace "
        "Technology posted 40 videos; Tianchi Aviation Technology posted 30.\n\n"
    )
    (options,) = _options_of(two + '"We film every test," said test pilot Qin Bo.')
    assert not any("o:implied" in o.features for o in options)


def test_words_opening_an_organisation_name_with_a_place_are_the_organisation():
    text = (
        "China Northern Airlines sold flight passes on Weibo.\n\n"
        'China Northern said the seats were "allocated by demand on each route".'
    )
    quote = _first_quote(text)
    assert quote.speaker is None and quote.org is not None and quote.org.startswith("China Northern")


def test_a_place_adjective_inside_a_possessive_title():
    mention = parse_subject("Haier's European head of marketing, Anna Berg,", frozenset(), verb_first=False)
    assert (mention.name, mention.org) == ("Anna Berg", "Haier")


def test_a_person_named_after_capitalised_titles_is_found_by_surname():
    text = (
        "Tencent reported results on Wednesday.\n\n"
        "Senior Vice President Fan Zhiwen told analysts the company was cautious about ad load. "
        '"We are taking a measured approach," Fan said.'
    )
    assert _first_quote(text).speaker == "Fan Zhiwen"


def test_an_officer_named_after_capitalised_titles_speaks_for_the_company():
    # the title is remembered with the name, so the surname later is a member of staff of the
    # one company the article is about
    text = (
        "Tencent reported results on Wednesday. Tencent shares rose.\n\nTencent said revenue grew.\n\n"
        "Senior Vice President Fan Zhiwen told analysts the company was cautious about ad load. "
        '"We are taking a measured approach," Fan said.'
    )
    quote = _first_quote(text)
    assert (quote.speaker, quote.role, quote.org) == ("Fan Zhiwen", "Senior Vice President", "Tencent")


def test_a_unit_described_by_its_work_stays_in_the_role():
    mention = parse_subject(
        "Gao Jie, head of the brand communication department, Sinochem", frozenset(), verb_first=True
    )
    assert (mention.name, mention.role, mention.org) == (
        "Gao Jie",
        "head of the brand communication department",
        "Sinochem",
    )
    # "the department" alone still refers back to one the article named
    assert parse_subject("said Gao Jie, head of the department", frozenset(), verb_first=True).org_ref == "department"


def test_an_owner_named_in_passing_is_not_the_company():
    text = (
        "Lingang Mobile Hong Kong Ltd sells SIM cards to visitors on Xiaohongshu.\n\n"
        "The company, a subsidiary of state-owned Huaxia Telecom Group, has five accounts.\n\n"
        '"Visitors decide before they land," said Chen Ka-ho, the company\'s head of marketing.'
    )
    assert _first_quote(text).org == "Lingang Mobile Hong Kong Ltd"


def test_photo_credits_and_quoted_handles_name_no_person():
    text = (
        "[Photo] Lu Xia films a substation in Wuxi. Courtesy of Lu Xia\n\n"
        'Lu Xia posts as "Pylon Sister Lu" on Xiaohongshu.\n\n'
        '"People ask if it is safe," Lu says.'
    )
    assert _first_quote(text).speaker == "Lu Xia"


def test_a_one_word_name_given_as_a_pseudonym():
    text = (
        "Every morning, Lanlan — not her real name — edits videos for a state-owned bank.\n\n"
        '"The approvals take longer than the filming," she said.'
    )
    assert _first_quote(text).speaker == "Lanlan"


def test_an_organisation_named_after_a_plural_role_noun():
    text = (
        "Analysts at Hengtai Advisory estimate the market at 2 billion yuan. WeChat Channels and Douyin "
        "compete for it.\n\n"
        '"The clients are loyal," said Mo Qi, an analyst at the firm.'
    )
    quote = _first_quote(text)
    assert (quote.speaker, quote.org) == ("Mo Qi", "Hengtai Advisory")


def test_a_nameless_role_holder_who_told_an_outlet_is_the_spokesperson_later():
    text = (
        "A Kuaishou spokesperson told Reuters the platform had removed the clip. "
        '"We act within hours on every report," the spokesperson said.'
    )
    quote = _first_quote(text)
    assert (quote.speaker, quote.role, quote.org) == (None, "spokesperson", "Kuaishou")


def test_a_person_from_an_organisation():
    mention = parse_subject("A staff member from Haier's press office", frozenset(), verb_first=False)
    assert (mention.name, mention.org) == (None, "Haier")
    visitor = parse_subject("A driver from Beijing", frozenset(), verb_first=False)
    assert (
        visitor.role == "driver from Beijing" and visitor.org is None
    )  # a place is where someone is from, not an employer


def test_the_subject_after_with_governs_a_partial_quote():
    text = 'Rivals are following, with Hainan Airlines describing its new pass as "a key to every city".'
    quote = _first_quote(text)
    assert (quote.quote, quote.org) == ("a key to every city", "Hainan Airlines")


def test_a_legal_form_with_a_full_stop_inside_a_name():
    from registry.statements.en_mentions import name_spans

    spans = [s.text for s in name_spans("Taikang Insurance (Group) Co. of China said its agents sell online.")]
    assert spans[0] == "Taikang Insurance (Group) Co. of China"


def test_a_bracketed_place_closes_an_organisation_name():
    from registry.statements.en_mentions import name_spans

    assert [s.text for s in name_spans("For Huaxia Telecom (Hong Kong), it is a sales channel.")] == [
        "Huaxia Telecom (Hong Kong)"
    ]


def test_no_organisation_implied_for_a_unit_the_role_names():
    (options,) = _options_of(ONE_COMPANY + '"We film every test," said Qin Bo, deputy head of the new-media centre.')
    assert not any("o:implied" in o.features for o in options)

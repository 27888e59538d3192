"""Chinese attribution structures written fresh for these tests (not taken from the corpus):
department chains after an organisation, branches and institutes of their own, words
between an organisation and a title, a bare 集团 meaning the article's group, subjects
with manner adverbials and outlets, speakers introduced at an organisation's place, a
topic clause before the speaker, a scene after a paragraph's opening quote, organisation
boundaries in the narrative, and quoted stretches that are not speech."""

import pytest

from registry.statements import extract
from registry.statements.zh import _scene_after, _sentence_cue
from registry.statements.zh_discourse import _title_orgs, narrative_orgs, narrative_people
from registry.statements.zh_mentions import Text, parse_subject


def _subject(text: str):
    return parse_subject(Text(text, text))


@pytest.mark.parametrize(
    ("subject", "name", "role", "org"),
    [
        # a chain of departments stays in the role; the organisation ends before the first
        ("中国联通品牌部新媒体运营中心负责人赵立", "赵立", "品牌部新媒体运营中心负责人", "中国联通"),
        ("招商银行零售金融部数字渠道处处长钱程", "钱程", "零售金融部数字渠道处处长", "招商银行"),
        # a party committee is a unit of the organisation, not the end of its name
        ("中铁十局党委宣传部副部长孙宁", "孙宁", "党委宣传部副部长", "中铁十局"),
        # an unnamed unit, seniority and age between the organisation and the title
        ("中国电子科技集团有限公司某研究所青年工程师邓洁", "邓洁", "青年工程师", "中国电子科技集团有限公司"),
        ("广东省律师协会前会长罗海", "罗海", "前会长", "广东省律师协会"),
        ("国网天津电力95后调度员韩雪", "韩雪", "95后调度员", "国网天津电力"),
    ],
)
def test_organisation_ends_before_departments_and_modifiers(subject, name, role, org):
    mention = _subject(subject)
    assert (mention.name, mention.role, mention.org) == (name, role, org)


def test_bare_group_before_a_department_means_the_articles_group():
    mention = _subject("集团党组宣传部新闻处处长方园")
    assert (mention.name, mention.org, mention.org_ref) == ("方园", None, "该集团")
    text = (
        "中国宝武钢铁集团有限公司日前在抖音开设官方账号。\n\n"
        "集团党组宣传部新闻处处长方园表示：“我们想让更多年轻人了解钢铁工人的日常。”"
    )
    quote = next(c for c in extract(text) if c.kind == "quote")
    assert (quote.speaker, quote.org) == ("方园", "中国宝武钢铁集团有限公司")


def test_a_branch_or_institute_is_offered_with_its_parent():
    assert ("贵州电网公司遵义供电局", "title_branch") in _title_orgs("贵州电网公司", "遵义供电局办公室主任")
    assert ("中国信息通信研究院产业研究所", "title_branch") in _title_orgs("中国信息通信研究院", "产业研究所所长")
    # a department is not a branch: it stays a unit of the organisation
    assert ("中国联通品牌部", "title_unit") in _title_orgs("中国联通", "品牌部主任")
    assert not any(source == "title_branch" for _, source in _title_orgs("中国联通", "品牌部主任"))


@pytest.mark.parametrize(
    ("subject", "name"),
    [
        ("市场部经理吴倩对每日经济新闻表示", "吴倩"),
        ("分析师陶然对《第一财经日报》记者表示", "陶然"),
        ("彭刚苦笑着对红星新闻记者说", "彭刚"),
        ("他摸摸头说", None),
    ],
)
def test_manner_and_outlet_before_the_verb_are_peeled(subject, name):
    from registry.statements.zh import _subject_of_cue

    mention = _subject_of_cue(Text(subject, subject))
    if name is None:
        assert mention.pronoun
    else:
        assert mention.name == name


def test_person_introduced_at_an_organisations_place_keeps_it():
    text = "在中国石油长庆油田，采油工人邱波已经拍了三年短视频。"
    people = narrative_people(text, text)
    assert any(getattr(p, "org", None) == "中国石油长庆油田" and p.name == "邱波" for _, p in people)
    text = "在中国华能位于甘肃的一座光伏电站，巡检员石磊是出了名的“段子手”。"
    assert any(getattr(p, "org", None) == "中国华能" for _, p in narrative_people(text, text))


def test_topic_clause_before_the_speaker():
    sentence = "对于网友关心的资费问题，客服中心主任冯晓坦言，套餐调整须经过审批"
    assert _sentence_cue(Text(sentence, sentence)).name == "冯晓"
    sentence = "在谈到直播带货时，林静表示，品牌号不以卖货为先"
    assert _sentence_cue(Text(sentence, sentence)).name == "林静"


def test_scene_after_an_opening_quote_names_the_person():
    after = "清晨6点，在呼和浩特一座变电站里，巡检班长乌力吉一边记录数据，一边给网友讲解设备。"
    assert _scene_after(Text(after, after)).name == "乌力吉"
    after = "在直播间里，主播孟瑶对着镜头展示新款手机。"
    assert _scene_after(Text(after, after)).name == "孟瑶"
    # a sentence that names nobody gives nobody
    after = "这是当地供电所每周的固定节目。"
    assert _scene_after(Text(after, after)) is None


def test_narrative_organisation_boundaries():
    text = (
        "韩梅是中国南方航空股份有限公司的一名乘务员。这就是中国航天科工集团有限公司的新账号。"
        "国庆期间公司推出了新栏目。她是某市属能源集团的小编。"
    )
    names = [name for _, name in narrative_orgs(text, text)]
    assert "中国南方航空股份有限公司" in names
    assert "中国航天科工集团有限公司" in names
    assert not any(name.startswith(("韩梅", "这就是", "国庆")) for name in names)
    assert "公司" not in names and not any("某" in name or "她" in name for name in names)


@pytest.mark.parametrize(
    "text",
    [
        "中国联通回应“网传停售流量卡”：系谣言\n\n中国联通今日表示，相关说法不实。",
        "该说法最早出自一个自称“运营商内参”的自媒体账号，目前已被平台处理。",
        "公司否认“全面裁员”，称只是岗位调整。",
    ],
)
def test_answered_claims_and_self_named_accounts_are_not_statements(text):
    assert [c.quote for c in extract(text) if c.kind == "quote"] == []


def test_coordinated_actions_give_the_first_actions_subject():
    from registry.statements.zh import _post_cue

    right = "刘晴一边调试设备，一边对着手机说。"
    assert _post_cue(Text(right, right)).name == "刘晴"


def test_relative_clause_before_a_name():
    assert _subject("在一家省属港口集团负责短视频运营的蔡文").name == "蔡文"
    text = "在中国中冶某项目部工作的严明，把工地生活拍成了短视频。"
    people = narrative_people(text, text)
    assert any(getattr(p, "org", None) == "中国中冶" and p.name == "严明" for _, p in people)


def test_reference_to_a_centre_means_the_centre_named_before():
    text = (
        "这份指数由中国人民大学企业舆情研究中心发布，中国移动位列第一。\n\n该中心主任殷红表示：“移动的账号互动率最高。”"
    )
    quote = next(c for c in extract(text) if c.kind == "quote")
    assert (quote.speaker, quote.org) == ("殷红", "中国人民大学企业舆情研究中心")


def test_article_name_cut_only_where_a_department_or_title_starts():
    from registry.statements.zh_discourse import Discourse

    text = "国网湖南省电力有限公司开通视频号。国网湖南电力新闻中心主任贺亮说：“我们每周直播。”"
    discourse = Discourse(text, text)
    assert discourse.article_org_end("国网湖南电力") == len("国网湖南电力")
    assert discourse.article_org_end("国网湖南电力新闻中心") == len("国网湖南电力")


def test_unnamed_staff_keep_their_organisation_and_role():
    mention = _subject("中国联通一位不愿具名的中层管理人员")
    assert (mention.name, mention.role, mention.org) == (None, "中层管理人员", "中国联通")
    mention = _subject("中国中铁股份有限公司海外部一名不愿透露姓名的员工")
    assert (mention.name, mention.org) == (None, "中国中铁股份有限公司")


def test_an_institute_named_after_a_place_is_not_cut():
    mention = _subject("上海社会科学院研究员彭力")
    assert (mention.name, mention.org) == ("彭力", "上海社会科学院")
    mention = _subject("深圳经济研究院研究员柯文")
    assert (mention.name, mention.org) == ("柯文", "深圳经济研究院")


def test_a_government_bodys_centre_is_an_institution_of_its_own():
    orgs = _title_orgs("国家市场监督管理总局", "新闻宣传中心主任")
    assert ("国家市场监督管理总局新闻宣传中心", "title_branch") in orgs
    # a company's centre is a department
    assert not any(source == "title_branch" for _, source in _title_orgs("中国石化", "新闻中心主任"))


def test_the_role_holder_a_narrative_introduces_is_who_the_definite_role_means():
    text = (
        "工业和信息化部新闻宣传中心有关负责人在通气会上透露，今年将开展账号清理。"
        "该负责人强调：“每一个账号都要有人管、管得住。”"
    )
    quote = next(c for c in extract(text) if c.kind == "quote")
    assert (quote.speaker, quote.org) == (None, "工业和信息化部新闻宣传中心")


def test_fullest_registered_name_of_an_organisation():
    from registry.statements.zh_discourse import Discourse

    text = "中国电信集团有限公司发布年报。国网四川省电力公司同日开通账号。中国电信表示，国网也在做。"
    discourse = Discourse(text, text)
    assert discourse.fullest("中国电信") == "中国电信集团有限公司"
    assert discourse.fullest("国网") == "国网"  # a province's company is another organisation


def test_defined_short_name_starts_after_a_byline_or_connective():
    from registry.statements.zh_discourse import _read_aliases

    assert _read_aliases("（记者 米兰）宁德时代新能源科技股份有限公司（以下简称“宁德时代”）") == {
        "宁德时代": "宁德时代新能源科技股份有限公司"
    }
    assert _read_aliases("参与的还有首钢（集团）有限公司（以下简称“首钢”）。") == {"首钢": "首钢（集团）有限公司"}


def test_a_universitys_school_is_its_own_option():
    assert ("复旦大学新闻学院", "title_school") in _title_orgs("复旦大学", "新闻学院副教授")
    assert ("中国联通品牌部", "title_unit") in _title_orgs("中国联通", "品牌部主任")


def test_a_scene_without_a_title_names_nobody():
    after = "谈直播带货，他们已经不再陌生。"
    assert _scene_after(Text(after, after)) is None


def test_transliterated_names_and_nationality_before_the_title():
    from registry.statements.zh_mentions import name_length_at

    assert name_length_at("玛丽亚·加西亚对着镜头说", 0) == len("玛丽亚·加西亚")
    mention = _subject("瓜达尔港务局巴基斯坦籍调度员阿里·汗")
    assert (mention.name, mention.org) == ("阿里·汗", "瓜达尔港务局")


def test_headline_title_talking_about_a_topic_is_not_a_name():
    assert _subject("联想高管谈出海") is None


def test_reduplicated_gesture_is_peeled_but_a_name_is_kept():
    from registry.statements.zh import _subject_of_cue

    assert _subject_of_cue(Text("她摆摆手说", "她摆摆手说")).pronoun
    assert _subject_of_cue(Text("工程师洛佩斯·佩佩说", "工程师洛佩斯·佩佩说")).name == "洛佩斯·佩佩"

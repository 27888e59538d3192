"""Organisation linking on structures written fresh for these tests (not from the corpus):
the organisation of a speaker named in a title phrase, by a trade noun ("the steelmaker"),
by "its", in a bracketed name, in the fullest form the article gives (with its country), and Chinese title
chains whose organisation ends inside a unit word or whose person is introduced as a
member of a department."""

import pytest

from registry.statements import extract
from registry.statements.options import fullest_names

CASES = [
    (
        "China Railway Group posted its first livestream on Monday.\n\n"
        "The state-owned firm's spokesman Li Ming said the stream drew viewers. "
        '"It worked better than we hoped," Li said.',
        "Li Ming",
        "China Railway Group",
    ),
    (
        'PetroChina opened a Bilibili channel in March.\n\n"Young viewers want to see the rigs," '
        "said Zhang Wei, an engineer at the company.",
        "Zhang Wei",
        "PetroChina",
    ),
    (
        "Sinopec has opened 40 new accounts on WeChat this year. Liu Yang, who manages its Douyin "
        'channel, has a team of twelve.\n\nAnother paragraph about the market.\n\n"We answer every comment," Liu said.',
        "Liu Yang",
        "Sinopec",
    ),
    (
        'Baowu Steel joined Weibo in 2019.\n\n"The account is our front door," said Chen Hua, '
        "head of digital communication at the steelmaker.",
        "Chen Hua",
        "Baowu Steel",
    ),
    (
        "Fang Yuan, a researcher at China University of Petroleum (Beijing), said the sector would change."
        '\n\n"Charging takes thirty minutes," Fang said.',
        "Fang Yuan",
        "China University of Petroleum (Beijing)",
    ),
    (
        "State Grid Corporation of China, the country's largest utility, posted 300 videos. "
        '"Our linemen are the stars," said Gao Feng, a press officer at State Grid.',
        "Gao Feng",
        "State Grid Corporation of China",
    ),
    (
        "中国石化今年在微信新开设40个账号。\n\n中石化新闻办公室副主任吕明说：“我们会回复每一条留言。”",
        "吕明",
        "中石化",
    ),
    (
        "宝武钢铁集团去年入驻微博。该集团品牌传播部的李红负责运营账号。\n\n市场上竞争激烈。\n\n李红说：“账号是我们的门面。”",
        "李红",
        "宝武钢铁集团",
    ),
    (
        "比亚迪召开业绩会。\n\n比亚迪副总裁程一帆回应称：“价格竞争是市场的正常现象。”他同时透露，公司将加大研发投入。"
        "\n\n品牌部副总经理罗静怡说：“我们会组建本地团队。”",
        "程一帆",
        "比亚迪",
    ),
    (
        'Tencent, which owns WeChat, said revenue rose. Its spokesman Chen Gang said: "We post daily."',
        "Chen Gang",
        "Tencent",
    ),
    (
        'COSCO Shipping posted videos. Wu Jie, the head of its new media centre, said: "We post daily."',
        "Wu Jie",
        "COSCO Shipping",
    ),
    (
        "China Unicom engineer Zhou Bin climbs towers for his fans.\n\nThe market is large."
        '\n\n"We post daily," Zhou said.',
        "Zhou Bin",
        "China Unicom",
    ),
    (
        'Ma Lin joined Alibaba in 2015 and now runs its Taobao Live team.\n\n"We post daily," Ma said.',
        "Ma Lin",
        "Alibaba",
    ),
    ("招商银行近日开通视频号。\n\n“我们每天更新。”该行零售金融部副总经理钱进说。", "钱进", "招商银行"),
    (
        'State Grid runs 40 accounts.\n\nXu Ping, whose team runs State Grid\'s Weibo account, said: "We post daily."',
        "Xu Ping",
        "State Grid",
    ),
    (
        'China Three Gorges Corp posted a dam video.\n\n"We post daily," said Fu Lan, '
        "who works in the SOE's publicity department.",
        "Fu Lan",
        "China Three Gorges Corp",
    ),
    (
        'Air China posted a video. "We post daily," said Lin Xue, a flight attendant with the airline.',
        "Lin Xue",
        "Air China",
    ),
    ("中国建设银行近日入驻小红书。建行个人金融部副总经理郑华说：“我们每天更新。”", "郑华", "建行"),
    ("腾讯公司副总裁、微信事业群负责人张晓表示：“我们每天更新。”", "张晓", "腾讯公司"),
]


@pytest.mark.parametrize(("text", "speaker", "org"), CASES)
def test_speaker_and_organisation(text, speaker, org):
    first = next(c for c in extract(text) if c.kind == "quote")
    assert (first.speaker, first.org) == (speaker, org)


def test_fullest_name_only_adds_legal_form_or_country():
    names = ["State Grid", "State Grid Corporation of China", "CRRC", "CRRC Changchun Railway Vehicles", "Haier"]
    fullest = fullest_names([*names, "Haier Group Co Ltd"])
    assert fullest["State Grid"] == "State Grid Corporation of China"
    assert "CRRC" not in fullest  # a subsidiary is another organisation
    assert "Haier" not in fullest  # a legal form alone: the attribution's wording is kept


def test_chinese_short_forms():
    from registry.statements.zh_discourse import _abbreviates

    assert _abbreviates("中石化", "中国石化")
    assert _abbreviates("建行", "中国建设银行")
    assert _abbreviates("南航", "中国南方航空")
    assert not _abbreviates("化石", "中国石化")  # not in order
    assert not _abbreviates("国家", "中国石化")
    assert not _abbreviates("中国石化", "中国石化")

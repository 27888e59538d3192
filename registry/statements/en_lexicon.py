"""Words and patterns the English extractor reads attribution with.

Speech verbs, titles and role nouns, organisation keywords and well-known names, the
openers that start a sentence rather than a name, and the regular expressions built from
them. Kept apart from the logic so a reader can see (and extend) the vocabulary at once.
"""

from __future__ import annotations

import re

# Reporting verbs, past and present: a new article brings verbs the old ones did not.
# Present forms that are also common plural nouns (states, claims, posts, estimates) are left out.
SPEECH_VERBS = (
    "said|says|added|adds|told|tells|noted|notes|explained|explains|stressed|stresses|emphasised|emphasized|"
    "emphasises|emphasizes|continued|continues|wrote|writes|posted|recalled|recalls|admitted|admits|remarked|"
    "remarks|insisted|insists|argued|argues|warned|warns|asked|asks|replied|replies|responded|responds|"
    "acknowledged|acknowledges|concluded|concludes|observed|observes|suggested|suggests|joked|jokes|declared|"
    "declares|announced|announces|commented|comments|conceded|concedes|cautioned|cautions|confirmed|confirms|"
    "predicted|predicts|urged|urges|stated|claimed|maintained|maintains|quipped|quips|tweeted|tweets|"
    "pointed out|points out|went on|goes on|summed up|sums up|reckoned|reckons|complained|complains|boasted|"
    "boasts|vowed|vows|pledged|pledges|promised|recounted|recounts|reflected|reflects|laughed|laughs|sighed|"
    "mused|muses|agreed|agrees|countered|counters|reiterated|reiterates|disclosed|discloses|revealed|reveals|"
    "assured|assures|advised|advises|answered|wondered|wonders|explained|"
    "(?:was|were|is)\\s+quoted\\s+as\\s+saying|put\\s+it(?:\\s+[a-z]+ly)?|according to"
)
VERB = rf"\b(?:{SPEECH_VERBS})\b"
VERB_RE = re.compile(VERB)
POST_VERB_FIRST = re.compile(rf"^({VERB})\s+(?P<subject>.+)$", re.S)
POST_SUBJECT_FIRST = re.compile(rf"^(?P<subject>.{{1,160}}?)\s+(?:also\s+)?({VERB})(?P<tail>.*)$", re.S)
# What may stand between a speech verb and the quote it introduces.
INTRO_TAIL = re.compile(
    r"\s*(?:(?:in|on|at|during|via|through|to|when|while|after|before|last|this|earlier|late)\b[^:“”\"]{0,80}?)?"
    r"\s*(?:that)?\s*[:,]?\s*",
)
# "..., adding: “...”" -- the speaker is the subject of the clause before the participle.
PARTICIPLE_INTRO = re.compile(r"(?<!\bas),?\s+(?:adding|noting|saying|explaining|stressing)\b(?:\s+that)?\s*[:,]?\s*$")
TOLD_TAIL = re.compile(r"\s+[^:,“”\"]{1,40}?\s*(?:that)?\s*[:,]?\s*")
INTRO_VERBS = frozenset({"told", "tells", "asked"})

# Reported speech: these verbs take a bare clause ("said the company would ...").
PARAPHRASE_VERB = re.compile(
    r"\b(said|says|added|noted|stressed|explained|argued|warned|insisted|emphasised|emphasized|acknowledged"
    r"|told|announced|confirmed|wrote)\b"
)
INVERTED = re.compile(
    r"(?P<clause>.+?),\s+(?P<subject>[^,\x00]{1,60}?)\s+(?:said|says|added)(?P<tail>.*?)[.!]?\s*", re.S
)
PARTICIPLE_TAIL = re.compile(r",\s+(?:adding|noting|saying|explaining|stressing)\b.*$", re.S)
PARAPHRASE_NEEDS_THAT = frozenset({"announced", "confirmed", "wrote"})
# "said at a forum in Shenzhen on Wednesday that ..." -- anything short before "that".
PARAPHRASE_MODIFIER = re.compile(
    r"\s+(?:(?:in|on|at|during|via|through|last|this|earlier|late)\b[^,.“”\"]{0,80}?)\s+that\s+"
)
# "said on Thursday it ...", "said in a statement the ..." -- when and where, not what.
SPEECH_CIRCUMSTANCE = re.compile(
    r"\s+(?:(?:(?:on|last|this|earlier|late)\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|week|month)"
    r"|yesterday|today|in\s+(?:a|an|the|its|his|her|their)\s+(?:statement|interview|post|notice|letter|speech|video)"
    r"(?:\s+on\s+\w+day)?)(?=[\s,.]|$)",
    re.I,
)

PRONOUNS = frozenset({"he", "she", "they", "it"})
HONORIFICS = frozenset(
    {
        "Mr",
        "Mr.",
        "Ms",
        "Ms.",
        "Mrs",
        "Mrs.",
        "Dr",
        "Dr.",
        "Prof",
        "Prof.",
        "Madam",
        "Miss",
        "Auntie",
        "Uncle",
        "Grandma",
    }
)
TITLE_WORDS = frozenset(
    "Chairman Chairwoman Chair CEO CFO CTO COO President Vice-President Vice-president Director Professor "
    "Minister Vice-Minister Spokesperson Spokesman Spokeswoman Founder Co-founder Secretary Ambassador Premier "
    "Vice-Premier Governor Mayor Deputy Chief Executive Manager Counselor Counsellor Editor Officer Engineer "
    "Designer Economist Strategist Analyst Researcher Lecturer Partner Head Supervisor Representative "
    "Commissioner Anchor".split()
)
ROLE_NOUNS = frozenset(
    "spokesperson spokesman spokeswoman manager director president vice-president chairman chairwoman chair ceo "
    "cfo cto coo executive officer head chief founder co-founder professor researcher analyst counselor "
    "counsellor minister secretary deputy official engineer editor partner economist scientist lecturer dean "
    "governor mayor ambassador representative leader member employee worker staff anchor host blogger "
    "influencer user owner consultant adviser advisor fellow expert lawyer teacher student designer developer "
    "producer supervisor coordinator strategist commentator livestreamer streamer marketer planner insider "
    "source operator merchant vendor farmer seller buyer customer consumer viewer follower administrator "
    "commissioner inspector principal scholar lineman linemen captain pilot teller host technician "
    "veterinarian chemist shopkeeper resident villager driver passenger netizen tester parent retiree "
    "entrepreneur trader dealer investor shopper courier rider nurse doctor miner fisherman grandmother woman man "
    "agent broker banker trainee graduate intern editor-in-chief lawmaker legislator deputy researcher "
    "teacher owner".split()
)
# Common nouns that mark the name after them as an organisation ("video-sharing app Kuaishou").
ORG_CUE_NOUNS = frozenset(
    "app company firm giant platform maker group operator provider brand retailer bank startup start-up "
    "service network site website carrier producer manufacturer developer broadcaster agency conglomerate "
    "enterprise automaker carmaker insurer lender chain marketplace unicorn brokerage consultancy".split()
)
ORG_KEYWORDS = frozenset(
    "Co Co. Corp Corp. Corporation Ltd Ltd. Limited Inc Inc. Group Holdings Company Ministry Commission "
    "Administration Bureau Department Office Agency Council Committee Government University College Institute "
    "Academy School Bank Association Federation Society Foundation Fund Exchange Court Procuratorate Center "
    "Centre Network Networks Media Telecom Mobile Unicom Airlines Airways Railway Railways Post Daily News "
    "Times Press Television TV Radio Technology Technologies Tech Electric Energy Petroleum Petrochemical "
    "Motors Motor Automobile Insurance Securities Capital Partners Studio Studios Labs Laboratory "
    "Entertainment Games Pharmaceutical Pharmaceuticals Foods Brands Stores Hospital Grid Steel Chemical "
    "Chemicals Construction Engineering Industries Industry Investment Development Organization Organisation "
    "Union Alliance Confederation Consortium Xinhua Power Shipping Logistics Airport Electronics Appliances "
    "Mobility Auto "
    "Automotive Pharma Biotech Semiconductor Software Systems Solutions Consulting Research Ventures Trading "
    "Beverage Dairy Textile Retail Commerce Transit Rail Water Gas Mining Coal Oil Resources Materials "
    "Center Centre Online Exchanges Clearing".split()
)
COMPANY_KEYWORDS = frozenset("Co Co. Corp Corp. Corporation Ltd Ltd. Limited Inc Inc. Group Holdings Company".split())
NON_COMPANY_KEYWORDS = frozenset(
    "SAMR CAC SASAC NDRC MIIT CSRC CBIRC NFRA PBOC MOFCOM NBS MOF MIC NHC SEC CIIE ".split()
    + "Ministry Commission Administration Bureau Department Council Committee Government University College "
    "School Academy Court Procuratorate Office Agency Association Federation Society Foundation Daily News "
    "Times Press Xinhua".split()
)
KNOWN_ORGS = frozenset(
    "Sinopec PetroChina CNPC CNOOC Sinochem Cosco COSCO Kuaishou Tencent Alibaba ByteDance Huawei Xiaomi Baidu "
    "Meituan Pinduoduo NetEase Lenovo Haier Midea Geely BYD NIO Xpeng DJI ZTE SenseTime iFlytek Ctrip "
    "Trip.com Didi JD JD.com Taobao Tmall Alipay Douyin Weibo Bilibili Xiaohongshu Zhihu Toutiao WeChat "
    "TikTok Nike Adidas Anta Apple Starbucks Tesla Unilever Nestle Walmart Uniqlo Luckin Mixue ICBC CCB "
    "SASAC RED Volkswagen Microsoft Google Amazon Samsung Meta Xinhua Sina Sohu iQiyi Youku Kingsoft".split()
)
PLATFORM_ORGS = frozenset(
    "RED Kuaishou Douyin Weibo Bilibili Xiaohongshu Zhihu Toutiao WeChat TikTok Taobao Tmall Alipay iQiyi Youku "
    "Pinduoduo Meituan JD.com".split()
)
NOT_ACRONYM_ORGS = frozenset(
    "CEO CFO CTO COO GDP AI US UK EU COVID COVID-19 APP PR IT VR AR TV CPC PLA RMB IPO ESG SOE SOEs B2B B2C "
    "OK I EV EVs NEV NEVs KOL KOLs CEOs".split()
)
# Capitalised words that open a sentence rather than a name: trimmed from the front of a run.
SPAN_OPENERS = frozenset(
    "The A An In On At By For From With As And But Or So If When While After Before Since Now Then This That "
    "These Those It Its He She They We I His Her Their Our My Your You Some Many Most More All Every Each Last "
    "Next Early Earlier Later According However Meanwhile Also Still Yet Among Under Over During Despite "
    "Although Though Asked Speaking Both Such Several Other Another One Two Three Major Separately Instead "
    "Courtesy".split()  # "Courtesy of Ren Xiaoyu": a photo credit
)
# Words that are never a speaker's name on their own: nationalities, days, months.
NOT_NAMES = frozenset(
    "Chinese American British European Japanese Korean French German Western Internet Monday Tuesday Wednesday "
    "Thursday Friday Saturday Sunday January February March April May June July August September October "
    "November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split()
)
# Places that appear inside organisation names ("Nike China", "Shanghai consultancy X").
PLACES = frozenset(
    "China|Greater China|Beijing|Shanghai|Guangzhou|Shenzhen|Hangzhou|Wuhan|Chengdu|Sichuan|Tibet|Xinjiang|"
    "Hong Kong|Macao|Taiwan|Asia|Asia-Pacific|Europe|Africa|America|US|UK".split("|")
)
CHINESE_SURNAMES = frozenset(
    "Li Wang Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Luo Gao Zheng Liang Xie Song "
    "Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong Pan Yuan Cai Jiang Yu Du Ye Cheng Wei Su Lyu Lu Lü Lv "
    "Ding Ren Shen Yao Cui Zhong Tan Fan Wan Shi Jin Qian Fu Kong Bai Mao Qin Gu Hou Shao Meng Long Duan Lei "
    "Qiu Jia Xiong Hao Mo Kang Yan Niu Xue Yin Ou Ouyang Sima Zhuge Lee Chan Wong Cheung Leung Ho Lam Ng Tse "
    "Yip Tsang Chow Lau Kwok Chang Hsu Tsai Lo Kuo Yeh Chiang Chu Tao Qi Zou Shan Xia Wen Bao Hua Ji Bi "
    "Gong Fang Kou Yue Ruan Hong Nie".split()
)
# Adverbial openers that precede the subject of a sentence ("In a statement, the ministry said").
INTRO_OPENERS = frozenset(
    "in on at during after before since when while as now meanwhile however separately earlier later last "
    "this also still yet speaking asked according by for from under over with despite although though".split()
)
# What ends the head of a subject ("Nike in a statement", "Zhang Wei at a forum").
HEAD_CUT = re.compile(
    r"\s+(?:in\s+(?:a|an|the|its|his|her|their)\b|on\s+(?:\w+day|its|his|her|their|the|a)\b|during\b|via\b"
    r"|through\b|when\b|while\b|after\b|before\b|at\s+(?:a|an)\b|told\b|to\s+(?:reporters|journalists|media)\b"
    r"|last\b|this\s+week\b|earlier\b|yesterday\b|today\b|who\b|which\b).*$",
    re.S,
)
TRAILING_ADVERBS = re.compile(r"\s+(?:also|later|then|once|previously|earlier|recently|further|again)$")
# Appositive chunks that end the subject ("said Li, adding that ...").
APPOSITIVE_STOP = re.compile(
    r"^(?:adding|noting|saying|explaining|who|whose|which|when|while|in|at|on|during|according|as|and|but|speaking|"
    r"writing|responding|replying|referring|commenting|addressing|talking|appearing|answering|asked|interviewed)\b"
)
ORG_REFS: dict[str, str] = {
    "ministry": "Ministry",
    "commission": "Commission",
    "administration": "Administration",
    "bureau": "Bureau",
    "university": "University",
    "institute": "Institute",
    "bank": "Bank",
    "government": "Government",
    "airline": "Airlines",
    "agency": "Agency",
    "regulator": "regulator",
    "department": "Department",
    "council": "Council",
    "confederation": "Confederation",
    "federation": "Federation",
    "alliance": "Alliance",
    "academy": "Academy",
    "society": "Society",
    "foundation": "Foundation",
    "authority": "Authority",
    "committee": "Committee",
    "platform": "platform",
    "app": "platform",
    "website": "platform",
    "company": "company",
    "firm": "company",
    "group": "company",
    "corporation": "company",
    "enterprise": "company",
    "carrier": "company",
    "operator": "company",
    "brand": "company",
    "retailer": "company",
    "startup": "company",
    "start-up": "company",
    "giant": "company",
    "conglomerate": "company",
    "chain": "company",
    "carmaker": "company",
    "automaker": "company",
    "maker": "company",
    "insurer": "company",
    "lender": "company",
    "utility": "company",
    "supplier": "company",
    "manufacturer": "company",
    "developer": "company",
    "studio": "company",
    # what news calls a company by its trade ("the steelmaker", "the refiner", "the miner")
    "steelmaker": "producer",
    "chipmaker": "producer",
    "drugmaker": "producer",
    "shipbuilder": "producer",
    "builder": "producer",
    "refiner": "producer",
    "miner": "producer",
    "producer": "producer",
    "exporter": "producer",
    "distributor": "producer",
    "brokerage": "producer",
    "smelter": "producer",
    "telco": "producer",
    "shipper": "producer",
    "courier": "producer",
    "contractor": "producer",
    "soe": "company",
    "its": "any",  # "who runs its Weibo account": the organisation the sentence is about
    "school": "University",
    "watchdog": "regulator",
    "association": "Association",
    "exchange": "Exchange",
    "office": "Office",
}
# Documents that speak for whoever issued them ("the notice said").
DOCUMENT_REF_RE = re.compile(
    r"^(?:the|this|that|its|their)\s+(?:[a-z-]+\s+)?(?:notice|statement|report|circular|document|guidelines?|rules|"
    r"post|announcement|letter|reply|response|filing|plan|regulation|provisions|measures|release|notification)$"
)
# Media named as where something was said ("told AFP"): never "the company".
MEDIA = frozenset(
    "AFP|Reuters|Xinhua|Bloomberg|Caixin|CGTN|SCMP|AP|CNN|BBC|Yicai|Jiemian|Sixth Tone|Global Times|China Daily|"
    "People's Daily|The Paper|Nikkei|Financial Times|South China Morning Post|Xinhua News Agency".split("|")
)
ORG_REF_RE = re.compile(
    rf"^(?:the|its)\s+(?:(?:[a-z-]+|[a-z][\w]*-based)\s+){{0,2}}({'|'.join(map(re.escape, ORG_REFS))})$"
)
STATEMENT_FROM = re.compile(
    r"^(?:a|the)\s+(?:statement|notice|post|announcement|circular|press release|letter|message)\s+"
    r"(?:from|by|issued by|released by|published by|posted by|signed by|on)\s+(?P<org>.+?)"
    r"(?:['’]s\s+(?:official\s+)?(?:website|account|weibo|wechat|page|channel|app)|\s+on\s+[A-Z][\w-]*)?$"
)
# "“...,” read a statement from X" / "X's statement read: “...”": documents read; posters and
# comments that "read" something speak for nobody, so "read" is a cue for documents only.
DOCUMENT_READ = re.compile(r"\b(?:read|reads)\b")
# "Haier's statement read", "the ministry's notice said": a document of the organisation.
OWN_DOCUMENT = re.compile(
    r"^(?P<org>[A-Z][\w&'’.-]*(?:\s+(?:of|and|for|&)?\s*[A-Z][\w&'’.-]*)*)['’]s\s+(?:[a-z-]+\s+)?"
    r"(?:statement|notice|post|announcement|circular|letter|reply|response|filing|release|message)$"
)
ARTICLE = re.compile(r"^(?:a|an|the|one|another)\s+", re.I)
PREPOSITION = re.compile(r"of|at|for|with|in|from|on|by", re.I)
RELATIVE_CLAUSE = re.compile(r"\s+(?:who|which|whose|that)\s.*$")
TRAILING_LOCATION = re.compile(
    r"\s+(?:based\s+)?in\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*(?:\s+(?:province|city|county|region))?$"
)
BASED_IN = re.compile(r"(?:[A-Z][\w'’]*\s+)*[A-Z][\w'’]*-based\b")
POSSESSIVE_UNIT = re.compile(
    r"['’]s?\s+(?:[A-Z][\w-]*\s+)*(?:[a-z][\w\s-]*|(?:School|Department|College|Faculty|Institute|Center|Centre|Office|Division)\b.*)"
)
# Possessives that are part of an organisation's name ("People's Daily", "King's College").
NAME_POSSESSIVES = frozenset(
    "People's People’s King's King’s Queen's Queen’s Children's Children’s Women's Women’s Workers' Workers’".split()
)
POSSESSIVE_TAIL = re.compile(r"^['’]s?(?=\s|$)")
SUBUNITS = frozenset("School College Faculty Department Division Institute Center Centre Office Laboratory Lab".split())

OPEN_MARKS = "“„«"
CLOSE_MARKS = "”»"
STRAIGHT = '"'
ALL_MARKS = OPEN_MARKS + CLOSE_MARKS + STRAIGHT
# Abbreviations whose full stop never ends a sentence ("Mr. Li", "Jan. 5", "U.S. shoppers").
ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof jr sr st no vs etc jan feb mar apr jun jul aug sep sept oct nov dec "
    "gov gen lt col rep sen dept est approx fig e.g i.e u.s u.k".split()
)
# A company suffix ends a sentence unless another suffix follows ("Co. Ltd").
COMPANY_SUFFIXES = frozenset("co corp inc ltd limited".split())
SENTENCE_END = re.compile(r"[.!?…]+[”\"’)]*(?=\s+[“\"‘(]?[A-Z0-9\x00]|\s*$)")
NEXT_WORD = re.compile(r"\s*(\w+)")
TERMINAL = (".", "!", "?", "…")

# Capitalised words that belong to a title before a name ("Sinopec Brand Director Liu").
TITLE_MODIFIERS = frozenset(
    "Chief Vice Deputy Executive Senior General Assistant Associate Managing Regional Country Global Head "
    "Brand Marketing Communications Communication Operating Financial Technology Technical Product Press "
    "Public Media Party Officer Engineer Analyst Economist Strategist Spokesperson Spokesman Spokeswoman "
    "Researcher Lecturer Partner Founder Co-founder Chairman Chairwoman President Director Manager "
    "Secretary Editor-in-chief Commissioner Principal".split()
)

# "... made the remark at a forum": the sentence after a quote names who said it.
MADE_REMARK = re.compile(
    r"^\s*(?P<subject>[^.!?“”\"]{2,200}?)\s+(?:made|gave|offered|delivered)\s+(?:the|these|those|this|that)\s+"
    r"(?:remarks?|comments?|statement|observation|point)\b"
    r"|^\s*[—–-]*\s*(?:that|this)\s+(?:was|is)\s+how\s+(?P<subject2>[^.!?“”\"]{2,200}?)\s+"
    r"(?:put\s+it|described\s+it|explained\s+it|summed\s+(?:it\s+)?up)\b",
    re.I,
)
# Capitalised titles that only a company's officers hold: without an organisation named,
# the company the article is about is meant.
CORPORATE_TITLES = frozenset("CEO CFO CTO COO Chairman Chairwoman Co-Chief Chief".split())

# What only organisations own: "Lanmo Tea's founder", "Lanmo's stores" mark the owner as one.
ORG_POSSESSIONS = re.compile(
    r"['’]s?\s+(?:(?:own|new|official|main|first|latest|biggest|largest|flagship|[A-Z][\w-]*)\s+)?(?:founder|co-founder|"
    r"chief\s+executive|ceo|cfo|chairman|chairwoman|president|spokesperson|spokesman|spokeswoman|stores?|outlets?|"
    r"shops?|shares|stock|employees|staff|workforce|headquarters|board|products|apps?|accounts?|brand|stream|"
    r"livestreams?|factory|factories|plants?|subsidiary|subsidiaries|parent|website|customers|management|"
    r"executives|revenue|profit|sales|branches|franchisees?|annual\s+report|press\s+office|public\s+relations)\b"
)
# Words that make a capitalised run a place, never a person ("Guangdong Province").
PLACE_WORDS = frozenset(
    "Province City County District Region Prefecture Township Village Town Street Road Avenue Island Bay River "
    "Lake Mountain Port Square Park Zone".split()
)

"""Words the Chinese extractor reads attribution with (simplified forms).

Traditional text is matched through ``to_simplified``, a character-for-character map that
keeps every offset, so the output is always taken from the article as written. The map is
OpenCC's traditional-to-simplified character table (shipped by the
opencc-python-reimplemented package), each character to its first simplified form.
"""

from __future__ import annotations

from importlib import resources

# Traditional -> simplified, one character each, for the characters of the attribution
# vocabulary, titles, organisation words and the common surnames (not a general converter:
# only what matching needs).
_T2S_PAIRS = (
    "說说 稱称 紹绍 強强 認认 為为 應应 聞闻 發发 總总 經经 長长 書书 記记 導导 員员 師师 專专 "
    "負负 責责 關关 務务 處处 廳厅 監监 編编 輯辑 訴诉 達达 談谈 講讲 問问 聲声 明明 覺觉 歎叹 嘆叹 "
    "釋释 憶忆 舉举 預预 議议 籲吁 醒醒 認认 佈布 宣宣 結结 評评 價价 披披 證证 露露 補补 們们 這这 "
    "該该 個个 對对 於于 後后 時时 會会 場场 訪访 報报 網网 團团 國国 際际 電电 業业 銀银 行行 "
    "華华 東东 島岛 灣湾 廣广 貴贵 陝陕 滬沪 遼辽 黑黑 龍龙 蘇苏 浙浙 閩闽 贛赣 魯鲁 豫豫 鄂鄂 湘湘 "
    "瓊琼 川川 雲云 藏藏 寧宁 夏夏 新新 疆疆 門门 澳澳 臺台 區区 縣县 鄉乡 鎮镇 村村 市市 省省 "
    "濟济 運运 營营 銷销 傳传 媒媒 體体 數数 據据 實实 驗验 構构 機机 開开 設设 計计 劃划 規规 "
    "產产 品品 牌牌 號号 帳账 賬账 戶户 視视 頻频 訊讯 頭头 條条 紅红 書书 嗶哔 階阶 層层 級级 "
    "幹干 鐵铁 路路 鋼钢 礦矿 貨货 輸输 飛飞 燈灯 氣气 煙烟 車车 輛辆 鏈链 億亿 萬万 兩两 幾几 "
    "約约 餘余 逾逾 過过 超超 達达 佔占 數数 將将 從从 與与 並并 還还 讓让 給给 難难 學学 "
    "術术 研研 究究 院院 所所 協协 聯联 盟盟 辦办 護护 醫医 藥药 療疗 險险 證证 券券 資资 "
    "產产 權权 屬属 級级 層层 黨党 組组 織织 紀纪 檢检 員员 職职 幣币 錢钱 費费 貿贸 稅税 "
    "闆板 採采 係系 積积 電电 體体 創创 辦办 董董 監监 執执 財财 會会 計计 審审 核核 務务 勢势 態态 慶庆 親亲 愛爱 "
    "歡欢 樂乐 來来 見见 現现 聽听 頁页 圖图 攝摄 謝谢 贊赞 讚赞 譽誉 顧顾 客客 戶户 "
    "陳陈 張张 劉刘 黃黄 趙赵 吳吴 孫孙 馬马 鄭郑 謝谢 韓韩 馮冯 鄧邓 蕭萧 葉叶 蘇苏 呂吕 盧卢 "
    "蔣蒋 鍾钟 譚谭 陸陆 賈贾 韋韦 鄒邹 閆闫 龍龙 賀贺 顧顾 龔龚 萬万 錢钱 嚴严 湯汤 羅罗 "
    "楊杨 許许 鄔邬 魯鲁 歐欧 陽阳 諸诸 葛葛 聶聂 喬乔 隨随 廬庐 鄺邝 麥麦 溫温 關关 嶽岳 "
    "劉刘 鳳凤 閻阎 畢毕 齊齐 衛卫 蔔卜 雙双 藍蓝 駱骆 權权 塗涂 餘余 莊庄 夢梦 鄺邝 "
    "偉伟 強强 軍军 傑杰 濤涛 鵬鹏 華华 輝辉 麗丽 靜静 紅红 霞霞 燕燕 艷艳 豔艳 鳴鸣 飛飞 "
    "龍龙 鳳凤 蓮莲 瑩莹 穎颖 翹翘 嬌娇 嬋婵 歲岁 興兴 盛盛 雲云 "
    "勢势 徑径 徵征 績绩 標标 準准 範范 圍围 類类 際际 選选 擇择 優优 質质 參参 與与 "
    "離离 線线 網网 絡络 擊击 戰战 鬥斗 爭争 災灾 難难 險险 決决 斷断 轉转 變变 換换 "
    "環环 節节 紀纪 錄录 簡简 稱称 謂谓 讀读 寫写 講讲 詞词 語语 話话 調调 試试 誌志 "
    "閱阅 覽览 觀观 點点 擬拟 訂订 總总 鬆松 緊紧 織织 綜综 統统 籌筹 劃划 備备 "
    "屆届 獎奖 勵励 獲获 贏赢 輸输 錯错 誤误 讀读 擴扩 張张 增增 長长 漲涨 跌跌 "
    "鄰邻 組组 廠厂 莊庄 濱滨 灣湾 潤润 滙汇 匯汇 豐丰 寶宝 鞍鞍 紡纺 裝装 備备 "
    "郵邮 遞递 順顺 聯联 騰腾 訊讯 裡里 裏里 邊边 們们 麼么 嗎吗 呢呢 啊啊 吧吧"
)
_T2S = {pair[0]: pair[1] for pair in _T2S_PAIRS.split() if len(pair) == 2 and pair[0] != pair[1]}


def _opencc_characters() -> dict[str, str]:
    """OpenCC's TSCharacters table: one traditional character to one simplified one."""
    table = resources.files("opencc").joinpath("dictionary", "TSCharacters.txt").read_text(encoding="utf-8")
    mapping = {}
    for line in table.splitlines():
        source, _, targets = line.partition("\t")
        target = targets.split(" ")[0] if targets else ""
        if len(source) == 1 and len(target) == 1 and source != target:
            mapping[source] = target
    return mapping


_TABLE = str.maketrans({**_T2S, **_opencc_characters()})


def to_simplified(text: str) -> str:
    """``text`` with the traditional characters this module knows mapped to simplified ones.
    One character for one, so offsets into the result are offsets into ``text``."""
    return text.translate(_TABLE)


# Speech verbs and constructions, longest first when matched. They end the attribution
# clause: SUBJECT + (adverbial) + VERB + (：/，) + quote, or quote + SUBJECT + VERB.
SPEECH_VERBS = tuple(
    sorted(
        set(
            """
            表示 说 说道 讲 讲道 道 指出 称 声称 宣称 介绍 强调 坦言 直言 认为 透露 回应 回应称 表态 告诉记者
            补充 补充道 补充说 补充称 感慨 感慨道 感叹 感叹道 笑言 笑称 笑道 解释 解释称 解释道 提到 谈到 写道
            发文称 回忆 回忆说 回忆道 举例说 分析 分析称 分析说 预计 建议 呼吁 提醒 坦承 承认 重申 披露 证实
            说明 致辞时表示 答 回答 回答说 问道 反问 总结 总结道 评价 评价道 形容 告诉 表明 坦陈 直陈
            进一步表示 进一步指出 进一步解释 明确表示 明确指出 公开表示 对此表示 对此回应 对此解释 对此称
            答复 答复称 批评 批评说 自豪地说 笑着说 激动地说 动情地说 感慨地说 坦率地说 肯定地说 自信地说
            向记者介绍 向记者表示 向记者透露 对记者表示 对记者说 对记者介绍 接受采访时表示 告诉本报记者
            表示称 称赞 赞叹 坦然 寄语 直说 嘱咐 叮嘱 说出 谈及 提及 发言 发言称 发言表示 发布称 发布声明称
            在声明中表示 在声明中称 声明称 发表声明称 公告称 通报称 回复称 回复 回复道
            """.split()
        ),
        key=len,
        reverse=True,
    )
)

# Speech verbs that, standing right before a quote, introduce it without a colon ("称“…”").
VERB_ENDINGS = frozenset("说 道 称 表示 指出 强调 坦言 认为 透露 介绍 回应 写道 问 答".split())

# Titles: the role as the article words it. Longest first when matched.
TITLES = tuple(
    sorted(
        set(
            """
            新闻发言人 发言人 董事长 副董事长 董事 独立董事
            总经理 副总经理 常务副总经理 总裁 副总裁 高级副总裁 执行副总裁
            首席执行官 首席运营官 首席财务官 首席技术官 首席营销官 首席品牌官 首席信息官 首席经济学家 首席分析师
            首席科学家 首席专家 首席代表 党委书记 党组书记 党委副书记 党组副书记 书记 副书记 纪委书记 主任 副主任
            常务副主任 处长 副处长 局长 副局长 部长 副部长 司长 副司长 厅长 副厅长 院长 副院长 所长 副所长
            校长 副校长 教授 副教授 讲师 研究员 副研究员 助理研究员 分析师 经理 副经理 总监 副总监 主管 主播
            创始人 联合创始人 秘书长 副秘书长 会长 副会长 理事长 副理事长 行长 副行长 总编辑 副总编辑 主编
            副主编 编辑 记者 博士 专家 工程师 总工程师 副总工程师 总会计师 总经济师 员工 店长 市长 副市长
            省长 副省长 县长 副县长 区长 副区长 镇长 乡长 村支书 村长 委员 常委 经济学家 合伙人 科长 副科长
            组长 队长 站长 老师 学者 博主 网红 负责人 相关负责人 主要负责人 业务负责人 项目负责人 运营负责人
            品牌负责人 市场负责人 工作人员 客服人员 宣传干事 干事 主席 副主席 执行董事 总干事 首席代表
            首席研究员 高级研究员 高级分析师 高级经理 高级总监 首席 总负责人 联合主席 执行总裁 执行总经理
            总编 副总编 台长 副台长 社长 副社长 馆长 副馆长 园长 校长助理 总裁助理 院长助理 总经理助理
            董事会秘书 董秘 证券事务代表 新闻官 发言官 新媒体运营 运营总监 市场总监 品牌总监 公关总监
            传播总监 营销总监 技术总监 产品总监 内容总监 创意总监 副总 主理人 讲解员 带货主播 代言人
            毕业生 应届毕业生 大学生 求职者 实习生 受访者 网民 志愿者 农民 牧民 渔民 工程师们 外卖员 售货员 营业员
            干部 宣传干部 高级讲师 高级工程师 资深分析师 资深研究员
            特约研究员 兼职教授 客座教授 助理教授 讲座教授 高级副总裁
            市民 网友 居民 村民 游客 乘客 学生 家长 车主 店主 老板 农户 果农 工人 职工 观众 主持人 计划主持人
            班员 线路工 操作员 设计师 程序员 律师 医生 护士 司机 快递员 骑手 主管 经销商 投资人 创业者 研究生
            调度员 巡检员 乘务员 乘务长 机长 安全员 检修工 检修员 运维员 值班员 话务员 业务员 宣传员 班长
            人员 管理人员 中层管理人员 高管 有关负责人 班组长 车间主任 工长 技术员 质检员 巡线员
            配送员 电工 焊工 飞行员 列车长 船长 客服代表
            """.split()
        ),
        key=len,
        reverse=True,
    )
)
# Titles that can stand alone after a surname as a form of address ("王总", "李经理").
ADDRESS_TITLES = tuple(
    sorted(
        "总 经理 主任 处长 局长 部长 书记 院长 所长 教授 老师 先生 女士 小姐 博士 董事长 总监 师傅".split(),
        key=len,
        reverse=True,
    )
)

# Sub-units that stay in the role ("宣传部副主任") when an organisation is named before them.
SUBUNIT_HEADS = (
    "宣传 品牌 市场 公关 新闻 办公 传播 运营 营销 媒体 融媒体 新媒体 企业文化 党群 团委 工会 技术 研发 "
    "战略 规划 财务 人力资源 客户服务 客服 信息 数字化 数字 电商 国际 海外 对外联络 外事 文化 政策研究 "
    "法律 法务 投资者关系 董事会 总裁 总经理 党委 党组 纪检 监察 安全 生产 销售 采购 物流 产品 创新 "
    "研究 发展 改革 综合 行政 公共关系 社会责任 可持续发展 网络 传媒 品牌管理 市场营销 品牌传播 新闻宣传 "
    "行销 企划 行销企划 公共事务 投资者关系 数码 客户体验 数码及客户体验 用户发展 用户 会计 金融 会计及金融 "
    "新闻与传播 新闻传播 新闻 广告 企业管理 管理 劳动人事 经济 法 法学 计算机 电子商务 商务 产业带 线路 "
    "人力资源 人力 资源 财务 产业带运营 运营 文化 品牌与文化 "
    "品牌及公关 品牌与传播 品牌与公共事务 党委宣传 宣传 融媒体 新媒体运营 内容 运营管理 客户服务 人力 人资"
).split()
SUBUNIT_TAILS = (
    "部",
    "处",
    "科",
    "室",
    "办公室",
    "中心",
    "司",
    "事业部",
    "事业群",
    "研究院",
    "研究所",
    "委员会",
    "学院",
    "系",
    "学系",
    "行业",
    "班",
    "组",
    "课题组",
    "团队",
    "板块",
    "业务",
    "条线",
)

# Words that end an organisation's name.
ORG_SUFFIXES = tuple(
    sorted(
        set(
            """
            股份有限公司 有限责任公司 有限公司 公司 集团 控股 银行 委员会 委 部 局 厅 署 办 院 研究院 研究所 研究中心
            大学 学院 中心 协会 学会 联合会 商会 基金会 办公室 政府 医院 报社 电视台 日报 晚报 新闻网 网 平台 组织
            工厂 厂 电网 石化 石油 移动 联通 电信 航空 铁路 证券 保险 基金 科技 汽车 能源 电力 建设 建筑 实业
            交通 物流 海运 航运 钢铁 医药 传媒 文旅 旅游 国资委 总局 总署 联盟 集团公司 分公司 子公司 事务所
            """.split()
        ),
        key=len,
        reverse=True,
    )
)

# Companies and bodies often named in this domain, with their short forms. The extractor
# needs them only to find where an organisation's name starts in running text.
KNOWN_ORGS = tuple(
    sorted(
        set(
            """
            中国石化 中石化 中国石油化工集团 中国石油 中石油 中国海油 中海油 国家电网 国网 南方电网 南网 中国移动 中移动
            中国联通 中国电信 中国铁塔 华为 腾讯 阿里巴巴 阿里 字节跳动 比亚迪 小米 京东 美团 拼多多 百度 网易 快手 抖音
            哔哩哔哩 小红书 新浪 微博 中远海运 中国中车 中国建筑 中建 中国铁建 中国中铁 招商局 中粮 中化 中国宝武 宝武
            鞍钢 国资委 国务院国资委 中国一汽 一汽 东风 东风汽车 上汽 上汽集团 吉利 长城汽车 蔚来 小鹏 理想 伊利 蒙牛
            海尔 美的 格力 工商银行 工行 建设银行 建行 农业银行 农行 中国银行 中行 交通银行 招商银行 招行 中国人寿
            中国平安 平安 中国邮政 顺丰 中国航天 中国商飞 东方航空 东航 南方航空 南航 中国国航 国航 中国电建 中国能建
            国家能源集团 国家能源 国家电投 华能 大唐 华电 三峡集团 中国三峡 中核 中广核 中国兵器 中国船舶 中航工业
            中国航发 中国黄金 中国五矿 五矿 中国旅游集团 华润 保利 中交 中国交建 中国电科 中国电子 中国信科 中国华录
            新华社 人民日报 人民网 新华网 央视 中央广播电视总台 澎湃新闻 界面新闻 财新 第一财经 环球时报 中国日报
            商务部 外交部 工信部 工业和信息化部 国家发展改革委 发改委 国家网信办 网信办 国家市场监管总局 市场监管总局
            交通运输部 文化和旅游部 文旅部 生态环境部 农业农村部
            教育部 科技部 财政部 人力资源和社会保障部 国务院新闻办公室
            国新办 清华大学 北京大学 中国人民大学 复旦大学 浙江大学 中国传媒大学 北京师范大学 南京大学 武汉大学
            宁德时代 台积电 统一企业 国泰航空 国泰 港铁 中国海外发展 中海外 联想 中兴 中兴通讯 大疆
            海信 TCL 长虹 恒瑞 茅台 贵州茅台 五粮液 安踏 李宁 蜜雪冰城 瑞幸 喜茶
            携程 滴滴 唯品会 苏宁 国美 万科 碧桂园 中信 中信集团 光大 中国光大 中国太保 太平洋保险 泰康 中国中化
            中国化工 中国节能 中国建材 中国有色 中国冶金 中冶 中国铝业 中铝 中国中煤 中煤 国家管网 中国储备粮
            中储粮 中国诚通 中国国新 国投 中国铁路 国铁集团 中国国家铁路集团 中国邮政集团 中国烟草 中国广电
            """.split()
        ),
        key=len,
        reverse=True,
    )
)

# Pronouns and definite descriptions that refer back.
PERSON_PRONOUNS = ("他", "她")
GROUP_PRONOUNS = (
    "他们",
    "她们",
    "大家",
    "网友",
    "网友们",
    "业内人士",
    "专家",
    "专家们",
    "分析人士",
    "市民",
    "居民",
    "村民",
    "消费者",
    "用户",
    "员工们",
)
ORG_REFERENCES = (
    "该公司",
    "这家公司",
    "该集团",
    "这家企业",
    "该企业",
    "该行",
    "该平台",
    "该部门",
    "该局",
    "该委",
    "该部",
    "该机构",
    "该院",
    "该校",
    "该中心",
    "该协会",
    "公司方面",
    "集团方面",
    "公司",
    "集团",
    "官方",
    "该品牌",
    "企业方面",
)
ROLE_REFERENCES = ("该负责人", "这位负责人", "上述负责人", "该人士", "这位人士", "该发言人", "这位发言人", "该工作人员")

# Common Chinese surnames (simplified), compound ones first.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 令狐 慕容 尉迟 长孙 宇文 司徒 "
    "夏侯 轩辕 端木 公孙 独孤 南宫 西门 百里 呼延 万俟".split()
)
SURNAMES = frozenset(
    """
    许 王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 林 罗 高 郑 梁 谢 宋 唐 韩 冯 邓 曹 彭 曾 萧 肖 田 董 潘 袁 蔡
    蒋 余 于 杜 叶 程 魏 苏 吕 丁 任 沈 姚 卢 姜 崔 钟 谭 陆 汪 范 金 石 廖 贾 夏 韦 付 傅 方 白 邹 孟 熊 秦 邱 江 尹
    薛 闫 阎 段 雷 侯 龙 史 陶 黎 贺 顾 毛 郝 龚 邵 万 钱 严 覃 武 戴 莫 孔 向 汤 常 温 康 施 文 牛 樊 葛 邢 安 齐 易
    乔 伍 庞 颜 倪 庄 聂 章 鲁 岳 翟 殷 詹 申 欧 耿 关 兰 焦 俞 左 柳 甘 祝 包 宁 尚 符 舒 阮 柯 纪 梅 童 凌 毕 单 季
    裴 霍 涂 成 苗 谷 盛 曲 翁 冉 骆 蓝 路 游 辛 靳 管 柴 蒙 鲍 华 喻 祁 蒲 房 滕 屈 饶 解 牟 艾 尤 阳 时 穆 农 司 卓
    古 吉 缪 简 车 项 连 芦 麦 褚 娄 窦 戚 岑 景 党 宫 费 卜 冷 晏 席 卫 米 柏 宗 瞿 桂 全 佟 应 臧 闵 苟 邬 边 卞
    姬 师 和 仇 栾 隋 商 刁 沙 荣 巫 寇 桑 郎 甄 丛 仲 虞 敖 巩 明 佘 池 查 麻 苑 迟 邝 官 封 谈 匡 鞠 惠 荆 乐 冀 郁
    胥 南 班 储 原 栗 燕 楚 鄢 劳 谌 奚 皮 粟 冼 蔺 楼 盘 满 闻 位 厉 伊 仝 区 郜 海 阚 花 权 强 帅 屠 豆 朴 盖 练 廉
    禹 井 祖 漆 巴 丰 支 卿 国 狄 平 计 索 宣 晋 相 初 门 云 容 敬 来 扈 晁 芮 都 普 阙 浦 戈 伏 鹿 薄 邸 雍 辜 羊
    阿 乌 母 裘 亓 修 邰 赫 杭 况 那 宿 鲜 印 逯 隆 茹 诸 战 慕 危 玉 银 亢 嵇 公 哈 湛 宦 衡 仉 鄂 达 剑 洪 尉 庹
    """.split()
)

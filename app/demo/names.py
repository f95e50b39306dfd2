"""Deterministic, realistic demo data: org names and people's names."""

#: (code, name, region code) of the 29 branches named in the programme's document.
BRANCHES = [
    ("BJ", "北京", "N"), ("TJ", "天津", "N"), ("HEB", "河北", "N"), ("LN", "辽宁", "N"), ("DL", "大连", "N"),
    ("JL", "吉林", "N"), ("SX", "山西", "N"), ("SD", "山东", "N"), ("QD", "青岛", "N"), ("NMG", "内蒙古", "N"),
    ("HEN", "河南", "CW"), ("HUB", "湖北", "CW"), ("HUN", "湖南", "CW"), ("JX", "江西", "CW"), ("SC", "四川", "CW"),
    ("YN", "云南", "CW"), ("GZ", "贵州", "CW"), ("GS", "甘肃", "CW"), ("XJ", "新疆", "CW"), ("GX", "广西", "CW"),
    ("JS", "江苏", "SE"), ("WX", "无锡", "SE"), ("ZJ", "浙江", "SE"), ("NB", "宁波", "SE"), ("AH", "安徽", "SE"),
    ("FJ", "福建", "SE"), ("XM", "厦门", "SE"), ("SZ", "深圳", "SE"), ("HAI", "海南", "SE"),
]
BRANCH_EN = {
    "BJ": "Beijing", "TJ": "Tianjin", "HEB": "Hebei", "LN": "Liaoning", "DL": "Dalian", "JL": "Jilin", "SX": "Shanxi",
    "SD": "Shandong", "QD": "Qingdao", "NMG": "Inner Mongolia", "HEN": "Henan", "HUB": "Hubei", "HUN": "Hunan",
    "JX": "Jiangxi", "SC": "Sichuan", "YN": "Yunnan", "GZ": "Guizhou", "GS": "Gansu", "XJ": "Xinjiang", "GX": "Guangxi",
    "JS": "Jiangsu", "WX": "Wuxi", "ZJ": "Zhejiang", "NB": "Ningbo", "AH": "Anhui", "FJ": "Fujian", "XM": "Xiamen",
    "SZ": "Shenzhen", "HAI": "Hainan",
}
REGIONS = [("N", "北部片区", "North region"), ("CW", "中西部片区", "Central-West region"), ("SE", "东南部片区", "South-East region")]

#: Sub-branches the document names in its case studies, first under their branch.
NAMED_SUB_BRANCHES = {"JS": ["珠江路"], "SZ": ["华富"], "JL": ["新曙光"], "LN": ["桃仙"]}
SUB_BRANCH_NAMES = ["城东", "城西", "城南", "城北", "高新区", "开发区", "新城", "滨江", "解放路", "人民路", "中山路",
                    "建设路", "文化路", "和平路", "长江路", "黄河路", "世纪大道", "科技园", "火车站", "港湾"]
STREETS = ["东风", "胜利", "幸福", "光明", "朝阳", "新华", "青年", "红旗", "民主", "学府", "花园", "湖滨", "金桥",
           "银河", "锦绣", "望江", "春晖", "海棠", "梧桐", "翠苑", "星光", "长安", "南湖", "北苑", "东湖", "西溪"]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华建文玉兰志红梅鑫宇浩然子轩欣怡思雨佳琪晨阳博文嘉怡俊杰雅婷晓东海燕春雷丹凤德华国庆立新"


def person_name(rng) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given

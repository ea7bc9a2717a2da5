"""What each numeral of a report is: a target, a result, or no quantity of an indicator (and why).

One table of real sentences per kind, all from training reports (tests/gold/passages/passages.tsv,
split = train), then one row for every error class reported against the product (its issue's words).
``kind`` is ``target``, ``result``, or ``none:<reason>`` with a reason of
:data:`kg.extract.quantities.SKIP_REASONS`.
"""
from __future__ import annotations

import pytest

from kg.evaluate_goals import signed_value
from kg.extract.goals import extract_text
from kg.extract.quantities import SKIP_REASONS


def kind_of(sentence: str, part: str, numeral: str, year: int = 2023) -> str:
    """The kind the goal stage gives the one mention of ``numeral`` in ``sentence`` ("" when none)."""
    res = extract_text(sentence, part, year)
    found = [("target" if f.kind == "target" else "result", f.start, f.end) for f in res.facts if f.measure != "qualitative"]
    found += [("none:" + s.reason, s.start, s.end) for s in res.skipped]
    at = sentence.index(numeral)  # the first occurrence ("1]": the footnote marker, not the 1 of 1556)
    hits = [k for k, a, b in found if a <= at < b or at <= a < at + len(numeral.rstrip("]"))]
    assert len(hits) <= 1, hits
    return hits[0] if hits else ""


# (report, part kind, sentence, numeral, kind)
KINDS = [
    # targets: the plan part, the main expected targets, a hedged goal
    ("zhejiang-2025", "plan", "经济社会发展的主要预期目标是：全省地区生产总值增长5.5%以上，在实际工作中争取更好结果。",
     "5.5%", "target"),
    ("dingxing-2022", "plan", "力争休闲食品产值达到100亿元，装备制造业达到67亿元，生物医药达到21亿元。", "67亿元", "target"),
    ("guowuyuan-2023", "plan", "赤字率拟按3%安排。", "3%", "target"),
    ("yixian-2022", "plan", "努力消除村集体收入5万元以下的村，村集体收入10万元以上的村达到50%以上。", "50%", "target"),
    # results: the review part
    ("guowuyuan-2014", "review", "国内生产总值达到56.9万亿元，比上年增长7.7%。", "56.9万亿元", "result"),
    ("guowuyuan-2014", "review", "国内生产总值达到56.9万亿元，比上年增长7.7%。", "7.7%", "result"),
    ("anhui-2025", "review", "战略性新兴产业产值占规上工业比重43.6%、提高0.7个百分点。", "0.7个百分点", "result"),
    ("fujian-2025", "review", "推动资源共享，累计向金门供水3800多万吨，厦金通气工程大嶝LNG气源站已具备投产条件。",
     "3800多万吨", "result"),
    ("anguo-2020", "review", "开展农村人居环境整治三年行动，完成改厕7900座，清理垃圾12万吨。", "7900座", "result"),
    # a rank is a result (or a target): the numeral is its value
    ("jiangsu-2025", "review", "区域创新能力排名跃升至全国第二，全社会研发投入强度超过3.3%。", "二", "result"),
    # no quantity of an indicator
    ("anguo-2022", "plan", "谋划举办第二十五届国际药材节暨2022中国安国药材医药保健品交流会等系列活动。", "二十五届",
     "none:ordinal"),
    ("baoding-2021", "plan", "2021年是“十四五”规划开局之年，也是中国共产党成立100周年。", "2021年", "none:date"),
    ("baoding-2021", "plan", "2021年是“十四五”规划开局之年，也是中国共产党成立100周年。", "100周年", "none:anniversary"),
    ("anguo-2020", "review", "开展农村人居环境整治三年行动，完成改厕7900座，清理垃圾12万吨。", "三年", "none:programme"),
    ("baoding-2025", "review", "超低能耗建筑产业健康发展，新开工面积连续三年全省第一。", "三年", "none:streak"),
    ("anguo-2022", "review", "以现代化中医药之都建设为中心，深入实施“1556”战略[1]，真抓实干。", "1556", "none:quoted"),
    ("anguo-2022", "review", "以现代化中医药之都建设为中心，深入实施“1556”战略[1]，真抓实干。", "1]", "none:footnote"),
    ("anguo-2020", "review", "全年优良空气189天，PM2.5下降14.7%，综合指数下降5.3%。", "2.5", "none:code"),
    ("yixian-2022", "plan", "努力消除村集体收入5万元以下的村，村集体收入10万元以上的村达到50%以上。", "10万元以上",
     "none:modifier"),
    ("laiyuan-2025", "plan", "科学谋划108国道绕城段改建、207国道县城段改线等交通基础设施建设。", "207", "none:no-unit"),
    ("laiyuan-2022", "plan", "深入落实中央、全省经济工作会议和市委十二届三次全会精神，弘扬伟大建党精神。", "三次", "none:name"),
    ("guowuyuan-2014", "review", "习近平主席等新一届国家领导人出席二十国集团领导人峰会、亚太经合组织领导人非正式会议。",
     "二十国", "none:named-count"),
    ("baoding-2021", "review", "17万党员干部冲锋一线，143名白衣天使驰援湖北，1000万保定人民众志成城、守望相助。",
     "1000万", "none:fact"),
    ("heilongjiang-2026", "review", "产业项目建设年活动深入实施，1000个省级重点产业项目完成投资1865.7亿元、增长4%。",
     "1000个", "none:scope"),
    ("henan-2025", "review", "全省160个国控断面中I类及以上水质占比86.1%。", "160个", "none:scope"),
    # a plan part looking back at last year states a result
    ("laishui-2021", "plan", "去年县人代会确定的19项民生实事如期推进，成效明显。", "19项", "result"),
    # an Arabic count before a quoted name is a quantity (a Chinese one is a slogan)
    ("anhui-2025", "plan", "力争开通合肥至欧洲、非洲航线及5条左右“一带一路”沿线国家航线。", "5条", "target"),
    # the capacity or height of a named project describes it
    ("fuping-2013", "plan", "重点推进中电投平阳20兆瓦光伏发电、国华龙泉关49.5兆瓦风电场等新能源项目。", "20兆瓦",
     "none:modifier"),
    ("xinan-2024", "review", "济新高速建设进度超过60%、高109米的黄河大桥主塔封顶。", "109米", "none:modifier"),
    ("guowuyuan-2021", "plan", "对小微企业和个体工商户年应纳税所得额不到100万元的部分，再减半征收所得税。", "100万元",
     "none:modifier"),
    # a from-to change: the start is a baseline, not the scope of the end
    ("hebei-2023", "review", "国家高新技术企业从3174家增长到1.24万家。", "3174家", "none:baseline"),
    ("hebei-2023", "review", "国家高新技术企业从3174家增长到1.24万家。", "1.24万家", "result"),
    ("guowuyuan-2015", "plan", "要坚持以人为核心，以解决好三个1亿人问题为着力点。", "1亿人", "none:named-count"),
    ("hebei-2001", "review", "精神文化产品，有109项作品获全国大奖。", "109项", "result"),
    ("hebei-2001", "review", "人均国内生产总值由居全国第13位上升到第11位。", "11位", "result"),
    ("laiyuan-2021", "plan", "确保石道沟年出栏12万头的6栋猪上楼项目投产运营，建成50万吨饲料厂。", "12万头", "none:modifier"),
    ("laiyuan-2021", "plan", "确保石道沟年出栏12万头的6栋猪上楼项目投产运营，建成50万吨饲料厂。", "50万吨", "none:modifier"),
    # a start of a from-to change, dated or not, is the reference
    ("guowuyuan-2013", "review", "财政赤字占国内生产总值的比重从2009年的2.8%降到去年的1.5%左右。", "2.8%", "none:baseline"),
    ("guowuyuan-2013", "review", "财政赤字占国内生产总值的比重从2009年的2.8%降到去年的1.5%左右。", "1.5%", "result"),
    # project sizes in a list of projects
    ("hailaer-2013", "review", "投资3500万元的二三级供水管网改造、3800万元的背街巷道改造等项目全面完成。", "3800万元",
     "none:modifier"),
    ("hailaer-2013", "plan", "实施奋斗镇1万亩节水灌溉、哈克镇7000平方米标准化奶牛养殖等项目。", "7000平方米", "none:modifier"),
    ("anguo-2020", "plan", "加快推进总投资11亿元、占地600亩的河北大学安国校区建设。", "11亿元", "none:modifier"),
    ("beijing-2026", "plan", "稳妥推进二轮土地承包到期后再延长30年试点。", "30年", "none:streak"),
    # an approximate size before 的 describes a project; an approximate count before 的 counts
    ("laiyuan-2021", "review", "成功举办了河北省首届旅游产业发展大会，投资近150亿元的“五大板块”旅游新业态项目精彩绽放。",
     "150亿元", "none:modifier"),
    ("shanxi-2026", "plan", "学习运用“千万工程”经验，选择11个左右的县探索片区化推进乡村振兴。", "11个", "target"),
    # a streak after 连续 is how long a run lasted
    ("gansu-2026", "review", "工业投资连续54个月保持两位数增长。", "54个月", "none:streak"),
    ("fujian-2026", "review", "连续12届获中国戏剧梅花奖。", "12届", "none:streak"),
    # every start of a from-to list is a baseline
    ("guowuyuan-2023", "review", "将制造业企业、科技型中小企业分别从50%、75%提高至100%。", "75%", "none:baseline"),
    # a Chinese count of things an action made, held or won, or of the times an act was done, is a result;
    # 一 after another count of the same list is one more; 两位数增长 is growth of at least 10%
    ("gaotang-2021", "review", "成功举办三届全国性锦鲤大赛。", "三届", "result"),
    ("gaotang-2021", "review", "两次提高城乡低保和特困人员救助供养标准。", "两次", "result"),
    ("error-analysis", "review", "修建了三条园区道路和一座地道桥。", "一座", "result"),
    ("guowuyuan-2023", "review", "企业研发投入保持两位数增长，一大批创新企业脱颖而出。", "两位数", "result"),
    ("hebei-2003", "plan", "提高利用两个市场、两种资源的能力和水平。", "两种", "none:named-count"),
    ("qinghai-2025", "review", "时隔66年青海再次获批2所本科高校。", "66年", "none:streak"),
    # a fraction is a share
    ("shaanxi-2026", "review", "苹果、猕猴桃产量稳定在全国1/4、1/3。", "1/3", "result"),
]


@pytest.mark.parametrize("report, part, sentence, numeral, kind", KINDS)
def test_kind_of_every_numeral(report, part, sentence, numeral, kind):
    assert kind.split(":")[0] in ("target", "result", "none")
    assert kind[5:] in SKIP_REASONS if kind.startswith("none:") else True
    assert kind_of(sentence, part, numeral) == kind, report


# One row per error class of the report that asked for this table (the issue's own examples):
# numbers inside names, facts/thresholds/eligibility, and a comparator.
ISSUE = [
    ("习近平主席等新一届国家领导人出席二十国集团领导人峰会。", "review", "二十国", "none:named-count"),
    ("承办第七届京津冀铁人三项赛、第三届台底门球邀请赛。", "review", "三项", "none:named-count"),
    ("严格落实中央八项规定精神，驰而不息纠正“四风”。", "plan", "八项", "none:named-count"),
    ("聚焦建军一百年奋斗目标，推进政治建军。", "plan", "一百年", "none:streak"),
    ("汽车及零部件产业领跑工业增长。", "review", "零", ""),
    ("扩大先进技术设备、关键零部件及紧缺能源原材料进口。", "plan", "零", ""),
    ("深入落实市委十二届三次全会精神，弘扬伟大建党精神。", "plan", "三次", "none:name"),
    ("1000万保定人民众志成城、守望相助。", "review", "1000万", "none:fact"),
    ("科学谋划207国道县城段改线等交通基础设施建设。", "plan", "207", "none:no-unit"),
    ("我国有2.9亿在校学生，教育投入要保持在合理水平。", "plan", "2.9亿", "none:fact"),
    ("每千人口拥有3岁以下婴幼儿托位数达到4.5个。", "plan", "3岁以下", "none:modifier"),
    ("每千人口拥有3岁以下婴幼儿托位数达到4.5个。", "plan", "4.5个", "target"),
    ("今年高校毕业生超过1170万人，稳就业任务艰巨。", "plan", "1170万人", "none:fact"),
    ("村集体收入10万元以上的村达到50%。", "plan", "10万元以上", "none:modifier"),
    ("村集体收入10万元以上的村达到50%。", "plan", "50%", "target"),
]


@pytest.mark.parametrize("sentence, part, numeral, kind", ISSUE)
def test_reported_errors_stay_fixed(sentence, part, numeral, kind):
    assert kind_of(sentence, part, numeral) == kind


def test_more_than_is_at_least():
    """3800多万吨 was written with comparator eq; 多, 余, 超过, 突破 and 以上 are all "at least"."""
    for sentence in ("累计向金门供水3800多万吨。", "举办活动2万余场。", "销售额超过40万亿元。", "产值突破750亿元。",
                     "工业增加值增长8%以上。"):
        (f,) = extract_text(sentence, "review", 2024).facts
        assert f.comparator == "ge", sentence
    for sentence, cmp in (("增长6%左右。", "approx"), ("约200亿元。", "approx"), ("控制在5.5%以内。", "le"),
                          ("不超过3%。", "le"), ("增长5%—6%。", "range")):
        (f,) = extract_text("收入" + sentence, "plan", 2024).facts
        assert f.comparator == cmp, sentence


def label_of(sentence: str, part: str, numeral: str) -> str:
    at = sentence.index(numeral)
    (f,) = [f for f in extract_text(sentence, part, 2023).facts if f.start <= at < f.end or at <= f.start < at + len(numeral)]
    return f.indicator


# (report, part kind, sentence, numeral, label): a label names what is measured, a noun phrase
LABELS = [
    # a verb before the number: the noun after it is what is measured
    ("guowuyuan-2021", "plan", "坚持农业农村优先发展，严守18亿亩耕地红线，实施高标准农田建设工程。", "18亿亩", "耕地红线"),
    ("guowuyuan-2023", "plan", "赤字率拟按3%安排。", "3%", "赤字率"),
    # a count and what the counted things did
    ("miyi-2022", "review", "钒氮合金等16个重点工业项目建成投产，新增规上工业企业9户。", "16个", "建成投产的重点工业项目"),
    ("shanghai-2026", "review", "世界银行营商环境对标改革取得显著成绩，企业调查59项测评点中有22项达到全球最优水平。", "22项",
     "达到全球最优水平的企业调查测评点"),
    # a generic head takes the thing it belongs to
    ("anguo-2022", "review", "签订投资（框架）协议26个，总投资60亿元。", "60亿元", "签订投资（框架）协议总投资"),
    # a list distributed over 分别
    ("anhui-2025", "review", "规上科技服务业、人力资源服务业营收分别增长18%和28.2%。", "28.2%", "人力资源服务业营收"),
    ("baoding-2021", "review", "城乡低保标准分别增长48%、65%。", "48%", "城镇低保标准"),
    # a rank: the ranked thing and its scope
    ("fujian-2025", "review", "省农信联社履职评价排名全国第一。", "一", "省农信联社履职评价全国排名"),
    # a share of the things with a property
    ("yixian-2022", "plan", "努力消除村集体收入5万元以下的村，村集体收入10万元以上的村达到50%以上。", "50%",
     "村集体收入10万元以上的村占比"),
    ("jiangxi-2025", "plan", "推动优质医疗资源扩容下沉，90%的县达到紧密型县域医共体标准。", "90%",
     "达到紧密型县域医共体标准的县占比"),
    ("fujian-2026", "review", "数字经济增加值预计达3.4万亿元，居全国第一梯队。", "一", "数字经济增加值全国排名"),
    ("gansu-2025", "review", "第一产业增加值增长6.6%，增速居全国第2位。", "2位", "第一产业增加值增速全国排名"),
    ("shandong-2025", "plan", "推动优质文化资源直达基层，新建城市艺术综合体、城乡书房等300个以上。", "300个",
     "新建城市艺术综合体、城乡书房"),
    ("yunnan-2026", "review", "年度10件惠民实事圆满办结。", "10件", "圆满办结的惠民实事"),
    ("hebei-2001", "review", "城乡居民人均居住面积分别达到14和25平方米。", "14", "城镇居民人均居住面积"),
    ("hebei-2001", "review", "全社会完成固定资产投资7950亿元，比“八五”增长1.9倍。", "1.9倍", "全社会完成固定资产投资"),
    ("guowuyuan-2014", "plan", "县级公立医院综合改革试点扩大到1000个县。", "1000个", "县级公立医院综合改革试点县"),
    ("hebei-2021", "review", "选派9支医疗队、1100人驰援湖北武汉和神农架林区。", "1100人", "驰援湖北武汉和神农架林区人数"),
    ("lixian-2020", "plan", "培育发展3-5个具有一定规模的农业生产性服务组织。", "3-5个", "具有一定规模的农业生产性服务组织"),
    ("shunping-2008", "review", "全县237个行政村可全部接通有线电视。", "237个", "接通有线电视的行政村"),
    ("shunping-2008", "review", "全县果品产量达3.08亿斤，产值2.37亿元。", "2.37亿元", "果品产值"),
    ("shaanxi-2026", "review", "苹果、猕猴桃产量稳定在全国1/4、1/3。", "1/4", "苹果产量占全国比重"),
    ("shaanxi-2026", "review", "限额以上通讯器材、家用电器、新能源汽车零售额分别增长40.9％、27.1％、30.6％。", "27.1％",
     "家用电器零售额"),
    ("shaanxi-2026", "review", "金融机构人民币存贷款余额分别增长6.9％、6.6％。", "6.6％", "金融机构人民币贷款余额"),
    ("shaanxi-2026", "review", "入境游客增长1倍，国内游客人次、总花费增长5.6％、7.5％。", "7.5％", "国内游客总花费"),
    ("yixian-2025", "review", "改造提升8条小街小巷、28公里地下管网、2.6公里城市道路。", "28公里", "地下管网"),
    ("yixian-2025", "plan", "建设1个以上“共享工厂”“共享冷库”，2条以上“共享生产线”。", "2条", "共享生产线"),
    ("guowuyuan-2013", "review", "资本充足率从2007年底的8.4%提升到去年底的13.3%。", "13.3%", "资本充足率"),
]
# A generic head (投资, 资金, 年产值) takes its owner: the action after an amount that opens its clause, else
# the clause before it in the sentence (first when that clause says how its subject went)
LABELS += [
    ("dingxing-2021", "review", "深入开展白洋淀上游流域综合治理，严格落实“河长制”，投资2.76亿元实施县污水处理厂扩容提标等13项"
     "生态治理项目。", "2.76亿元", "生态治理项目投资"),
    ("hailaer-2015", "review", "投资4360万元，对城区雨水管网进行全面改造。", "4360万元", "城区雨水管网改造投资"),
    ("laiyuan-2020", "review", "全面实施营养改善计划，全年投入资金1100多万元、惠及学生14095人次。", "1100多万元",
     "营养改善计划投入资金"),
    ("hailaer-2016", "review", "哈克镇生态奶源基地建设初具规模，完成投资3340万元，建成4个现代化牧场。", "3340万元",
     "哈克镇生态奶源基地建设投资"),
    ("hebei-2022", "review", "重点片区和工程建设热火朝天、日新月异，完成投资1104亿元，容东片区939栋安置房相继交付入住。", "1104亿元",
     "重点片区和工程建设投资"),
    ("shaanxi-2025", "review", "光伏新能源和工业传感器等一批跨市协同重点产业项目落地、投资超380亿元。", "380亿元",
     "跨市协同重点产业项目投资"),
    ("fuping-2021", "review", "醇油坊：项目总投资3.82亿元，占地131亩，建筑面积53448.82平米。", "131亩", "项目占地面积"),
    ("hailaer-2016", "review", "投资1884万元完成了30栋老旧楼房维修改造。", "30栋", "老旧楼房维修改造栋数"),
    ("hailaer-2019", "review", "投资1330万元为全部学校配置教学触控一体机，教育信息化程度显著增强。", "1330万元", "教学触控一体机投资"),
    ("lixian-2020", "review", "投资4500万元，月明河桥主体基本完工。", "4500万元", "月明河桥主体投资"),
    ("hailaer-2012", "plan", "全年计划投资12.7亿元，实施重点商贸流通项目17个。", "12.7亿元", "重点商贸流通项目计划投资"),
    ("shunping-2008", "plan", "二是投资300万元，继续实施人畜饮水安全工程，解决21个村人畜饮水困难。", "300万元", "人畜饮水安全工程投资"),
]
# No verb, adverb, streak, list marker or comparison left at either end; what a count reached is who or how
# many; a verb alone after a list item acts on the thing that item named
LABELS += [
    ("gansu-2025", "review", "全省电源总装机历史性突破1亿千瓦。", "1亿千瓦", "电源总装机"),
    ("beijing-2025", "review", "入境游客大幅增长186.8%，旅游人次和收入均创历史新高。", "186.8%", "入境游客"),
    ("henan-2026", "review", "积极应对气候变化影响，粮食总产量连续9年稳定在1300亿斤以上。", "1300亿斤", "粮食总产量"),
    ("hebei-2021", "review", "连续五年财政民生支出占比稳定在80%以上。", "80%", "财政民生支出占比"),
    ("shanxi-2025", "plan", "十一是维修农村供水工程1800处，受益200万人。", "1800处", "维修农村供水工程"),
    ("gaotang-2021", "review", "全县不良贷款率较年初下降7.7个百分点。", "7.7个百分点", "不良贷款率"),
    ("guowuyuan-2023", "review", "国内生产总值增加到121万亿元，五年年均增长5.2%。", "5.2%", "国内生产总值"),
    ("laiyuan-2022", "review", "一般公共预算收入完成8.69亿元，可比增长10.5%。", "10.5%", "一般公共预算收入"),
    ("shaanxi-2025", "review", "西延、西康、西十等5条高铁加快建设。", "5条", "加快建设的高铁"),
    ("fujian-2025", "review", "119家公共文化场馆延时错时开放，惠及5900万人次。", "5900万人次", "公共文化场馆延时错时开放惠及人次"),
    ("shaanxi-2026", "review", "改造城镇老旧小区870个、惠及10万余户。", "10万余户", "改造城镇老旧小区惠及户数"),
    ("anhui-2025", "review", "5G网络实现行政村全覆盖，规模化供水工程覆盖94%的农村人口。", "94%", "规模化供水工程覆盖的农村人口占比"),
    ("anguo-2020", "review", "新建城区公厕7座、改造1座。", "1座", "改造城区公厕"),
    ("anguo-2022", "review", "23个省市重点项目完成投资28亿元、竣工7个。", "7个", "竣工的省市重点项目"),
]
# No fragment across a clause: a share of a whole names its noun and the whole; a per-capita figure names
# what it divides; a bare 人均 or 分别 takes the indicator or list of the clause before it
LABELS += [
    ("hunan-2025", "review", "园区规模工业增加值、税收增速分别高于全省2.2个和3.7个百分点，贡献了全省74.6%的规模工业增加值和40%左右"
     "的税收。", "74.6%", "规模工业增加值占全省比重"),
    ("hunan-2025", "review", "园区规模工业增加值、税收增速分别高于全省2.2个和3.7个百分点，贡献了全省74.6%的规模工业增加值和40%左右"
     "的税收。", "40%左右", "税收占全省比重"),
    ("hunan-2025", "review", "园区规模工业增加值、税收增速分别高于全省2.2个和3.7个百分点。", "2.2个", "园区规模工业增加值增速"),
    ("qinghai-2026", "review", "美丽城镇建设覆盖全省93%的建制镇。", "93%", "美丽城镇建设覆盖的全省建制镇占比"),
    ("error-analysis", "review", "农村由人均纯收入3000元提高到5000元。", "5000元", "农村人均纯收入"),
    ("error-analysis", "review", "免费为全县育龄妇女开展两癌筛查1.2万人。", "1.2万人", "育龄妇女开展两癌筛查"),
    ("fuping-2017", "plan", "到2021年，全县地区生产总值达到110亿元以上、人均达到4.6万元以上。", "4.6万元", "人均地区生产总值"),
    ("guowuyuan-2014", "review", "城乡居民基本医保财政补助标准增加到人均280元。", "280元", "城乡居民基本医保财政补助标准"),
    ("hailaer-2012", "review", "企业退休人员养老金标准继续提高，年人均提高2556元。", "2556元", "企业退休人员养老金标准"),
    ("hailaer-2013", "review", "企业退休人员基本养老金、城镇低保标准、社区干部生活补贴和环卫工人工资再次提高，月人均分别提高221元、"
     "90元、350元和300元。", "350元", "社区干部生活补贴"),
]
# Lists, heads and single words: a head after 分别 is shared; 先导区 keeps its 先; a lead word does not leave a
# single character (创建率); an item stating a number of its own is not part of the next label
LABELS += [
    ("shandong-2025", "plan", "今年力争交通、水利分别完成投资2500亿元、800亿元。", "800亿元", "水利投资"),
    ("henan-2026", "plan", "分类有序、片区化推进乡村振兴，建成35个先导区、1000个和美乡村。", "35个", "先导区"),
    ("hailaer-2016", "review", "五年共有29所学校晋级标准化学校，创建率93.5%。", "93.5%", "创建率"),
    ("hunan-2026", "review", "总算力突破1.3万PF、增长20倍，智能算力达4800PF。", "20倍", "总算力"),
    ("hainan-2025", "plan", "引导农户种植优质高产品种作物，发展4万亩胶园林下经济。", "4万亩", "胶园林下经济"),
    ("henan-2025", "plan", "主要预期目标是:经济增长5.5%左右，规上工业增加值增长7%左右。", "5.5%", "经济增长"),
    # a growth with no indicator in its own words takes the clause before it
    ("miyi-2022", "review", "2021年旅游收入、游客人数再创新高，分别增长16.4%、15.8%。", "15.8%", "游客人数"),
    ("hebei-2011", "plan", "力争2015年民营经济增加值实现翻番、年均增长15%左右。", "15%", "民营经济增加值"),
    ("error-analysis", "plan", "设立产业引导基金，首期金额10亿元。", "10亿元", "产业引导基金首期金额"),
]
# A number inside a list of example projects belongs to its own item, not to the list; 重点 leads no label
LABELS += [
    ("hailaer-2012", "plan", "重点实施5个奶牛规模养殖场、10万亩马铃薯种薯基地、350万株花卉种植等项目建设。", "350万株", "花卉种植株数"),
    ("hailaer-2012", "plan", "实施建设办养殖园区、5万只现代化养鸡场等项目。", "5万只", "现代化养鸡场"),
    ("anguo-2022", "plan", "重点打造农村人居环境整治示范村38个。", "38个", "打造农村人居环境整治示范村"),
]
# The verb and adverb fragments of the issue, in its own words
LABELS += [
    ("issue", "plan", "坚决守住18亿亩耕地红线。", "18亿亩", "耕地红线"),
    ("issue", "plan", "今年先发行1万亿元超长期特别国债。", "1万亿元", "超长期特别国债"),
    ("issue", "plan", "今年赤字率拟按4%左右安排。", "4%", "赤字率"),
    ("issue", "plan", "新建5000套保障性住房。", "5000套", "保障性住房"),
    ("hebei-2025", "review", "争取增发国债项目资金1221.9亿元、居全国首位。", "1221.9亿元", "增发国债项目资金"),
    ("issue", "plan", "安排300亿元财政资金注入产业基金。", "300亿元", "财政资金"),
]


@pytest.mark.parametrize("report, part, sentence, numeral, label", LABELS)
def test_labels_name_what_is_measured(report, part, sentence, numeral, label):
    assert label_of(sentence, part, numeral) == label, report


# (report, part kind, sentence, numeral, label, measure, signed value as written): what a number measures and
# its sign. A reducing verb that governs the indicator makes the number a decrease (the verb is not part of
# the label); one after the indicator too; a reduction *to* a number is a level; 下降幅度/降幅/上涨幅度 are rates
MEASURES = [
    ("shunping-2020", "plan", "调减玉米种植面积2万亩，新增设施草莓、山地蔬菜、林果种植面积1万亩。", "2万亩", "玉米种植面积",
     "change", "-2"),
    ("hebei-2023", "plan", "完成营造林600万亩，压减地下水开采量1.7亿立方米，生态补水16亿立方米。", "1.7亿立方米", "地下水开采量",
     "change", "-1.7"),
    ("hebei-2019", "plan", "年内再压减钢铁产能1400万吨、煤炭1000万吨、水泥100万吨。", "1000万吨", "煤炭", "change", "-1000"),
    ("laishui-2020", "review", "全力保障扶贫资金支出，减少贫困人口845户1919人。", "1919人", "贫困人口", "change", "-1919"),
    ("hailaer-2016", "review", "深入推进行政审批制度改革，削减审批事项62项，精简30.5%。", "30.5%", "审批事项", "growth", "-30.5"),
    ("yixian-2022", "review", "营商环境持续优化，行政许可事项审批时限压缩70%。", "70%", "行政许可事项审批时限", "growth", "-70"),
    ("hailaer-2019", "review", "行政许可事项缩减到130项。", "130项", "行政许可事项", "level", "130"),
    ("henan-2025", "plan", "社会物流总费用与生产总值的比率再下降0.3个百分点。", "0.3个百分点", "社会物流总费用与生产总值的比率",
     "change", "-0.3"),
    ("laishui-2021", "review", "PM2.5、PM10平均浓度下降幅度分别为45.26%、38.78%。", "38.78%", "PM10平均浓度", "growth", "-38.78"),
    ("shanxi-2026", "plan", "居民消费价格总水平上涨幅度控制在2%左右。", "2%", "居民消费价格总水平", "growth", "2"),
    # the measure is part of the label: a pollutant's concentration, an emission, a share, a count of days
    ("anguo-2020", "review", "全年优良空气189天，PM2.5下降14.7%，综合指数下降5.3%。", "14.7%", "PM2.5浓度", "growth", "-14.7"),
    ("yixian-2022", "review", "空气质量综合指数和PM2.5、PM10浓度同比分别下降9.94%、6.98%、9.71%。", "6.98%", "PM2.5浓度", "growth",
     "-6.98"),
    ("guowuyuan-2015", "plan", "二氧化硫、氮氧化物排放要分别减少3%左右和5%左右。", "3%", "二氧化硫排放", "growth", "-3"),
    ("hebei-2021", "review", "全省财政民生支出占一般公共预算支出的81.7%。", "81.7%", "财政民生支出占一般公共预算支出比重", "level",
     "81.7"),
    ("error-analysis", "review", "空气质量优良天数比例83.5%、增加12天。", "12天", "空气质量优良天数", "change", "12"),
    ("jilin-2025", "review", "生产安全事故起数、死亡人数分别下降40.5％、32.7％，降幅居全国前5位。", "5位", "死亡人数降幅全国排名",
     "level", "5"),
]


@pytest.mark.parametrize("report, part, sentence, numeral, label, measure, value", MEASURES)
def test_what_is_measured_and_its_sign(report, part, sentence, numeral, label, measure, value):
    at = sentence.index(numeral)
    (f,) = [f for f in extract_text(sentence, part, 2023).facts if f.start <= at < f.end]
    assert (f.indicator, f.measure, signed_value(f)) == (label, measure, value), report


# (report, part kind, sentence, the goal phrase, its label): targets without a number, in the main targets
# or a plan section; no others (并留有适当弹性 sets nothing)
QUALITATIVE = [
    ("zhejiang-2025", "plan", "主要预期目标为：生产总值增长5.5%左右，居民可支配收入与经济增长基本同步。",
     "居民可支配收入与经济增长基本同步", "居民可支配收入"),
    ("anguo-2022", "plan", ("2022年经济社会发展预期目标是：生产总值增长8%左右，力争主要经济指标总量（增速）进入保定市前列。"
     "能耗及排放等约束性指标完成省定任务。"), "能耗及排放等约束性指标完成省定任务", "能耗及排放等约束性指标"),
    ("baoding-2021", "plan", "一是经济实力显著增强，在推动经济高质量发展方面走在全省前列。", "走在全省前列", "经济高质量发展"),
    ("issue", "plan", "确保高考总评保持全市前列。", "保持全市前列", "高考总评"),
    ("issue", "plan", "实施棚户区改造，完成省市下达的开工任务。", "完成省市下达的开工任务", "省市下达的开工任务"),
    ("gaotang-2021", "plan", "全面完成上级下达的各项约束性指标。", "完成上级下达的各项约束性指标", "上级下达的各项约束性指标"),
]


@pytest.mark.parametrize("report, part, sentence, phrase, label", QUALITATIVE)
def test_qualitative_targets_have_their_phrase_and_subject(report, part, sentence, phrase, label):
    from kg.extract.goals import extract_units
    from kg.model import Unit
    from kg.segment import sentence_spans

    # one paragraph: the main targets go on to its end
    units = [Unit(a, b, (), part, i, 0) for i, (a, b) in enumerate(sentence_spans(sentence))]
    got = [(sentence[f.start:f.end], f.indicator) for f in extract_units(sentence, units, 2023).targets
           if f.measure == "qualitative"]
    assert any(phrase in p and ind == label for p, ind in got), (report, got)


def test_no_qualitative_target_from_words_about_the_targets():
    res = extract_text("今年发展主要预期目标是：国内生产总值增长6%左右，并留有适当弹性，在实际工作中争取更好结果。", "plan", 2023)
    assert [f.surface for f in res.targets if f.measure == "qualitative"] == []


def test_an_edition_is_no_count():
    assert kind_of("成功举办十四届全运会。", "review", "十四届") == ""  # shaanxi-2026: the 14th games, not 14 of them


def test_double_digits_is_growth_of_at_least_ten_per_cent():
    (f,) = extract_text("多项经济指标实现了两位数增长，高于省、市平均增速。", "review", 2022).facts
    assert (f.indicator, f.measure, f.comparator, f.value, f.unit) == ("多项经济指标", "growth", "ge", "10", "%")


def test_a_unit_shared_after_and_is_the_unit_of_both():
    """分别高于全省2.2个和3.7个百分点: 2.2 is a difference of percentage points, not a count of 个."""
    (a, b) = extract_text("园区规模工业增加值、税收增速分别高于全省2.2个和3.7个百分点。", "review", 2024).facts
    assert (a.unit, a.measure, b.unit) == ("个百分点", "change", "个百分点")

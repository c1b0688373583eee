//! 规则目录: the catalogue of rules (name, citation, one-line summary, documented input and output
//! fields) used by `luoshi rules list`.

use serde::Serialize;

/// One documented field.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Field {
    pub name: &'static str,
    #[serde(rename = "type")]
    pub ty: &'static str,
    pub required: bool,
    pub doc: &'static str,
}

const fn req(name: &'static str, ty: &'static str, doc: &'static str) -> Field {
    Field {
        name,
        ty,
        required: true,
        doc,
    }
}
const fn opt(name: &'static str, ty: &'static str, doc: &'static str) -> Field {
    Field {
        name,
        ty,
        required: false,
        doc,
    }
}
const fn out(name: &'static str, ty: &'static str, doc: &'static str) -> Field {
    Field {
        name,
        ty,
        required: true,
        doc,
    }
}

/// Every decision also carries these.
pub const COMMON_OUTPUT: [Field; 3] = [
    out("citation", "string", "文号 + 条/款"),
    out("explanation", "string", "中文说明"),
    out(
        "trace",
        "array",
        "判断过程：每步 {clause 条款, check 检验, value 实际值, threshold 阈值, holds 是否成立}",
    ),
];

/// Decisions that depend on a counting word (以上、以下、以内 …) also carry this.
pub const COUNTING_OUTPUT: Field = out(
    "counting",
    "object",
    "计数用语的理解 {reading 理解：civil_code 民法典 / below_exclusive 以下不含本数, citation 依据, rule 依据原文, parameter 参数名, default 是否默认}",
);

/// A rule in the catalogue.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct RuleInfo {
    pub name: &'static str,
    pub citation: &'static str,
    pub summary: &'static str,
    pub input: &'static [Field],
    pub output: &'static [Field],
    /// Named interpretation parameters this rule reads (see `Params`).
    pub params: &'static [&'static str],
    /// A valid example input (JSON).
    pub example: &'static str,
}

pub const RULES: [RuleInfo; 13] = [
    RuleInfo {
        name: "disaster-grade",
        citation: "郑政办〔2020〕26号 一（五）、三（二）1、四",
        summary: "地质灾害险情/灾情分级（特大型…小型，Ⅰ…Ⅳ级）、速报时限、应急响应级别及牵头",
        input: &[
            req("kind", "\"险情\" | \"灾情\"", "险情按人数和潜在损失分级，灾情按死亡人数和直接损失分级"),
            opt("people_at_risk", "非负整数", "需避险转移人数（险情）"),
            opt("potential_loss_yuan", "金额字符串", "潜在经济损失，元（险情）"),
            opt("deaths", "非负整数", "因灾死亡人数（灾情）"),
            opt("direct_loss_yuan", "金额字符串", "直接经济损失，元（灾情）"),
            opt("received_at", "YYYY-MM-DDTHH:MM", "接报时间；给出时计算速报截止时刻"),
        ],
        output: &[
            out("kind", "\"险情\" | \"灾情\"", "险情或灾情（同输入）"),
            out("grade", "\"特大型\"|\"大型\"|\"中型\"|\"小型\"", "取各项最高等级"),
            out("level", "\"Ⅰ\"…\"Ⅳ\"", "等级"),
            out("report_within_hours", "整数", "县级速报时限：4 或 12 小时"),
            out("report_due_at", "时间或 null", "速报截止时刻"),
            out("city_report", "string", "市级接报要求（立即）"),
            out("response_level", "string", "应急响应级别"),
            out("response_led_by", "string", "响应的启动和指挥主体"),
            out("response_clause", "string", "响应条款"),
            out("work_groups", "bool", "是否设立应急工作组（中型以上灾情）"),
        ],
        params: &["disaster.counting"],
        example: r#"{"kind":"灾情","deaths":3,"direct_loss_yuan":"2000000","received_at":"2020-07-01T22:30"}"#,
    },
    RuleInfo {
        name: "warning-level",
        citation: "郑政办〔2020〕26号 三（一）2—5",
        summary: "地质灾害预警级别：颜色、风险、是否向公众发布（三级以上）、响应措施、24小时预警期",
        input: &[
            req("level", "string", "四级/三级/二级/一级 或 蓝色/黄色/橙色/红色"),
            opt("issued_at", "YYYY-MM-DDTHH:MM", "发布时间"),
            opt("as_of", "YYYY-MM-DDTHH:MM", "判断时刻（需同时给出 issued_at）"),
        ],
        output: &[
            out("level", "string", "级别"),
            out("color", "string", "颜色"),
            out("risk", "string", "风险程度"),
            out("public_release_required", "bool", "三级以上须向公众发布"),
            out("release_channels", "array", "发布渠道"),
            out("actions", "array", "响应措施（逐级累加）"),
            out("expires_at", "时间或 null", "发布后24小时"),
            out("expired", "bool 或 null", "判断时刻是否已超出24小时预警期"),
        ],
        params: &["disaster.counting"],
        example: r#"{"level":"三级","issued_at":"2020-07-01T08:00","as_of":"2020-07-02T09:00"}"#,
    },
    RuleInfo {
        name: "it-project-approval",
        citation: "郑政文〔2020〕70号 第九条",
        summary: "政务信息化项目按总投资确定审批文件（1000万元以下／1000万元及以上5000万元以下／5000万元及以上）及可否合并",
        input: &[
            req("total_investment_yuan", "金额字符串", "总投资，元"),
            opt("simple_scope", "bool", "建设内容单一、技术方案简单（默认 false）"),
        ],
        output: &[
            out("tier", "string", "档次"),
            out("required_documents", "array", "原则上须审批的文件"),
            out("may_merge_into_implementation_plan", "bool", "可否合并为实施方案审批"),
            out("merged_documents", "array", "合并后审批的文件"),
        ],
        params: &["it_project.counting"],
        example: r#"{"total_investment_yuan":"12000000","simple_scope":true}"#,
    },
    RuleInfo {
        name: "it-project-change",
        citation: "郑政文〔2020〕70号 第十九条",
        summary: "政务信息化项目变更：可否由项目单位调整并备案（未超概算、目标不变、调整额≤15%、属三种情形之一），否则报批",
        input: &[
            req("approved_estimate_yuan", "金额字符串", "概算批复总投资"),
            req("adjusted_total_yuan", "金额字符串", "调整后投资规模"),
            req("adjustment_yuan", "金额字符串", "资金调整数额"),
            req("goal_unchanged", "bool", "建设目标不变"),
            req("reason", "\"新部署\"|\"技术发展\"|\"调整进度\"|\"其他\"", "调整原因（第十九条（一）（二）（三）或其他）"),
        ],
        output: &[
            out("unit_may_adjust_with_filing", "bool", "可由项目单位调整并备案"),
            out("procedure", "string", "应走的程序"),
            out("adjustment_limit_yuan", "金额字符串", "概算总投资×15%"),
            out("failed_conditions", "array", "未满足的条件"),
        ],
        params: &["it_project.counting"],
        example: r#"{"approved_estimate_yuan":"20000000","adjusted_total_yuan":"20000000","adjustment_yuan":"2500000","goal_unchanged":true,"reason":"技术发展"}"#,
    },
    RuleInfo {
        name: "it-project-acceptance",
        citation: "郑政文〔2020〕70号 第二十条—第二十二条",
        summary: "试运行不少于3个月、建成后6个月内申请验收、逾期未验收停止拨付后续资金",
        input: &[
            req("completed_date", "YYYY-MM-DD", "建成日期"),
            opt("trial_run_start_date", "YYYY-MM-DD", "试运行开始日期"),
            opt("trial_run_end_date", "YYYY-MM-DD", "试运行结束日期"),
            opt("acceptance_applied_date", "YYYY-MM-DD", "申请验收日期"),
            opt("accepted", "bool", "已完成竣工验收（默认 false）"),
            req("as_of", "YYYY-MM-DD", "判断日期"),
        ],
        output: &[
            out("trial_run_min_end_date", "日期或 null", "试运行满3个月之日"),
            out("trial_run_sufficient", "bool 或 null", "试运行是否不少于3个月"),
            out("acceptance_apply_due_date", "日期", "申请验收截止日"),
            out("acceptance_status", "string", "验收申请状态"),
            out("overdue", "bool", "是否逾期"),
            out("further_funding_allowed", "bool", "可否拨付后续建设资金和运维经费"),
        ],
        params: &["it_project.counting", "start_day_included", "postpone_rest_day_end"],
        example: r#"{"completed_date":"2020-03-10","trial_run_start_date":"2020-03-15","trial_run_end_date":"2020-06-20","acceptance_applied_date":"2020-09-01","as_of":"2020-10-01"}"#,
    },
    RuleInfo {
        name: "talent-subsidy",
        citation: "郑政办〔2020〕24号 第二条",
        summary: "青年人才首次购房补贴：资格（逐条给出不符合的理由）与金额（博士10万/硕士5万/本科2万）",
        input: &[
            req("degree", "\"本科\"|\"硕士\"|\"博士\"", "学历"),
            req("full_time", "bool", "全日制"),
            opt("double_first_class", "bool", "本科毕业于“双一流”建设高校或世界大学排名前500位院校（上海交大与QS最新同时排名），不含招生分数低于本校统一录取分数线的其他校区、分校、网络学院、独立学院及委托培养、定向培养（第二条（三）2；本科必填）"),
            req("birth_date", "YYYY-MM-DD", "出生日期"),
            req("graduation_date", "YYYY-MM-DD", "毕业日期"),
            req("settled_date", "YYYY-MM-DD", "户籍落户日期"),
            req("contract_signed_date", "YYYY-MM-DD", "购房合同签订日期"),
            req("contract_filed", "bool", "合同已备案"),
            req("deed_tax_paid", "bool", "已纳税取得完税凭证"),
            req("first_home", "bool", "在我市首次购房"),
            req("application_date", "YYYY-MM-DD", "申请日期"),
            opt("purchaser", "\"本人\"|\"配偶\"|\"其他\"", "购房人（默认 本人）"),
            opt("already_received", "bool", "已领取过本补贴（默认 false）"),
            opt("other_housing_benefit", "bool", "已享受其他人才安居补贴或住房保障政策（默认 false）"),
        ],
        output: &[
            out("eligible", "bool", "是否符合条件"),
            out("amount_yuan", "金额字符串", "补贴金额，不符合为 0.00"),
            out("degree", "string", "学历"),
            out("age", "整数", "计算年龄的日期时的周岁"),
            out("reasons", "array", "每个不符合的条件一项 {condition, clause, reason}"),
        ],
        params: &["talent.counting", "talent.age_limit", "talent.age_measured_at", "talent.graduation_cutoff_inclusive", "talent.other_benefit_blocks"],
        example: r#"{"degree":"硕士","full_time":true,"birth_date":"1990-05-01","graduation_date":"2018-07-01","settled_date":"2019-03-01","contract_signed_date":"2019-10-08","contract_filed":true,"deed_tax_paid":true,"first_home":true,"application_date":"2020-06-01","purchaser":"配偶"}"#,
    },
    RuleInfo {
        name: "talent-purchase-qualification",
        citation: "郑政办〔2020〕24号 第三条",
        summary: "非郑户籍人才购房资格：学历或职称、就业或创业、首套自住，符合的限购审查不再审核社保个税年限",
        input: &[
            req("zhengzhou_hukou", "bool", "是否郑州户籍"),
            req("full_time_bachelor_or_above", "bool", "全日制本科以上学历"),
            req("senior_title", "bool", "副高级职称（高级技师）以上"),
            req("employment", "\"劳动合同\"|\"自主创业\"|\"无\"", "就业情况"),
            opt("contract_months", "非负整数", "劳动合同期限（月），劳动合同时必填"),
            opt("legal_representative", "bool", "自主创业并担任法定代表人，自主创业时必填"),
            req("first_home", "bool", "首套自住商品住宅"),
            req("purchaser_is_applicant", "bool", "购房人是人才本人"),
        ],
        output: &[
            out("qualified", "bool", "是否符合"),
            out("treatment", "string", "政策待遇"),
            out("still_subject_to", "string", "仍受约束的政策"),
            out("reasons", "array", "不符合的条件 {condition, clause, reason}"),
        ],
        params: &["talent.counting"],
        example: r#"{"zhengzhou_hukou":false,"full_time_bachelor_or_above":true,"senior_title":false,"employment":"劳动合同","contract_months":36,"first_home":true,"purchaser_is_applicant":true}"#,
    },
    RuleInfo {
        name: "land-premium",
        citation: "郑政办〔2020〕22号 四、2—3",
        summary: "划拨安置房补缴土地价款 = 出让评估价×35% − 划拨权益价；市、区7.5：2.5分成，精确到分",
        input: &[
            req("transfer_price_yuan", "金额字符串", "宗地出让评估价"),
            req("allocation_price_yuan", "金额字符串", "宗地划拨权益价"),
            opt("city_reserve_direct", "bool", "市级土地储备机构直接收储（据实核算，不分成；默认 false）"),
        ],
        output: &[
            out("premium_yuan", "金额字符串", "补缴土地价款（四舍五入到分）"),
            out("city_share_yuan", "金额字符串或 null", "市级 75%（四舍五入到分）"),
            out("district_share_yuan", "金额字符串或 null", "区级 = 总额 − 市级"),
            out("allocation_city_share_yuan", "金额字符串或 null", "划拨权益价市级份额"),
            out("allocation_district_share_yuan", "金额字符串或 null", "划拨权益价区级份额"),
            out("needs_review", "bool", "公式结果为负时需人工复核"),
        ],
        params: &[],
        example: r#"{"transfer_price_yuan":"12345678.91","allocation_price_yuan":"1000000.01"}"#,
    },
    RuleInfo {
        name: "proposal-deadlines",
        citation: "郑政办〔2020〕27号 第七条、第十九条",
        summary: "建议提案：十五日内说明退转、3个月内办理答复，逾期后果",
        input: &[
            req("received_date", "YYYY-MM-DD", "接办（接件）日期"),
            opt("return_requested_date", "YYYY-MM-DD", "公函说明退转理由的日期"),
            opt("replied_date", "YYYY-MM-DD", "答复日期"),
            opt("delay_explained", "bool", "逾期时已书面说明并函告（默认 false）"),
            req("as_of", "YYYY-MM-DD", "判断日期"),
        ],
        output: &[
            out("return_due_date", "日期", "退转说明截止日"),
            out("return_in_time", "bool 或 null", "退转说明是否按期"),
            out("must_handle", "bool", "逾期未说明，须由接办单位办理"),
            out("reply_due_date", "日期", "答复截止日"),
            out("reply_status", "string", "答复状态"),
            out("accountability", "bool", "逾期且未说明，追究责任"),
            out("return_deadline_explanation", "string", "退转期限的计算说明"),
            out("reply_deadline_explanation", "string", "答复期限的计算说明"),
            out("return_deadline", "object", "结构化退转期限（同 service-time-limit 的 deadline）"),
            out("reply_deadline", "object", "结构化答复期限"),
        ],
        params: &["proposal.counting", "start_day_included", "postpone_rest_day_end"],
        example: r#"{"received_date":"2020-05-22","return_requested_date":"2020-06-01","as_of":"2020-06-10"}"#,
    },
    RuleInfo {
        name: "proposal-reply-class",
        citation: "郑政办〔2020〕27号 第十条",
        summary: "答复函类别 A/B/C/D",
        input: &[req("outcome", "\"已解决\"|\"基本解决\"|\"正在解决\"|\"列入计划逐步解决\"|\"不符合法律法规和政策规定\"|\"受客观条件限制不能解决\"|\"不宜解决留作参考\"", "办理结果")],
        output: &[
            out("class", "\"A\"|\"B\"|\"C\"|\"D\"", "类别"),
            out("meaning", "string", "类别含义"),
            out("counts_as_resolved", "bool", "计入第十六条（五）解决和基本解决"),
        ],
        params: &[],
        example: r#"{"outcome":"基本解决"}"#,
    },
    RuleInfo {
        name: "proposal-standards",
        citation: "郑政办〔2020〕27号 第十六条",
        summary: "承办单位五项标准：按时办结100%、见面沟通100%、重点件满意100%、满意率≥98.5%、解决和基本解决45%以上",
        input: &[
            req("total", "正整数", "承办总件数"),
            req("answered_on_time", "非负整数", "按时办结答复件数"),
            req("met_in_person", "非负整数", "见面沟通件数"),
            opt("key_total", "非负整数", "重点建议、建议案、重点提案件数（默认0，不适用）"),
            opt("key_satisfied", "非负整数", "其中满意件数"),
            req("satisfied", "非负整数", "满意件数"),
            req("resolved", "非负整数", "解决和基本解决（A类）件数"),
        ],
        output: &[
            out("all_met", "bool", "五项是否全部达到"),
            out("standards", "array", "每项 {item, clause, standard, count, total, rate_percent, threshold_percent, met}"),
        ],
        params: &["proposal.counting"],
        example: r#"{"total":200,"answered_on_time":200,"met_in_person":200,"key_total":10,"key_satisfied":10,"satisfied":198,"resolved":95}"#,
    },
    RuleInfo {
        name: "proposal-standards-items",
        citation: "郑政办〔2020〕27号 第十六条",
        summary: "逐件计算五项承办标准，每项列出计入、拉低和尚不能判断的件",
        input: &[
            req("items", "array", "每件 {id, kind 建议/提案/建议案, key_item 重点, rounds [{due 答复期限, replied 答复日期}], met_in_person 见面沟通, satisfaction 满意/基本满意/不满意, class A–D}"),
            req("as_of", "YYYY-MM-DD", "判断日期"),
            opt("satisfaction", "\"satisfied_or_basically\" | \"satisfied_only\"", "满意率的计法（默认满意和基本满意均计入）"),
        ],
        output: &[
            out("all_met", "bool", "五项是否全部达到"),
            out("figures", "array", "每项 {item, clause, standard, count, total, rate_percent, threshold_percent, met, in_principle 原则上, allowed_short 尚可容许件数, counts 口径, counted 计入件, short 拉低件, pending 待定件}"),
            out("satisfaction", "string", "满意率的计法"),
            out("as_of", "YYYY-MM-DD", "判断日期"),
        ],
        params: &["proposal.counting"],
        example: r#"{"as_of":"2020-09-01","items":[{"id":1,"kind":"建议","key_item":true,"rounds":[{"due":"2020-08-24","replied":"2020-08-20"}],"met_in_person":true,"satisfaction":"满意","class":"A"},{"id":2,"kind":"提案","rounds":[{"due":"2020-08-24","replied":null}],"satisfaction":null,"class":null}]}"#,
    },
    RuleInfo {
        name: "service-time-limit",
        citation: "郑政文〔2020〕61号 第4条、第5条、第7条",
        summary: "市场监管许可登记时限（工作日）与到期日：食品经营1日、大中型餐饮3日、食品生产3日、特种设备许可3日、使用登记1日、简易注销公告20天、外观专利10天",
        input: &[
            req("service", "string", "事项代码或名称：small-food-startup, food-business-license, large-catering-license, food-production-license, special-equipment-production-license, special-equipment-use-registration, ftz-instant-registration, simple-deregistration-notice, design-patent-grant"),
            req("accepted_date", "YYYY-MM-DD", "受理日期"),
            opt("rectification_working_days", "非负整数", "问题整改占用的工作日（仅“不含问题整改时间”的事项）"),
            opt("completed_date", "YYYY-MM-DD", "办结日期"),
        ],
        output: &[
            out("service", "string", "事项代码"),
            out("service_name", "string", "事项名称"),
            out("limit", "string", "时限"),
            out("previous_limit", "string", "压缩前时限"),
            out("due_date", "日期", "到期日"),
            out("on_time", "bool 或 null", "是否按时办结"),
            out("deadline_explanation", "string", "到期日的计算说明（跳过的节假日、日历版本）"),
            out("deadline", "object", "结构化期限 {rule, start, due, postponed_from, skipped:[{date, reason}], convention, calendar_version, notices, notes}"),
        ],
        params: &["start_day_included", "postpone_rest_day_end"],
        example: r#"{"service":"large-catering-license","accepted_date":"2020-09-30","completed_date":"2020-10-12"}"#,
    },
];

/// One named interpretation parameter (where the gazette text is open).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ParamDoc {
    pub name: &'static str,
    pub default: &'static str,
    pub doc: &'static str,
}

/// Every parameter of [`crate::Params`], with its default and the reason for it.
pub const PARAMS: [ParamDoc; 10] = [
    ParamDoc { name: "talent.counting", default: "civil_code", doc: "郑政办〔2020〕24号的计数用语（第二条（三）1“35岁以下”、（三）3“3年内”、第三条（三）2“1年以上”）如何理解。默认 civil_code：《民法典》第一千二百五十九条，“以上、以下、以内、届满”含本数，35周岁符合；below_exclusive：借用郑政办〔2020〕26号 八（一）“以下不含本数”的定义（该定义原只适用于26号），35周岁不符合" },
    ParamDoc { name: "talent.age_limit", default: "35", doc: "郑政办〔2020〕24号 第二条（三）1 “35岁以下”的年龄（周岁）" },
    ParamDoc { name: "talent.age_measured_at", default: "application_date", doc: "按哪一天计算年龄：application_date 申请日（默认）、contract_signed_date 购房合同签订日、settled_date 落户日。周岁按生日计算，2月29日出生者在平年3月1日满岁" },
    ParamDoc { name: "talent.graduation_cutoff_inclusive", default: "true", doc: "第二条（三）3 “2017年1月1日之后毕业”是否包括2017年1月1日当天。默认包括；“之后”不是《民法典》第一千二百五十九条所列用语，（三）4 对合同日期明写“（含）”，（三）3 未写，文字有歧义" },
    ParamDoc { name: "talent.other_benefit_blocks", default: "true", doc: "第二条（六）4 “已领取……不得重复享受其他的人才安居补贴政策及住房保障政策”按双向理解：已享受其他人才安居补贴或住房保障政策者不再发放本补贴" },
    ParamDoc { name: "disaster.counting", default: "below_exclusive", doc: "郑政办〔2020〕26号的计数用语。默认 below_exclusive：26号 八（一）本预案自己的定义，“以上”含本数，“以下”不含本数；civil_code：按《民法典》第一千二百五十九条，界值同属相邻两档，取较高等级（分级结果相同，说明不同）" },
    ParamDoc { name: "it_project.counting", default: "civil_code", doc: "郑政文〔2020〕70号的计数用语（第九条“1000万元以下”、第十九条“不超过15%”、第二十一条“6个月内”）。默认《民法典》第一千二百五十九条；below_exclusive 借用26号 八（一）。第九条界值由“及以上”明示归上一档，两种理解结果相同" },
    ParamDoc { name: "proposal.counting", default: "civil_code", doc: "郑政办〔2020〕27号的计数用语（第七条“十五日内”、第十六条（五）“45%以上”、第十九条“3个月内”“超过规定时间”）。默认《民法典》第一千二百五十九条；below_exclusive 借用26号 八（一）。这些用语在两种理解下结果相同" },
    ParamDoc { name: "start_day_included", default: "false", doc: "期间开始之日是否计入。默认不计入，自次日起算（《民法典》第二百零一条）" },
    ParamDoc { name: "postpone_rest_day_end", default: "true", doc: "按日、月计算的期间最后一日为休息日（周末或法定节假日）时顺延至下一个工作日（《民法典》第二百零三条）；按工作日计算的期限本身不会落在休息日" },
];

impl RuleInfo {
    /// Whether the rule's decisions carry [`COUNTING_OUTPUT`] (it reads a `*.counting` parameter).
    pub fn has_counting(&self) -> bool {
        self.params.iter().any(|p| p.ends_with(".counting"))
    }

    /// Which reading of the counting words this rule's decisions use under `params`.
    pub fn counting(&self, params: &crate::Params) -> Option<crate::counting::Counting> {
        use crate::counting::Document;
        let name = self.params.iter().find(|p| p.ends_with(".counting"))?;
        let (doc, reading) = match *name {
            "talent.counting" => (Document::Talent24, params.talent.counting),
            "disaster.counting" => (Document::Disaster26, params.disaster.counting),
            "it_project.counting" => (Document::ItProject70, params.it_project.counting),
            "proposal.counting" => (Document::Proposal27, params.proposal.counting),
            other => unreachable!("undocumented counting parameter {other}"),
        };
        Some(doc.counting(reading))
    }

    /// Every output field: the rule's own, `counting` where it applies, then [`COMMON_OUTPUT`].
    pub fn all_output(&self) -> Vec<Field> {
        let mut fields = self.output.to_vec();
        if self.has_counting() {
            fields.push(COUNTING_OUTPUT);
        }
        fields.extend(COMMON_OUTPUT);
        fields
    }
}

/// Find a rule by name.
pub fn find(name: &str) -> Option<&'static RuleInfo> {
    RULES.iter().find(|r| r.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every parameter named by a rule is documented, and every documented parameter exists in
    /// the serialized `Params` with the documented default.
    #[test]
    fn params_are_documented_and_match_defaults() {
        let defaults = serde_json::to_value(crate::Params::default()).unwrap();
        for p in PARAMS {
            let mut v = &defaults;
            for part in p.name.split('.') {
                v = &v[part];
            }
            let shown = match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            assert_eq!(shown, p.default, "{}", p.name);
        }
        for rule in RULES {
            for name in rule.params {
                assert!(
                    PARAMS.iter().any(|p| p.name == *name),
                    "{} names undocumented {name}",
                    rule.name
                );
            }
        }
    }

    /// Every example is valid input, and every field of every example replaced by hostile values
    /// gives a decision or a coded error — never a panic, never an unknown code.
    #[test]
    fn examples_evaluate_and_mutations_never_panic() {
        let engine = crate::Engine::new(
            luoshi_calendar::bundled().unwrap(),
            crate::Params::default(),
        );
        let hostile = [
            "null",
            "-1",
            "0",
            "1.5",
            "1e308",
            "18446744073709551615",
            "99999999999999999999999",
            "true",
            "\"\"",
            "\"x\"",
            "[]",
            "{}",
            "\"9999-12-31\"",
            "\"0001-01-01\"",
            "\"2020-02-30\"",
            "\"-0\"",
            "\"1e5\"",
            "\"12.345\"",
            "\"9999-12-31T23:59\"",
            "\"本科\"",
            "\"其他\"",
        ];
        let known = [
            "E_JSON",
            "E_FIELD_MISSING",
            "E_FIELD_UNKNOWN",
            "E_FIELD_TYPE",
            "E_FIELD_VALUE",
            "E_CALENDAR_RANGE",
            "E_DATE_RANGE",
        ];
        for rule in RULES {
            let example: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(rule.example).unwrap();
            let out = engine
                .evaluate_value(rule.name, rule.example)
                .unwrap_or_else(|e| panic!("{}: {e}", rule.name));
            assert!(
                out["citation"]
                    .as_str()
                    .is_some_and(|c| c.contains("〔2020〕")),
                "{}",
                rule.name
            );
            assert_eq!(
                out["counting"]["citation"].is_string(),
                rule.has_counting(),
                "{}: counting field and catalogue agree",
                rule.name
            );
            for field in example.keys() {
                assert!(
                    rule.input.iter().any(|f| f.name == field),
                    "{} example has undocumented {field}",
                    rule.name
                );
                for bad in hostile {
                    let mut m = example.clone();
                    m.insert(field.clone(), serde_json::from_str(bad).unwrap());
                    let json = serde_json::Value::Object(m).to_string();
                    if let Err(e) = engine.evaluate_value(rule.name, &json) {
                        assert!(
                            known.contains(&e.code()),
                            "{} {field}={bad}: {} {e}",
                            rule.name,
                            e.code()
                        );
                    }
                }
                let mut m = example.clone();
                m.remove(field);
                let json = serde_json::Value::Object(m).to_string();
                if let Err(e) = engine.evaluate_value(rule.name, &json) {
                    assert!(
                        known.contains(&e.code()),
                        "{} without {field}: {e}",
                        rule.name
                    );
                }
            }
        }
    }

    /// The catalogue and the engine agree: every listed rule evaluates (an empty object gives a
    /// field error, never "unknown rule").
    #[test]
    fn every_listed_rule_is_dispatched() {
        let engine = crate::Engine::new(
            luoshi_calendar::bundled().unwrap(),
            crate::Params::default(),
        );
        for rule in RULES {
            let err = engine.evaluate_value(rule.name, "{}").unwrap_err();
            assert_ne!(err.code(), "E_RULE_UNKNOWN", "{}", rule.name);
        }
        assert_eq!(
            engine.evaluate_value("nope", "{}").unwrap_err().code(),
            "E_RULE_UNKNOWN"
        );
    }
}

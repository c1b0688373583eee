//! Proposal handling (建议提案办理) as a table: states, actions, who takes them.
//!
//! Implements 郑政办〔2020〕27号 第六条至第二十条: registration and assignment at the 交办会
//! (第六条, with the leader's instruction first where the clause asks for it), return within 15
//! days (第七条 — a unit never forwards an item itself), the office's follow-up (第八条),
//! review by the unit's leader and, for several departments, the vice-mayor (第九条), the reply
//! classed A–D with the feedback form (第十条、第十一条), the office's check and redo (第十八条),
//! the time limit and written explanation of delay (第十九条) and disclosure (第二十条). The
//! behaviour beyond the table is in [`crate::proposals`].

use crate::cases::{Action, Need, Party, Procedure, State};
use luoshi_domain::Role;

const ASSIGN: &str = "郑政办〔2020〕27号 第六条";
const RETURN: &str = "郑政办〔2020〕27号 第七条";
const REVIEW: &str = "郑政办〔2020〕27号 第九条";
const REPLY: &str = "郑政办〔2020〕27号 第十条、第十一条";
const FORMAL: &str = "郑政办〔2020〕27号 第九条、第十条";
const MEET: &str = "郑政办〔2020〕27号 第十四条、第十五条、第十六条（二）";
const COSIGN: &str = "郑政办〔2020〕27号 第六条、第九条";
const CHECK: &str = "郑政办〔2020〕27号 第十条、第十八条";
const DELAY: &str = "郑政办〔2020〕27号 第十九条";
const DISCLOSE: &str = "郑政办〔2020〕27号 第二十条";
const REGISTER: &str = "郑政办〔2020〕27号 第四条、第十七条";

/// Every state but the final one (the office may correct registration details there).
const OPEN: &[&str] = &[
    "registered",
    "awaiting_instruction",
    "assigned",
    "return_requested",
    "returned",
    "reply_review",
    "leader_review",
    "replied",
    "evaluated",
    "dissatisfied",
    "formal_review",
    "formal_replied",
];
/// A reply has gone out: it may be published or withheld.
const ANSWERED: &[&str] = &[
    "replied",
    "evaluated",
    "dissatisfied",
    "formal_review",
    "formal_replied",
    "closed",
];
/// The unit is still handling it.
const HANDLING: &[&str] = &[
    "assigned",
    "return_requested",
    "reply_review",
    "leader_review",
];

pub static PROPOSALS: Procedure = Procedure {
    name: "proposal",
    label: "建议提案",
    cites: "郑政办〔2020〕27号 第六条至第二十条",
    office: &[Role::Proposals],
    initial: "registered",
    states: &[
        State {
            name: "registered",
            label: "已登记待交办",
            is_final: false,
        },
        State {
            name: "awaiting_instruction",
            label: "待领导阅批",
            is_final: false,
        },
        State {
            name: "assigned",
            label: "办理中",
            is_final: false,
        },
        State {
            name: "return_requested",
            label: "申请退回待审",
            is_final: false,
        },
        State {
            name: "returned",
            label: "已退回待重新交办",
            is_final: false,
        },
        State {
            name: "reply_review",
            label: "答复待单位领导审查",
            is_final: false,
        },
        State {
            name: "leader_review",
            label: "答复待分管副市长审核",
            is_final: false,
        },
        State {
            name: "replied",
            label: "已答复待反馈",
            is_final: false,
        },
        State {
            name: "evaluated",
            label: "已反馈",
            is_final: false,
        },
        State {
            name: "dissatisfied",
            label: "不满意待重新办理",
            is_final: false,
        },
        State {
            name: "formal_review",
            label: "正式答复待副市长签发",
            is_final: false,
        },
        State {
            name: "formal_replied",
            label: "已正式答复",
            is_final: false,
        },
        State {
            name: "closed",
            label: "已办结",
            is_final: true,
        },
    ],
    actions: &[
        Action {
            name: "route-instruction",
            label: "报送领导阅批",
            by: &[Party::Office],
            from: &["registered"],
            to: Some("awaiting_instruction"),
            needs: &[Need::Field("leader", "分管领导")],
            cites: ASSIGN,
        },
        Action {
            name: "instruct",
            label: "阅批",
            by: &[Party::Leader],
            from: &["awaiting_instruction"],
            to: Some("registered"),
            needs: &[Need::Note],
            cites: ASSIGN,
        },
        Action {
            name: "assign",
            label: "交办",
            by: &[Party::Office],
            from: &["registered", "returned"],
            to: Some("assigned"),
            needs: &[Need::Field("lead_unit", "主办单位")],
            cites: ASSIGN,
        },
        Action {
            name: "request-return",
            label: "申请退回",
            by: &[Party::LeadUnit, Party::CoUnit],
            from: &["assigned"],
            to: None,
            needs: &[Need::Note],
            cites: RETURN,
        },
        Action {
            name: "approve-return",
            label: "同意退回",
            by: &[Party::Office],
            from: &["assigned", "return_requested"],
            to: None,
            needs: &[],
            cites: RETURN,
        },
        Action {
            name: "refuse-return",
            label: "不同意退回",
            by: &[Party::Office],
            from: &["assigned", "return_requested"],
            to: None,
            needs: &[Need::Note],
            cites: RETURN,
        },
        Action {
            name: "cosign",
            label: "会签意见",
            by: &[Party::CoUnit],
            from: &["assigned"],
            to: None,
            needs: &[Need::Field("opinion", "会签意见")],
            cites: COSIGN,
        },
        Action {
            name: "record-meeting",
            label: "记录见面沟通",
            by: &[Party::LeadUnit, Party::CoUnit],
            from: &[
                "assigned",
                "reply_review",
                "leader_review",
                "replied",
                "dissatisfied",
            ],
            to: None,
            needs: &[
                Need::Field("met_date", "沟通日期"),
                Need::Field("form", "沟通方式"),
                Need::Field("summary", "沟通情况"),
            ],
            cites: MEET,
        },
        Action {
            name: "explain-delay",
            label: "书面说明延期",
            by: &[Party::LeadUnit],
            from: HANDLING,
            to: None,
            needs: &[
                Need::Field("difficulties", "遇到的困难"),
                Need::Field("measures", "采取的措施"),
            ],
            cites: DELAY,
        },
        Action {
            name: "reply",
            label: "提交答复",
            by: &[Party::LeadUnit],
            from: &["assigned"],
            to: Some("reply_review"),
            needs: &[
                Need::Field("class", "答复类别"),
                Need::Field("text", "答复正文"),
                Need::Field("signer", "签发领导"),
            ],
            cites: REPLY,
        },
        Action {
            name: "send-back",
            label: "退回修改答复",
            by: &[Party::LeadUnit, Party::Leader],
            from: &["reply_review", "leader_review", "formal_review"],
            to: None,
            needs: &[Need::Note],
            cites: REVIEW,
        },
        Action {
            name: "approve",
            label: "审核签发",
            by: &[Party::LeadUnit, Party::Leader],
            from: &["reply_review", "leader_review", "formal_review"],
            to: None,
            needs: &[],
            cites: REVIEW,
        },
        Action {
            name: "feedback",
            label: "反馈意见",
            by: &[Party::Proposer, Party::Office],
            from: &["replied"],
            to: None,
            needs: &[Need::Field("rating", "满意程度")],
            cites: REPLY,
        },
        Action {
            name: "compile-formal",
            label: "整理形成正式答复",
            by: &[Party::Office],
            from: &["evaluated"],
            to: Some("formal_review"),
            needs: &[Need::Field("formal_text", "正式答复文本")],
            cites: FORMAL,
        },
        Action {
            name: "redo",
            label: "退回重新办理",
            by: &[Party::Office],
            from: &["replied", "evaluated", "dissatisfied"],
            to: Some("assigned"),
            needs: &[Need::Field("due", "重新答复期限"), Need::Note],
            cites: CHECK,
        },
        Action {
            name: "publish",
            label: "公开答复",
            by: &[Party::LeadUnit, Party::Office],
            from: ANSWERED,
            to: None,
            needs: &[Need::Field("mode", "公开方式")],
            cites: DISCLOSE,
        },
        Action {
            name: "withhold",
            label: "不予公开",
            by: &[Party::LeadUnit, Party::Office],
            from: ANSWERED,
            to: None,
            needs: &[Need::Note],
            cites: DISCLOSE,
        },
        Action {
            name: "amend",
            label: "更正登记信息",
            by: &[Party::Office],
            from: OPEN,
            to: None,
            needs: &[Need::Note],
            cites: REGISTER,
        },
        Action {
            name: "close",
            label: "办结",
            by: &[Party::Office],
            from: &["replied", "evaluated", "dissatisfied", "formal_replied"],
            to: Some("closed"),
            needs: &[],
            cites: CHECK,
        },
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    /// No action the table lets a unit take hands the item to another unit (第七条: 接办部门
    /// 不得自行交送其他单位承办): only the office assigns.
    #[test]
    fn only_the_office_assigns() {
        for a in PROPOSALS.actions {
            let unit = a.by.contains(&Party::LeadUnit) || a.by.contains(&Party::CoUnit);
            let moves_units = a
                .needs
                .iter()
                .any(|n| matches!(n, Need::Field(f, _) if f.contains("unit")));
            assert!(
                !(unit && moves_units),
                "{} lets a unit move the item",
                a.name
            );
        }
        assert_eq!(PROPOSALS.action("assign").unwrap().by, [Party::Office]);
    }

    /// Nothing leaves the final state except disclosure, which changes no content.
    #[test]
    fn closed_items_only_take_disclosure() {
        let after_close: Vec<&str> = PROPOSALS
            .actions
            .iter()
            .filter(|a| a.from.contains(&"closed"))
            .map(|a| a.name)
            .collect();
        assert_eq!(after_close, ["publish", "withhold"]);
        assert!(PROPOSALS
            .actions
            .iter()
            .filter(|a| a.from.contains(&"closed"))
            .all(|a| a.to.is_none()));
    }
}

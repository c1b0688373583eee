//! Approval of a year's monitored values (监测数据审核) as a table: one case per series, area and
//! year. The department enters the values and submits them; the action group (专项行动组, led
//! by the action's lead department) approves them, which locks them, or returns them; after
//! approval only the promotion committee's office (推进委员会办公室) can unlock them, with a
//! reason, and every value a correction replaces is kept.
//!
//! Implements 郑政文〔2020〕59号 附件2 一 (各专项行动组负责专项行动的具体实施和监测工作),
//! 二（一） (监测评估工作…各专项行动工作组负责具体组织实施), 二（二） (年度监测) and 三（一）
//! (推进委员会办公室负责具体组织实施).

use crate::cases::{Action, Need, Party, Procedure, State};
use luoshi_domain::Role;

const MONITOR: &str = "郑政文〔2020〕59号 附件2 二（一）、二（二）";
const GROUP: &str = "郑政文〔2020〕59号 附件2 一、二（一）";
const OFFICE: &str = "郑政文〔2020〕59号 附件2 三（一）";
const OPEN: &[&str] = &["entering", "returned"];

pub static HEALTH_VALUES: Procedure = Procedure {
    name: "health_values",
    label: "年度监测数据",
    cites: "郑政文〔2020〕59号 附件2 一、二、三（一）",
    office: &[Role::Health],
    initial: "entering",
    states: &[
        State {
            name: "entering",
            label: "录入中",
            is_final: false,
        },
        State {
            name: "submitted",
            label: "待审核",
            is_final: false,
        },
        State {
            name: "returned",
            label: "已退回",
            is_final: false,
        },
        State {
            name: "approved",
            label: "已审定（锁定）",
            is_final: true,
        },
    ],
    actions: &[
        Action {
            name: "enter",
            label: "录入数值",
            by: &[Party::LeadUnit, Party::CoUnit],
            from: OPEN,
            to: None,
            needs: &[Need::Field("values", "数值")],
            cites: MONITOR,
        },
        Action {
            name: "submit",
            label: "报送审核",
            by: &[Party::LeadUnit, Party::CoUnit],
            from: OPEN,
            to: Some("submitted"),
            needs: &[],
            cites: MONITOR,
        },
        Action {
            name: "approve",
            label: "审定并锁定",
            by: &[Party::LeadUnit],
            from: &["submitted"],
            to: Some("approved"),
            needs: &[],
            cites: GROUP,
        },
        Action {
            name: "return",
            label: "退回修改",
            by: &[Party::LeadUnit],
            from: &["submitted"],
            to: Some("returned"),
            needs: &[Need::Note],
            cites: GROUP,
        },
        Action {
            name: "unlock",
            label: "解锁更正",
            by: &[Party::Office],
            from: &["approved"],
            to: Some("entering"),
            needs: &[Need::Note],
            cites: OFFICE,
        },
    ],
};

//! Supervision of assigned work (督查督办) as a table: states, actions, who takes them.
//!
//! Implements 郑政办〔2020〕29号 (2020年市政府工作报告重点工作任务落实): 一、项目化推进 (the project
//! plan), 三、密切协作 (lead and co-units), 四、严格督查 (monthly reports, the ledger, the
//! supervision office's follow-up). The same table serves every document that assigns work
//! with owners (郑政文〔2020〕59号's actions, 郑政办〔2020〕30号's tasks, the numbered measures of
//! 郑政文〔2020〕61号 and 郑政办〔2020〕23号); their reporting duties come from each document.

use crate::cases::{Action, Need, Party, Procedure, State};
use luoshi_domain::Role;

const ACTIVE: &[&str] = &["not_started", "in_progress"];
const PLAN: &str = "郑政办〔2020〕29号 一、项目化推进";
const COOPERATE: &str = "郑政办〔2020〕29号 三、密切协作";
const SUPERVISE: &str = "郑政办〔2020〕29号 四、严格督查";

pub static SUPERVISION: Procedure = Procedure {
    name: "supervision",
    label: "督办事项",
    cites: "郑政办〔2020〕29号 一至四",
    office: &[Role::Supervision],
    initial: "not_started",
    states: &[
        State {
            name: "not_started",
            label: "未启动",
            is_final: false,
        },
        State {
            name: "in_progress",
            label: "推进中",
            is_final: false,
        },
        State {
            name: "completed",
            label: "已完成",
            is_final: true,
        },
    ],
    actions: &[
        Action {
            name: "submit_plan",
            label: "报送项目化推进计划",
            by: &[Party::LeadUnit],
            from: ACTIVE,
            to: Some("in_progress"),
            needs: &[
                Need::Field("content", "工作具体内容"),
                Need::Field("goal", "总体目标"),
                Need::Field("stages", "阶段目标"),
                Need::Field("deadline", "完成时限"),
                Need::Field("leader", "责任领导"),
            ],
            cites: PLAN,
        },
        Action {
            name: "contribute",
            label: "报送配合情况",
            by: &[Party::CoUnit],
            from: ACTIVE,
            to: None,
            needs: &[Need::Field("progress", "进展情况")],
            cites: COOPERATE,
        },
        Action {
            name: "submit_report",
            label: "报送月度进展",
            by: &[Party::LeadUnit],
            from: ACTIVE,
            to: Some("in_progress"),
            needs: &[
                Need::Field("period", "报告期"),
                Need::Field("progress", "进展情况"),
                Need::Field("percent", "完成进度"),
            ],
            cites: SUPERVISE,
        },
        Action {
            name: "submit_ledger",
            label: "报送工作落实台账",
            by: &[Party::LeadUnit],
            from: ACTIVE,
            to: Some("in_progress"),
            needs: &[
                Need::Field("period", "报送批次"),
                Need::Field("progress", "进展情况"),
            ],
            cites: SUPERVISE,
        },
        Action {
            name: "accept",
            label: "审核通过",
            by: &[Party::Office],
            from: &["in_progress"],
            to: None,
            needs: &[Need::Field("report_id", "所审报告")],
            cites: SUPERVISE,
        },
        Action {
            name: "return",
            label: "退回修改",
            by: &[Party::Office],
            from: &["in_progress"],
            to: None,
            needs: &[Need::Field("report_id", "所审报告"), Need::Note],
            cites: SUPERVISE,
        },
        Action {
            name: "extend",
            label: "延期",
            by: &[Party::Office],
            from: ACTIVE,
            to: None,
            needs: &[
                Need::Field("clock", "时限"),
                Need::Field("due", "新的到期日"),
                Need::Note,
            ],
            cites: SUPERVISE,
        },
        Action {
            name: "assign",
            label: "确定责任单位",
            by: &[Party::Office],
            from: ACTIVE,
            to: None,
            needs: &[Need::Field("lead_units", "牵头单位")],
            cites: COOPERATE,
        },
        Action {
            name: "reassign",
            label: "调整责任单位",
            by: &[Party::Office],
            from: ACTIVE,
            to: None,
            needs: &[Need::Field("lead_units", "牵头单位"), Need::Note],
            cites: COOPERATE,
        },
        Action {
            name: "complete",
            label: "办结",
            by: &[Party::Office],
            from: &["in_progress"],
            to: Some("completed"),
            needs: &[Need::Note],
            cites: SUPERVISE,
        },
        Action {
            name: "reopen",
            label: "重新办理",
            by: &[Party::Office],
            from: &["completed"],
            to: Some("in_progress"),
            needs: &[Need::Note],
            cites: SUPERVISE,
        },
    ],
};

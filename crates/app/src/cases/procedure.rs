//! Procedures as data (程序定义): a procedure declares its states, the actions that move a case
//! between them (who may take each, from which states, to which state, what each requires)
//! and the clause each cites. The engine ([`super::act`]) checks every action against this
//! table, so no page or API call can skip a step.

use luoshi_domain::Role;

/// A procedure: supervision, proposal handling, the subsidy, …
#[derive(Debug)]
pub struct Procedure {
    /// Stable name (`supervision`), stored with every case.
    pub name: &'static str,
    /// Chinese name shown to users.
    pub label: &'static str,
    /// The documents and clauses the procedure implements.
    pub cites: &'static str,
    /// Roles that act as "the office" of this procedure (besides the administrator).
    pub office: &'static [Role],
    pub initial: &'static str,
    pub states: &'static [State],
    pub actions: &'static [Action],
}

/// A state a case can be in.
#[derive(Debug)]
pub struct State {
    pub name: &'static str,
    pub label: &'static str,
    /// No action leaves a final state except those that list it in `from` explicitly.
    pub is_final: bool,
}

/// Who may take an action, by their relation to the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// The procedure's office (督查室, 建议提案处) or an administrator.
    Office,
    /// Staff of a lead unit (牵头单位/主办单位).
    LeadUnit,
    /// Staff of a co-unit (责任单位/会办单位).
    CoUnit,
    /// A responsible leader named on the case.
    Leader,
    /// The person the case belongs to (a deputy's own proposal, an applicant's application).
    Proposer,
}

impl Party {
    pub fn label(self) -> &'static str {
        match self {
            Party::Office => "主管处室",
            Party::LeadUnit => "牵头单位",
            Party::CoUnit => "责任单位",
            Party::Leader => "责任领导",
            Party::Proposer => "本人",
        }
    }
}

/// What an action requires of its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// A note (reason, comment).
    Note,
    /// At least one attachment.
    Attachment,
    /// A named field of the action's input, with its Chinese label.
    Field(&'static str, &'static str),
}

/// An action: its name, who may take it, from where to where, and what it needs.
#[derive(Debug)]
pub struct Action {
    /// Stable name used by the API (`submit_report`).
    pub name: &'static str,
    pub label: &'static str,
    pub by: &'static [Party],
    /// States it may be taken from.
    pub from: &'static [&'static str],
    /// The state it leads to; `None` keeps the state.
    pub to: Option<&'static str>,
    pub needs: &'static [Need],
    /// The clause this step implements.
    pub cites: &'static str,
}

impl Procedure {
    pub fn action(&self, name: &str) -> Option<&Action> {
        self.actions.iter().find(|a| a.name == name)
    }

    pub fn state(&self, name: &str) -> Option<&State> {
        self.states.iter().find(|s| s.name == name)
    }

    /// The Chinese label of a state (its name when unknown).
    pub fn state_label<'a>(&'a self, name: &'a str) -> &'a str {
        self.state(name).map(|s| s.label).unwrap_or(name)
    }

    /// Check the table itself: every state an action names exists, names are unique, the
    /// initial state exists. Run by each procedure's tests.
    pub fn validate(&self) -> Result<(), String> {
        if self.state(self.initial).is_none() {
            return Err(format!("{}: 初始状态 {} 未定义", self.name, self.initial));
        }
        for (i, a) in self.actions.iter().enumerate() {
            if self.actions[..i].iter().any(|b| b.name == a.name) {
                return Err(format!("{}: 动作 {} 重复", self.name, a.name));
            }
            for s in a.from.iter().chain(a.to.iter()) {
                if self.state(s).is_none() {
                    return Err(format!("{}: 动作 {} 的状态 {s} 未定义", self.name, a.name));
                }
            }
            if a.by.is_empty() || a.from.is_empty() || a.cites.is_empty() {
                return Err(format!(
                    "{}: 动作 {} 缺少执行方、起始状态或依据",
                    self.name, a.name
                ));
            }
        }
        for (i, s) in self.states.iter().enumerate() {
            if self.states[..i].iter().any(|t| t.name == s.name) {
                return Err(format!("{}: 状态 {} 重复", self.name, s.name));
            }
        }
        Ok(())
    }
}

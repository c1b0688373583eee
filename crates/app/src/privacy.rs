//! The public boundary (公开边界): where stored content becomes what a viewer sees.
//!
//! Every read view that carries gazette text (document pages and their API, the source view,
//! tasks, search hits, unit and leader task lists, supervision items and their exports) passes
//! its value through [`for_viewer`] before returning it. Viewers who need personal data — the
//! city-wide offices (管理员, 督查室, 建议提案处), [`Permission::ReadPersonalData`] — get the
//! original; everyone else, the public first, gets ID numbers, phone numbers, e-mail addresses
//! and bank card numbers masked by [`luoshi_domain::mask::personal_data`]. Names stay: the
//! government published the names of the people it commends and of its leaders.

use crate::supervision::views::{Dashboard, ItemDetail, ItemSummary, MilestoneOut, ToReview};
use crate::{Permission, Viewer};
use luoshi_domain::mask;
use luoshi_store::supervision::DutyRow;
use luoshi_store::{
    ClauseRow, DocumentRow, IndicatorRow, ListRow, OwnerRow, SearchHit, TargetRow, TaskRow,
    UnresolvedRow,
};
use std::borrow::Cow;

/// A value that can mask the personal data in its text.
pub trait Redact {
    /// Mask every text field in place.
    fn redact(&mut self);
}

/// Whether the viewer sees personal data unmasked.
pub fn sees_personal_data(viewer: &Viewer) -> bool {
    viewer.can(&Permission::ReadPersonalData)
}

/// `value` as the viewer may see it: unchanged for the roles that need personal data,
/// masked for everyone else.
pub fn for_viewer<T: Redact>(viewer: &Viewer, mut value: T) -> T {
    if !sees_personal_data(viewer) {
        value.redact();
    }
    value
}

/// Mask one string in place (no allocation when it holds nothing to mask).
pub fn text(s: &mut String) {
    if let Cow::Owned(m) = mask::personal_data(s) {
        *s = m;
    }
}

impl Redact for String {
    fn redact(&mut self) {
        text(self);
    }
}

impl<T: Redact> Redact for Vec<T> {
    fn redact(&mut self) {
        self.iter_mut().for_each(Redact::redact);
    }
}

impl<T: Redact> Redact for Option<T> {
    fn redact(&mut self) {
        if let Some(v) = self {
            v.redact();
        }
    }
}

impl<A: Redact, B: Redact> Redact for (A, B) {
    fn redact(&mut self) {
        self.0.redact();
        self.1.redact();
    }
}

/// Numbers carry no text.
impl Redact for i64 {
    fn redact(&mut self) {}
}

/// Every string inside a JSON value (roster and commendation entries, indicator targets).
impl Redact for serde_json::Value {
    fn redact(&mut self) {
        match self {
            serde_json::Value::String(s) => text(s),
            serde_json::Value::Array(a) => a.redact(),
            serde_json::Value::Object(o) => o.values_mut().for_each(Redact::redact),
            _ => {}
        }
    }
}

/// Implement [`Redact`] for a struct by naming its text fields.
macro_rules! redact_fields {
    ($($ty:ty => [$($field:ident),* $(,)?]);* $(;)?) => {
        $(impl Redact for $ty {
            fn redact(&mut self) {
                $(self.$field.redact();)*
            }
        })*
    };
}

redact_fields! {
    DocumentRow => [title, recipients, attachments];
    ClauseRow => [heading, text];
    OwnerRow => [name];
    TaskRow => [name, text, deadlines, owners];
    IndicatorRow => [name, basis, baseline_text, targets];
    TargetRow => [metric, comparator];
    ListRow => [title, entries];
    UnresolvedRow => [text];
    SearchHit => [title, snippet];
    ItemSummary => [title, text, milestones];
    MilestoneOut => [text, note];
    DutyRow => [label, recipient, source];
    Dashboard => [attention, to_review];
    ToReview => [item_title];
}

/// A supervision item's gazette text (title, text, milestones, the document's duties); reports
/// and the case history are the units' own writing, shown to those who take part in the case.
impl Redact for ItemDetail {
    fn redact(&mut self) {
        self.item.redact();
        self.duties.redact();
    }
}

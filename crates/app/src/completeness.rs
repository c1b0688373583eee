//! Is the issue whole? (完整性检查) Evidence that a text stops before its last document does.
//!
//! A gazette cut short (a failed download, a partial copy) still parses: its last document
//! just ends early. Importing it would store a mutilated document under a real 文号, and a
//! later import of the whole issue would skip that 文号. So the importer refuses a text whose
//! last document shows any of these signs, and says which:
//!
//! 1. the text ends in the middle of a sentence (on `，` `、` `：` `（` `《` `“` …);
//! 2. the document announces attachments (附件) that never appear (an attachment marked
//!    `（略）`, omitted on purpose, does not count);
//! 3. a commendation list holds fewer names than the number it states;
//! 4. its last task has no owner at all (no leader, no lead unit, no unit) while other tasks do.
//!
//! A text cut exactly at the end of a sentence of prose shows no sign and cannot be told from
//! a whole one; that limit is inherent.

use luoshi_gazette::{Document, Issue};

/// Characters no document ends on.
const MID_SENTENCE: &[char] = &[
    '，', ',', '、', '：', ':', '（', '(', '《', '“', '〔', '；', '—',
];

/// The first sign of truncation found, in Chinese, or `None` when the issue looks whole.
pub fn truncation(issue: &Issue, text: &str) -> Option<String> {
    let last = issue.documents.last()?;
    let tail = text.trim_end();
    if let Some(c) = tail.chars().last().filter(|c| MID_SENTENCE.contains(c)) {
        let line = tail.lines().count();
        return Some(format!("全文在第 {line} 行的“{c}”处中断，句子不完整"));
    }
    missing_attachment(last)
        .or_else(|| short_list(last))
        .or_else(|| ownerless_last_task(last))
        .map(|why| format!("最后一篇公文 {} {why}", last.doc_no))
}

fn missing_attachment(d: &Document) -> Option<String> {
    let declared = d.attachments.iter().filter(|a| !a.contains('略')).count();
    let present = d
        .outline
        .iter()
        .filter(|c| c.marker.starts_with("附件") || c.marker.starts_with("附 件"))
        .count();
    (present < declared).then(|| format!("列出附件 {declared} 个，正文只有 {present} 个"))
}

fn short_list(d: &Document) -> Option<String> {
    d.commendations.iter().enumerate().find_map(|(i, c)| {
        let is_parent = d.commendations.iter().any(|k| k.parent == Some(i));
        let stated = c.stated_count? as usize;
        (!is_parent && c.entries.len() < stated).then(|| {
            format!(
                "的名单“{}”载明 {stated} 个，只读到 {} 个",
                c.category,
                c.entries.len()
            )
        })
    })
}

fn ownerless_last_task(d: &Document) -> Option<String> {
    let owned = |t: &luoshi_gazette::Task| {
        !(t.leaders.is_empty() && t.lead_units.is_empty() && t.units.is_empty())
    };
    let (last, earlier) = d.tasks.split_last()?;
    if !owned(last) && earlier.iter().any(owned) {
        return Some(format!("的第 {} 项任务没有任何责任领导或责任单位", last.no));
    }
    // An item numbered right after the last task, at the very end, whose owner lines never
    // came: the reader could not make it a task at all.
    let tail = d.outline.last()?;
    let no: u32 = tail
        .marker
        .trim_end_matches(['.', '．', '、'])
        .parse()
        .ok()?;
    (no == last.no + 1 && tail.span.first_line > last.span.last_line)
        .then(|| format!("的第 {no} 项任务没有任何责任领导或责任单位"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::SEED_TEXT;

    /// The seed up to (not including) the first line containing `marker`, searched from
    /// `after`.
    fn cut_before(marker: &str, after: &str) -> String {
        let start = SEED_TEXT.find(after).expect("anchor present");
        let at = start + SEED_TEXT[start..].find(marker).expect("marker present");
        let line_start = SEED_TEXT[..at].rfind('\n').map_or(0, |i| i + 1);
        SEED_TEXT[..line_start].to_string()
    }

    fn check(text: &str) -> Option<String> {
        truncation(&luoshi_gazette::parse(text), text)
    }

    #[test]
    fn the_whole_seed_is_whole() {
        assert_eq!(check(SEED_TEXT), None);
    }

    #[test]
    fn a_text_ending_mid_sentence_is_truncated() {
        let end = SEED_TEXT.find("做好监测考核,").unwrap() + "做好监测考核,".len();
        let why = check(&SEED_TEXT[..end]).expect("truncated");
        assert!(why.contains("句子不完整"), "{why}");
    }

    #[test]
    fn a_missing_attachment_is_truncation() {
        // 59号 announces three attachments; cut before 附件3.
        let text = cut_before("附件3", "健康郑州行动监测评估和考核方案\n\n为贯彻落实");
        let why = check(&text).expect("truncated");
        assert!(
            why.contains("郑政文〔2020〕59号") && why.contains("附件"),
            "{why}"
        );
    }

    #[test]
    fn a_short_name_list_is_truncation() {
        // 63号 states 140 people; cut in the middle of the list.
        let text = cut_before("刘淑霞", "二、先进个人（140 人）");
        let why = check(&text).expect("truncated");
        assert!(
            why.contains("郑政文〔2020〕63号") && why.contains("140"),
            "{why}"
        );
    }

    #[test]
    fn a_last_task_without_owners_is_truncation() {
        // 29号: cut right after task 10's text, before its owner lines.
        let text = cut_before("责任领导：吴福民", "10. 持续开展“三送一强”活动");
        let why = check(&text).expect("truncated");
        assert!(
            why.contains("郑政办〔2020〕29号") && why.contains("第 10 项"),
            "{why}"
        );
    }
}

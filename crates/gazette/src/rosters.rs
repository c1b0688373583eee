//! Rosters (成员名单): the members of committees and leading groups, e.g.
//! `主任：王新伟 副省长、市委副书记、市长` or `成 员: 张 吉 市政府常务副秘书长`.
//!
//! Rules of interpretation:
//! - A roster starts at a role label (`主任：`, `副组长:`, `成 员:` — spaces inside the label are
//!   ignored) whose label ends with a role word ([`ROLE_SUFFIXES`]). Lines without a label belong
//!   to the last role (`副主任：柴丹 …` followed by `付桂荣 市卫健委主任`).
//! - A member line is `NAME POST`: the name is the first token, or two single-character tokens
//!   (`张 吉`, a padded two-character name); the post is the rest, spaces removed. A note glued
//!   to the name (`柴丹（兼）`) stays in the post as written.
//! - A line with one token and no name shape (`调研员`, `客信部副主任`) continues the previous
//!   member's post (a line wrapped by the typesetter). When the post ended in `副X` and the
//!   continuation repeats `X` (`副调` + `调研员`), the repeated character is a PDF artefact and
//!   is dropped (`副调研员`).
//! - A line naming a category of members instead of a person (starts with 相关/有关/各/其他, or
//!   contains 若干/负责同志/负责人) is kept in [`Roster::categories`], never dropped.
//! - The roster ends at a clause heading, a sentence (`。`), or any line that is none of the above.
//! - The body (`健康郑州行动推进委员会`) is the nearest phrase before the roster that ends in a
//!   body word ([`BODY_SUFFIXES`]).

pub(crate) mod names;

use crate::cite::clause_path_at;
use crate::commendations::marker::leading_marker;
use crate::model::{Clause, Roster, RosterCategory, RosterMember, Span};
use crate::text::{clean, fold_width, is_han, normalize_spacing, remove_spaces};
use names::{bracket_aware_tokens, is_single_hanzi, looks_like_person_name, split_note};

/// A role label must end with one of these words (`执行副主任`, `副组长`, `成员` …).
pub(crate) const ROLE_SUFFIXES: &[&str] = &[
    "主任",
    "组长",
    "委员",
    "成员",
    "组员",
    "秘书长",
    "指挥长",
    "总指挥",
    "顾问",
    "主席",
    "召集人",
    "联络员",
    "团长",
    "队长",
];

/// Words that end the name of a body a roster belongs to.
pub(crate) const BODY_SUFFIXES: &[&str] = &[
    "领导小组",
    "工作小组",
    "委员会",
    "指挥部",
    "工作组",
    "联席会议",
    "推进组",
    "专班",
];

/// Words that mark a line as a category of members rather than a person.
const CATEGORY_PREFIXES: &[&str] = &["相关", "有关", "各", "其他"];
const CATEGORY_WORDS: &[&str] = &["若干", "负责同志", "负责人"];

/// Words before a body name that are not part of it (`关于调整…`, `决定对…`).
const BODY_LEAD_WORDS: &[&str] = &["关于", "调整", "成立", "决定对", "现对", "的", "现将"];

/// Longest label (in characters) accepted as a role label.
const MAX_ROLE_LABEL_CHARS: usize = 8;
/// Longest line (in characters) still read as part of a roster.
const MAX_ROSTER_LINE_CHARS: usize = 80;

/// Extract every roster of one document. `lines` are the document's raw lines
/// (1-based line number, text).
#[cfg(test)]
pub(crate) fn extract(lines: &[(usize, &str)], outline: &[Clause]) -> Vec<Roster> {
    let with_colon: Vec<bool> = lines
        .iter()
        .map(|(_, raw)| raw.contains([':', '：', '\t']))
        .collect();
    extract_with(lines, &with_colon, outline)
}

/// [`extract`], told which lines hold a `:`, `：` or tab at all (`with_colon`, one flag per
/// line): the caller finds them with searches over the document's text, not per line.
pub(crate) fn extract_with(
    lines: &[(usize, &str)],
    with_colon: &[bool],
    outline: &[Clause],
) -> Vec<Roster> {
    let mut rosters = Vec::new();
    let mut current: Option<Draft> = None;
    for (index, &(line_no, raw)) in lines.iter().enumerate() {
        // A line that may open a roster has a colon or a tab near its start.
        if current.is_none() && !with_colon[index] {
            continue;
        }
        let trimmed = clean(raw);
        if trimmed.is_empty() || (current.is_none() && !may_open_roster(trimmed)) {
            continue;
        }
        if let Some((role, rest)) = role_label(raw) {
            let draft = current.get_or_insert_with(|| Draft::new(index, line_no));
            draft.role = role;
            draft.last_line = line_no;
            if !rest.trim().is_empty() && !draft.read_line(&rest, line_no, false) {
                // `指挥长：由市政府分管副市长担任`: who holds the role, not a person; kept.
                draft.keep_unread(&rest, line_no);
            }
            continue;
        }
        let Some(draft) = current.as_mut() else {
            continue;
        };
        let folded = fold_width(trimmed);
        // A sub-group heading inside the roster (`（一）部门委员`): its members carry no role of
        // their own and take the heading's role word (`成员` when it names none).
        if let Some(role) = sub_group_role(&folded, lines.get(index + 1..).unwrap_or(&[])) {
            draft.role = role;
            draft.last_line = line_no;
            continue;
        }
        let prose = leading_marker(&folded).is_some()
            || trimmed.contains("。")
            || trimmed.chars().count() > MAX_ROSTER_LINE_CHARS;
        if !prose && draft.read_line(raw, line_no, true) {
            continue;
        }
        // A short line the roster cannot read, with roster lines after it, is kept (as a
        // category line) rather than ending the roster and losing the members after it.
        let roster_goes_on = lines[index + 1..]
            .iter()
            .map(|(_, next)| *next)
            .find(|next| !clean(next).is_empty())
            .is_some_and(|next| role_label(next).is_some() || is_member_line(next));
        if !prose && roster_goes_on {
            draft.keep_unread(raw, line_no);
        } else {
            finish(current.take(), lines, outline, &mut rosters);
        }
    }
    finish(current, lines, outline, &mut rosters);
    rosters
}

/// The role a sub-group heading gives its members: a short numbered line without sentence
/// punctuation, ending with a role word, or a sub-heading (`（二）…`) followed by a member line.
fn sub_group_role(folded: &str, after: &[(usize, &str)]) -> Option<String> {
    let m = leading_marker(folded)?;
    let heading = remove_spaces(&folded[m.len..]).into_owned();
    if heading.is_empty()
        || heading.chars().count() > 20
        || heading.contains(['。', ',', '，', ';', '；', ':', '：'])
    {
        return None;
    }
    if let Some(role) = ROLE_SUFFIXES.iter().find(|r| heading.ends_with(*r)) {
        return Some(role.to_string());
    }
    // Without a role word, only a sub-heading (`（二）区政府`), never a chapter (`二、其他事项`).
    if m.level < 2 {
        return None;
    }
    let next = after
        .iter()
        .map(|(_, l)| *l)
        .find(|l| !clean(l).is_empty())?;
    is_member_line(next).then(|| "成员".to_string())
}

/// Bytes before the colon (or tab) of a role label, at most: a cheap test that spares the
/// full reading of lines that cannot open a roster.
const MAX_ROLE_LABEL_BYTES: usize = 48;

/// True when the line may start with a role label (`主任：`, `组 长:`, `组长<TAB>`).
fn may_open_roster(line: &str) -> bool {
    const FULL_WIDTH_COLON: &[u8] = "：".as_bytes();
    let head = &line.as_bytes()[..line
        .len()
        .min(MAX_ROLE_LABEL_BYTES + FULL_WIDTH_COLON.len())];
    head.iter().enumerate().any(|(i, &b)| match b {
        b':' | b'\t' => true,
        0xEF => head.get(i..i + FULL_WIDTH_COLON.len()) == Some(FULL_WIDTH_COLON),
        _ => false,
    })
}

/// A roster being read.
struct Draft {
    /// Index into `lines` of the first role label.
    start_index: usize,
    first_line: usize,
    last_line: usize,
    role: String,
    members: Vec<RosterMember>,
    categories: Vec<RosterCategory>,
}

impl Draft {
    fn new(start_index: usize, first_line: usize) -> Self {
        Draft {
            start_index,
            first_line,
            last_line: first_line,
            role: String::new(),
            members: Vec::new(),
            categories: Vec::new(),
        }
    }

    /// Keep a line the roster cannot read as a category line of the current role.
    fn keep_unread(&mut self, raw: &str, line_no: usize) {
        self.categories.push(RosterCategory {
            role: self.role.clone(),
            text: normalize_spacing(raw).into_owned(),
            line: line_no,
        });
        self.last_line = line_no;
    }

    /// Read one line under the current role; false when the line is not roster material.
    /// `may_continue`: the line may continue the previous member's post (not so for the text
    /// after a role label).
    fn read_line(&mut self, raw: &str, line_no: usize, may_continue: bool) -> bool {
        let text = normalize_spacing(raw).into_owned();
        if is_category(&text) {
            self.categories.push(RosterCategory {
                role: self.role.clone(),
                text,
                line: line_no,
            });
            self.last_line = line_no;
            return true;
        }
        if let Some(names) = names_only(&text) {
            for name in names {
                self.members.push(RosterMember {
                    name,
                    post: String::new(),
                    role: self.role.clone(),
                });
            }
            self.last_line = line_no;
            return true;
        }
        let tokens = bracket_aware_tokens(raw.trim());
        if let Some(member) = member_from_tokens(&tokens, &self.role) {
            self.members.push(member);
            self.last_line = line_no;
            return true;
        }
        if may_continue && tokens.len() == 1 && !text.ends_with(['。', '；', ';']) {
            if let Some(last) = self.members.last_mut() {
                last.post = join_wrapped_post(&last.post, &text);
                self.last_line = line_no;
                return true;
            }
        }
        false
    }
}

fn finish(
    draft: Option<Draft>,
    lines: &[(usize, &str)],
    outline: &[Clause],
    out: &mut Vec<Roster>,
) {
    let Some(draft) = draft else { return };
    if draft.members.is_empty() {
        return;
    }
    out.push(Roster {
        body: body_before(&lines[..draft.start_index]),
        members: draft.members,
        clause: clause_path_at(outline, draft.first_line),
        span: Span {
            first_line: draft.first_line,
            last_line: draft.last_line,
        },
        categories: draft.categories,
    });
}

/// `主任：王新伟 …` → (`主任`, `王新伟 …`); `组 长: 吴福民 …` → (`组长`, `吴福民 …`).
/// The rest is taken from the raw line so that name padding survives.
/// A table row whose first cell is a role (`组长<TAB>王某某<TAB>市长`) is read the same way.
fn role_label(raw: &str) -> Option<(String, String)> {
    let line = raw.trim();
    let (label, rest) = match first_colon(line) {
        Some((at, colon_len)) => (&line[..at], &line[at + colon_len..]),
        None => line.split_once('\t')?,
    };
    let folded = fold_width(label);
    let label = remove_spaces(&folded);
    is_role_label(&label).then(|| (label.into_owned(), rest.to_string()))
}

/// The first `:` or `：` (`EF BC 9A`) in `line`: its byte offset and length. A byte search.
fn first_colon(line: &str) -> Option<(usize, usize)> {
    let b = line.as_bytes();
    memchr::memchr2_iter(b':', 0xEF, b).find_map(|i| match b[i] {
        b':' => Some((i, 1)),
        _ if b.get(i + 1..i + 3) == Some(&[0xBC, 0x9A]) => Some((i, 3)),
        _ => None,
    })
}

fn is_role_label(label: &str) -> bool {
    let label_chars = label.chars().count();
    label_chars > 0
        && label_chars <= MAX_ROLE_LABEL_CHARS
        && !crate::words::has_word(label, "单位")
        && ROLE_SUFFIXES.iter().any(|s| label.ends_with(s))
}

/// `张三、李四、王五`: names without posts, when every part has a name's shape.
fn names_only(text: &str) -> Option<Vec<String>> {
    let parts = names::split_outside_brackets(text, &['、', '，', ',']);
    let all_names = parts.len() > 1 && parts.iter().all(|p| looks_like_person_name(p));
    all_names.then(|| parts.iter().map(|p| p.to_string()).collect())
}

/// A line that reads as `NAME POST`.
fn is_member_line(raw: &str) -> bool {
    member_from_tokens(&bracket_aware_tokens(raw.trim()), "").is_some()
}

fn is_category(text: &str) -> bool {
    CATEGORY_PREFIXES.iter().any(|p| text.starts_with(p))
        || crate::words::has_any(text, CATEGORY_WORDS)
}

/// `["张", "吉", "市政府常务副秘书长"]` → 张吉 / 市政府常务副秘书长; `["柴丹（兼）"]` → 柴丹 / （兼）.
fn member_from_tokens(tokens: &[&str], role: &str) -> Option<RosterMember> {
    let first = tokens.first()?;
    let (name, glued_note, rest_from) = match tokens.get(1) {
        Some(second) if is_single_hanzi(first) && is_single_hanzi(&split_note(second).0) => {
            let (base, _) = split_note(second);
            let note_part = second[base.len()..].to_string();
            (format!("{first}{base}"), note_part, 2)
        }
        _ => {
            let (base, _) = split_note(first);
            (base.clone(), first[base.len()..].to_string(), 1)
        }
    };
    if !looks_like_person_name(&name) {
        return None;
    }
    let rest: String = tokens[rest_from..].concat();
    if rest.is_empty() && glued_note.is_empty() {
        // A lone name-shaped token: a person listed without a post. Post-like endings
        // (`调研员`) are continuations, decided by the caller.
        if ends_like_post(&name) {
            return None;
        }
    }
    Some(RosterMember {
        name,
        post: format!("{glued_note}{rest}"),
        role: role.to_string(),
    })
}

/// Characters that end post titles (`调研员`, `局长`, `主任`): a lone token ending so is a
/// wrapped post, not a name.
fn ends_like_post(token: &str) -> bool {
    ["员", "长", "任", "记", "席", "师", "理", "官", "监", "事"]
        .iter()
        .any(|s| token.ends_with(s))
}

/// Join a post wrapped onto the next line; `副调` + `调研员` → `副调研员`.
fn join_wrapped_post(post: &str, continuation: &str) -> String {
    let mut tail = post.chars().rev();
    let (last, before_last) = (tail.next(), tail.next());
    let repeated = matches!((before_last, last, continuation.chars().next()),
        (Some('副' | '正'), Some(x), Some(y)) if x == y);
    if repeated {
        let skip = continuation.chars().next().map(char::len_utf8).unwrap_or(0);
        format!("{post}{}", &continuation[skip..])
    } else {
        format!("{post}{continuation}")
    }
}

/// The body the roster belongs to: the nearest phrase before it ending in a body word,
/// the longest in that line (`决定对郑州市轨道交通建设工作领导小组…` beats `调整后的领导小组`).
fn body_before(lines: &[(usize, &str)]) -> String {
    for &(_, raw) in lines.iter().rev() {
        let spaced = normalize_spacing(raw);
        let text = remove_spaces(&spaced);
        if let Some(body) = longest_body_phrase(&text) {
            return body;
        }
    }
    String::new()
}

fn longest_body_phrase(text: &str) -> Option<String> {
    let mut best: Option<String> = None;
    for suffix in BODY_SUFFIXES {
        for (at, _) in text.match_indices(suffix) {
            let end = at + suffix.len();
            let start = text[..at]
                .char_indices()
                .rev()
                .take_while(|(_, c)| is_han(*c) || c.is_ascii_alphanumeric())
                .last()
                .map(|(i, _)| i)
                .unwrap_or(at);
            let mut phrase = &text[start..end];
            while let Some(cut) = BODY_LEAD_WORDS
                .iter()
                .filter_map(|w| phrase.find(w).map(|i| i + w.len()))
                .filter(|&i| i < phrase.len() - suffix.len())
                .max()
            {
                phrase = &phrase[cut..];
            }
            if best.as_ref().is_none_or(|b| phrase.len() > b.len()) {
                best = Some(phrase.to_string());
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commendations::testing::numbered;

    #[test]
    fn first_colon_of_either_width() {
        for line in [
            "组长：王某",
            "组长:王某",
            "甲，乙：丙:丁",
            "无冒号",
            "：",
            "a:b：c",
            "",
        ] {
            let by_chars = line
                .char_indices()
                .find(|(_, c)| matches!(c, '：' | ':'))
                .map(|(at, c)| (at, c.len_utf8()));
            assert_eq!(first_colon(line), by_chars, "{line}");
        }
    }

    fn members(roster: &Roster) -> Vec<(&str, &str, &str)> {
        roster
            .members
            .iter()
            .map(|m| (m.role.as_str(), m.name.as_str(), m.post.as_str()))
            .collect()
    }

    #[test]
    fn invented_leading_group_from_another_city() {
        let text = "关于成立洛阳市城市更新工作领导小组的通知\n\n\
            组　长：李 明　市政府市长\n\
            副组长: 王小红 市政府副市长\n\
            成　员: 赵 一 市住建局局长\n\
            钱多多 市财政局副局长、二级\n\
            调研员\n\
            孙某某 中国联合网络通信有限公司洛阳市分公司\n\
            副总经理\n\
            各县（市、区）分管负责同志\n\
            领导小组办公室设在市住建局，负责日常工作。";
        let rosters = extract(&numbered(text), &[]);
        assert_eq!(rosters.len(), 1);
        let r = &rosters[0];
        assert_eq!(r.body, "洛阳市城市更新工作领导小组");
        assert_eq!(
            members(r),
            [
                ("组长", "李明", "市政府市长"),
                ("副组长", "王小红", "市政府副市长"),
                ("成员", "赵一", "市住建局局长"),
                ("成员", "钱多多", "市财政局副局长、二级调研员"),
                (
                    "成员",
                    "孙某某",
                    "中国联合网络通信有限公司洛阳市分公司副总经理"
                ),
            ]
        );
        assert_eq!(r.categories.len(), 1);
        assert_eq!(r.categories[0].role, "成员");
        assert_eq!(r.categories[0].line, 10);
        assert_eq!(
            r.span,
            Span {
                first_line: 3,
                last_line: 10
            }
        );
    }

    #[test]
    fn repeated_character_across_a_wrap_is_dropped_only_after_a_deputy_prefix() {
        assert_eq!(
            join_wrapped_post("党组成员、副调", "调研员"),
            "党组成员、副调研员"
        );
        assert_eq!(join_wrapped_post("市委", "委员"), "市委委员");
        assert_eq!(
            join_wrapped_post("有限公司", "客信部副主任"),
            "有限公司客信部副主任"
        );
    }

    #[test]
    fn tab_rows_and_names_without_posts() {
        let text = "组长\t王某某\t市长\n成员\t李 四\t市财政局局长\n赵五、钱六、孙七";
        let r = &extract(&numbered(text), &[])[0];
        assert_eq!(
            members(r),
            [
                ("组长", "王某某", "市长"),
                ("成员", "李四", "市财政局局长"),
                ("成员", "赵五", ""),
                ("成员", "钱六", ""),
                ("成员", "孙七", ""),
            ]
        );
    }

    #[test]
    fn concurrent_post_note_is_kept() {
        let text = "秘书长：柴丹（兼）\n张士东（兼）";
        let r = &extract(&numbered(text), &[])[0];
        assert_eq!(
            members(r),
            [("秘书长", "柴丹", "（兼）"), ("秘书长", "张士东", "（兼）")]
        );
    }

    #[test]
    fn labels_that_are_not_roles_do_not_start_a_roster() {
        let text = "责任领导：王新伟\n牵头单位：市卫健委\n成员单位：市财政局\n指挥长：由市政府分管副市长担任";
        assert!(extract(&numbered(text), &[]).is_empty());
    }

    #[test]
    fn an_unreadable_line_between_members_is_kept() {
        let text =
            "主任：甲乙丙 市长\n（空缺） 待定\n丁戊己 副市长\n指挥长：由市政府分管副市长担任";
        let r = &extract(&numbered(text), &[])[0];
        assert_eq!(r.members.len(), 2);
        let kept: Vec<(&str, usize)> = r
            .categories
            .iter()
            .map(|c| (c.text.as_str(), c.line))
            .collect();
        assert_eq!(kept, [("（空缺）待定", 2), ("由市政府分管副市长担任", 4)]);
        assert_eq!(r.members[0].post, "市长");
        assert_eq!(r.members[1].role, "主任");
    }

    #[test]
    fn a_heading_ends_the_roster() {
        let text = "委员：甲乙丙 市某局局长\n二、其他事项\n丁戊己 市某局副局长";
        let r = extract(&numbered(text), &[]);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].members.len(), 1);
    }

    #[test]
    fn odd_input_does_not_panic() {
        for text in [
            "：",
            "主任：",
            "主任：（",
            "主任：张 ",
            "\t\t",
            "组 长:",
            "副主任：副\n副调研员",
        ] {
            let _ = extract(&numbered(text), &[]);
        }
    }
}

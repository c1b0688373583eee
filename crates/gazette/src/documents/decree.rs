//! Decrees (令): a government's rules are published under a decree heading and a number instead
//! of a bracketed 文号 — `中华人民共和国国务院令` over `第707号`, `郑州市人民政府令 第235号`,
//! `中华人民共和国商务部令 2019年第1号` — then a one-paragraph order (`现公布《…》，自…起施行。`),
//! the signature (`总理　李克强`, `市长　…`) and the date, and the promulgated rules themselves.
//!
//! The 文号 is the heading's issuer, `令` and the number (`郑州市人民政府令第235号`); the State
//! Council's is written as it cites its own decrees (`国令第707号`). The title is the rules'
//! name, the first `《…》` of the order.

use crate::lines::cn_date;
use crate::text::{clean, fold_char, is_han, remove_spaces};

/// What a decree's heading and number say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decree {
    pub doc_no: String,
    pub issuer: String,
    /// Index of the heading's line (the document's first line).
    pub start: usize,
}

/// Words an issuer of decrees ends with (besides the State Council itself).
const DECREE_ISSUER_ENDINGS: &[&str] = &["人民政府", "委员会", "总局", "部", "局", "署", "银行"];

/// The decree whose number stands on line `at` (`第707号`, `2019年第1号`), with its heading on
/// the same line or on the nearest non-blank line above it (not above `floor`).
pub(crate) fn decree_at(lines: &[&str], at: usize, floor: usize) -> Option<Decree> {
    let line = clean(lines[at]);
    // A number line is short and ends with 号: most lines holding 号 are ruled out here.
    if line.len() > 120 || !line.ends_with('号') {
        return None;
    }
    let line = remove_spaces(line);
    let (heading, number, start) = match line.find("令") {
        Some(pos) if pos > 0 => {
            let (heading, number) = line.split_at(pos + "令".len());
            (heading.to_string(), number.to_string(), at)
        }
        _ => {
            let above = (floor..at).rev().find(|&j| !clean(lines[j]).is_empty())?;
            let heading = remove_spaces(clean(lines[above])).into_owned();
            (heading, line.into_owned(), above)
        }
    };
    let number = decree_number(&number)?;
    let issuer = decree_issuer(&heading)?;
    let doc_no = if issuer == "国务院" {
        format!("国令{number}")
    } else {
        format!("{issuer}令{number}")
    };
    Some(Decree {
        doc_no,
        issuer,
        start,
    })
}

/// `第707号` or `2019年第1号` (ASCII or full-width digits), normalised to ASCII digits.
fn decree_number(s: &str) -> Option<String> {
    let folded: String = s.chars().map(fold_char).collect();
    let (year, rest) = match folded.split_once('年') {
        Some((y, rest)) if y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) => (y, rest),
        Some(_) => return None,
        None => ("", folded.as_str()),
    };
    let digits = rest.strip_prefix('第')?.strip_suffix('号')?;
    if digits.is_empty() || digits.len() > 5 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(if year.is_empty() {
        format!("第{digits}号")
    } else {
        format!("{year}年第{digits}号")
    })
}

/// The issuer of a decree heading (`中华人民共和国国务院令` → `国务院`), if it names one.
fn decree_issuer(heading: &str) -> Option<String> {
    let name = heading.strip_suffix('令')?;
    let name = name.strip_prefix("中华人民共和国").unwrap_or(name);
    let chars = name.chars().count();
    let names_issuer = name == "国务院"
        || ((2..=20).contains(&chars)
            && name.chars().all(is_han)
            && DECREE_ISSUER_ENDINGS.iter().any(|e| name.ends_with(e)));
    names_issuer.then(|| name.to_string())
}

/// The name of the promulgated rules (the first `《…》` in the order's first lines from `from`)
/// and the order's date (the first date alone on its line there, under the signature).
pub(crate) fn title_and_date(lines: &[&str], from: usize) -> (String, Option<String>) {
    let mut title = String::new();
    let mut date = None;
    let order = lines[from.min(lines.len())..]
        .iter()
        .map(|l| clean(l))
        .filter(|t| !t.is_empty())
        .take(6);
    for t in order {
        if title.is_empty() {
            if let Some((_, after)) = t.split_once('《') {
                if let Some((name, _)) = after.split_once('》') {
                    title = name.to_string();
                }
            }
        }
        if date.is_none() {
            if let Some((d, rest)) = cn_date(t) {
                if rest.trim().is_empty() {
                    date = Some(d);
                }
            }
        }
    }
    (title, date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, line: usize) -> Option<Decree> {
        let lines: Vec<&str> = text.lines().collect();
        decree_at(&lines, line, 0)
    }

    #[test]
    fn state_council_decree_heading_over_its_number() {
        let d = at("中华人民共和国国务院令\n\n第707号\n", 2).unwrap();
        assert_eq!(d.doc_no, "国令第707号");
        assert_eq!(d.issuer, "国务院");
        assert_eq!(d.start, 0);
    }

    #[test]
    fn city_decree_on_one_line_with_spaces_and_full_width_digits() {
        let d = at("郑州市人民政府令　第２３５号", 0).unwrap();
        assert_eq!(d.doc_no, "郑州市人民政府令第235号");
        assert_eq!(d.issuer, "郑州市人民政府");
    }

    #[test]
    fn ministry_decree_numbered_within_its_year() {
        let d = at("中华人民共和国商务部令\n2019年第1号", 1).unwrap();
        assert_eq!(d.doc_no, "商务部令2019年第1号");
        assert_eq!(d.issuer, "商务部");
    }

    #[test]
    fn numbers_and_headings_that_are_not_decrees() {
        // A proposal's number under a reply's title, an order in prose, a clause number.
        assert_eq!(
            at("国务院办公厅对全国政协十届四次会议\n第4626号提案的答复", 1),
            None
        );
        assert_eq!(at("根据上级命令\n第3号", 1), None);
        assert_eq!(at("各县（市、区）人民政府令行禁止\n第12号", 1), None);
        assert_eq!(at("第一条\n第12号", 1), None);
    }

    #[test]
    fn title_from_the_order_and_date_under_the_signature() {
        let text = "现公布修订后的《中华人民共和国个人所得税法实施条例》，自2019年1月1日起施行。\n\n总理　　李克强\n\n2018年12月18日\n\n中华人民共和国个人所得税法实施条例";
        let lines: Vec<&str> = text.lines().collect();
        let (title, date) = title_and_date(&lines, 0);
        assert_eq!(title, "中华人民共和国个人所得税法实施条例");
        assert_eq!(date.as_deref(), Some("2018-12-18"));
    }
}

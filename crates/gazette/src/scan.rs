//! The first read of an issue (通读): its lines, page furniture blanked, and the per-line
//! facts the readers test before they look closer — found in chunks of the text, one per
//! core, so the documents' readers start sooner on a large issue.
//!
//! Each chunk ends at a line break, so its lines are the lines in order; the only fact
//! that needs the whole issue (a gazette running header is blanked where it repeats anywhere)
//! is settled after the chunks are joined.

use crate::text::{
    blank_page_numbers, blank_repeated_headers, gazette_header_key, lines_containing, split_lines,
};

/// The lines and, one flag per line, whether it holds a word a reader looks for.
/// A flag is a cheap first test: it may be set on a line the page-furniture rule blanked.
pub(crate) struct Scan<'t> {
    /// The lines as [`split_lines`] gives them, page furniture blanked (empty slices of
    /// themselves, so line numbers and positions in the text stay).
    pub lines: Vec<&'t str>,
    /// The line holds 年 (a time anchor may stand there; see `targets`).
    pub year: Vec<bool>,
    /// The line holds `:`, `：` or a tab (a roster label may stand there; see `rosters`).
    pub colon: Vec<bool>,
    /// The line holds 号 (a 文号 line may stand there; see `documents`).
    pub hao: Vec<bool>,
    /// The line holds 附 (an attachment list may open there; see `documents`).
    pub fu: Vec<bool>,
}

/// One chunk's share of a [`Scan`], with its lines that may be running headers.
struct Part<'t> {
    scan: Scan<'t>,
    header_keys: Vec<(usize, String)>,
}

/// Read `text` in `chunks` pieces (at least one), on as many threads.
pub(crate) fn scan(text: &str, chunks: usize) -> Scan<'_> {
    let pieces = cut(text, chunks.max(1));
    let parts: Vec<Part> = if pieces.len() == 1 {
        vec![part(pieces[0])]
    } else {
        std::thread::scope(|scope| {
            let (first, rest) = pieces.split_first().expect("two pieces or more");
            let workers: Vec<_> = rest
                .iter()
                .map(|&piece| scope.spawn(move || part(piece)))
                .collect();
            let mut parts = vec![part(first)];
            for w in workers {
                parts.push(w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
            }
            parts
        })
    };
    join(parts)
}

/// `text` cut into about `n` pieces, each ending right after a line break (the last ends
/// where the text does); together they are the text, in order.
fn cut(text: &str, n: usize) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut pieces = Vec::with_capacity(n);
    let mut start = 0;
    for k in 1..n {
        let aim = (text.len() * k / n).max(start);
        let Some(end) = memchr::memchr(b'\n', &bytes[aim..]).map(|i| aim + i + 1) else {
            break;
        };
        pieces.push(&text[start..end]);
        start = end;
    }
    pieces.push(&text[start..]);
    pieces
}

/// The scan of one piece of the text (ending at a line break, or at the text's end).
fn part(piece: &str) -> Part<'_> {
    let mut lines = split_lines(piece);
    let found = |words: &[&str]| lines_containing(piece, &lines, words);
    let (year, colon, hao, fu) = (
        found(&["年"]),
        found(&[":", "：", "\t"]),
        found(&["号"]),
        found(&["附"]),
    );
    let header_keys: Vec<(usize, String)> = found(&["公报"])
        .iter()
        .enumerate()
        .filter(|(_, &has)| has)
        .filter_map(|(i, _)| Some((i, gazette_header_key(lines[i])?)))
        .collect();
    blank_page_numbers(&mut lines);
    Part {
        scan: Scan {
            lines,
            year,
            colon,
            hao,
            fu,
        },
        header_keys,
    }
}

/// The pieces' scans as one, running headers that repeat anywhere blanked.
fn join(parts: Vec<Part<'_>>) -> Scan<'_> {
    let mut parts = parts.into_iter();
    let Some(Part {
        scan: mut all,
        mut header_keys,
    }) = parts.next()
    else {
        return Scan {
            lines: Vec::new(),
            year: Vec::new(),
            colon: Vec::new(),
            hao: Vec::new(),
            fu: Vec::new(),
        };
    };
    for part in parts {
        let offset = all.lines.len();
        header_keys.extend(part.header_keys.into_iter().map(|(i, k)| (i + offset, k)));
        all.lines.extend_from_slice(&part.scan.lines);
        all.year.extend_from_slice(&part.scan.year);
        all.colon.extend_from_slice(&part.scan.colon);
        all.hao.extend_from_slice(&part.scan.hao);
        all.fu.extend_from_slice(&part.scan.fu);
    }
    blank_repeated_headers(&mut all.lines, &header_keys);
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_read_as_the_whole_text() {
        let text = "某县人民政府公报\n一、总则\r\n— 3 —\n正文：2020年。\n附件：名单\n\
                    某县人民政府公报\n郑政〔2020〕1号\n\n末行无换行";
        let whole = scan(text, 1);
        let mut lines = split_lines(text);
        crate::text::blank_page_furniture(&mut lines);
        assert_eq!(whole.lines, lines);
        assert_eq!(whole.lines[0], "");
        assert_eq!(whole.lines[5], "");
        for n in 2..12 {
            let s = scan(text, n);
            assert_eq!(s.lines, whole.lines, "{n} chunks");
            assert_eq!(s.year, whole.year);
            assert_eq!(s.colon, whole.colon);
            assert_eq!(s.hao, whole.hao);
            assert_eq!(s.fu, whole.fu);
        }
        assert_eq!(
            whole.year,
            [false, false, false, true, false, false, false, false, false]
        );
        assert_eq!(
            whole.hao,
            [false, false, false, false, false, false, true, false, false]
        );
        assert!(scan("", 3).lines.is_empty());
    }
}

//! Citations (引用): find the clause that contains a source line, so every extracted item can
//! cite `文号 + clause path + lines`.

use crate::model::Clause;

/// The path of the innermost clause whose span contains `line` (1-based), or `""` if no
/// clause contains it.
pub(crate) fn clause_path_at(outline: &[Clause], line: usize) -> String {
    innermost_clause_at(outline, line)
        .map(|c| c.path.clone())
        .unwrap_or_default()
}

/// The innermost clause whose span contains `line`: the one with the narrowest span; on a
/// tie, the later one (a child comes after its parent).
pub(crate) fn innermost_clause_at(outline: &[Clause], line: usize) -> Option<&Clause> {
    let mut best: Option<&Clause> = None;
    for clause in outline {
        if clause.span.first_line <= line && line <= clause.span.last_line {
            let width = clause.span.last_line - clause.span.first_line;
            match best {
                Some(b) if b.span.last_line - b.span.first_line < width => {}
                _ => best = Some(clause),
            }
        }
    }
    best
}

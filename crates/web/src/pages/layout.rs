//! The page layout (版式) every page shares, and the small components areas reuse: data tables,
//! status tags, the CSRF field, pagination. Written with `maud`, which escapes every
//! interpolated value; nothing here builds HTML by string concatenation.
//!
//! Pages work without JavaScript and print on A4 (`/static/luoshi.css` hides the navigation and
//! forms on paper and repeats table headers on each printed page).

use luoshi_app::{Permission, Viewer};
use maud::{html, Markup, DOCTYPE};

/// The whole page: header with navigation by role and the login state, then the body.
/// `csrf` is the session's token, needed by the logout form of a logged-in viewer.
pub fn page(title: &str, viewer: &Viewer, csrf: Option<&str>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " - 落实" }
                link rel="stylesheet" href="/static/luoshi.css";
            }
            body {
                header {
                    a class="brand" href="/" { "落实 Luoshi" }
                    nav {
                        a href="/" { "公报" }
                        a href="/units" { "单位" }
                        a href="/leaders" { "责任领导" }
                        a href="/rules" { "规则计算" }
                        @if follows_work(viewer) {
                            a href="/supervision" { "督办" }
                        }
                        @if viewer.user().is_some_and(|u| !u.has(luoshi_domain::Role::Applicant)) {
                            a href="/proposals" { "建议提案" }
                        }
                        a href="/public/replies" { "复文公开" }
                        @if viewer.user().is_some() {
                            a href="/notices" { "通知" }
                        }
                        @if viewer.can(&Permission::Import) {
                            a href="/admin/import" { "导入" }
                        }
                        @if viewer.can(&Permission::ManageUsers) {
                            a href="/admin/users" { "账号" }
                            a href="/admin/audit" { "审计" }
                        }
                        form method="get" action="/search" class="inline" {
                            input name="q" placeholder="全文检索" aria-label="全文检索";
                            button type="submit" { "检索" }
                        }
                    }
                    div class="account" { (account(viewer, csrf)) }
                }
                main { (body) }
                footer { "落实：政府公报工作落实跟踪系统" }
            }
        }
    }
}

/// Whether the viewer follows assigned work (the offices, a unit's staff, a leader).
fn follows_work(viewer: &Viewer) -> bool {
    use luoshi_domain::Role;
    viewer
        .user()
        .is_some_and(|u| u.sees_all_units() || u.has(Role::UnitStaff) || u.has(Role::Leader))
}

/// Who is logged in, with the logout button; or the login link.
fn account(viewer: &Viewer, csrf: Option<&str>) -> Markup {
    match viewer {
        Viewer::User(u) => html! {
            span class="who" {
                (u.display_name) "（"
                @for (i, r) in u.roles.iter().enumerate() {
                    @if i > 0 { "、" }
                    (r.label())
                }
                "）"
            }
            form method="post" action="/logout" class="inline" {
                (csrf_field(csrf))
                button type="submit" { "退出" }
            }
        },
        _ => html! { a href="/login" { "登录" } },
    }
}

/// The hidden field every form posting to the site carries.
pub fn csrf_field(csrf: Option<&str>) -> Markup {
    html! { input type="hidden" name="csrf" value=(csrf.unwrap_or("")); }
}

/// A data table in the shape that prints and exports well: one header row, one record per
/// `<tr>`, no merged cells. `rows` are the `<tr>` elements.
pub fn table(head: &[&str], rows: Markup) -> Markup {
    html! {
        table {
            thead { tr { @for h in head { th { (h) } } } }
            tbody { (rows) }
        }
    }
}

/// A two-column table of labelled values (`<th>` label, `<td>` value).
pub fn fields<'a>(rows: impl IntoIterator<Item = (&'a str, Markup)>) -> Markup {
    html! {
        table { tbody { @for (label, value) in rows { tr { th { (label) } td { (value) } } } } }
    }
}

/// A small label (`单位组`, `开放`, a kind of unresolved content).
pub fn tag(text: &str) -> Markup {
    html! { span class="tag" { (text) } }
}

/// How a status reads at a glance; the word itself always carries the meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Ok,
    Warn,
    Bad,
}

/// A status tag such as 已完成 (ok), 推进中 (warn), 逾期未报 (bad).
pub fn status(text: &str, tone: Tone) -> Markup {
    let class = match tone {
        Tone::Ok => "tag ok",
        Tone::Warn => "tag warn",
        Tone::Bad => "tag bad",
    };
    html! { span class=(class) { (text) } }
}

/// One page of a longer list: which items to show and how to link to the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pager {
    /// 1-based page number, clamped to the pages that exist.
    pub page: usize,
    pub pages: usize,
    pub per_page: usize,
    pub total: usize,
}

impl Pager {
    /// The page `asked` (1-based; 0 or past the end are clamped) of `total` items.
    pub fn new(asked: usize, per_page: usize, total: usize) -> Pager {
        let per_page = per_page.max(1);
        let pages = total.div_ceil(per_page).max(1);
        Pager {
            page: asked.clamp(1, pages),
            pages,
            per_page,
            total,
        }
    }

    /// The index range of the items on this page.
    pub fn range(&self) -> std::ops::Range<usize> {
        let start = (self.page - 1) * self.per_page;
        start.min(self.total)..(start + self.per_page).min(self.total)
    }

    /// Previous / next links; `href(n)` is the address of page `n`. Nothing when one page.
    pub fn links(&self, href: impl Fn(usize) -> String) -> Markup {
        html! {
            @if self.pages > 1 {
                nav class="pager" aria-label="分页" {
                    @if self.page > 1 { a rel="prev" href=(href(self.page - 1)) { "上一页" } }
                    span { "第 " (self.page) "/" (self.pages) " 页，共 " (self.total) " 条" }
                    @if self.page < self.pages { a rel="next" href=(href(self.page + 1)) { "下一页" } }
                }
            }
        }
    }
}

/// What [`url`] leaves as it is: RFC 3986's unreserved characters.
const UNRESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encode a path segment or query value.
pub fn url(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, UNRESERVED).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolated_text_is_escaped_in_content_and_attributes() {
        let evil = "<script>alert(\"x\")</script>&";
        let out = page(
            evil,
            &Viewer::Public,
            None,
            html! { p title=(evil) { (evil) } },
        )
        .0;
        assert!(!out.contains("<script>"), "{out}");
        assert!(out.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;"));
        assert!(out.starts_with("<!DOCTYPE html><html lang=\"zh-CN\">"));
    }

    #[test]
    fn the_pager_clamps_and_slices() {
        let p = Pager::new(0, 20, 45);
        assert_eq!((p.page, p.pages, p.range()), (1, 3, 0..20));
        let p = Pager::new(9, 20, 45);
        assert_eq!((p.page, p.range()), (3, 40..45));
        let p = Pager::new(1, 20, 0);
        assert_eq!((p.pages, p.range()), (1, 0..0));
        assert!(p.links(|n| n.to_string()).0.is_empty());
        let links = Pager::new(2, 20, 45).links(|n| format!("/s?page={n}")).0;
        assert!(links.contains("href=\"/s?page=1\"") && links.contains("href=\"/s?page=3\""));
    }

    #[test]
    fn urls_are_percent_encoded() {
        assert_eq!(url("a b/王"), "a%20b%2F%E7%8E%8B");
    }
}

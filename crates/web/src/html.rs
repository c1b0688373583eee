//! HTML building blocks: escaping, the page layout, the stylesheet. No template engine:
//! pages are small functions, and everything interpolated passes through [`esc`].

use axum::http::header::CONTENT_TYPE;
use axum::response::{Html, IntoResponse};
use luoshi_app::Viewer;

/// Escape text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encode a path segment or query value.
pub fn url(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The layout every page shares: header with navigation and login state, then the body.
pub fn page(title: &str, viewer: Option<(&Viewer, Option<&str>)>, body: &str) -> Html<String> {
    let who = match viewer {
        Some((Viewer::User(u), csrf)) => format!(
            "<span class=\"who\">{}（{}）</span>\
             <form method=\"post\" action=\"/logout\" class=\"inline\">\
             <input type=\"hidden\" name=\"csrf\" value=\"{}\"><button type=\"submit\">退出</button></form>",
            esc(&u.display_name),
            u.roles.iter().map(|r| r.label()).collect::<Vec<_>>().join("、"),
            esc(csrf.unwrap_or(""))
        ),
        _ => "<a href=\"/login\">登录</a>".to_string(),
    };
    let admin_links = match viewer {
        Some((v, _)) => {
            let mut links = String::new();
            if v.can(&luoshi_app::Permission::Import) {
                links.push_str("<a href=\"/admin/import\">导入</a>");
            }
            if v.can(&luoshi_app::Permission::ManageUsers) {
                links
                    .push_str("<a href=\"/admin/users\">账号</a><a href=\"/admin/audit\">审计</a>");
            }
            links
        }
        None => String::new(),
    };
    Html(format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} - 落实</title><link rel=\"stylesheet\" href=\"/static/luoshi.css\"></head>\
         <body><header><a class=\"brand\" href=\"/\">落实 Luoshi</a>\
         <nav><a href=\"/\">公报</a><a href=\"/units\">单位</a><a href=\"/leaders\">责任领导</a>{admin_links}\
         <form method=\"get\" action=\"/search\" class=\"inline\"><input name=\"q\" placeholder=\"全文检索\" aria-label=\"全文检索\">\
         <button type=\"submit\">检索</button></form></nav><div class=\"account\">{who}</div></header>\
         <main>{body}</main><footer>落实：政府公报工作落实跟踪系统</footer></body></html>",
        title = esc(title),
    ))
}

/// The stylesheet: readable on screen, clean on paper.
pub async fn stylesheet() -> impl IntoResponse {
    ([(CONTENT_TYPE, "text/css; charset=utf-8")], CSS)
}

const CSS: &str = r#"
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:0;color:#1a1a1a;line-height:1.6}
header{display:flex;flex-wrap:wrap;gap:1em;align-items:center;padding:.6em 1.2em;background:#8b0000;color:#fff}
header a{color:#fff;text-decoration:none;margin-right:1em}.brand{font-weight:bold;font-size:1.2em}
nav{flex:1}.account{white-space:nowrap}.inline{display:inline}
main{max-width:72em;margin:0 auto;padding:1em 1.2em}footer{color:#777;text-align:center;padding:2em;font-size:.9em}
table{border-collapse:collapse;width:100%;margin:.6em 0}th,td{border:1px solid #ccc;padding:.3em .5em;vertical-align:top;text-align:left}
th{background:#f3eded;white-space:nowrap}.error{color:#a00000}.muted{color:#777}.nowrap{white-space:nowrap}.cite{font-size:.85em;color:#555}
.clause{margin:.3em 0;padding:.2em .5em;border-left:3px solid #e0c0c0}.clause:target{background:#fff6d6}
.owner-unresolved{color:#a00000}.tag{display:inline-block;padding:0 .4em;border:1px solid #bbb;border-radius:3px;font-size:.85em}
form.stack label{display:block;margin:.4em 0}input,select,button{font:inherit}
pre.source{white-space:pre-wrap;background:#fafafa;border:1px solid #ddd;padding:.5em}
@media print{header,nav,footer,form{display:none}body{color:#000}a{color:#000;text-decoration:none}main{max-width:none}}
"#;

/// The Chinese name of a unit kind as the registry stores it.
pub fn unit_kind_label(kind: &str) -> &str {
    match kind {
        "department" => "市政府部门",
        "county" => "县（市、区）政府",
        "zone" => "开发区管委会",
        "enterprise" => "企业",
        "organisation" => "群团组织",
        "institution" => "事业单位",
        "central" => "驻郑单位",
        "military" => "军队、武警、消防",
        "body" => "议事协调机构",
        "subunit" => "内设或下属机构",
        other => other,
    }
}

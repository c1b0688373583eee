//! Files as people have them, end to end through the real binary: a PDF (extracted by Debian's
//! `pdftotext`), a www.gov.cn-shaped web page in GBK, a `.docx` and a GB18030 text of a real
//! State Council document (国发〔2019〕3号) are parsed by `luoshi gazette parse` and imported by
//! `luoshi import`; undecodable bytes are refused with exit 2 and nothing is written.

#[path = "../../intake/tests/support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const DOC: &str = include_str!("../../gazette/eval/texts/005-guofa-2019-3-baoshuiqu.txt");

fn luoshi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_luoshi"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run luoshi")
}

struct Tmp(PathBuf);
impl Tmp {
    fn new(name: &str) -> Tmp {
        let dir = std::env::temp_dir().join(format!("luoshi-intake-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Tmp(dir)
    }
    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
}
impl Drop for Tmp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn fixtures(tmp: &Tmp) -> Vec<PathBuf> {
    let pdf = support::pdf(&support::wrap(DOC, 34), 38, "中华人民共和国国务院公报");
    let page = encoding_rs::GBK
        .encode(&support::gov_page(DOC, "gbk"))
        .0
        .into_owned();
    let gb = encoding_rs::GB18030.encode(DOC).0.into_owned();
    vec![
        tmp.write("guofa-2019-3.pdf", &pdf),
        tmp.write("content_5361158.htm", &page),
        tmp.write("guofa-2019-3.docx", &support::docx(DOC)),
        tmp.write("guofa-2019-3-gb18030.txt", &gb),
    ]
}

/// `luoshi gazette parse FILE --registry guowuyuan`, which must succeed: its JSON.
fn parse(file: &Path) -> serde_json::Value {
    let out = luoshi(&[
        "gazette",
        "parse",
        file.to_str().unwrap(),
        "--registry",
        "guowuyuan",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn check_parse(file: &Path) {
    let issue = parse(file);
    let d = &issue["documents"][0];
    assert_eq!(d["doc_no"], "国发〔2019〕3号", "{}", file.display());
    assert_eq!(d["issuer"], "国务院");
    assert_eq!(d["date"], "2019-01-12");
    assert_eq!(
        d["tasks"].as_array().unwrap().len(),
        21,
        "{}",
        file.display()
    );
    assert_eq!(d["tasks"][0]["lead_units"][0]["unit"], "dept.sat");
}

#[test]
fn a_pdf_a_web_page_a_docx_and_gb18030_text_are_parsed() {
    let tmp = Tmp::new("parse");
    for file in fixtures(&tmp) {
        check_parse(&file);
    }
}

#[test]
fn a_pdf_a_web_page_a_docx_and_gb18030_text_are_imported() {
    let tmp = Tmp::new("import");
    for (i, file) in fixtures(&tmp).iter().enumerate() {
        let db = tmp.0.join(format!("l{i}.db"));
        let out = luoshi(&[
            "import",
            file.to_str().unwrap(),
            "--registry",
            "guowuyuan",
            "--db",
            db.to_str().unwrap(),
        ]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}: {}",
            file.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            stdout.contains("公文 1") && stdout.contains("任务 21"),
            "{}: {stdout}",
            file.display()
        );
    }
}

/// A task table (序号/改革举措/主要内容/指导部门/推广范围) as Word and a web page hold it: table
/// rows, read back as tab-separated lines, one task per numbered row with its owner column.
#[test]
fn a_task_table_in_a_docx_and_a_web_page_gives_one_task_per_row() {
    const TABLE_DOC: &str =
        include_str!("../../gazette/eval/texts/010-guobanfa-2018-126-chuangxin-jucuo.txt");
    let tmp = Tmp::new("table");
    for file in [
        tmp.write("guobanfa-2018-126.docx", &support::docx(TABLE_DOC)),
        tmp.write(
            "content_5351800.htm",
            support::gov_page(TABLE_DOC, "utf-8").as_bytes(),
        ),
    ] {
        let issue = parse(&file);
        let tasks = issue["documents"][0]["tasks"].as_array().unwrap().clone();
        assert_eq!(tasks.len(), 17, "{}", file.display());
        assert_eq!(tasks[2]["units"][1]["name"], "中国银保监会");
        assert_eq!(tasks[2]["units"][1]["unit"], "dept.cbirc");
    }
}

#[test]
fn undecodable_bytes_are_refused_with_exit_2() {
    let tmp = Tmp::new("bad");
    let bytes: Vec<u8> = (0u8..=255).cycle().take(2048).collect();
    let file = tmp.write("noise.txt", &bytes);
    let out = luoshi(&["gazette", "parse", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("E_UTF8") && err.contains("无法识别文本编码"),
        "{err}"
    );
    let db = tmp.0.join("l.db");
    let out = luoshi(&[
        "import",
        file.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let out = luoshi(&[
        "gazette",
        "parse",
        file.to_str().unwrap(),
        "--encoding",
        "klingon",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("E_ENCODING_UNKNOWN"));
}

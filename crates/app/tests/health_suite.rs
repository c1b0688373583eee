//! Health-action monitoring (健康行动监测测试), on SQLite always and on PostgreSQL when
//! `TEST_DATABASE_URL` is set: series made from 郑政文〔2020〕59号, entry → submission →
//! approval (locking) → unlock with a reason keeping the old value, access by role, attainment
//! on the stored data.

mod common;

use common::*;
// The values template's header (填报模板), as a department's download of it carries it.
use luoshi_app::health::upload::COLUMNS as UPLOAD_HEADER;
use luoshi_app::health::{ValueIn, CITY};
use luoshi_app::{App, Viewer};
use luoshi_domain::{ErrorKind, Role};
use luoshi_store::health::SeriesRow;
use std::sync::Arc;

/// A fresh database with the bundled issue imported and who most tests need: 市卫健委's staff
/// (who enter 婴儿死亡率, 附件3 第2项), 金水区's staff and the promotion committee's office
/// (推进委员会办公室), in that order.
fn seeded(db: &TestDb) -> (Arc<App>, Viewer, Viewer, Viewer) {
    let app = db.open();
    import_seed(&app);
    let wjw = user(&app, "wjw", vec![Role::UnitStaff], Some("dept.wjw"));
    let jinshui = user(&app, "js", vec![Role::UnitStaff], Some("county.jinshui"));
    let office = user(&app, "jkb", vec![Role::Health], None);
    (app, wjw, jinshui, office)
}

fn series(app: &App, key: &str) -> SeriesRow {
    app.store
        .read(|c| luoshi_store::health::series(c, None))
        .unwrap()
        .into_iter()
        .find(|s| s.key == key)
        .unwrap_or_else(|| panic!("series {key}"))
}

fn val(v: &str) -> Vec<ValueIn> {
    vec![ValueIn {
        value: v.into(),
        ..ValueIn::default()
    }]
}

#[test]
fn series_are_made_from_59_with_baselines_targets_and_owners() {
    on_each_backend(|db| {
        let app = db.open();
        let sum = import_seed(&app);
        let all = app
            .store
            .read(|c| luoshi_store::health::series(c, None))
            .unwrap();
        assert_eq!(sum.health_series, all.len());
        // 27 table entries (row 25 holds two) plus prose metrics not in the table.
        assert_eq!(all.iter().filter(|s| s.source == "table").count(), 27);
        assert!(all.iter().filter(|s| s.source == "prose").count() >= 20);
        let life = series(&app, "T1");
        assert_eq!(life.name, "人均预期寿命");
        assert_eq!(life.unit.as_deref(), Some("岁"));
        assert_eq!(life.baseline_value.as_deref(), Some("79.49"));
        assert_eq!(life.baseline_year, Some(2017));
        assert_eq!(life.direction, "up");
        let infant = series(&app, "T2");
        assert_eq!(infant.factor.as_deref(), Some("1000"));
        assert_eq!(infant.direction, "down");
        // The prose 2030 target joined the table row, and gave it its action (妇幼健康).
        assert_eq!(infant.action_no, Some(7));
        let targets: Vec<_> = app
            .store
            .read(luoshi_store::health::targets)
            .unwrap()
            .into_iter()
            .filter(|t| t.series_id == infant.id)
            .collect();
        assert!(targets
            .iter()
            .any(|t| t.year == 2030 && t.value.as_deref() == Some("4")));
        assert!(targets
            .iter()
            .any(|t| t.year == 2022 && t.source == "table"));
        let spend = series(&app, "T10");
        assert_eq!(spend.direction, "down", "27.5 below 32.07");
        assert_eq!(series(&app, "T25.1").baseline_value.as_deref(), Some("71"));
        // Re-importing makes nothing new.
        let again = import_seed(&app);
        assert_eq!(again.health_series, 0);
    });
}

#[test]
fn values_are_entered_approved_locked_and_unlocked_with_history() {
    on_each_backend(|db| {
        let app = db.open();
        import_seed(&app);
        let wjw = user(&app, "wjw", vec![Role::UnitStaff], Some("dept.wjw"));
        let sport = user(&app, "sport", vec![Role::UnitStaff], Some("dept.tyj"));
        let office = user(&app, "jkb", vec![Role::Health], None);
        let s = series(&app, "T2");
        // Another action's department may not enter 婴儿死亡率.
        let e = app
            .health_act(&sport, s.id, CITY, 2019, "enter", val("2.9"), None)
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Forbidden, "{e}");
        // Bad input changes nothing.
        let e = app
            .health_act(&wjw, s.id, CITY, 2019, "enter", val("两点九"), None)
            .unwrap_err();
        assert_eq!(e.code, "E_HEALTH_VALUE");
        app.health_act(&wjw, s.id, CITY, 2019, "enter", val("2.90"), None)
            .unwrap();
        // The public does not see an unapproved value; the department does.
        let public = app.health_series(&Viewer::Public, s.id, None).unwrap();
        assert!(public.observations.is_empty());
        let mine = app.health_series(&wjw, s.id, None).unwrap();
        assert_eq!(
            mine.observations[0].value, "2.90",
            "published rounding kept"
        );
        app.health_act(&wjw, s.id, CITY, 2019, "submit", vec![], None)
            .unwrap();
        // Entering while submitted is refused by the table.
        let e = app
            .health_act(&wjw, s.id, CITY, 2019, "enter", val("3"), None)
            .unwrap_err();
        assert_eq!(e.code, "E_STATE");
        app.health_act(&wjw, s.id, CITY, 2019, "approve", vec![], None)
            .unwrap();
        let public = app.health_series(&Viewer::Public, s.id, None).unwrap();
        assert_eq!(public.observations.len(), 1);
        assert_eq!(public.observations[0].approved_by.as_deref(), Some("wjw"));
        // Locked: no entry; the department cannot unlock; the office can, with a reason.
        assert!(app
            .health_act(&wjw, s.id, CITY, 2019, "enter", val("3"), None)
            .is_err());
        assert!(app
            .health_act(&wjw, s.id, CITY, 2019, "unlock", vec![], Some("错".into()))
            .is_err());
        let e = app
            .health_act(&office, s.id, CITY, 2019, "unlock", vec![], None)
            .unwrap_err();
        assert_eq!(e.code, "E_INPUT", "a reason is required");
        app.health_act(
            &office,
            s.id,
            CITY,
            2019,
            "unlock",
            vec![],
            Some("统计局年鉴更正".into()),
        )
        .unwrap();
        app.health_act(&wjw, s.id, CITY, 2019, "enter", val("2.85"), None)
            .unwrap();
        let d = app.health_series(&office, s.id, None).unwrap();
        let o = &d.observations[0];
        assert_eq!(o.value, "2.85");
        assert_eq!(o.approved_by, None);
        let h = &d.history[&o.id];
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].value, "2.90");
        assert_eq!(h[0].approved_by.as_deref(), Some("wjw"));
        assert!(h[0].reason.contains("统计局年鉴更正"), "{}", h[0].reason);
        // The case history names every step.
        let case = app.health_case(&office, s.id, CITY, 2019).unwrap().unwrap();
        assert_eq!(case.case.state, "entering");
        assert_eq!(raw_count(&app, "SELECT COUNT(*) FROM case_events"), 5);
    });
}

#[test]
fn attainment_on_stored_values_and_a_county_enters_its_own() {
    on_each_backend(|db| {
        let (app, wjw, jinshui, office) = seeded(db);
        let s = series(&app, "T13"); // 产前筛查率 60.2 (2018) → ≥70.2 by 2022
                                     // The document does not say which action owns 产前筛查率: nobody can enter it until
                                     // the office assigns it (to 妇幼健康促进行动).
        assert_eq!(s.action_no, None);
        assert!(app
            .health_act(&wjw, s.id, CITY, 2019, "enter", val("63.0"), None)
            .is_err());
        assert!(app.health_assign(&wjw, s.id, 7).is_err());
        app.health_assign(&office, s.id, 7).unwrap();
        for (y, v) in [(2019, "63.0"), (2020, "66.1")] {
            app.health_act(&wjw, s.id, CITY, y, "enter", val(v), None)
                .unwrap();
        }
        let d = app.health_series(&office, s.id, Some(2020)).unwrap();
        let a = &d
            .statuses
            .iter()
            .find(|t| t.target.year == 2022)
            .unwrap()
            .attainment;
        // 60.2 → 66.1 in two years: 2.95/year; required (70.2-60.2)/4 = 2.5/year.
        assert_eq!(a.status.as_str(), "on_track", "{}", a.explanation);
        assert_eq!(a.observed_rate.unwrap().to_string(), "2.95");
        assert_eq!(a.required_rate.unwrap().to_string(), "2.5");
        // A county enters its own area, not another's.
        app.health_act(
            &jinshui,
            s.id,
            "county.jinshui",
            2020,
            "enter",
            val("71"),
            None,
        )
        .unwrap();
        assert!(app
            .health_act(
                &jinshui,
                s.id,
                "county.erqi",
                2020,
                "enter",
                val("71"),
                None
            )
            .is_err());
        assert!(app
            .health_act(&jinshui, s.id, "火星区", 2020, "enter", val("71"), None)
            .is_err());
        let cmp = app.health_comparison(&office, s.id, Some(2020)).unwrap();
        let js = cmp
            .rows
            .iter()
            .find(|r| r.area.id == "county.jinshui")
            .unwrap();
        assert_eq!(
            js.headline.as_ref().unwrap().attainment.status.as_str(),
            "achieved"
        );
        assert_eq!(cmp.rows.len(), 17, "city + 12 counties/districts + 4 zones");
        let dash = app.health_dashboard(&office, Some(2020)).unwrap();
        assert_eq!(dash.year, 2020);
        assert!(dash
            .series
            .iter()
            .any(|x| x.series.id == s.id && x.latest.is_some()));
    });
}

fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(
        out.status.success(),
        "pdftotext: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[test]
fn the_demo_fills_values_and_reports_render_as_html_and_pdf() {
    use luoshi_app::health::pdf;
    use luoshi_app::health::report::{html, Kind};
    on_each_backend(|db| {
        let app = db.open();
        import_seed(&app);
        let made = app.seed_health_demo().unwrap();
        assert!(made > 500, "{made} values");
        assert_eq!(app.seed_health_demo().unwrap(), 0, "once only");
        let office = user(&app, "jkb", vec![Role::Health], None);
        let dash = app.health_dashboard(&office, None).unwrap();
        assert_eq!(dash.year, 2024);
        for s in dash.series.iter().filter(|s| s.series.source == "table") {
            let text_only = s.targets.iter().all(|t| t.op == "text");
            assert!(
                text_only || s.latest.is_some(),
                "{} has values",
                s.series.name
            );
        }
        // The public sees approved values only: 2024 waits for approval.
        let public = app.health_dashboard(&Viewer::Public, None).unwrap();
        assert_eq!(public.year, 2023);
        assert!(
            raw_count(
                &app,
                "SELECT COUNT(*) FROM health_observations WHERE NOT demo"
            ) == 0
        );
        // Reports: HTML and PDF with the same computed content.
        let r = app.health_report(&office, Kind::Overall, 2023).unwrap();
        let page = html(&r);
        assert!(page.contains("健康郑州行动2023年度总体监测评估报告"));
        assert!(page.contains("<svg"));
        assert!(page.contains("演示数据"));
        let spec = pdf::find_font().expect("fonts-noto-cjk is installed");
        let bytes = pdf::render(&r, &spec).unwrap();
        assert!(bytes.starts_with(b"%PDF"));
        if let Ok(keep) = std::env::var("LUOSHI_KEEP_PDF") {
            std::fs::write(keep, &bytes).unwrap();
        }
        let text = pdf_text(&bytes);
        assert!(
            text.contains("健康郑州行动2023年度总体监测评估报告"),
            "{}",
            &text[..300.min(text.len())]
        );
        assert!(text.contains("婴儿死亡率"));
        assert!(text.contains("约谈并督促整改"));
        assert!(text.contains("第1页"));
        // An action's special report.
        let a = app.health_report(&office, Kind::Action(7), 2023).unwrap();
        let text = pdf_text(&pdf::render(&a, &spec).unwrap());
        assert!(text.contains("妇幼健康促进行动2023年度实施进展专题报告"));
        assert!(text.contains("孕产妇死亡率"));
        // The public reads a report only once it is published.
        assert!(app
            .health_report(&Viewer::Public, Kind::Overall, 2023)
            .is_err());
        app.health_publish(&office, "overall", 2023, 0).unwrap();
        assert!(app
            .health_report(&Viewer::Public, Kind::Overall, 2023)
            .is_ok());
        // The assessment lists whom to commend and interview, with the figures.
        let a = app.health_assessment(&office, 2023).unwrap();
        assert_eq!(a.areas.len(), 16);
        assert!(a.areas.iter().all(|x| x.score.is_some()));
        assert!(app.health_assessment(&Viewer::Public, 2023).is_err());
    });
}

#[test]
fn an_upload_with_one_bad_row_changes_nothing_and_names_every_bad_row() {
    on_each_backend(|db| {
        let app = db.open();
        import_seed(&app);
        let wjw = user(&app, "wjw", vec![Role::UnitStaff], Some("dept.wjw"));
        let bad = "指标编号,地区,年份,月份,数值,分子,分母,说明\n\
                   T2,全市,2019,,2.90,,,\n\
                   T2,金水区,2019,,abc,,,\n\
                   T99,全市,2019,,1,,,\n\
                   T4,全市,2019,,9.68,3,31000,\n\
                   T4,全市,2019,,9.68,3,31000,\n\
                   T1,全市,2019,,80,,,\n";
        let e = app
            .health_upload(&wjw, "values.csv", bad.as_bytes())
            .unwrap_err();
        assert_eq!(e.code, "E_HEALTH_ROWS");
        for row in ["第3行", "第4行", "第6行", "第7行"] {
            assert!(e.message.contains(row), "{row} in {}", e.message);
        }
        assert!(!e.message.contains("第2行"));
        assert_eq!(
            raw_count(&app, "SELECT COUNT(*) FROM health_observations"),
            0
        );
        // A good .xlsx file applies every row in one go.
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let rows = [
            UPLOAD_HEADER,
            ["T2", "全市", "2019", "", "2.90", "", "", ""],
            ["T2", "全市", "2019", "3", "3.1", "", "", "三月"],
            ["T4", "郑州市", "2019", "", "9.68", "3", "31000", ""],
        ];
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                sheet.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
        let bytes = book.save_to_buffer().unwrap();
        let out = app.health_upload(&wjw, "values.xlsx", &bytes).unwrap();
        assert_eq!((out.rows, out.groups), (3, 2));
        assert_eq!(
            raw_count(&app, "SELECT COUNT(*) FROM health_observations"),
            3
        );
        let d = app
            .health_series(&wjw, series(&app, "T4").id, None)
            .unwrap();
        assert_eq!(d.observations[0].numerator.as_deref(), Some("3"));
    });
}

#[test]
fn a_qualitative_target_is_judged_by_the_office_with_its_evidence() {
    on_each_backend(|db| {
        let (app, wjw, _, office) = seeded(db);
        let s = series(&app, "T11"); // 健康科普专家库和资源库 … 提前实现
        let targets = app.store.read(luoshi_store::health::targets).unwrap();
        let t = targets
            .iter()
            .find(|t| t.series_id == s.id && t.op == "text")
            .expect("附件3 第11项: 提前实现 is qualitative");
        let level = targets
            .iter()
            .find(|t| t.series_id == series(&app, "T2").id)
            .unwrap();
        let judged = |app: &App| {
            app.health_series(&office, s.id, Some(2022))
                .unwrap()
                .statuses
                .into_iter()
                .find(|x| x.target.id == t.id)
                .unwrap()
                .attainment
        };
        assert_eq!(judged(&app).status.as_str(), "not_assessable");
        // Only the office decides, always with evidence, on a qualitative target of this series.
        let e = app
            .health_decide(&wjw, s.id, t.id, CITY, 2022, true, "郑卫文〔2021〕1号")
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Forbidden);
        let e = app
            .health_decide(&office, s.id, t.id, CITY, 2022, true, "  ")
            .unwrap_err();
        assert_eq!(e.code, "E_HEALTH_EVIDENCE");
        let e = app
            .health_decide(&office, s.id, level.id, CITY, 2022, true, "x")
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::NotFound, "another series' target");
        let e = app
            .health_decide(&office, level.series_id, level.id, CITY, 2022, true, "x")
            .unwrap_err();
        assert_eq!(
            e.code, "E_HEALTH_DECISION",
            "a numeric target is not decided"
        );
        assert_eq!(
            judged(&app).status.as_str(),
            "not_assessable",
            "nothing changed"
        );
        app.health_decide(&office, s.id, t.id, CITY, 2022, false, "专家库尚未建立")
            .unwrap();
        let a = judged(&app);
        assert_eq!(a.status.as_str(), "behind");
        assert!(
            a.explanation.contains("专家库尚未建立"),
            "{}",
            a.explanation
        );
        // A later decision supersedes; the evidence is shown with who decided.
        app.health_decide(&office, s.id, t.id, CITY, 2022, true, "郑卫文〔2022〕9号")
            .unwrap();
        let a = judged(&app);
        assert_eq!(a.status.as_str(), "achieved");
        assert!(a.trace[0].check.contains("郑卫文〔2022〕9号"));
        assert!(a.trace[0].check.contains("jkb"), "{}", a.trace[0].check);
    });
}

#[test]
fn a_series_history_is_read_in_one_query_and_equals_the_per_value_history() {
    on_each_backend(|db| {
        let (app, wjw, jinshui, office) = seeded(db);
        let s = series(&app, "T2");
        let other = series(&app, "T4");
        // City 2019: three entries (two replaced); city 2020: one (none replaced);
        // 金水区 2020: two (one replaced); another series' value replaced once.
        for v in ["2.90", "2.95", "2.85"] {
            app.health_act(&wjw, s.id, CITY, 2019, "enter", val(v), None)
                .unwrap();
        }
        app.health_act(&wjw, s.id, CITY, 2020, "enter", val("2.7"), None)
            .unwrap();
        for v in ["3.1", "3.0"] {
            app.health_act(
                &jinshui,
                s.id,
                "county.jinshui",
                2020,
                "enter",
                val(v),
                None,
            )
            .unwrap();
        }
        for v in ["9.7", "9.68"] {
            app.health_act(&wjw, other.id, CITY, 2019, "enter", val(v), None)
                .unwrap();
        }
        for viewer in [&office, &jinshui, &wjw] {
            let d = app.health_series(viewer, s.id, None).unwrap();
            // The old way: one query per observation the viewer sees.
            let mut expected = std::collections::BTreeMap::new();
            for o in &d.observations {
                let h = app
                    .store
                    .read(|c| luoshi_store::health::history(c, o.id))
                    .unwrap();
                if !h.is_empty() {
                    expected.insert(o.id, h);
                }
            }
            assert_eq!(d.history, expected, "{}", viewer.actor());
        }
        // Counted by hand: the office sees 2019 city (2 replaced: 2.90, 2.95) and 金水区
        // (1 replaced: 3.1); not the other series' 9.7.
        let d = app.health_series(&office, s.id, None).unwrap();
        let values: Vec<Vec<&str>> = d
            .history
            .values()
            .map(|h| h.iter().map(|r| r.value.as_str()).collect())
            .collect();
        assert_eq!(values, [vec!["2.90", "2.95"], vec!["3.1"]]);
    });
}

/// The assessment on stored, approved values under a scheme the office sets, worked by hand.
/// Scheme: only 婴儿死亡率 (T2, ≤4.1 by 2022, weight 2) and 产前筛查率 (T13, ≥70.2 by 2022,
/// weight 1); 100/80/40/0; commend ≥ 85; interview < 60 or 1 deteriorating. Year 2020, values
/// 2019 → 2020 (a county has no baseline; the start is its 2019 value):
/// - 金水区: T2 3.0 → 2.9 achieved; T13 68 → 71 achieved: (2×100 + 100) / 3 = 100.00
/// - 二七区: T2 5.0 → 4.5, −0.5/yr, 2022 projected 3.5 ≤ 4.1: on track; T13 60 → 66, +6/yr,
///   projected 78 ≥ 70.2: on track: (2×80 + 80) / 3 = 80.00
/// - 惠济区: T2 3.0 → 2.9 achieved; T13 66 → 65 deteriorating: (2×100 + 0) / 3 = 66.67
/// - 管城回族区: T2 4.2 → 4.5 deteriorating; T13 71 → 72 achieved: (0 + 100) / 3 = 33.33
/// - 中原区: T2 5.0 → 4.9, −0.1/yr, projected 4.7 > 4.1: behind; T13 66 → 65 deteriorating:
///   (2×40 + 0) / 3 = 26.67
/// - the city (for 妇幼健康促进行动's lead department): T2 3.0 → 2.9 achieved; T13 63.0 →
///   66.1 from the baseline 60.2 (2018), 2.95/yr against 2.5 required: on track:
///   (2×100 + 80) / 3 = 93.33
#[test]
fn the_assessment_scores_stored_values_under_the_offices_scheme() {
    use luoshi_app::health::assess::SchemeText;
    on_each_backend(|db| {
        let (app, wjw, _, office) = seeded(db);
        let t2 = series(&app, "T2");
        let t13 = series(&app, "T13");
        app.health_assign(&office, t13.id, 7).unwrap();
        let values: &[(&str, [&str; 2], [&str; 2])] = &[
            ("county.jinshui", ["3.0", "2.9"], ["68", "71"]),
            ("county.erqi", ["5.0", "4.5"], ["60", "66"]),
            ("county.huiji", ["3.0", "2.9"], ["66", "65"]),
            ("county.guancheng", ["4.2", "4.5"], ["71", "72"]),
            ("county.zhongyuan", ["5.0", "4.9"], ["66", "65"]),
            (CITY, ["3.0", "2.9"], ["63.0", "66.1"]),
        ];
        for (area, a, b) in values {
            for (s, v) in [(t2.id, a), (t13.id, b)] {
                for (y, x) in [2019, 2020].into_iter().zip(v.iter()) {
                    for (act, vals) in [("enter", val(x)), ("submit", vec![]), ("approve", vec![])]
                    {
                        app.health_act(&wjw, s, area, y, act, vals, None)
                            .unwrap_or_else(|e| panic!("{area} {y} {act}: {e}"));
                    }
                }
            }
        }
        let text = SchemeText {
            name: "两项指标".into(),
            include: "table".into(),
            weights: [("T2", "2"), ("T13", "1")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            default_weight: "0".into(),
            points: [
                ("achieved", "100"),
                ("on_track", "80"),
                ("behind", "40"),
                ("deteriorating", "0"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
            commend_min: "85".into(),
            commend_max: 3,
            interview_below: "60".into(),
            interview_deteriorating: 1,
            tie_breaks: vec!["more_achieved".into(), "name".into()],
        };
        // Bad schemes change nothing: not a number, an unknown indicator, not the office.
        let audit = raw_count(&app, "SELECT COUNT(*) FROM audit_log");
        let mut bad = text.clone();
        bad.weights.insert("T2".into(), "两".into());
        let e = app.health_set_scheme_text(&office, &bad).unwrap_err();
        assert_eq!(e.code, "E_HEALTH_SCHEME");
        assert!(e.message.contains("“两”不是数字"), "{}", e.message);
        let mut bad = text.clone();
        bad.weights.insert("T99".into(), "1".into());
        let e = app.health_set_scheme_text(&office, &bad).unwrap_err();
        assert!(e.message.contains("T99"), "{}", e.message);
        let e = app.health_set_scheme_text(&wjw, &text).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Forbidden);
        assert_eq!(raw_count(&app, "SELECT COUNT(*) FROM audit_log"), audit);
        assert_eq!(
            app.health_scheme(&office).unwrap().name,
            "附件3 考核指标等权计分（默认）"
        );
        app.health_set_scheme_text(&office, &text).unwrap();
        assert_eq!(raw_count(&app, "SELECT COUNT(*) FROM audit_log"), audit + 1);
        assert_eq!(SchemeText::from(&app.health_scheme(&office).unwrap()), text);

        let a = app.health_assessment(&office, 2020).unwrap();
        let ranked: Vec<(&str, String, usize)> = a
            .areas
            .iter()
            .filter(|x| x.score.is_some())
            .map(|x| (x.id.as_str(), x.score.unwrap().to_string(), x.rank))
            .collect();
        assert_eq!(
            ranked,
            [
                ("county.jinshui", "100.00".to_string(), 1),
                ("county.erqi", "80.00".to_string(), 2),
                ("county.huiji", "66.67".to_string(), 3),
                ("county.guancheng", "33.33".to_string(), 4),
                ("county.zhongyuan", "26.67".to_string(), 5),
            ]
        );
        assert_eq!(a.areas.len(), 16);
        assert!(a.areas[5..]
            .iter()
            .all(|x| x.rank == 0 && !x.commend && !x.interview));
        let who = |f: fn(&luoshi_app::health::assess::Assessed) -> bool| -> Vec<&str> {
            a.areas
                .iter()
                .filter(|x| f(x))
                .map(|x| x.id.as_str())
                .collect()
        };
        assert_eq!(who(|x| x.commend), ["county.jinshui"]);
        assert_eq!(
            who(|x| x.interview),
            ["county.huiji", "county.guancheng", "county.zhongyuan"]
        );
        let huiji = &a.areas[2];
        assert_eq!(
            huiji.reasons,
            ["趋于恶化的指标 1 项（达到 1 项即约谈）：产前筛查率 65（2020年）"]
        );
        let zhongyuan = &a.areas[4];
        assert!(
            zhongyuan.reasons[0].starts_with("得分 26.67，低于约谈分数线 60：进度滞后 1 项，趋于恶化 1 项；进度滞后：婴儿死亡率 4.9（2020年）"),
            "{:?}",
            zhongyuan.reasons
        );
        // 妇幼健康促进行动's lead department(s), on the city's values.
        assert!(!a.departments.is_empty());
        for d in &a.departments {
            assert_eq!(d.score.unwrap().to_string(), "93.33", "{}", d.name);
            assert_eq!(d.count(luoshi_rules::attainment::Status::OnTrack), 1);
        }
        assert!(a
            .departments
            .iter()
            .any(|d| d.id == "dept.wjw" && d.commend));
    });
}

#[test]
fn an_xlsx_upload_with_one_bad_row_changes_nothing() {
    on_each_backend(|db| {
        let app = db.open();
        import_seed(&app);
        let wjw = user(&app, "wjw", vec![Role::UnitStaff], Some("dept.wjw"));
        let book = |bad: bool| {
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet = book.add_worksheet();
            for (c, v) in UPLOAD_HEADER.iter().enumerate() {
                sheet.write_string(0, c as u16, *v).unwrap();
            }
            // Numbers as Excel numbers, the way a spreadsheet keeps them.
            for (r, (key, area, value)) in [
                ("T2", "全市", 2.9),
                ("T2", "金水区", 3.1),
                ("T4", "全市", 9.68),
            ]
            .into_iter()
            .enumerate()
            {
                let r = r as u32 + 1;
                sheet.write_string(r, 0, key).unwrap();
                sheet.write_string(r, 1, area).unwrap();
                sheet.write_number(r, 2, 2019).unwrap();
                if bad && r == 2 {
                    sheet.write_string(r, 4, "三点一").unwrap();
                } else {
                    sheet.write_number(r, 4, value).unwrap();
                }
            }
            book.save_to_buffer().unwrap()
        };
        let e = app
            .health_upload(&wjw, "values.xlsx", &book(true))
            .unwrap_err();
        assert_eq!(e.code, "E_HEALTH_ROWS");
        assert!(e.message.contains("第3行"), "{}", e.message);
        assert!(!e.message.contains("第2行") && !e.message.contains("第4行"));
        assert_eq!(
            raw_count(&app, "SELECT COUNT(*) FROM health_observations"),
            0,
            "the good rows are not applied either"
        );
        let out = app
            .health_upload(&wjw, "values.xlsx", &book(false))
            .unwrap();
        assert_eq!(out.rows, 3);
        let d = app
            .health_series(&wjw, series(&app, "T2").id, None)
            .unwrap();
        let mut got: Vec<(String, String)> = d
            .observations
            .iter()
            .map(|o| (o.area.clone(), o.value.clone()))
            .collect();
        got.sort();
        assert_eq!(
            got,
            [
                ("city".to_string(), "2.9".to_string()),
                ("county.jinshui".to_string(), "3.1".to_string())
            ]
        );
    });
}

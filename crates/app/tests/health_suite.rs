//! Health-action monitoring (健康行动监测测试), on SQLite always and on PostgreSQL when
//! `TEST_DATABASE_URL` is set: series made from 郑政文〔2020〕59号, entry → submission →
//! approval (locking) → unlock with a reason keeping the old value, access by role, attainment
//! on the stored data.

mod common;

use common::*;
use luoshi_app::health::{ValueIn, CITY};
use luoshi_app::{App, Viewer};
use luoshi_domain::{ErrorKind, Role};
use luoshi_store::health::SeriesRow;

fn user(app: &App, name: &str, roles: Vec<Role>, unit: Option<&str>) -> Viewer {
    Viewer::User(
        app.add_user("system", new_user(name, roles, unit))
            .expect("add user"),
    )
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
        let app = db.open();
        import_seed(&app);
        let wjw = user(&app, "wjw", vec![Role::UnitStaff], Some("dept.wjw"));
        let jinshui = user(&app, "js", vec![Role::UnitStaff], Some("county.jinshui"));
        let office = user(&app, "jkb", vec![Role::Health], None);
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

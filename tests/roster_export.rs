//! Integration tests: roster_export — class files and CSV rosters, grade computation with the
//! teacher's entries, and the grade sheets (XLSX read back with calamine, CSV on bytes), and
//! `kefu export` run as a program.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Reader, Xlsx};
use kefu::Loaded;
use kefu::export::{SheetOptions, write_csv, write_moodle_csv, xlsx_bytes};
use kefu::grades::{BandOverride, ClassGrades, Counting, Entries, Override, Selection, compute};
use kefu::records::AttemptRecord;
use kefu::records::store::{RECORDS_ENV, save_record};
use kefu::roster::{Class, Group, Student, import_csv, load_any, load_class};
use kefu::scenario::Lang;
use kefu::session::autoplay::Policy;

use crate::common::*;
use crate::records::{SAMPLE, attempt};

const CLASS: &str = "tests/data/roster/class.ron";

fn class() -> Class {
    load_class(&repo(CLASS)).expect("class file")
}

// ---- roster ----

#[test]
fn the_class_file_keeps_ids_as_text_and_rare_characters() {
    let c = class();
    assert_eq!(c.name, "物流2401班");
    assert_eq!(c.student_count(), 6);
    let names: Vec<&str> = c.students().map(|(_, s)| s.name.as_str()).collect();
    assert_eq!(&names[..3], ["张喆", "李堃", "王玥"]);
    assert_eq!(c.groups[0].members[0].id, "0024001");
    assert_eq!(c.groups[1].leader_student().map(|s| s.name.as_str()), Some("钱二"));
}

#[test]
fn class_file_errors_give_file_line_and_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("bad.ron");
    let text = std::fs::read_to_string(repo(CLASS)).expect("read").replace("(id: \"0024004\", name: \"赵一\")", "(id: \"0024004\" name: \"赵一\")");
    std::fs::write(&p, text).expect("write");
    let e = load_class(&p).expect_err("syntax error");
    let msg = e.render(Lang::En);
    assert!(msg.starts_with(&format!("{}:11:", p.display())), "{msg}");
}

#[test]
fn csv_rosters_in_utf8_bom_gbk_and_english_headers_agree_with_the_class_file() {
    let want = class();
    for f in ["roster.csv", "roster_gbk.csv", "roster_en.csv"] {
        let p = repo(&format!("tests/data/roster/{f}"));
        let got = import_csv(&p, "物流2401班").unwrap_or_else(|e| panic!("{f}: {}", e.render(Lang::En)));
        assert_eq!(got, want, "{f}");
    }
    // Through the loader the CLI uses: a .csv class is named after its file.
    let c = load_any(&repo("tests/data/roster/roster_gbk.csv")).expect("load");
    assert_eq!(c.name, "roster_gbk");
    assert_eq!(c.groups[0].members[2].name, "王玥");
}

#[test]
fn every_csv_problem_is_reported_with_its_rows_and_nothing_is_imported() {
    let e = import_csv(&repo("tests/data/roster/errors.csv"), "x").expect_err("problems");
    let zh = e.render(Lang::Zh);
    let lines: Vec<&str> = zh.lines().map(|l| l.split_once(": ").map_or(l, |x| x.1)).collect();
    let want = [
        "第4行: 学号为空",
        "第7行: 组长一栏“也许”看不懂：组长填 是/Y/1/✓，组员留空或填 否",
        "第2、6行: 学号 0024001 同时在“第一组”和“第二组”中",
        "第8、9行: 学号 0024007 重复",
        "第2、3行: 小组“第一组”有2个组长：张喆、李堃",
        "第5、6行: 小组“第二组”没有组长：请在组长一栏填“是”",
        "第7、8、9行: 小组“第三组”没有组长：请在组长一栏填“是”",
    ];
    assert_eq!(lines, want, "{zh}");
    assert_eq!(e.problems().len(), want.len());
    let en = e.render(Lang::En);
    assert!(en.contains("rows 2, 6: student 0024001 is in two groups: “第一组” and “第二组”"), "{en}");
}

#[test]
fn unknown_and_missing_columns_are_named() {
    let e = import_csv(&repo("tests/data/roster/columns.csv"), "x").expect_err("columns");
    let en = e.render(Lang::En);
    assert!(en.contains("row 1: unknown column “班级”"), "{en}");
    assert!(en.contains("row 1: the column “组别” (group) is missing"), "{en}");
}

// ---- grades ----

struct Fixture {
    class: Class,
    loaded: Loaded,
    records: Vec<(PathBuf, AttemptRecord)>,
    entries: Entries,
}

fn fixture() -> Fixture {
    let loaded = load(SAMPLE);
    let a = |p, seed, id: &str, name: &str, at: &str| attempt(&loaded, p, seed, id, name, at);
    let mut changed = a(Policy::Expert, 5, "0024005", "钱二", "2026-11-23T09:05:00Z");
    changed.scenario_hash = "f".repeat(64);
    let recs = vec![
        a(Policy::Worst, 1, "0024001", "张喆", "2026-11-23T09:00:00Z"),
        a(Policy::Expert, 2, "0024001", "张喆", "2026-11-23T09:10:00Z"),
        a(Policy::Expert, 3, "0024002", "李堃", "2026-11-23T09:01:00Z"),
        a(Policy::Worst, 4, "0024004", "赵一", "2026-11-23T09:02:00Z"),
        changed,
        // 孙三 typed his id without the leading zeros.
        a(Policy::Expert, 6, "24006", "孙三", "2026-11-23T09:06:00Z"),
        // Someone from another class in the same folder.
        a(Policy::Expert, 7, "0099001", "外班", "2026-11-23T09:07:00Z"),
    ];
    let records = recs.into_iter().enumerate().map(|(i, r)| (PathBuf::from(format!("r{i}.ron")), r)).collect();
    let mut entries = Entries::new("物流2401班");
    let id = &loaded.scenario.id;
    entries.set_rating(id, "0024001", "cooperation", Some(8));
    entries.set_override(id, "0024002", "attitude", Some(Override { points: 3, reason: "讲解时打断组员".into() }));
    entries.set_band(id, "第二组", Some(BandOverride { band: Some(3), points: None, reason: "老师现场观察".into() }));
    Fixture { class: class(), loaded, records, entries }
}

fn grades(f: &Fixture) -> ClassGrades {
    compute(&f.class, std::slice::from_ref(&f.loaded), &f.records, &f.entries, &Selection::default())
}

fn notes(m: &kefu::grades::MemberGrades) -> String {
    m.notes.iter().map(|n| n.zh.as_str()).collect::<Vec<_>>().join("；")
}

#[test]
fn grades_follow_the_rubric_the_entries_and_the_counting_rule() {
    let f = fixture();
    let g = grades(&f);
    assert_eq!(g.tasks.len(), 1);
    let t = &g.tasks[0];
    assert_eq!((t.member_max, t.group_max, t.total_max), (30, 70, 100));
    assert_eq!(t.criteria.iter().map(|c| c.key.as_str()).collect::<Vec<_>>(), ["attitude", "cooperation", "listening", "presentation"]);

    // Group 1: both counted attempts are expert ones (band 1, 70).
    let g1 = &t.groups[0];
    assert_eq!(g1.band.as_ref().map(|b| (b.band, b.points)), Some((1, 70)));
    let zhang = &g1.members[0];
    assert!(zhang.leader);
    assert_eq!(zhang.attempts, 2);
    assert_eq!(zhang.criteria, [Some(5), Some(8), Some(5), Some(10)]);
    assert_eq!((zhang.subtotal, zhang.total, zhang.provisional), (Some(28), Some(98), false));
    assert_eq!(zhang.grade.as_ref().map(|g| g.zh.as_str()), Some("优秀"));
    assert!(notes(zhang).contains("共2次作答，取最高一次"), "{}", notes(zhang));
    assert_eq!(zhang.dimensions, [100.0; 5]);

    let li = &g1.members[1];
    assert_eq!(li.criteria, [Some(3), None, Some(5), Some(10)]);
    assert_eq!((li.subtotal, li.total, li.provisional), (Some(18), Some(88), true));
    assert!(notes(li).contains("互助与合作未评分"), "{}", notes(li));
    assert!(notes(li).contains("态度由老师改为3分：讲解时打断组员"), "{}", notes(li));

    let wang = &g1.members[2];
    assert_eq!((wang.subtotal, wang.total, wang.grade.as_ref()), (None, None, None));
    assert_eq!(notes(wang), "无作答记录");

    // Group 2: worst (band 3, 40) and expert (band 1, 70): the median is 55, band 2; the
    // teacher set band 3, so the points move into band 3's range: 49.
    let g2 = &t.groups[1];
    let b = g2.band.as_ref().expect("band");
    assert_eq!((b.band, b.points, b.computed, b.overridden.as_deref()), (3, 49, Some((2, 55)), Some("老师现场观察")));
    assert!(g2.notes[0].zh.contains("小组评价由老师定为第3档49分（计算为第2档55分）：老师现场观察"), "{:?}", g2.notes);
    let zhao = &g2.members[0];
    assert_eq!((zhao.subtotal, zhao.total), (Some(0), Some(49)));
    assert_eq!(zhao.grade.as_ref().map(|g| g.zh.as_str()), Some("不及格"));
    let qian = &g2.members[1];
    assert_eq!((qian.subtotal, qian.total), (Some(20), Some(69)));
    assert!(qian.counted.as_ref().is_some_and(|c| c.scenario_changed));
    assert!(notes(qian).starts_with("作答后场景文件已修改"), "{}", notes(qian));

    // Group 3: the only member typed his id wrong: no attempt, and a hint at the record.
    let g3 = &t.groups[2];
    assert!(g3.band.is_none());
    assert!(notes(&g3.members[0]).contains("有同名学生的记录，学号为 24006：请核对学号"), "{}", notes(&g3.members[0]));

    // The summary has every student once, with the average of what is there.
    let s = g.summary();
    assert_eq!(s.len(), 6);
    assert_eq!((s[0].totals.clone(), s[0].average), (vec![Some(98)], Some(98.0)));
    assert_eq!((s[2].totals.clone(), s[2].average), (vec![None], None));
}

#[test]
fn latest_and_first_attempt_settings() {
    let mut f = fixture();
    let id = f.loaded.scenario.id.clone();
    f.entries.set_counting(Some(&id), Counting::First);
    let t = &grades(&f).tasks[0];
    let zhang = &t.groups[0].members[0];
    assert_eq!((zhang.subtotal, zhang.counted.as_ref().map(|c| c.started_at.as_str())), (Some(8), Some("2026-11-23T09:00:00Z")));
    // With the worst attempt counted, group 1 has 40 and 70: the median 55 is band 2.
    assert_eq!(t.groups[0].band.as_ref().map(|b| (b.band, b.points)), Some((2, 55)));
    f.entries.set_counting(Some(&id), Counting::Latest);
    let t = &grades(&f).tasks[0];
    assert_eq!(t.groups[0].members[0].total, Some(98));
}

#[test]
fn entries_that_do_not_fit_are_warned_about() {
    let mut f = fixture();
    let id = f.loaded.scenario.id.clone();
    f.entries.set_rating(&id, "9999999", "cooperation", Some(5));
    f.entries.set_rating(&id, "0024002", "cooperation", Some(12));
    f.entries.set_override(&id, "0024004", "listening", Some(Override { points: 2, reason: String::new() }));
    f.entries.class = "物流2402班".into();
    let warnings: Vec<String> = grades(&f).warnings.iter().map(|w| w.get(Lang::En).to_string()).collect();
    let all = warnings.join("\n");
    assert!(all.contains("student 9999999 is not on the class roster"), "{all}");
    assert!(all.contains("Cooperation given 12, at most 10"), "{all}");
    assert!(all.contains("the override of “listening” has no reason"), "{all}");
    assert!(all.contains("the entries are for class “物流2402班” but the roster is “物流2401班”"), "{all}");
}

// ---- sheets ----

fn opts() -> SheetOptions {
    SheetOptions { date: "2026-11-23".into(), lang: Lang::Zh }
}

fn open(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    Xlsx::new(Cursor::new(bytes)).expect("a valid workbook")
}

fn cell(range: &calamine::Range<Data>, row: u32, col: u32) -> Data {
    range.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

#[test]
fn the_workbook_reads_back_with_text_ids_merged_groups_numbers_and_formula_values() {
    let f = fixture();
    let g = grades(&f);
    let mut wb = open(xlsx_bytes(&g, &opts()).expect("xlsx"));
    let names = wb.sheet_names();
    assert_eq!(names, ["汇总", "项目1任务3 样例：接听咨询电话"]);
    let task = names[1].clone();
    let ws = wb.worksheet_range(&task).expect("task sheet");
    let title = cell(&ws, 0, 0).to_string();
    assert_eq!(title, "物流2401班 项目1任务3 样例：接听咨询电话 成绩表");
    let info = cell(&ws, 1, 0).to_string();
    assert!(info.contains("班级：物流2401班") && info.contains("（sample-every-kind）") && info.contains("日期：2026-11-23"), "{info}");
    assert_eq!(cell(&ws, 2, 0), Data::String("组别".into()));
    assert_eq!(cell(&ws, 3, 4), Data::String("态度\n（5）".into()));

    // Row 5 (index 4): 张喆, leader of 第一组.
    assert_eq!(cell(&ws, 4, 0), Data::String("第一组".into()));
    assert_eq!(cell(&ws, 4, 1), Data::String("张喆".into()));
    assert_eq!(cell(&ws, 4, 2), Data::String("0024001".into()), "学号 is text with its leading zeros");
    assert_eq!(cell(&ws, 4, 3), Data::String("张喆".into()));
    assert_eq!(cell(&ws, 5, 3), Data::String("李堃".into()));
    assert_eq!(cell(&ws, 6, 3), Data::String("王玥".into()));
    let nums: Vec<Data> = (4..=11).map(|c| cell(&ws, 4, c)).collect();
    assert_eq!(nums, [5.0, 8.0, 5.0, 10.0, 28.0, 70.0, 0.0, 98.0].map(Data::Float), "numbers are numbers, formulas carry values");
    assert_eq!(cell(&ws, 4, 12), Data::String("优秀".into()));
    assert_eq!(cell(&ws, 4, 13), Data::Float(100.0));
    assert_eq!(cell(&ws, 5, 5), Data::Empty, "cooperation not rated: blank, not 0");
    assert!(cell(&ws, 5, 18).to_string().contains("互助与合作未评分"));
    assert_eq!(cell(&ws, 6, 11), Data::Empty, "no attempt: no total");
    assert_eq!(cell(&ws, 6, 18), Data::String("无作答记录".into()));

    let formulas = wb.worksheet_formula(&task).expect("formulas");
    assert_eq!(formulas.get_value((4, 8)).map(String::as_str), Some("SUM(E5:H5)"));
    assert_eq!(formulas.get_value((4, 11)).map(String::as_str), Some("MIN(100,MAX(0,I5+$J$5-K5))"));
    assert_eq!(formulas.get_value((5, 11)).map(String::as_str), Some("MIN(100,MAX(0,I6+$J$5-K6))"), "every member's total uses the group's merged cell");

    let merged = wb.merge_cells_by_sheet_name(&task).expect("merged cells");
    let has = |r0: u32, c0: u32, r1: u32, c1: u32| merged.iter().any(|d| d.start == (r0, c0) && d.end == (r1, c1));
    assert!(has(4, 0, 6, 0), "group name over its three rows: {merged:?}");
    assert!(has(4, 1, 6, 1), "leader over the group's rows");
    assert!(has(4, 9, 6, 9), "group points over the group's rows");
    assert!(has(7, 0, 8, 0), "second group");
    assert!(!merged.iter().any(|d| d.start.0 == 9 && d.start.1 == 0), "a one-member group is not merged");
    assert!(has(0, 0, 0, 18), "title across the table");

    let sum = wb.worksheet_range("汇总").expect("summary");
    assert_eq!(cell(&sum, 2, 3), Data::String("项目1任务3\n样例：接听咨询电话".into()));
    assert_eq!(cell(&sum, 3, 1), Data::String("0024001".into()));
    assert_eq!(cell(&sum, 3, 3), Data::Float(98.0));
    assert_eq!(cell(&sum, 3, 4), Data::Float(98.0), "the average formula's value");
    assert_eq!(cell(&sum, 5, 3), Data::Empty);
    let sf = wb.worksheet_formula("汇总").expect("formulas");
    assert_eq!(sf.get_value((3, 4)).map(String::as_str), Some("AVERAGE(D4:D4)"));
}

#[test]
fn english_sheets() {
    let f = fixture();
    let g = grades(&f);
    let mut wb = open(xlsx_bytes(&g, &SheetOptions { date: "2026-11-23".into(), lang: Lang::En }).expect("xlsx"));
    assert_eq!(wb.sheet_names(), ["Summary", "P1 T3 Sample_ an enquiry call"]);
    let ws = wb.worksheet_range("P1 T3 Sample_ an enquiry call").expect("sheet");
    assert_eq!(cell(&ws, 4, 12), Data::String("Excellent".into()));
}

fn csv_text(g: &ClassGrades, moodle: bool) -> (Vec<u8>, String) {
    let mut out = Vec::new();
    if moodle {
        write_moodle_csv(g, &opts(), &mut out).expect("csv");
    } else {
        write_csv(g, &opts(), &mut out).expect("csv");
    }
    let text = String::from_utf8(out[3..].to_vec()).expect("utf-8");
    (out, text)
}

#[test]
fn the_csv_has_a_bom_quoted_text_and_bare_numbers() {
    let f = fixture();
    let (bytes, text) = csv_text(&grades(&f), false);
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "BOM first");
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "\"班级\",\"任务编号\",\"任务\",\"日期\",\"组别\",\"组长\",\"学号\",\"姓名\",\"态度\",\"互助与合作\",\"倾听\",\"展示与效果\",\"小组成员评价\",\"小组评价\",\"提示扣分\",\"总分\",\"满分\",\"等级\",\"微笑%\",\"迅速%\",\"诚恳%\",\"技巧%\",\"研究%\",\"备注\""
    );
    assert!(
        lines[1].starts_with("\"物流2401班\",\"sample-every-kind\",\"项目1任务3 样例：接听咨询电话\",\"2026-11-23\",\"第一组\",\"张喆\",\"0024001\",\"张喆\",5,8,5,10,28,70,0,98,100,\"优秀\",100,100,100,100,100,"),
        "{}",
        lines[1]
    );
    assert!(lines[3].contains("\"王玥\",,,,,,,,,100,\"\",,,,,,\"无作答记录\""), "{}", lines[3]);
    assert_eq!(lines.len(), 8, "header, six students, and the final line end");
}

#[test]
fn the_moodle_csv_has_id_numbers_and_a_total_per_task() {
    let f = fixture();
    let (bytes, text) = csv_text(&grades(&f), true);
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
    assert_eq!(
        text,
        "\"ID number\",\"项目1任务3 样例：接听咨询电话\"\r\n\"0024001\",98\r\n\"0024002\",88\r\n\"0024003\",\r\n\"0024004\",49\r\n\"0024005\",69\r\n\"0024006\",\r\n"
    );
}

#[test]
fn hostile_names_are_defused_in_csv_and_stay_plain_text_in_xlsx() {
    let hostile = ["=cmd|' /C calc'!A0", "+1", "@SUM(A1)", "-2+3", "\tTAB"];
    let class = Class {
        name: "=HYPERLINK(\"http://x\")".into(),
        groups: vec![Group {
            name: "@组".into(),
            leader: "001".into(),
            members: hostile
                .iter()
                .enumerate()
                .map(|(i, n)| Student { id: format!("00{}", i + 1), name: (*n).to_string() })
                .chain([Student { id: "-9".into(), name: "喆堃玥".into() }])
                .collect(),
        }],
    };
    let loaded = load(SAMPLE);
    let records: Vec<(PathBuf, AttemptRecord)> = class
        .students()
        .enumerate()
        .map(|(i, (_, s))| (PathBuf::from(format!("{i}.ron")), attempt(&loaded, Policy::Expert, i as u64, &s.id, &s.name, "2026-11-23T09:00:00Z")))
        .collect();
    let g = compute(&class, std::slice::from_ref(&loaded), &records, &Entries::new(&class.name), &Selection::default());

    let (_, text) = csv_text(&g, false);
    for n in hostile {
        assert!(text.contains(&format!("\"'{}\"", n.replace('"', "\"\""))), "{n:?} defused in {text}");
    }
    assert!(text.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "class name defused");
    assert!(text.contains("\"'@组\""));
    assert!(text.contains("\"'-9\""), "ids too");
    assert!(text.contains("\"喆堃玥\""));
    let (_, moodle) = csv_text(&g, true);
    assert!(moodle.contains("\"'-9\",90"), "{moodle}");

    let mut wb = open(xlsx_bytes(&g, &opts()).expect("xlsx"));
    let task = wb.sheet_names()[1].clone();
    let ws = wb.worksheet_range(&task).expect("sheet");
    let formulas = wb.worksheet_formula(&task).expect("formulas");
    for (i, n) in hostile.iter().enumerate() {
        let r = 4 + i as u32;
        assert_eq!(cell(&ws, r, 3), Data::String((*n).to_string()), "written verbatim as text");
        assert!(formulas.get_value((r, 3)).is_none_or(String::is_empty), "never a formula");
    }
    assert_eq!(cell(&ws, 9, 3), Data::String("喆堃玥".into()));
    assert_eq!(cell(&ws, 9, 2), Data::String("-9".into()));
}

// ---- the program ----

fn kefu() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kefu"));
    c.env_remove(RECORDS_ENV).env("KEFU_LANG", "en").current_dir(repo(""));
    c
}

fn records_folder(f: &Fixture) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (_, r) in &f.records {
        save_record(dir.path(), r, None).expect("save");
    }
    dir
}

#[test]
fn kefu_export_writes_xlsx_csv_and_moodle_files() {
    let f = fixture();
    let recs = records_folder(&f);
    let out = tempfile::tempdir().expect("tempdir");
    let entries = out.path().join("entries.ron");
    f.entries.save(&entries).expect("save entries");
    let run = |args: &[&str], file: &Path| {
        kefu()
            .args(["export", "--class", CLASS, "--scenarios", "tests/data", "--date", "2026-11-23", "--entries"])
            .arg(&entries)
            .arg("--records")
            .arg(recs.path())
            .arg("--out")
            .arg(file)
            .args(args)
            .output()
            .expect("run")
    };
    let x = out.path().join("成绩.xlsx");
    let o = run(&[], &x);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{stdout}{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout.contains("wrote") && stdout.contains("6 student(s), 1 task(s)"), "{stdout}");
    assert!(stdout.contains("4 graded, 2 without an attempt, 3 awaiting ratings, 1 played before the scenario changed"), "{stdout}");
    let mut wb = open(std::fs::read(&x).expect("xlsx written"));
    let task = wb.sheet_names()[1].clone();
    assert_eq!(task, "P1 T3 Sample_ an enquiry call", "sheets follow --lang");
    let ws = wb.worksheet_range(&task).expect("sheet");
    assert_eq!(cell(&ws, 4, 11), Data::Float(98.0));

    let c = out.path().join("grades.csv");
    assert_eq!(run(&["--task", "sample-every-kind"], &c).status.code(), Some(0));
    assert!(std::fs::read(&c).expect("csv").starts_with(b"\xEF\xBB\xBF\"Class\","), "BOM, then the header");

    let m = out.path().join("moodle.csv");
    assert_eq!(run(&["--moodle", "--counting", "first"], &m).status.code(), Some(0));
    let text = std::fs::read_to_string(&m).expect("moodle");
    assert!(text.contains("\"0024001\",63\r\n"), "the first attempt counts with --counting first: {text}");

    let bad = run(&[], &out.path().join("grades.pdf"));
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains(".xlsx or .csv"));
    assert_eq!(run(&["--task", "no-such-task"], &c).status.code(), Some(1));
    let leftovers: Vec<_> = std::fs::read_dir(out.path()).expect("ls").filter_map(Result::ok).filter(|e| e.file_name().to_string_lossy().ends_with(".tmp")).collect();
    assert!(leftovers.is_empty(), "atomic writes leave no temp files");
}

#[test]
fn kefu_export_takes_a_csv_roster_and_the_records_folder_from_the_environment() {
    let f = fixture();
    let recs = records_folder(&f);
    let out = tempfile::tempdir().expect("tempdir");
    let x = out.path().join("g.xlsx");
    let o = kefu()
        .args(["--lang", "zh", "export", "--class", "tests/data/roster/roster_gbk.csv", "--scenarios", "tests/data", "--out"])
        .arg(&x)
        .env(RECORDS_ENV, recs.path())
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{stdout}{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout.contains("roster_gbk，6 名学生，1 个任务"), "{stdout}");

    // A roster with problems stops the export and lists them all.
    let o = kefu().args(["export", "--class", "tests/data/roster/errors.csv", "--scenarios", "tests/data", "--out"]).arg(&x).env(RECORDS_ENV, recs.path()).output().expect("run");
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.lines().count(), 7, "{err}");
}

/// Issue 9: a critical error holds the grade on the sheet as on the student's screen, the row
/// says why, and the workbook's formula keeps the cap when Excel or WPS recalculates.
#[test]
fn a_critical_error_caps_the_sheet_like_the_report() {
    let src = std::fs::read_to_string(repo(SAMPLE)).expect("read").replacen(
        r#"(id: "hang", "#,
        r#"(id: "hang", critical: (name: (zh: "先于客户挂断电话", en: "Hung up before the customer"), principle: sincerity), "#,
        1,
    );
    let loaded = kefu::scenario::load_str(Path::new("tests/data/sample.ron"), &src).expect("parses");
    let events: Vec<kefu::session::Event> = crate::golden::expert_events()
        .into_iter()
        .map(|e| if e.node == "close" { choose("close", "hang") } else { e })
        .collect();
    let session = kefu::session::Session::replay(loaded.scenario.clone(), 2, &events).expect("replays");
    let mut rec = AttemptRecord::start(&session, &loaded.hash, kefu::records::Player { id: "0024001".into(), name: "张喆".into(), group: None });
    rec.sync(&session);
    let others = [(3, "0024002", "李堃"), (4, "0024003", "王玥")].map(|(seed, id, name)| attempt(&loaded, Policy::Expert, seed, id, name, "2026-11-23T09:01:00Z"));
    let records: Vec<(PathBuf, AttemptRecord)> = std::iter::once(rec).chain(others).enumerate().map(|(i, r)| (PathBuf::from(format!("r{i}.ron")), r)).collect();
    let g = compute(&class(), std::slice::from_ref(&loaded), &records, &Entries::new("物流2401班"), &Selection::default());
    let (_, m) = g.tasks[0].members().find(|(_, m)| m.student.id == "0024001").expect("张喆");
    let report = &m.counted.as_ref().expect("counted").report;
    assert_eq!((report.total, report.projected, report.grade.zh.as_str()), (69, 69, "及格"));
    // The group band is the median of three (two experts): the cap still holds the member.
    assert_eq!((m.total, m.projected, m.grade.as_ref().map(|t| t.zh.as_str())), (Some(69), Some(69), Some("及格")));
    assert_eq!((m.cap_limit, m.grade_level), (Some(69), Some(3)));
    assert!(notes(m).starts_with("严重错误：先于客户挂断电话（5S·诚恳，最高及格）"), "{}", notes(m));
    let mut wb = open(xlsx_bytes(&g, &opts()).expect("xlsx"));
    let task = wb.sheet_names()[1].clone();
    let formulas = wb.worksheet_formula(&task).expect("formulas");
    let ws = wb.worksheet_range(&task).expect("sheet");
    assert_eq!(formulas.get_value((4, 11)).map(String::as_str), Some("MIN(69,MAX(0,I5+$J$5-K5))"));
    assert_eq!(cell(&ws, 4, 11), Data::Float(69.0));
}

/// Issue 13: the export never overwrites its own inputs, never replaces a sheet with one built
/// from no scenario files, and clears the temp files an interrupted export left behind.
#[test]
fn kefu_export_keeps_its_inputs_and_a_good_sheet() {
    let f = fixture();
    let recs = records_folder(&f);
    let out = tempfile::tempdir().expect("tempdir");
    let roster = out.path().join("class.csv");
    std::fs::copy("tests/data/roster/roster_gbk.csv", &roster).expect("copy");
    let before = std::fs::read(&roster).expect("roster");
    let run = |class: &Path, scenarios: &str, sheet: &Path| kefu().args(["export", "--class"]).arg(class).args(["--scenarios", scenarios, "--out"]).arg(sheet).arg("--records").arg(recs.path()).output().expect("run");

    // --out naming the roster itself: refused (usage), the roster untouched.
    let o = run(&roster, "tests/data", &roster);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot be written over its own input (--class"), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read(&roster).expect("roster"), before);

    // A good sheet, then an export run where there are no scenario files: refused, sheet kept.
    let sheet = out.path().join("g.csv");
    assert_eq!(run(&roster, "tests/data", &sheet).status.code(), Some(0));
    let good = std::fs::read(&sheet).expect("sheet");
    let empty = tempfile::tempdir().expect("tempdir");
    let o = run(&roster, &empty.path().to_string_lossy(), &sheet);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("no scenario files in") && err.contains("is left as it was"), "{err}");
    assert_eq!(std::fs::read(&sheet).expect("sheet"), good);

    // An old temp file of this sheet (an export killed mid-write) is cleared; a fresh one, maybe
    // another export's, and other files are left alone.
    let stale = out.path().join(".g.csv.0123abcd.tmp");
    let fresh = out.path().join(".g.csv.4567cdef.tmp");
    let other = out.path().join(".other.csv.89ab.tmp");
    for p in [&stale, &fresh, &other] {
        std::fs::write(p, b"partial").expect("write");
    }
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for p in [&stale, &other] {
        std::fs::File::options().write(true).open(p).expect("open").set_modified(old).expect("age it");
    }
    assert_eq!(run(&roster, "tests/data", &sheet).status.code(), Some(0));
    assert!(!stale.exists() && fresh.exists() && other.exists());
}

/// Issue 13: group points a teacher typed outside every band (1000, or 4294967295 from a slip)
/// are held to the rubric's range and warned about, never counted as they are.
#[test]
fn group_points_outside_every_band_are_held_to_the_range() {
    let mut f = fixture();
    let id = f.loaded.scenario.id.clone();
    for (points, band, counted) in [(1000u32, None, 70u32), (u32::MAX, None, 70), (5, None, 40), (99, Some(2u8), 59)] {
        f.entries.set_band(&id, "第二组", Some(BandOverride { band, points: Some(points), reason: "录入".into() }));
        let g = grades(&f);
        let group = g.tasks[0].groups.iter().find(|x| x.name == "第二组").expect("group");
        let b = group.band.as_ref().expect("a band");
        assert_eq!(b.points, counted, "{points}");
        for m in group.members.iter().filter(|m| m.counted.is_some()) {
            assert!(m.total.is_some_and(|t| t <= 100), "{points}: {:?}", m.total);
        }
        let warned = g.warnings.iter().any(|w| w.get(kefu::Lang::En).contains(&format!("{points} points is outside")) && w.get(kefu::Lang::En).contains(&format!("counted as {counted}")));
        assert!(warned, "{points}: {:?}", g.warnings);
    }
}

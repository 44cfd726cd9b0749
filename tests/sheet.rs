//! `kefu sheet`: every course scenario survives export → import unchanged; mistakes in a
//! workbook are named by sheet, row and column.

use std::path::Path;

use rust_xlsxwriter::Workbook;

use kefu::analysis::analyze;
use kefu::scenario::{Diagnostic, load_str, validate};
use kefu::sheet::{self, Col, Problem, list_cols, node_cols};

use crate::common::repo;

fn diags(l: &kefu::Loaded) -> Vec<(String, String)> {
    let d: Vec<Diagnostic> = validate(l);
    d.into_iter().map(|d| (d.code.to_string(), d.message.zh)).collect()
}

fn compact(s: &kefu::Scenario) -> String {
    kefu::sheet::ron_text::to_compact(s).expect("serialises")
}

#[test]
fn every_course_scenario_round_trips() {
    let mut files: Vec<_> = std::fs::read_dir(repo("scenarios")).expect("scenarios/").filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|e| e == "ron")).collect();
    files.sort();
    assert!(files.len() >= 12, "{files:?}");
    for f in files {
        let name = f.display().to_string();
        let (original, before) = kefu::scenario::check_file(&f);
        let original = original.unwrap_or_else(|| panic!("{name}: {before:?}"));
        let bytes = sheet::export(&original.scenario).unwrap_or_else(|e| panic!("{name}: {e}"));
        let back = sheet::import(&bytes).unwrap_or_else(|p| panic!("{name}: {:?}", p.iter().map(|p| p.render(kefu::Lang::En)).collect::<Vec<_>>()));
        let ron = sheet::write_ron(&back);
        // The readable writer, not its fallback.
        assert!(!ron.contains("#![enable"), "{name}: fell back to the plain serialiser");
        let reread = load_str(Path::new("back.ron"), &ron).unwrap_or_else(|d| panic!("{name}: {}\n{ron}", d.render(kefu::Lang::En)));
        // Everything in the model is the same (Chinese and English texts included)…
        assert_eq!(compact(&reread.scenario), compact(&original.scenario), "{name}");
        // …so `check` says the same and `analyze` finds the same.
        assert_eq!(diags(&reread), diags(&original), "{name}");
        let a = serde_json::to_value(analyze(&original.scenario)).expect("json");
        let b = serde_json::to_value(analyze(&reread.scenario)).expect("json");
        assert_eq!(a, b, "{name}");
    }
}

#[test]
fn chinese_text_is_intact_in_the_workbook_and_after_the_round_trip() {
    use calamine::{Reader, Xlsx};
    let l = kefu::scenario::load_file(&repo("scenarios/p2t1-collecting-customer-information.ron")).expect("loads");
    let bytes = sheet::export(&l.scenario).expect("exports");
    let mut wb = Xlsx::new(std::io::Cursor::new(bytes.clone())).expect("opens");
    let nodes = wb.worksheet_range("节点").expect("节点 sheet");
    let cells: Vec<String> = nodes.cells().map(|(_, _, d)| d.to_string()).collect();
    assert!(cells.iter().any(|c| c.contains("小刘，对面新挂牌的桑弘服饰有限公司看到了吧？")), "the first line's Chinese is in the 节点 sheet");
    let back = sheet::import(&bytes).expect("imports");
    assert_eq!(back.title.zh, "收集物流客户信息");
    assert_eq!(back.situation, l.scenario.situation);
    let ron = sheet::write_ron(&back);
    assert!(ron.contains("桑弘服饰"), "written as characters, not escapes");
}

fn write_row(ws: &mut rust_xlsxwriter::Worksheet, r: u32, cells: &[(usize, &str)]) {
    for (c, v) in cells {
        ws.write_string(r, u16::try_from(*c).expect("col"), *v).expect("write");
    }
}

fn col(cols: &[Col], c: &Col) -> usize {
    cols.iter().position(|x| x == c).expect("column")
}

#[test]
fn mistakes_are_named_by_sheet_row_and_column() {
    let mut wb = Workbook::new();
    {
        let ws = wb.add_worksheet();
        ws.set_name("场景").expect("name");
        let rows = [("字段 field", "中文 / 值 value"), ("id", "broken"), ("title", "有错误的场景"), ("project", "1"), ("task", "1"), ("situation", "测试")];
        for (i, (k, v)) in rows.iter().enumerate() {
            write_row(ws, u32::try_from(i).expect("row"), &[(0, k), (1, v)]);
        }
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name("角色").expect("name");
        write_row(ws, 0, &[(0, "编号 id"), (1, "名字 name"), (2, "英文 English"), (3, "扮演 played_by")]);
        write_row(ws, 1, &[(0, "me"), (1, "客服"), (3, "Student")]);
    }
    let ncols = node_cols(&[]);
    {
        let ws = wb.add_worksheet();
        ws.set_name("节点").expect("name");
        for (i, c) in ncols.iter().enumerate() {
            ws.write_string(0, u16::try_from(i).expect("col"), c.title()).expect("write");
        }
        let (id, kind, text, next) = (col(&ncols, &Col::Id), col(&ncols, &Col::Kind), col(&ncols, &Col::Zh), col(&ncols, &Col::Next));
        write_row(ws, 1, &[(id, "start"), (kind, "Line"), (text, "您好"), (next, "nowhere")]);
        write_row(ws, 2, &[(id, "q"), (kind, "Choice")]);
        write_row(ws, 3, &[(id, "x"), (kind, "Talk"), (text, "说话")]);
        write_row(ws, 4, &[(id, "end"), (kind, "Ending"), (text, "结束")]);
    }
    let lcols = list_cols(&[]);
    {
        let ws = wb.add_worksheet();
        ws.set_name("选项").expect("name");
        for (i, c) in lcols.iter().enumerate() {
            ws.write_string(0, u16::try_from(i).expect("col"), c.title()).expect("write");
        }
        write_row(
            ws,
            1,
            &[(col(&lcols, &Col::Node), "q"), (col(&lcols, &Col::List), "选项"), (col(&lcols, &Col::Id), "ok"), (col(&lcols, &Col::Zh), "好的"), (col(&lcols, &Col::Dim(kefu::scenario::Dim::Smile)), "abc"), (col(&lcols, &Col::Next), "end")],
        );
    }
    let bytes = wb.save_to_buffer().expect("saves");
    let problems: Vec<Problem> = sheet::import(&bytes).expect_err("mistakes found");
    let places: Vec<String> = problems.iter().map(Problem::place).collect();
    let letter = |cols: &[Col], c: &Col| sheet::col_letters(u16::try_from(col(cols, c)).expect("col"));
    let expect = [
        (format!("节点!{}4", letter(&ncols, &Col::Kind)), "不认识节点类型 `Talk`"),
        (format!("选项!{}2", letter(&lcols, &Col::Dim(kefu::scenario::Dim::Smile))), "得分“abc”不是整数"),
        (format!("节点!{}2", letter(&ncols, &Col::Next)), "要跳转的节点 `nowhere` 不存在"),
        (format!("节点!{}3", letter(&ncols, &Col::Zh)), "缺少文字"),
    ];
    for (place, words) in &expect {
        let p = problems.iter().find(|p| p.place() == *place).unwrap_or_else(|| panic!("nothing at {place}; found {places:?}"));
        assert!(p.message.zh.contains(words), "{place}: {}", p.message.zh);
        assert!(p.message.en.as_ref().is_some_and(|e| !e.is_empty()), "{place}: English too");
    }
    assert_eq!(problems.len(), expect.len(), "{:?}", problems.iter().map(|p| p.render(kefu::Lang::Zh)).collect::<Vec<_>>());
    // The row and column are fields too, for programs.
    let kind = problems.iter().find(|p| p.message.zh.contains("Talk")).expect("kind");
    assert_eq!((kind.sheet.as_str(), kind.row, kind.col), ("节点", 4, Some(u16::try_from(col(&ncols, &Col::Kind)).expect("col"))));
}

#[test]
fn a_bad_ron_cell_is_named_with_the_loaders_words() {
    let l = kefu::scenario::load_file(&repo("scenarios/_template.ron")).expect("loads");
    let bytes = sheet::export(&l.scenario).expect("exports");
    // Re-write the node sheet's first row with a broken "其他（RON）" cell, through calamine + rust_xlsxwriter.
    use calamine::{Data, Reader, Xlsx};
    let mut src = Xlsx::new(std::io::Cursor::new(bytes)).expect("opens");
    let mut wb = Workbook::new();
    let ncols = node_cols(&[]);
    let rest = col(&ncols, &Col::Rest);
    for name in src.sheet_names() {
        let range = src.worksheet_range(&name).expect("range");
        let ws = wb.add_worksheet();
        ws.set_name(&name).expect("name");
        for (r, c, d) in range.used_cells() {
            let (r, c) = (u32::try_from(r).expect("row"), u16::try_from(c).expect("col"));
            match d {
                Data::Float(f) => ws.write_number(r, c, *f).map(|_| ()).expect("write"),
                d => ws.write_string(r, c, d.to_string()).map(|_| ()).expect("write"),
            }
        }
        if name == "节点" {
            ws.write_string(1, u16::try_from(rest).expect("col"), "hints: [(text: “提示”)]").expect("write");
        }
    }
    let bytes = wb.save_to_buffer().expect("saves");
    let problems = sheet::import(&bytes).expect_err("the cell is wrong");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].place(), format!("节点!{}2", sheet::col_letters(u16::try_from(rest).expect("col"))));
    assert!(problems[0].message.zh.contains("中文标点") || problems[0].message.zh.contains("“"), "{}", problems[0].message.zh);
}

//! `kefu analyze`: score ranges, endings, unreached nodes, the expert and worst paths.

use std::io::Write;
use std::path::Path;

use super::{CliError, EXIT_OK, EXIT_PROBLEMS};
use crate::analysis::PathSummary;
use crate::analysis::{analyze, analyze_with_plays};
use crate::scenario::{Lang, load_file};

fn fmt_num(x: Option<f64>, unbounded: &str) -> String {
    x.map_or(unbounded.to_string(), |v| if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v:.1}") })
}

/// `kefu analyze --dot`: the map as a Graphviz graph. A file with errors still gets its map (the
/// errors as comments at the top and on their nodes in red), and exit code 1.
pub fn dot(path: &Path, lang: Lang, out: &mut dyn Write) -> Result<u8, CliError> {
    let loaded = match load_file(path) {
        Ok(l) => l,
        Err(d) => {
            writeln!(out, "// {}", d.render(lang))?;
            return Ok(EXIT_PROBLEMS);
        }
    };
    let diags = crate::scenario::validate(&loaded);
    let broken = diags.iter().any(|d| d.is_error());
    // The ranges validation explored are kept with the scenario: the analysis uses them.
    let analysis = (!broken).then(|| analyze(&loaded.scenario));
    for d in &diags {
        writeln!(out, "// {}", d.render(lang).replace('\n', " "))?;
    }
    let map = crate::analysis::map::build(&loaded, analysis.as_ref(), None, &diags);
    out.write_all(crate::analysis::map::to_dot(&map, lang).as_bytes())?;
    super::drop_later((loaded, analysis, map));
    Ok(if broken { EXIT_PROBLEMS } else { EXIT_OK })
}

pub fn run(path: &Path, json: bool, lang: Lang, out: &mut dyn Write) -> Result<u8, CliError> {
    // Buffered: a large analysis is megabytes of pretty JSON, and stdout writes line by line.
    let mut buf = std::io::BufWriter::with_capacity(1 << 16, out);
    let code = run_buffered(path, json, lang, &mut buf)?;
    buf.flush()?;
    Ok(code)
}

fn run_buffered(path: &Path, json: bool, lang: Lang, out: &mut dyn Write) -> Result<u8, CliError> {
    let loaded = match load_file(path) {
        Ok(l) => l,
        Err(d) => {
            writeln!(out, "{}", d.render(lang))?;
            return Ok(EXIT_PROBLEMS);
        }
    };
    // On a large scenario the seed-0 expert and worst paths are played on a second thread while
    // it is validated (used only if it has no errors; they need nothing validation computes).
    let ahead = if loaded.scenario.nodes.len() >= 2_000 {
        let sc = std::sync::Arc::clone(&loaded.scenario);
        std::thread::Builder::new().name("plays".into()).stack_size(16 << 20).spawn(move || crate::analysis::plays(&sc)).ok()
    } else {
        None
    };
    // Paths through a broken scenario mean nothing: show what to fix first.
    let diags = crate::scenario::validate(&loaded);
    if diags.iter().any(|d| d.is_error()) {
        for d in &diags {
            writeln!(out, "{}", d.render(lang))?;
        }
        writeln!(out, "{}", lang.pick("请先改正上面的错误，再分析。", "fix the errors above first, then analyse."))?;
        return Ok(EXIT_PROBLEMS);
    }
    // The ranges validation explored are kept with the scenario: the analysis uses them.
    let a = match ahead.and_then(|h| h.join().ok()) {
        Some(p) => analyze_with_plays(&loaded.scenario, p),
        None => analyze(&loaded.scenario),
    };
    if json {
        // A buffer of its own: serde_json writes in many small pieces, which then reach a
        // buffer without a call through `dyn Write` each (a tenth of a large analysis's time).
        let mut w = std::io::BufWriter::with_capacity(1 << 16, &mut *out);
        serde_json::to_writer_pretty(&mut w, &a)?;
        w.flush()?;
        drop(w);
        writeln!(out)?;
        super::drop_later((loaded, a));
        return Ok(EXIT_OK);
    }
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    writeln!(out, "{} {}", a.id, loaded.scenario.title.get(lang))?;
    writeln!(
        out,
        "{} {}, {} {}, {} {}{}",
        a.nodes,
        t("个节点", "nodes"),
        a.endings,
        t("个结局", "endings"),
        a.states,
        t("个状态", "states"),
        if a.approximate { t("（状态过多，未计条件，结果为近似）", " (too many states: conditions ignored, approximate)") } else { "" }
    )?;
    writeln!(out, "{}", t("可达分数范围（最低 .. 最高）：", "reachable points (min .. max):"))?;
    for r in &a.ranges {
        writeln!(out, "  {:<14} {:>6} .. {:<6}", format!("{} {}", r.name.get(lang), r.key), fmt_num(r.min, "-∞"), fmt_num(r.max, "∞"))?;
    }
    let show = |out: &mut dyn Write, label: &str, p: &Result<PathSummary, String>| -> std::io::Result<()> {
        match p {
            Ok(p) => {
                let r = &p.report;
                writeln!(
                    out,
                    "{label}: {} {} / {}{}, {} {}, {} {} ({}), {}",
                    t("总分", "total"),
                    r.total,
                    r.total_max - r.pending_max,
                    if r.pending_max > 0 { format!(" (+{} {}) → {}", r.pending_max, t("待评", "rated by people"), r.projected) } else { String::new() },
                    t("等级", "grade"),
                    r.grade.get(lang),
                    t("档次", "band"),
                    r.band.band,
                    r.band.points,
                    r.dimensions.iter().map(|d| format!("{} {:.0}%", d.name.get(lang), d.percent)).collect::<Vec<_>>().join(" "),
                )?;
                writeln!(out, "  {}", p.nodes.join(" → "))
            }
            Err(e) => writeln!(out, "{label}: {e}"),
        }
    };
    show(out, t("专家路径", "expert path"), &a.expert)?;
    show(out, t("最差路径", "worst path"), &a.worst)?;
    if !a.draws.is_empty() {
        writeln!(out, "{}", t("每种随机抽取（draws）下的专家路径和最差路径：", "the expert and worst paths under each outcome of the random draws:"))?;
        for d in &a.draws {
            let drawn = if d.drawn.is_empty() { t("（都没抽中）", "(none drawn)").to_string() } else { d.drawn.iter().map(|(k, v)| if *v == 1 { k.clone() } else { format!("{k}={v}") }).collect::<Vec<_>>().join(", ") };
            writeln!(out, "{drawn} ({} {}):", t("种子", "seed"), d.seed)?;
            show(out, &format!("  {}", t("专家路径", "expert path")), &d.expert)?;
            show(out, &format!("  {}", t("最差路径", "worst path")), &d.worst)?;
        }
    }
    if !a.critical.is_empty() {
        writeln!(out, "{}", t("每个严重错误之后最高可得（专家路径只犯这一个错误）：", "best total after each critical error (the expert path with that one error):"))?;
        for c in &a.critical {
            let result = match (c.projected, &c.grade) {
                (Some(p), Some(g)) => format!("{p} {}", g.get(lang)),
                _ => t("到不了这里", "never reached").to_string(),
            };
            let via = c.via.as_ref().map_or(String::new(), |v| format!(" ({} {v})", t("先经过", "via")));
            writeln!(out, "  {} {}{via} — {}: {result}", c.node, c.deviation, c.name.get(lang))?;
        }
    }
    if !a.unreached.is_empty() {
        writeln!(out, "{}: {}", t("无法到达的节点", "unreached nodes"), a.unreached.join(", "))?;
    }
    if !a.stuck.is_empty() {
        writeln!(out, "{}: {}", t("可能卡住的节点", "nodes that can get stuck"), a.stuck.join(", "))?;
    }
    super::drop_later((loaded, a));
    Ok(EXIT_OK)
}

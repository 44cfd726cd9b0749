//! Analysis speed on generated 1,000 to 100,000-node scenarios (issue 2 asks for "well under a second"
//! at 10,000; issue 13 for a 100,000-node scenario checked and analysed in under 3 s each).
//! Run: `cargo bench --no-default-features --bench analyze`. Prints timings; asserts nothing
//! about time (speed is reported, not tested).

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use kefu::analysis::analyze;
use kefu::scenario::{load_str, validate};

/// Choices in a chain with side branches, "ask again" loops and a variable-guarded option,
/// an activity every 50 nodes, and endings along the way.
fn generate(n: usize) -> String {
    let mut s = String::from(
        "Scenario(id: \"big\", title: \"大场景\", course: (project: 5, task: 1), situation: \"生成的场景。\",\n\
         roles: [(id: \"agent\", name: \"刘铭丽\", played_by: Student)],\n\
         variables: (asked: false),\n nodes: [\n",
    );
    for i in 0..n - 2 {
        let next = i + 1;
        let skip = (i + 2).min(n - 2);
        if i % 50 == 49 {
            s += &format!(
                "Order(id: \"n{i}\", prompt: \"排序\", steps: [(id: \"a\", text: \"一\"), (id: \"b\", text: \"二\"), (id: \"c\", text: \"三\")], effects: (skill: 2, presentation: 1), next: \"n{next}\"),\n"
            );
        } else if i % 10 == 5 {
            s += &format!("Line(id: \"n{i}\", text: \"客户说了一句话。\", next: \"n{next}\"),\n");
        } else {
            let back = i; // "ask again" returns to the same question
            s += &format!(
                "Choice(id: \"n{i}\", prompt: \"第{i}步\", options: [\n\
                 (id: \"good\", text: \"好\", effects: (smile: 1, skill: 1, attitude: 1, listening: 1), feedback: \"好\", expert: true, next: \"n{next}\", set: (asked: true)),\n\
                 (id: \"skip\", text: \"跳过\", effects: (speed: 1, research: -1), feedback: \"快但粗心\", next: \"n{skip}\"),\n\
                 (id: \"again\", text: \"再说一遍\", effects: (sincerity: -1), feedback: \"没听清\", next: \"n{back}\"),\n\
                 (id: \"once\", text: \"确认\", effects: (research: 1), feedback: \"确认\", next: \"n{next}\", when: \"!asked\"),\n\
                 (id: \"quit\", text: \"挂断\", effects: (smile: -2), feedback: \"挂断\", next: \"bad\"),\n\
                 ]),\n"
            );
        }
    }
    s += "Ending(id: \"n".to_string().as_str();
    s += &format!("{}\", outcome: \"完成\"),\nEnding(id: \"bad\", outcome: \"失败\", success: false),\n])\n", n - 2);
    s
}

fn main() {
    // `kefu audit` on the course's scenarios: 4 bots × 50 seeds + each single critical error.
    for file in ["scenarios/p1t1-detour-notice.ron", "scenarios/p1t2-front-desk-visitor.ron", "scenarios/p1t3-botched-phone-call.ron"] {
        let Ok(loaded) = kefu::scenario::load_file(Path::new(file)) else { continue };
        let t = Instant::now();
        let a = kefu::scoring::audit::audit(&loaded.scenario, 50);
        println!(
            "audit {:<26} {:>7.1} ms (50 seeds × {} bots, {} critical errors)",
            a.id,
            t.elapsed().as_secs_f64() * 1e3,
            a.bots.len(),
            a.critical.len()
        );
    }
    // 100,000 nodes is issue 13's scale target (`kefu check` and `kefu analyze` under 3 s each);
    // scripts/gen-big.py writes the same scenario to a file for timing the CLI.
    for n in [1_000usize, 10_000, 100_000] {
        let src = generate(n);
        let t0 = Instant::now();
        let loaded = match load_str(Path::new("big.ron"), &src) {
            Ok(l) => l,
            Err(d) => panic!("generated scenario does not parse: {}", d.render(kefu::Lang::En)),
        };
        let t_load = t0.elapsed();
        let t1 = Instant::now();
        let diags = validate(&loaded);
        let t_validate = t1.elapsed();
        let t2 = Instant::now();
        let a = analyze(&Arc::clone(&loaded.scenario));
        let t_analyze = t2.elapsed();
        let errors = diags.iter().filter(|d| d.is_error()).count();
        println!(
            "{n:>6} nodes ({} KiB): load {:>7.1} ms, validate {:>7.1} ms (load+validate {:>7.1} ms), analyze {:>7.1} ms ({} states, {} diagnostics, {errors} errors, expert path {} nodes, expert projected {})",
            src.len() / 1024,
            t_load.as_secs_f64() * 1e3,
            t_validate.as_secs_f64() * 1e3,
            (t_load + t_validate).as_secs_f64() * 1e3,
            t_analyze.as_secs_f64() * 1e3,
            a.states,
            diags.len(),
            a.expert.as_ref().map_or(0, |p| p.nodes.len()),
            a.expert.as_ref().map_or(0, |p| p.report.projected),
        );
    }
}

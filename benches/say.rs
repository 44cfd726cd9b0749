//! Scoring typed replies (issue 11 asks for "well under 10 ms" a reply). Run:
//! `cargo bench --no-default-features --bench say`. Prints the first reply (the word splitter's
//! dictionary loaded and the scenario's words added) and the median and worst of the next ones,
//! over every Say node of the courseware; asserts nothing about time.

use std::path::Path;
use std::time::Instant;

use kefu::scenario::{Node, load_file};
use kefu::session::{Action, Session};
use kefu::session::autoplay::{self, Policy, Tried};

const REPLIES: &[&str] = &[
    "您好，长海物流客服部，工号026，我是刘铭丽，请问有什么可以帮您？",
    "你好长海物流我的工号是026有什么可以帮你的吗",
    "喂，什么事？",
    "您好！長海物流客服，工號026，請問有什麼可以幫您？",
    "跟您核对一下：汽车配件约120公斤，发往郑州，下周一上午九点前必须送到，对吗？",
    "我不知道能不能周一到，没办法保证，汽车配件120公斤去郑州",
    "您好，你好，早上好，上午好，长海物流，长海公司，长海，工号026，026号，有什么可以帮您，有什么能帮您",
    "这是我们的客服热线和公司网站，凭运单号就能查询货物。感谢您选择长海物流，您慢走！",
];

fn main() {
    let mut times = Vec::new();
    let mut first = None;
    for file in ["scenarios/p1t2-front-desk-visitor.ron", "scenarios/p1t3-botched-phone-call.ron"] {
        let loaded = match load_file(Path::new(file)) {
            Ok(l) => l,
            Err(d) => {
                eprintln!("{}", d.render(kefu::Lang::En));
                return;
            }
        };
        let sc = loaded.scenario;
        let says: Vec<String> = sc.nodes.iter().filter_map(|n| if let Node::Say(x) = n { Some(x.id.clone()) } else { None }).collect();
        for node in says {
            // A session at the node, by the expert's path.
            let Ok(mut at) = Session::new(sc.clone(), 5) else { return };
            let mut tried = Tried::new();
            while at.node_id() != node && !at.is_ended() {
                let Ok(e) = autoplay::next_event(&at, Policy::Expert, &mut tried) else { return };
                if at.apply(&e).is_err() {
                    return;
                }
            }
            for round in 0..50 {
                for reply in REPLIES {
                    let mut s = at.clone();
                    let t = Instant::now();
                    let ok = s.answer(Action::Say((*reply).to_string()), 1000).is_ok();
                    let d = t.elapsed();
                    assert!(ok, "the reply is taken");
                    if first.is_none() {
                        first = Some(d);
                    } else if round > 0 {
                        times.push(d);
                    }
                }
            }
        }
    }
    times.sort();
    let median = times.get(times.len() / 2).copied().unwrap_or_default();
    let p99 = times.get(times.len() * 99 / 100).copied().unwrap_or_default();
    let worst = times.last().copied().unwrap_or_default();
    println!("first reply (dictionary loaded, scenario words added): {:?}", first.unwrap_or_default());
    println!("{} replies scored: median {median:?}, 99th percentile {p99:?}, worst {worst:?}", times.len());
}

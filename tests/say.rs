//! Typed replies (issue 11): every `Say` node of the courseware, with replies written the way
//! students type them (typos, 你 for 您, no punctuation, run-on sentences, traditional
//! characters, digits and Chinese numerals), and the exact points each earns.

use crate::common::Kind::*;
use crate::common::{check_table, held, reply, scenario, step_points};

const T2: &str = "scenarios/p1t2-front-desk-visitor.ron";
const T3: &str = "scenarios/p1t3-botched-phone-call.ron";
const PUSHED_T3: &str = "违反首问负责制：推诿客户";
const HELD_T3: &str = "让客户等着，先忙自己的工作";
const NEGATIVE: &str = "对客户说负面语言";
const NO_TIME: &str = "没有复述确认客户最关心的到货时间";
const PUSHED_T2: &str = "违反首问负责制：把客户推给别人";

/// P1T3 seed 5: 孙先生, 汽车配件, 120 公斤, 郑州, 下周一上午九点前, staff number 026.
/// Points: greeting smile 1 (你好 half), company skill 1, staff number attitude 1, offer smile 1.
#[test]
fn p1t3_opening_replies() {
    check_table(T3, 5, "open", &[
        held(Good, "您好，长海物流客服部，工号026，我是刘铭丽，请问有什么可以帮您？", 4.0, &[]),
        held(Good, "您好长海物流工号026请问有什么可以帮您", 4.0, &[]),
        held(Good, "您好！長海物流客服，工號026，請問有什麼可以幫您？", 4.0, &[]),
        held(Good, "早上好，长海物流026号为您服务", 4.0, &[]),
        held(Good, "您好 长海物流 工号026 请讲", 4.0, &[]),
        held(Good, "您好长海物流有限公司客服中心工号026很高兴为您服务请问您有什么需要", 4.0, &[]),
        // 你 for 您: the greeting earns half; "帮你的吗" is no offer the list knows.
        held(Partial, "你好，长海物流，我的工号是026，有什么可以帮你的吗", 2.5, &[]),
        // The staff number in Chinese numerals; "办理什么业务" is no offer.
        held(Partial, "您好，这里是长海物流公司，我是客服刘铭丽，工号零二六，请问您需要办理什么业务？", 3.0, &[]),
        held(Partial, "您好，请讲", 2.0, &[]),
        held(Partial, "nin hao 长海物流026", 1.0, &[]),
        // Keyword stuffing: run together, or every synonym pasted: each element earns half.
        held(Partial, "您好长海物流工号026有什么可以帮您", 2.0, &[]),
        held(Partial, "您好，你好，早上好，上午好，长海物流，长海公司，长海，工号026，026号，有什么可以帮您，有什么能帮您", 2.0, &[]),
        held(Bad, "喂，什么事？", -1.0, &[]),
        held(Bad, "喂，你好，找谁？", -0.5, &[]),
        held(Bad, "您好，负责接单的同事不在，您过半小时再打过来吧", -4.0, &[PUSHED_T3]),
        held(Bad, "您好，长海物流，您稍等一下，我把手上的资料整理完再说", -1.0, &[HELD_T3]),
        held(Bad, "您好，长海物流，不好意思这个我不知道，不归我管", 0.0, &[NEGATIVE]),
    ]);
}

/// Goods listening 1, weight (no points), city listening 1, arrival time research 1 (critical
/// when missing), "is that right?" attitude 1.
#[test]
fn p1t3_read_back_replies() {
    check_table(T3, 5, "confirm", &[
        held(Good, "跟您核对一下：汽车配件约120公斤，发往郑州，下周一上午九点前必须送到，对吗？", 4.0, &[]),
        held(Good, "我确认一下，汽车配件120kg到郑州，下周一早上9点前到，对吧", 4.0, &[]),
        held(Good, "汽车配件120公斤郑州下周一对吗", 4.0, &[]),
        held(Good, "好的，我跟您确认下，是一百二十公斤的汽车配件，送到郑州，下周一上午9:00之前送达，没错吧？", 4.0, &[]),
        held(Good, "汽车配件，一百二十公斤，发郑州，周一九点之前要到是吧", 4.0, &[]),
        held(Good, "核對一下：汽車配件120公斤，發往鄭州，下週一上午九點前送到，對嗎？", 4.0, &[]),
        held(Good, "我跟你确认一下哈 你要寄的是汽车配件 120公斤 寄到郑州 下周一9点之前到 对不对", 4.0, &[]),
        // The arrival time left out, or negated.
        held(Partial, "跟您核对一下，汽车配件120公斤发往郑州，对吗？", 3.0, &[NO_TIME]),
        held(Partial, "汽车配件120公斤发往郑州，不是周一到，对吗", 3.0, &[NO_TIME]),
        // Keywords run together, and every synonym pasted.
        held(Partial, "汽车配件120公斤郑州下周一上午九点前对吗", 2.0, &[]),
        held(Partial, "汽车配件，汽车，120公斤，120kg，郑州，周一，下周一上午九点前，对吗，对吧，是吗", 2.0, &[]),
        held(Bad, "好的好的，都记下来了，您放心吧", 0.0, &[NO_TIME]),
        // Asking the customer to say it all again voids the reply.
        held(Bad, "麻烦您从头再说一遍，我核对一下", -2.0, &[NO_TIME]),
        held(Bad, "我不知道能不能周一到，没办法保证，汽车配件120公斤去郑州", 0.0, &[NEGATIVE]),
    ]);
}

/// Greeting smile 1 (你好 half), welcome smile 1, name attitude 1, offer speed 2.
#[test]
fn p1t2_welcome_replies() {
    check_table(T2, 0, "greet", &[
        held(Good, "您好，欢迎光临长海物流！我是客服刘铭丽，请问有什么可以帮您？", 5.0, &[]),
        held(Good, "您好欢迎光临我是客服小刘请问您需要办理什么业务", 5.0, &[]),
        held(Good, "您好！歡迎光臨長海物流，我是客服劉銘麗，請問有什麼可以幫您？", 5.0, &[]),
        held(Good, "早上好，欢迎光临，请坐，请问有什么需要", 4.0, &[]),
        held(Partial, "你好，欢迎来到长海物流，我是刘铭丽，有什么可以帮你的吗", 2.5, &[]),
        held(Partial, "请问有什么可以帮您？", 2.0, &[]),
        held(Partial, "您好欢迎光临刘铭丽有什么可以帮您", 2.5, &[]),
        held(Partial, "您好，欢迎，欢迎光临，欢迎您，我是客服，刘铭丽，有什么可以帮您，有什么需要", 2.5, &[]),
        held(Bad, "有事吗？", -2.0, &[]),
        held(Bad, "干嘛？", -2.0, &[]),
        held(Bad, "您好，麻烦您稍等一下，我先把手上这张单子录完再说", -2.0, &[]),
        held(Bad, "您好，办业务请上二楼业务部，我这里只负责登记", -2.0, &[PUSHED_T2]),
        held(Bad, "你好，我不知道你要办什么，这个不归我管", -4.5, &[PUSHED_T2, NEGATIVE]),
    ]);
}

/// Thanks smile 1, hotline or website presentation 1 + attitude 1, tracking sincerity 1,
/// goodbye smile 1.
#[test]
fn p1t2_see_off_replies() {
    check_table(T2, 0, "farewell", &[
        held(Good, "这是我们的客服热线和公司网站，凭运单号就能查询货物。感谢您选择长海物流，您慢走！", 5.0, &[]),
        held(Good, "谢谢您选择我们，这是我的名片，上面有客服热线，货发出后您可以用运单号查询，慢走啊", 5.0, &[]),
        held(Good, "感谢您的信任，有问题打我们的热线，网上也可以用单号查，再见", 5.0, &[]),
        held(Good, "謝謝您！這是我們的客服熱線，憑運單號可以查詢，您慢走！", 5.0, &[]),
        held(Good, "感谢您选择长海物流，运单号可以在官网查询，一路平安", 5.0, &[]),
        held(Partial, "好的，谢谢，再见", 2.0, &[]),
        held(Partial, "谢谢您！明天取件师傅会先给您打电话，您路上慢点！", 2.0, &[]),
        held(Partial, "谢谢热线运单号慢走", 2.5, &[]),
        held(Partial, "谢谢，感谢，多谢，热线，网站，名片，运单号，查询，慢走，再见", 2.5, &[]),
        held(Bad, "慢走不送", 1.0, &[]),
        held(Bad, "行了，就这样吧，我不能保证什么时候到，你自己看着办", -2.0, &[NEGATIVE]),
    ]);
}

/// The reply's checklist quotes the student's own words, in the order of the elements, and the
/// forbidden phrase found; the model reply is in the feedback when the reply is not the expert's.
#[test]
fn the_checklist_quotes_the_students_words() {
    let sc = scenario(T3);
    let (step, s) = reply(&sc, 5, "open", "喂，長海物流，我的工號是026");
    let rows: Vec<(String, bool, String)> = step.marks.iter().map(|m| (m.id.clone(), m.right, m.given.zh.clone())).collect();
    assert_eq!(
        rows,
        vec![
            ("greet".into(), false, "（没有说到）".into()),
            ("company".into(), true, "「長海物流」".into()),
            ("staff".into(), true, "「工號是026」".into()),
            ("offer".into(), false, "（没有说到）".into()),
            ("avoid1".into(), false, "「喂」".into()),
        ]
    );
    let feedback: Vec<String> = step.feedback.iter().map(|f| s.render(f, kefu::Lang::Zh)).collect();
    assert!(feedback.iter().any(|f| f == "参考说法：您好，长海物流客服部，工号026，我是刘铭丽，请问有什么可以帮您？"), "{feedback:?}");
    assert_eq!(s.vars().get("rude"), Some(&1), "the caller reacts to the 喂");
    assert_eq!(s.node_id(), "rude_line");
}

/// A reply longer than the node's limit is read only that far.
#[test]
fn only_the_first_max_chars_count() {
    let sc = scenario(T3);
    let padding = "嗯".repeat(60);
    let (step, _) = reply(&sc, 5, "open", &format!("您好，{padding}长海物流，工号026"));
    let rows: Vec<(String, bool)> = step.marks.iter().map(|m| (m.id.clone(), m.right)).collect();
    assert_eq!(rows, vec![("greet".into(), true), ("company".into(), false), ("staff".into(), false), ("offer".into(), false)]);
    assert!(step.marks[1].notes.iter().any(|n| n.zh.contains("第 60 个字之后")), "{:?}", step.marks[1].notes);
    assert_eq!(step_points(&step), 1.0);
}

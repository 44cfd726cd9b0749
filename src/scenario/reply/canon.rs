//! The canonical form of a typed reply, and of every phrase it is compared with.
//!
//! Both sides go through the same steps, so a phrase matches whatever way a student typed it:
//! full-width letters and digits become half-width, letters lower case, common traditional
//! characters simplified; Chinese numerals become digits (二十一 → 21, 一零二四 → 1024, 两个 →
//! 2个) and times one form (9点半, 9:30, 九点三十, 上午九点三十分 → `9点30`; hours are counted
//! on a 12-hour dial, so 21:30 is 9点30 too); spaces and punctuation are dropped, and where they
//! were is kept as a clause break. Every canonical character remembers which characters of the
//! student's text it came from, so feedback can quote the student's own words.

/// One character of the canonical form and the characters of the original it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CChar {
    pub c: char,
    /// First original character (index in chars, not bytes).
    pub from: usize,
    /// One past the last original character.
    pub to: usize,
}

/// A reply (or phrase) in canonical form.
#[derive(Clone, Debug, Default)]
pub struct Canon {
    /// The canonical characters, no spaces or punctuation.
    pub chars: Vec<CChar>,
    /// Canonical indices where a space or punctuation mark was (a clause break): always 0 and
    /// `chars.len()` too.
    pub breaks: Vec<usize>,
}

impl Canon {
    pub fn text(&self) -> String {
        self.chars.iter().map(|c| c.c).collect()
    }

    pub fn len(&self) -> usize {
        self.chars.len()
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// The original characters behind canonical `[from, to)`.
    pub fn original_span(&self, from: usize, to: usize) -> (usize, usize) {
        if from >= to || to > self.chars.len() {
            return (0, 0);
        }
        (self.chars[from].from, self.chars[to - 1].to)
    }

    /// The clauses: canonical ranges between breaks, none empty.
    pub fn clauses(&self) -> Vec<(usize, usize)> {
        self.breaks.windows(2).filter(|w| w[1] > w[0]).map(|w| (w[0], w[1])).collect()
    }
}

/// The canonical form of `s`.
pub fn canon(s: &str) -> Canon {
    let folded: Vec<CChar> = s
        .chars()
        .enumerate()
        .flat_map(|(i, c)| fold(c).map(move |c| CChar { c, from: i, to: i + 1 }))
        .collect();
    let numbered = numbers(&folded);
    let mut out = Canon { chars: Vec::with_capacity(numbered.len()), breaks: vec![0] };
    for (i, cc) in numbered.iter().enumerate() {
        let keep = cc.c.is_alphanumeric()
            // A decimal point between digits (48.5).
            || (cc.c == '.' && i > 0 && numbered[i - 1].c.is_ascii_digit() && numbered.get(i + 1).is_some_and(|n| n.c.is_ascii_digit()));
        if keep {
            out.chars.push(*cc);
        } else if out.breaks.last() != Some(&out.chars.len()) {
            out.breaks.push(out.chars.len());
        }
    }
    if out.breaks.last() != Some(&out.chars.len()) {
        out.breaks.push(out.chars.len());
    }
    out
}

/// The canonical text of a phrase (no spans needed).
pub fn canon_text(s: &str) -> String {
    canon(s).text()
}

/// One character folded: full-width to half-width, lower case, traditional to simplified.
fn fold(c: char) -> impl Iterator<Item = char> {
    let c = match c {
        '\u{3000}' => ' ',
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        _ => simplified(c),
    };
    c.to_lowercase()
}

/// Common traditional characters of customer-service language and their simplified forms, in
/// pairs.
const TRAD: &str = "萬万與与個个們们倆俩優优倉仓係系偉伟價价儀仪億亿內内兩两凈净則则剛刚創创劃划勞劳務务動动勢势區区協协單单衛卫卻却厭厌參参叢丛號号吳吴員员問问啟启喚唤嗎吗嘗尝團团國国圍围園园圖图場场塊块壞坏壓压夠够奧奥實实寫写對对導导將将專专尋寻層层屬属岡冈島岛幣币幫帮幹干廣广張张強强歸归錄录從从後后復复徑径態态應应懷怀戰战戶户撥拨擇择據据損损換换擔担會会東东條条來来楊杨樣样機机權权歡欢歲岁歷历殘残氣气決决沒没況况濟济滿满準准漢汉瀏浏無无為为燈灯營营爭争爾尔狀状獎奖環环現现產产畫画異异當当發发盡尽監监盤盘確确碼码禮礼禍祸種种稅税穩稳窩窝筆笔簡简範范級级紀纪約约紅红紙纸細细終终組组結结給给絕绝統统經经綠绿維维網网線线練练總总績绩續续繫系罰罚職职聯联聽听腦脑興兴舉举艱艰華华萊莱葉叶著着處处補补裝装裡里製制複复見见規规視视親亲覺觉觀观訂订計计訊讯記记許许訴诉診诊詢询試试話话該该詳详誠诚誤误說说請请諒谅論论諸诸謝谢證证識识議议讓让負负貨货質质費费貼贴資资賠赔賣卖賴赖購购贈赠趕赶車车軟软較较載载輕轻輛辆輸输辦办這这進进遠远運运過过達达違违遞递選选遺遗還还邊边鄉乡鄭郑週周醫医熱热憑凭釋释針针鐘钟鋪铺錢钱錯错鍵键長长門门開开間间關关陳陈陽阳隊队際际隨随險险雖虽雙双離离難难電电響响順顺須须領领頭头題题額额顧顾風风飛飞館馆馬马驗验體体髮发鬥斗麼么黃黄點点齊齐時时償偿審审賬账裏里臨临檔档類类別别檢检標标籤签稱称數数緊紧認认買买業业絡络責责護护設设備备療疗藥药寬宽鬆松緩缓積积極极兒儿麗丽銘铭軍军劉刘飾饰錦锦廠厂銀银灘滩鎮镇縣县魯鲁遼辽蘇苏織织於于傳传圓圆書书報报愛爱鐵铁銷销讀读講讲轉转齡龄慮虑懇恳習习慣惯預预測测寶宝貴贵";

fn simplified(c: char) -> char {
    if (c as u32) < 0x4e00 {
        return c;
    }
    static TABLE: std::sync::OnceLock<std::collections::HashMap<char, char>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let pairs: Vec<char> = TRAD.chars().collect();
        pairs.chunks_exact(2).map(|p| (p[0], p[1])).collect()
    });
    table.get(&c).copied().unwrap_or(c)
}

fn cn_digit(c: char) -> Option<u32> {
    match c {
        '零' | '〇' => Some(0),
        '一' | '幺' => Some(1),
        '二' | '两' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => None,
    }
}

fn is_cn_num(c: char) -> bool {
    cn_digit(c).is_some() || matches!(c, '十' | '百' | '千')
}

/// A run of Chinese numerals as a number: 二十一 → 21, 两百零五 → 205, 一零二四 → 1024
/// (digits one by one when there is no 十/百/千). `None` when it is no number (十十).
fn cn_value(run: &[char]) -> Option<u64> {
    if run.iter().all(|c| cn_digit(*c).is_some()) {
        return run.iter().try_fold(0u64, |acc, c| acc.checked_mul(10)?.checked_add(u64::from(cn_digit(*c)?)));
    }
    let (mut total, mut digit, mut last_unit) = (0u64, None::<u64>, u64::MAX);
    for &c in run {
        if let Some(d) = cn_digit(c) {
            digit = Some(u64::from(d));
        } else {
            let unit = match c {
                '十' => 10,
                '百' => 100,
                _ => 1000,
            };
            if unit >= last_unit {
                return None;
            }
            last_unit = unit;
            total += digit.unwrap_or(1) * unit;
            digit = None;
        }
    }
    Some(total + digit.unwrap_or(0))
}

/// Units after which a single Chinese numeral is a number (三天, 两个, 五号).
const UNITS: &str = "号个件天元块箱位楼层月日周次辆台单包吨斤米岁年小分公";
/// Words before an hour that make it a time of day (上午九点).
const DAYTIME: &[&str] = &["上午", "下午", "早上", "晚上", "中午", "凌晨", "傍晚", "早晨", "今晚", "明早"];

/// Numbers and times rewritten (see the module comment); other characters kept.
fn numbers(cs: &[CChar]) -> Vec<CChar> {
    let mut out: Vec<CChar> = Vec::with_capacity(cs.len());
    let at = |i: usize| cs.get(i).map(|c| c.c);
    let mut i = 0;
    while i < cs.len() {
        if let Some((hour, minutes, end)) = time_at(cs, i) {
            let text = format!("{}点{:02}", hour % 12, minutes);
            push_text(&mut out, &text, cs[i].from, cs[end - 1].to);
            i = end;
            continue;
        }
        let c = cs[i].c;
        if is_cn_num(c) {
            let mut end = i;
            while end < cs.len() && is_cn_num(cs[end].c) {
                end += 1;
            }
            // The hour of a time may be the end of a longer run (周一九点: 一 belongs to 周一).
            if let Some((h, (hour, minutes, tend))) = (i + 1..end).filter(|&h| hour_run(cs, h, end)).find_map(|h| time_at_inner(cs, h).map(|t| (h, t))) {
                out.extend_from_slice(&cs[i..h]);
                push_text(&mut out, &format!("{}点{:02}", hour % 12, minutes), cs[h].from, cs[tend - 1].to);
                i = tend;
                continue;
            }
            let run: Vec<char> = cs[i..end].iter().map(|c| c.c).collect();
            let next = at(end);
            let single_ok = run.len() == 1
                && next.is_some_and(|n| UNITS.contains(n))
                && !(run[0] == '一' && next.is_some_and(|n| "下些定起样直般切共点层小分".contains(n)))
                // 十分 is "very"; 十分钟 is ten minutes.
                && !(run[0] == '十' && next == Some('分') && cs.get(end + 1).map(|c| c.c) != Some('钟'));
            let is_number = (run.len() >= 2 || single_ok || (run.len() == 1 && run[0] != '一' && run[0] != '十' && next.is_none_or(|n| !n.is_alphanumeric())))
                && !matches!(run.as_slice(), ['一', '一'] | ['十', '十']);
            // Digit by digit (零二六) keeps its leading zeros: a staff or phone number.
            let digits: Option<String> = (run.len() >= 2).then(|| run.iter().map(|c| cn_digit(*c).and_then(|d| char::from_digit(d, 10))).collect()).flatten();
            if is_number && let Some(v) = digits.or_else(|| cn_value(&run).map(|v| v.to_string())) {
                push_text(&mut out, &v, cs[i].from, cs[end - 1].to);
                i = end;
                continue;
            }
            out.extend_from_slice(&cs[i..end]);
            i = end;
            continue;
        }
        out.push(cs[i]);
        i += 1;
    }
    out
}

fn push_text(out: &mut Vec<CChar>, text: &str, from: usize, to: usize) {
    out.extend(text.chars().map(|c| CChar { c, from, to }));
}

/// A number at `i` (Arabic digits or a Chinese numeral run): value and end.
fn number_at(cs: &[CChar], i: usize) -> Option<(u64, usize)> {
    let first = cs.get(i)?.c;
    let mut end = i;
    if first.is_ascii_digit() {
        while end < cs.len() && cs[end].c.is_ascii_digit() && end - i < 6 {
            end += 1;
        }
        let s: String = cs[i..end].iter().map(|c| c.c).collect();
        return s.parse().ok().map(|v| (v, end));
    }
    while end < cs.len() && is_cn_num(cs[end].c) {
        end += 1;
    }
    if end == i {
        return None;
    }
    let run: Vec<char> = cs[i..end].iter().map(|c| c.c).collect();
    cn_value(&run).map(|v| (v, end))
}

/// A time of day starting at `i`: (hour, minutes, end). 9:30, 9点, 9点半, 9点30分, 九点三十,
/// 九点一刻; a Chinese-numeral hour with nothing after 点 only after 上午/下午… (一点 is also
/// "a little").
fn time_at(cs: &[CChar], i: usize) -> Option<(u64, u64, usize)> {
    // Not in the middle of a longer number.
    if i > 0 && (cs[i - 1].c.is_ascii_digit() || (is_cn_num(cs[i - 1].c) && is_cn_num(cs[i].c))) {
        return None;
    }
    let mut end = i;
    while end < cs.len() && is_cn_num(cs[end].c) {
        end += 1;
    }
    if end > i && !hour_run(cs, i, end) {
        return None;
    }
    time_at_inner(cs, i)
}

/// Chinese numerals `[i, end)` can be an hour: one digit, or with 十 (十二, 二十).
fn hour_run(cs: &[CChar], i: usize, end: usize) -> bool {
    end - i == 1 || cs[i..end].iter().any(|c| c.c == '十')
}

fn time_at_inner(cs: &[CChar], i: usize) -> Option<(u64, u64, usize)> {
    let (hour, end) = number_at(cs, i)?;
    if hour > 24 {
        return None;
    }
    let digits = cs[i].c.is_ascii_digit();
    let sep = cs.get(end)?.c;
    if sep == ':' && digits {
        let (m, mend) = number_at(cs, end + 1)?;
        if mend - (end + 1) != 2 || m >= 60 || !cs[end + 1].c.is_ascii_digit() {
            return None;
        }
        return Some((hour, m, mend));
    }
    if sep != '点' {
        return None;
    }
    let after = end + 1;
    let next = cs.get(after).map(|c| c.c);
    match next {
        Some('半') => return Some((hour, 30, after + 1)),
        Some('整') => return Some((hour, 0, after + 1)),
        Some('钟') => return Some((hour, 0, after + 1)),
        Some('一') if cs.get(after + 1).map(|c| c.c) == Some('刻') => return Some((hour, 15, after + 2)),
        Some('三') if cs.get(after + 1).map(|c| c.c) == Some('刻') => return Some((hour, 45, after + 2)),
        _ => {}
    }
    if let Some((m, mend)) = number_at(cs, after)
        && m < 60
    {
        let mend = if cs.get(mend).map(|c| c.c) == Some('分') { mend + 1 } else { mend };
        return Some((hour, m, mend));
    }
    let before: String = cs[i.saturating_sub(2)..i].iter().map(|c| c.c).collect();
    // 九点前, 九点之前, 九点以前, 九点左右, 九点到: a time, though nothing says the minutes.
    let timeish = next.is_some_and(|n| "前之以左到".contains(n));
    (digits || timeish || DAYTIME.iter().any(|d| before.ends_with(d))).then_some((hour, 0, after))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_case_and_traditional() {
        assert_eq!(canon_text("ＡＢｃ，您好！"), "abc您好");
        assert_eq!(canon_text("長海物流，請問有什麼可以幫您"), "长海物流请问有什么可以帮您");
        assert_eq!(canon_text("對不起，讓您久等了"), "对不起让您久等了");
        assert_eq!(canon_text("兩小時內上門，賠償請找主管審批"), "2小时内上门赔偿请找主管审批");
    }

    #[test]
    fn numbers_and_times() {
        for (a, b) in [
            ("9点半", "9点30"),
            ("9:30", "9点30"),
            ("９：３０", "9点30"),
            ("九点三十", "9点30"),
            ("九点三十分", "9点30"),
            ("上午九点", "上午9点00"),
            ("21:30", "9点30"),
            ("下午3点", "下午3点00"),
            ("九点半到", "9点30到"),
            ("工号一零二四", "工号1024"),
            ("工号零二六", "工号026"),
            ("二十一号", "21号"),
            ("两个箱子", "2个箱子"),
            ("十分钟", "10分钟"),
            ("周一九点之前", "周一9点00之前"),
            ("十二点半", "0点30"),
        ] {
            assert_eq!(canon_text(a), b, "{a}");
        }
        // Words with numerals in them are left alone.
        for a in ["确认一下", "一点小事", "十分感谢", "一定", "一起", "一一核对"] {
            assert_eq!(canon_text(a), a, "{a}");
        }
    }

    #[test]
    fn spans_point_at_the_original() {
        let c = canon("您好，九点半！");
        assert_eq!(c.text(), "您好9点30");
        assert_eq!(c.original_span(2, 6), (3, 6));
        assert_eq!(c.breaks, vec![0, 2, 6]);
        assert_eq!(c.clauses(), vec![(0, 2), (2, 6)]);
    }
}

//! `kefu --help` in the language asked for: Chinese by default, English with `--lang en` or
//! `KEFU_LANG=en`. The language is read from the arguments before clap parses them; the
//! command is then built with that language's descriptions and headings (the doc comments on
//! the argument types are the English ones).

use std::ffi::OsString;

use clap::{Arg, Command, CommandFactory, FromArgMatches};

use super::Cli;
use crate::scenario::Lang;

/// The language asked for before parsing: the last `--lang X` or `--lang=X` on the command line,
/// then `KEFU_LANG`; Chinese when neither says (or says something unknown: clap reports it).
pub fn peek_lang(args: &[OsString], env: Option<&str>) -> Lang {
    let mut found = None;
    let mut it = args.iter().map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        if a == "--lang" {
            found = it.next().and_then(|v| Lang::parse(&v)).or(found);
        } else if let Some(v) = a.strip_prefix("--lang=") {
            found = Lang::parse(v).or(found);
        }
    }
    found.or_else(|| env.and_then(Lang::parse)).unwrap_or_default()
}

/// Parse the command line with help in `lang`.
pub fn parse(args: Vec<OsString>, lang: Lang) -> Result<Cli, clap::Error> {
    let mut cmd = command(lang);
    let matches = cmd.try_get_matches_from_mut(args)?;
    Cli::from_arg_matches(&matches).map_err(|e| e.format(&mut cmd))
}

/// The `kefu` command with its help in `lang`.
pub fn command(lang: Lang) -> Command {
    let mut cmd = Cli::command();
    if lang == Lang::En {
        return cmd.about("Kefu (客服实训) — role-play trainer for the course 《物流客户服务》 (logistics customer service): check, analyse and play scenario files");
    }
    // Built first, so that clap's own --help, --version and `help` exist and can be translated.
    cmd.build();
    localize(cmd, "")
}

/// Chinese descriptions, by command path and argument id (`""` is the command itself).
fn zh(path: &str, id: &str) -> Option<&'static str> {
    Some(match (path, id) {
        ("", "") => "客服实训 Kefu —《物流客户服务》角色扮演实训：检查、分析和试玩场景文件",
        (_, "lang") => "提示语言：zh（默认）或 en；也可以用环境变量 KEFU_LANG",
        (_, "help") => "显示帮助",
        (_, "version") => "显示版本",
        ("check", "") => "检查场景文件（默认：scenarios 文件夹），列出每个问题的文件:行:列",
        ("check", "paths") => "要检查的场景文件或文件夹",
        ("analyze", "") => "分析场景：可得的分数范围、结局、专家路径和最差路径",
        ("analyze", "path") => "场景文件",
        ("analyze", "dot") => "输出场景地图（Graphviz 的 DOT 格式，用 dot -Tsvg 画成图）；有错误的文件也能画",
        ("audit", "") => "成绩能不能被“钻空子”？用几种策略（最长、最短、第一个选项、随机）各玩很多次，再看专家路径各犯一个严重错误的结果",
        ("audit", "path") => "一个场景文件，或一个放场景文件的文件夹",
        ("audit", "seeds") => "每种策略用的随机种子个数（0..N）",
        ("play", "") => "在终端里试玩一个场景，或用 --answers 按答案文件自动作答",
        ("play", "path") => "场景文件",
        ("play", "seed") => "随机种子：决定变量取值和选项顺序（默认：随机）",
        ("play", "answers") => "答案文件（RON 列表）：[(action: Choose(\"a\")), (action: Continue, elapsed_ms: 2000), …]",
        ("play", "json") => "以 JSON 格式输出结果",
        ("play", "stdio") => "机器协议：每行一个 JSON 对象进出（见 README）",
        ("play", "record") => "像学生端一样把这次作答存进这个记录文件夹（有班级密钥时签名，原子写入）；需要 --player",
        ("play", "player") => "谁在作答（配合 --record）：学号，或“学号,姓名”",
        ("play", "group") => "小组一起作答，按轮流顺序写组员：学号[:姓名],学号[:姓名],…（可在前面写“组名=”）。有几个学生角色的场景按角色分工，否则轮流作答；输入 p 和编号把这一步让给组员。配合 --record 存为小组作答",
        ("play", "key") => "--record 用的班级密钥文件（默认：$KEFU_CLASS_KEY，然后是配置文件夹里的 class.key）",
        ("new", "") => "新建一个带注释的场景文件 ID.ron（默认放在 scenarios 文件夹），可以直接通过 kefu check",
        ("new", "id") => "场景编号：英文字母、数字、- 和 _，例如 p2t1-customer-survey",
        ("new", "dir") => "写到哪个文件夹",
        ("new", "title") => "场景标题，例如 \"客户来电查件\"；不写时在终端里会问，否则先写占位，kefu check 会提醒",
        ("new", "project") => "课程项目编号（1–5，5 是补充材料），和 --task 一起写",
        ("new", "task") => "项目里的任务编号，和 --project 一起写",
        ("export", "") => "根据作答记录生成全班成绩表（XLSX、CSV 或 Moodle CSV）",
        ("export", "class") => "班级：班级文件（.ron）或名单 CSV（学号、姓名、组别、组长）",
        ("export", "records") => "记录文件夹（默认：$KEFU_RECORDS，然后是用户数据文件夹）",
        ("export", "out") => "要写的成绩表：按扩展名写 .xlsx 或 .csv",
        ("export", "tasks") => "只导出这个任务（场景编号）；可重复写多个。默认：有记录的所有任务",
        ("export", "scenarios") => "用来评分的场景文件夹",
        ("export", "moodle") => "写成 Moodle 成绩导入用的 CSV（学号 + 每个任务的总分）",
        ("export", "entries") => "老师为这个班填写的内容（评分、改分、哪次作答计分）",
        ("export", "counting") => "哪次作答计分（覆盖 entries 文件）：best、latest 或 first",
        ("export", "date") => "成绩表上印的日期（默认：今天，北京时间）",
        ("export", "key") => "检查记录签名用的班级密钥文件（默认：$KEFU_CLASS_KEY，然后是配置文件夹里的 class.key）；被改过或伪造的记录会被排除并列出",
        (_, "json") => "以 JSON 格式输出",
        ("records", "") => "管理记录文件夹：kefu records verify [文件夹]",
        ("records verify", "") => "检查记录文件夹：数量、签名、损坏/放错/自相矛盾/无法重放的记录、缺少或改过的场景。需要老师处理时退出码为 1",
        ("records verify", "dir") => "记录文件夹（默认：--records，然后 $KEFU_RECORDS，然后是用户数据文件夹）",
        ("records verify", "records") => "记录文件夹，和 kefu export 的写法一样",
        ("records verify", "scenarios") => "用来给记录评分的场景文件夹",
        ("records verify", "key") => "班级密钥文件（默认：$KEFU_CLASS_KEY，然后是配置文件夹里的 class.key）",
        ("sheet", "") => "场景和电子表格互相转换：kefu sheet export 场景.ron 表格.xlsx；kefu sheet import 表格.xlsx 场景.ron",
        ("sheet export", "") => "把场景写成 Excel / WPS / LibreOffice 能编辑的工作簿（XLSX）",
        ("sheet export", "scenario") => "场景文件（.ron）",
        ("sheet export", "out") => "要写的工作簿（.xlsx）",
        ("sheet import", "") => "把 kefu sheet export 写的工作簿读回成场景文件；每个错误都指出工作表、行和列",
        ("sheet import", "workbook") => "工作簿（.xlsx）",
        ("sheet import", "out") => "要写的场景文件（.ron）",
        ("key", "") => "给作答记录签名的班级密钥：kefu key new、kefu key show",
        ("key new", "") => "生成新的班级密钥（默认：配置文件夹里的 class.key，或 $KEFU_CLASS_KEY）。把文件复制到每台机房电脑一次；不要放进记录文件夹",
        ("key new", "out") => "写到哪里",
        ("key show", "") => "显示这台电脑用哪个班级密钥签名，以及它在哪里",
        ("key show", "key") => "密钥文件（默认：$KEFU_CLASS_KEY，然后是配置文件夹里的 class.key）",
        ("lrs", "") => "把作答发送到学校的学习记录存储（LRS，xAPI）：kefu lrs status、kefu lrs push 文件夹、kefu lrs send。在 kefu.toml 的 [lrs] 或 KEFU_LRS_* 环境变量里设置",
        ("lrs status", "") => "显示等待发送的作答、LRS 拒收的作答和原因，以及正在使用的设置",
        ("lrs push", "") => "把一个记录文件夹里的作答发送到 LRS（重复发送没有关系：语句编号由作答决定，LRS 只存一次）。被改动或伪造的记录不发送",
        ("lrs push", "dir") => "记录文件夹",
        ("lrs push", "scenarios") => "用来给记录评分的场景文件夹",
        ("lrs push", "key") => "班级密钥文件（默认：$KEFU_CLASS_KEY，然后是配置文件夹里的 class.key）",
        ("lrs send", "") => "立即发送待发送文件夹里的作答",
        ("export", "lrs") => "从 LRS 读取作答（而不是记录文件夹），按记录里的作答过程重新评分；设置见 kefu.toml 的 [lrs]",
        _ => return None,
    })
}

/// Chinese headings and descriptions for `cmd` and its subcommands (a fixed, shallow tree: the
/// program's own commands, never input).
fn localize(cmd: Command, path: &str) -> Command {
    // clap's `help` command mirrors the tree (`kefu help records verify`).
    let about = if path.split(' ').any(|p| p == "help") { Some("显示帮助，或某个命令的帮助") } else { zh(path, "") };
    let mut cmd = cmd
        .help_template("{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}")
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .mut_args(|a: Arg| {
            let id = a.get_id().as_str().to_string();
            let heading = if a.is_positional() { "参数" } else { "选项" };
            // clap's own "[default: …]" and "[env: …]" are said in Chinese instead.
            let default: Vec<String> = if a.get_action().takes_values() { a.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).collect() } else { Vec::new() };
            let a = a.help_heading(heading).hide_default_value(true).hide_env(true);
            match zh(path, &id) {
                Some(h) if default.is_empty() => a.help(h),
                Some(h) => a.help(format!("{h}（默认：{}）", default.join(" "))),
                None => a,
            }
        });
    if let Some(about) = about {
        cmd = cmd.about(about).long_about(None);
    }
    let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in names {
        let sub_path = if path.is_empty() { name.clone() } else { format!("{path} {name}") };
        cmd = cmd.mut_subcommand(&name, |s| localize(s, &sub_path));
    }
    cmd
}

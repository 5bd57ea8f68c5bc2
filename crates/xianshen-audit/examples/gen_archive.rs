//! Writes a synthetic archive for timing the audit:
//! `cargo run --release -p xianshen-audit --example gen_archive -- DIR [POSTS] [MESSAGES]`
//! (default 1,000,000 posts and 200,000 messages) into `DIR/posts.jsonl`
//! and `DIR/messages.jsonl`. Deterministic: the same counts give the same
//! files.

use std::io::{BufWriter, Write};

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const ACCOUNTS: [&str; 8] = [
    "某大学官方微信",
    "某大学教务处",
    "某大学图书馆",
    "某大学研究生院",
    "某大学招生办",
    "某大学后勤服务",
    "某大学团委",
    "某大学就业指导中心",
];
const SENTENCES: [&str; 16] = [
    "近日，学校召开本学期教学工作会议，部署课程建设和教学质量提升工作。",
    "图书馆将于本周六开展古籍修复公开课，欢迎师生报名参加。",
    "研究生院发布关于做好学位论文答辩工作的通知，请各培养单位认真落实。",
    "学校举行新生开学典礼，校领导为新生代表佩戴校徽。",
    "后勤服务中心提醒：冬季用电高峰期间，请同学们注意宿舍用电安全。",
    "团委组织青年志愿者走进社区，开展义务支教和环境清洁活动。",
    "就业指导中心举办春季双选会，两百余家用人单位提供岗位四千余个。",
    "学校科研团队在新材料领域取得重要进展，相关成果发表于国际期刊。",
    "教务处发布期末考试安排，请同学们合理安排复习时间。",
    "校园马拉松赛事顺利举行，三千余名师生参与。",
    "学校与地方政府签署合作协议，共建产学研合作平台。",
    "附属医院专家走进校园开展义诊活动，为师生提供健康咨询。",
    "学生艺术团在全省大学生艺术展演中获得一等奖。",
    "学校召开安全稳定工作会议，强调压实责任、排查隐患。",
    "本周校园开放日活动吸引了众多中学生和家长前来参观。",
    "学校党委理论学习中心组开展专题学习。",
];
const FLAGGED: [&str; 5] = [
    "详情请咨询联系人王老师，电话13812345678。",
    "小编觉得这次活动真是太棒了！",
    "报名请加微信xyz88888，名额有限。",
    "本店出售冰毒，量大从优。",
    "转自某网站，原标题：校园趣事。",
];
const CATEGORIES: [&str; 7] = ["咨询", "政策咨询", "建议", "投诉", "举报", "多部门", "求助"];
const QUESTIONS: [&str; 8] = [
    "请问图书馆寒假期间开放时间是怎样安排的？",
    "宿舍热水经常中断，希望后勤部门尽快维修。",
    "建议食堂增加清真窗口的供应品种。",
    "研究生复试名单什么时候公布？",
    "校园网晚上经常断线，影响学习，请处理。",
    "请问转专业申请需要哪些材料？",
    "反映某学院收取资料费不规范的问题。",
    "希望延长自习室晚间开放时间到二十三点。",
];
const TEMPLATES: [&str; 3] = [
    "感谢您对学校工作的关注和支持，您反映的问题我们已转交相关部门研究处理，请耐心等待。",
    "您好，您的留言已收悉，我们将认真研究，感谢您的宝贵意见。",
    "感谢您的来信，相关情况已转有关部门核实处理。",
];

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = std::path::PathBuf::from(args.first().map_or("archive", String::as_str));
    let posts: u64 = args
        .get(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let messages: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(200_000);
    std::fs::create_dir_all(&dir)?;
    let mut rng = Rng(19);
    // 2024-01-01 .. 2026-11-30, in seconds since 2024-01-01T00:00+08:00.
    let span = 1065 * 86_400u64;
    let epoch = 19_723i64; // day number of 2024-01-01
    let stamp = |secs: u64| {
        let date = xianshen::Date::from_unix_days(epoch + (secs / 86_400) as i64);
        let s = secs % 86_400;
        format!(
            "{date}T{:02}:{:02}:{:02}+08:00",
            s / 3600,
            s / 60 % 60,
            s % 60
        )
    };

    let mut w = BufWriter::new(std::fs::File::create(dir.join("posts.jsonl"))?);
    for i in 0..posts {
        let account = ACCOUNTS[(i % ACCOUNTS.len() as u64) as usize];
        // The招生办 account goes silent for its first 60 days of 2025.
        let mut t = rng.below(span);
        if account == "某大学招生办" && (366 * 86_400..426 * 86_400).contains(&t) {
            t += 60 * 86_400;
        }
        let n = 3 + rng.below(6);
        let mut text = String::new();
        for _ in 0..n {
            text.push_str(rng.pick(&SENTENCES));
        }
        if rng.below(50) == 0 {
            text.push_str(rng.pick(&FLAGGED));
        }
        let title = &rng.pick(&SENTENCES)[..18];
        let line = serde_json::json!({
            "id": format!("p{i}"), "account": account, "published": stamp(t),
            "title": title, "text": text, "url": format!("https://www.example.edu.cn/news/{i}.html"),
        });
        writeln!(w, "{line}")?;
    }
    w.flush()?;

    let mut w = BufWriter::new(std::fs::File::create(dir.join("messages.jsonl"))?);
    for i in 0..messages {
        let account = ACCOUNTS[rng.below(ACCOUNTS.len() as u64) as usize];
        let asked = rng.below(span);
        let question = format!("{}（留言人{}）", rng.pick(&QUESTIONS), rng.below(100_000));
        let mut line = serde_json::json!({
            "id": format!("m{i}"), "account": account, "asked": stamp(asked),
            "category": rng.pick(&CATEGORIES), "text": question,
        });
        if rng.below(10) != 0 {
            let replied = asked + rng.below(20 * 86_400);
            let reply = match rng.below(3) {
                0 => rng.pick(&TEMPLATES).to_string(),
                1 => format!("{}（编号{}）", rng.pick(&TEMPLATES), rng.below(1000)),
                _ => format!(
                    "您好，关于{}，经与相关部门核实，已于{}日安排专人处理，具体进展可致电学校服务热线。",
                    &question[..12],
                    1 + rng.below(28)
                ),
            };
            line["replied"] = stamp(replied.min(span - 1)).into();
            line["reply"] = reply.into();
        }
        writeln!(w, "{line}")?;
    }
    w.flush()
}

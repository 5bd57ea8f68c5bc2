package cn.xianshen.examples;

import cn.xianshen.Approval;
import cn.xianshen.Draft;
import cn.xianshen.Finding;
import cn.xianshen.Kind;
import cn.xianshen.Report;
import cn.xianshen.Screener;
import cn.xianshen.Verdict;
import java.util.List;

/** The check a CMS runs before publishing a post (先审后发), as a service bean. */
public class PrepublishCheck {
    /**
     * A post as the CMS holds it.
     *
     * @param title the headline
     * @param body the text
     * @param source the declared source unit (来源), or {@code null}
     * @param repost whether the CMS marks it as a repost, or {@code null} when unknown
     * @param kind what kind of text it is
     */
    public record Post(String title, String body, String source, Boolean repost, Kind kind) {}

    /**
     * What the reviewer sees.
     *
     * @param verdict pass, review or block
     * @param approval who must sign off
     * @param findings the findings in the body
     * @param highlighted the body with each finding in 【】
     * @param json the report to keep in the audit log
     */
    public record Decision(Verdict verdict, Approval approval, List<Finding> findings, String highlighted,
            String json) {}

    private final Screener screener;

    /**
     * A check backed by a shared screener.
     *
     * @param screener the application's screener
     */
    public PrepublishCheck(Screener screener) {
        this.screener = screener;
    }

    /**
     * Screens a post; safe to call from any number of request threads.
     *
     * @param post the post
     * @return the decision
     */
    public Decision check(Post post) {
        Draft draft = Draft.builder()
                .title(post.title())
                .source(post.source())
                .repost(post.repost())
                .kind(post.kind())
                .build();
        Report report = screener.screen(post.body(), draft);
        return new Decision(report.verdict(), report.approval(), report.findings(),
                highlight(post.body(), report.findings()), report.toJson());
    }

    /** The text with each finding wrapped in 【】; overlapping findings are wrapped once. */
    static String highlight(String text, List<Finding> findings) {
        StringBuilder out = new StringBuilder(text.length() + 4 * findings.size());
        int at = 0;
        for (Finding f : findings) {
            if (f.start() < at) {
                continue;
            }
            out.append(text, at, f.start()).append('【').append(text, f.start(), f.end()).append('】');
            at = f.end();
        }
        return out.append(text, at, text.length()).toString();
    }
}

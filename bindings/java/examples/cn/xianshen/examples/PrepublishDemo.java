package cn.xianshen.examples;

import cn.xianshen.Finding;
import cn.xianshen.Kind;
import cn.xianshen.Screener;
import java.util.List;

/**
 * Runs the pre-publish check on two posts, wired as Spring would wire it.
 *
 * <pre>
 * XIANSHEN_LIBRARY=target/debug/libxianshen.so java -cp ... cn.xianshen.examples.PrepublishDemo
 * </pre>
 *
 * The system property {@code xianshen.policy} names a policy file (the
 * embedded default policy otherwise).
 */
public final class PrepublishDemo {
    private PrepublishDemo() {}

    /**
     * Screens the sample posts and prints each decision.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        ScreeningConfiguration config = new ScreeningConfiguration();
        try (Screener screener = config.screener(System.getProperty("xianshen.policy"))) {
            PrepublishCheck check = config.prepublishCheck(screener);
            List<PrepublishCheck.Post> posts = List.of(
                    new PrepublishCheck.Post("便民提示", "有网友反映本店出售冰毒，咨询电话13812345678。😀",
                            null, false, Kind.ARTICLE),
                    new PrepublishCheck.Post("市图书馆延长开放时间", "自下周一起，市图书馆每日开放至晚上九点。",
                            null, false, Kind.ARTICLE));
            int n = 0;
            for (PrepublishCheck.Post post : posts) {
                PrepublishCheck.Decision d = check.check(post);
                System.out.printf("draft %d: %s (%s)%n", ++n, d.verdict().id(), d.approval().id());
                for (Finding f : d.findings()) {
                    System.out.printf("  %-20s %d:%d  %s  %s%n", f.rule(), f.line(), f.column(), f.text(), f.message());
                }
                System.out.println("  " + d.highlighted());
            }
        }
    }
}

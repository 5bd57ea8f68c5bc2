package cn.xianshen.bench;

import cn.xianshen.Report;
import cn.xianshen.Screener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Times {@link Screener#screen(String)} on one 5 KB Chinese draft: the call,
 * the UTF-8 copy, the report JSON read back and parsed into a {@link Report}.
 *
 * <pre>
 * java cn.xianshen.bench.Bench DRAFT_OUT [RUNS] [WARMUP]
 * </pre>
 *
 * Writes the draft to {@code DRAFT_OUT} (so the native timing in
 * {@code src/bench/c/native_bench.c} screens the same bytes) and prints
 * {@code java median_us=…}.
 */
public final class Bench {
    private static final String[] SENTENCES = {
        "市委召开常委会议，传达学习上级会议精神，研究部署下一阶段重点工作。",
        "会议强调，要坚持以人民为中心的发展思想，切实解决群众急难愁盼问题。",
        "各区县要压实属地责任，做好安全生产、防汛抗旱和森林防火各项工作。",
        "市图书馆自下周一起延长开放时间，每日开放至晚上九点，欢迎市民前来阅读。",
        "今年以来，我市新增城镇就业岗位两万余个，重点群体就业保持稳定。",
    };
    private static final String PLANTED = "据群众举报，有人在网上出售冰毒，警方已依法处理。";

    private Bench() {}

    /** The draft: sentences in a fixed order up to 5,000 UTF-8 bytes, one planted term in the middle. */
    static String draft() {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (b.toString().getBytes(StandardCharsets.UTF_8).length < 5000) {
            if (i == 40) {
                b.append(PLANTED);
            }
            b.append(SENTENCES[i % SENTENCES.length]);
            if (i % 6 == 5) {
                b.append('\n');
            }
            i++;
        }
        return b.toString();
    }

    /**
     * Runs the benchmark.
     *
     * @param args the path to write the draft to, then optionally the runs (10000) and the
     *     warm-up runs (30000: about 20000 calls pass before C2 has compiled the whole path)
     * @throws IOException when the draft cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: Bench DRAFT_OUT [RUNS] [WARMUP]");
            System.exit(2);
        }
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 30_000;
        String text = draft();
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        Files.write(Path.of(args[0]), utf8);
        try (Screener screener = new Screener()) {
            int findings = 0;
            for (int i = 0; i < warmup; i++) {
                findings += screener.screen(text).findings().size();
            }
            long[] nanos = new long[runs];
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                Report r = screener.screen(text);
                nanos[i] = System.nanoTime() - t0;
                findings += r.findings().size();
            }
            Arrays.sort(nanos);
            Report r = screener.screen(text);
            System.out.printf("java draft: %d bytes, %d chars, verdict %s, %d findings, report JSON %d bytes%n",
                    utf8.length, text.length(), r.verdict().id(), r.findings().size(),
                    r.toJson().getBytes(StandardCharsets.UTF_8).length);
            System.out.printf("java runs=%d median_us=%.1f p10_us=%.1f p90_us=%.1f (checksum %d)%n", runs,
                    nanos[runs / 2] / 1e3, nanos[runs / 10] / 1e3, nanos[runs * 9 / 10] / 1e3, findings);
        }
    }
}

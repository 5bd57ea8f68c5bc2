package cn.xianshen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public API on small drafts. */
class ScreenerTest {
    private static final String POLICY = "[meta]\nname = \"java\"\nversion = \"1\"\n"
            + "[[lexicon]]\ntag = \"custom\"\nseverity = \"review\"\nfiles = [\"words.txt\"]\n";

    @Test
    void embeddedPolicyBlocksAndOffsetsAreJavaIndices() {
        try (Screener s = Screener.embedded()) {
            String text = "😀𠀀本店出售冰毒，量大从优";
            Report r = s.screen(text);
            assertEquals(Verdict.BLOCK, r.verdict());
            assertNotEquals(Approval.REVIEWER, r.approval());
            Finding f = r.findings().stream().filter(x -> x.rule().startsWith("term.")).findFirst().orElseThrow();
            assertEquals("出售冰毒", f.text());
            assertEquals(6, f.start());
            assertEquals(10, f.end());
            assertEquals(4, f.charStart());
            assertEquals(14, f.byteStart());
            assertEquals(26, f.byteEnd());
            assertEquals(1, f.line());
            assertEquals(5, f.column());
            assertEquals("term", f.category());
            assertEquals(Severity.BLOCK, f.severity());
            assertEquals(Optional.of("出售冰毒"), f.term());
            assertFalse(f.message().isEmpty());
            assertEquals(Optional.empty(), f.evasion());
            assertEquals(text.substring(f.start(), f.end()), f.text());
            assertEquals(Optional.empty(), r.redacted());
            assertTrue(r.toJson().startsWith("{\"schema\":\"xianshen.report/1\""), r.toJson());
            assertEquals(LocalDate.now(java.time.ZoneOffset.UTC), r.date());
        }
    }

    @Test
    void embeddedAndNewScreenerAgree() {
        try (Screener a = new Screener(); Screener b = Screener.embedded()) {
            String text = "联系电话13812345678，加微信abc12345";
            assertEquals(a.screen(text), b.screen(text));
        }
    }

    @Test
    void emptyAndCleanTextsPass() {
        try (Screener s = new Screener()) {
            assertEquals(Verdict.PASS, s.screen("").verdict());
            assertEquals(List.of(), s.screen("").findings());
            assertEquals(Verdict.PASS, s.screen("今天天气很好。").verdict());
            assertEquals(Approval.REVIEWER, s.screen("今天天气很好。").approval());
        }
    }

    @Test
    void versionIsTheReportEngineVersion() {
        try (Screener s = new Screener()) {
            JsonObject json = JsonParser.parseString(s.screen("x").toJson()).getAsJsonObject();
            assertEquals(json.getAsJsonObject("engine").get("version").getAsString(), Screener.version());
        }
    }

    @Test
    void policyFromTomlResolvesListsAgainstBaseDir(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("words.txt"), "测试专用词\n", StandardCharsets.UTF_8);
        try (Screener s = Screener.fromToml(POLICY, dir)) {
            Report r = s.screen("这是测试专用词。");
            assertEquals(Verdict.REVIEW, r.verdict());
            assertEquals("term.custom", r.findings().get(0).rule());
            assertTrue(r.toJson().contains("\"name\":\"java\""), r.toJson());
        }
    }

    @Test
    void policyFromFileResolvesListsAgainstItsFolder(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("words.txt"), "测试专用词\n", StandardCharsets.UTF_8);
        Path policy = dir.resolve("policy.toml");
        Files.writeString(policy, POLICY, StandardCharsets.UTF_8);
        try (Screener s = Screener.fromFile(policy)) {
            assertEquals(List.of("term.custom"), s.screen("测试专用词").findings().stream().map(Finding::rule).toList());
        }
    }

    @Test
    void titleFindingsIndexTheTitle() {
        try (Screener s = new Screener()) {
            String title = "𠮷𠮷出售冰毒";
            Report r = s.screen("正文没有问题。", Draft.builder().title(title).build());
            assertEquals(Verdict.BLOCK, r.verdict());
            assertTrue(r.findings().isEmpty(), r.findings().toString());
            Finding f = r.titleFindings().get(0);
            assertEquals(4, f.start());
            assertEquals("出售冰毒", title.substring(f.start(), f.end()));
        }
    }

    @Test
    void dateOptionIsTheReportDate() {
        try (Screener s = new Screener()) {
            LocalDate day = LocalDate.of(2026, 12, 7);
            Report r = s.screen("正文", Draft.builder().date(day).build());
            assertEquals(day, r.date());
            assertTrue(r.toJson().endsWith("\"date\":\"2026-12-07\"}"), r.toJson());
        }
    }

    @Test
    void kindChangesTheScreening() {
        try (Screener s = new Screener()) {
            String text = "本店出售bingdu";
            Report article = s.screen(text);
            Report comment = s.screen(text, Draft.builder().kind(Kind.COMMENT).build());
            Finding evasive = comment.findings().stream().filter(f -> f.evasion().isPresent()).findFirst().orElseThrow();
            assertEquals(Optional.of("pinyin"), evasive.evasion());
            assertEquals("出售bingdu", evasive.text());
            assertTrue(article.findings().stream().noneMatch(f -> f.evasion().isPresent()), article.toJson());
        }
    }

    @Test
    void htmlAndMarkdownAreScreenedAsReadWithOffsetsIntoTheSource() {
        try (Screener s = new Screener()) {
            String html = "<p>本店<b>出售</b>冰毒 &amp; 😀</p><script>var x = '加微信abc12345';</script>";
            Report r = s.screen(html, Draft.builder().format(Format.HTML).build());
            assertEquals(List.of("term.drugs"), r.findings().stream().map(Finding::rule).toList());
            Finding f = r.findings().get(0);
            assertEquals("出售</b>冰毒", html.substring(f.start(), f.end()));
            Spans.check(html, r.findings(), "html");

            String markdown = "# 标题\n\n本店**出售冰毒**，[链接](http://x.cn)";
            Report m = s.screen(markdown, Draft.builder().format(Format.MARKDOWN).build());
            Spans.check(markdown, m.findings(), "markdown");
            assertTrue(m.findings().stream().anyMatch(x -> x.text().equals("出售冰毒")), m.toJson());
            assertTrue(s.screen(html).findings().stream().anyMatch(x -> x.rule().startsWith("ad.")),
                    "as plain text the script is prose");
        }
    }

    @Test
    void redactionMasksReplacesAndFiltersByRule() {
        try (Screener s = new Screener()) {
            String text = "本店出售冰毒，电话13812345678";
            Draft mask = Draft.builder().redact(Redaction.mask()).build();
            Report masked = s.screen(text, mask);
            assertEquals(Optional.of("本店****，电话***********"), masked.redacted());
            assertTrue(masked.toJson().endsWith(",\"redacted\":\"本店****，电话***********\"}"), masked.toJson());

            Draft terms = Draft.builder().redact(Redaction.mask('#').rules("term.")).build();
            assertEquals(Optional.of("本店####，电话13812345678"), s.screen(text, terms).redacted());

            Draft replace = Draft.builder().redact(Redaction.replace("[已删除]").rules("privacy.")).build();
            assertEquals(Optional.of("本店出售冰毒，电话[已删除]"), s.screen(text, replace).redacted());

            assertEquals(s.screen(text).findings(), masked.findings());
        }
    }

    @Test
    void draftIsAValueAndToBuilderCopiesIt() {
        Draft d = Draft.builder().title("t").source("新华社").repost(false).kind(Kind.REPLY)
                .date(LocalDate.of(2026, 1, 2)).format(Format.HTML).redact(Redaction.mask()).build();
        assertEquals(d, d.toBuilder().build());
        assertEquals(Optional.of("reply"), d.kind());
        assertEquals(Optional.of(false), d.repost());
        assertNotEquals(d, d.toBuilder().repost(null).build());
        assertEquals(Draft.NONE, Draft.builder().build());
    }

    @Test
    void unclosedScreenersAreFreedByTheCleaner() throws InterruptedException {
        int before = Screener.openCount();
        for (int i = 0; i < 4; i++) {
            assertEquals(Verdict.BLOCK, new Screener().screen("出售冰毒").verdict());
        }
        assertEquals(before + 4, Screener.openCount());
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (Screener.openCount() > before && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        assertEquals(before, Screener.openCount(), "the Cleaner freed every unreachable screener");
    }
}

package cn.xianshen;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Seeded random drafts of ASCII, CJK, astral chars (emoji, CJK Ext-B),
 * combining marks and planted terms: every finding, in the text and in the
 * title, is exactly its Java substring.
 */
class RandomTextTest {
    private static final long SEED = 0x5EED_2026L;
    private static final int DRAFTS = 2000;

    @Test
    void everyFindingIsItsSubstring() {
        TextGen gen = new TextGen(SEED);
        int findings = 0;
        int titleFindings = 0;
        int afterAstral = 0;
        try (Screener screener = new Screener()) {
            for (int i = 0; i < DRAFTS; i++) {
                String text = gen.next(80);
                String title = gen.next(12);
                Draft draft = Draft.builder().title(title).kind(i % 3 == 0 ? Kind.COMMENT : Kind.ARTICLE).build();
                Report r = screener.screen(text, draft);
                String context = "seed " + SEED + ", draft " + i;
                Spans.check(text, r.findings(), context + " text");
                Spans.check(title, r.titleFindings(), context + " title");
                findings += r.findings().size();
                titleFindings += r.titleFindings().size();
                afterAstral += (int) r.findings().stream().filter(f -> f.start() != f.charStart()).count();
            }
        }
        assertTrue(findings > DRAFTS / 10, "findings in texts: " + findings);
        assertTrue(titleFindings > 0, "findings in titles: " + titleFindings);
        assertTrue(afterAstral > 0, "findings after an astral char (UTF-16 index != code point index): " + afterAstral);
    }
}

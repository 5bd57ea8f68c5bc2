package cn.xianshen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** The offset invariants every finding must satisfy. */
final class Spans {
    private Spans() {}

    /**
     * Checks each finding against the string it indexes: the UTF-16 slice,
     * the UTF-8 byte slice and the code point offsets all give its text.
     */
    static void check(String text, List<Finding> findings, String context) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        for (Finding f : findings) {
            String where = context + ": " + f.rule() + " " + f.start() + ".." + f.end();
            assertEquals(f.text(), text.substring(f.start(), f.end()), where + " (UTF-16 slice)");
            assertEquals(f.text(), new String(Arrays.copyOfRange(utf8, (int) f.byteStart(), (int) f.byteEnd()),
                    StandardCharsets.UTF_8), where + " (byte slice)");
            assertEquals(text.codePointCount(0, f.start()), f.charStart(), where + " (char_start)");
            assertEquals(text.codePointCount(0, f.end()), f.charEnd(), where + " (char_end)");
        }
    }
}

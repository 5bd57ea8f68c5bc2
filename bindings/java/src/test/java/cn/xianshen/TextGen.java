package cn.xianshen;

import java.util.Random;

/** Seeded random drafts mixing ASCII, CJK, astral chars, combining marks and planted terms. */
final class TextGen {
    static final String[] PLANTED = {"出售冰毒", "傻逼", "加微信abc12345"};

    private static final String[] PIECES = {
        "本市", "今天", "召开", "会议", "群众", "服务", "工作", "通知", "，", "。", "！", "\n", " ",
        "hello", "World", "2026", "abc", "-", "#", "@",
        "😀", "👨‍👩‍👧", "🇨🇳", "𠀀", "𠮷", "𩸽", "\uD83D\uDC4D\uD83C\uDFFD",
        "e\u0301", "\u0301", "\u0308", "a\u030A", "\u200B", "\u3000",
    };

    private final Random random;

    TextGen(long seed) {
        this.random = new Random(seed);
    }

    /**
     * A text of up to {@code pieces} pieces: one piece in twenty is a planted
     * term, and one text in three gets one more at a random place.
     */
    String next(int pieces) {
        StringBuilder b = new StringBuilder();
        int n = random.nextInt(pieces + 1);
        for (int i = 0; i < n; i++) {
            int r = random.nextInt(20);
            if (r == 0) {
                b.append(PLANTED[random.nextInt(PLANTED.length)]);
            } else if (r == 1) {
                b.appendCodePoint(0x4E00 + random.nextInt(0x9FFF - 0x4E00));
            } else if (r == 2) {
                b.appendCodePoint(0x20000 + random.nextInt(0x2A6DF - 0x20000));
            } else {
                b.append(PIECES[random.nextInt(PIECES.length)]);
            }
        }
        if (random.nextInt(3) == 0) {
            b.insert(codePointBoundary(b), PLANTED[random.nextInt(PLANTED.length)]);
        }
        return b.toString();
    }

    /** A random index of {@code b} that does not split a surrogate pair. */
    private int codePointBoundary(StringBuilder b) {
        int cps = b.codePointCount(0, b.length());
        return b.offsetByCodePoints(0, random.nextInt(cps + 1));
    }
}

package cn.xianshen;

/** Checks that strings can be encoded as UTF-8 without loss. */
final class Utf16 {
    private Utf16() {}

    /**
     * Throws unless {@code s} is well-formed UTF-16. A lone surrogate has no
     * UTF-8 encoding ({@code getBytes} would silently turn it into {@code ?}),
     * so the library would screen a different text than the caller's.
     */
    static void requireWellFormed(String s, String what) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= '\uD800' && c <= '\uDFFF') {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    throw new InvalidInputException("XS_ERR_INVALID_UTF8", 3, String.format(
                            "%s has a lone surrogate U+%04X at index %d: it cannot be encoded as UTF-8",
                            what, (int) c, i));
                }
            }
        }
    }
}

package cn.xianshen;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * How to redact a screened text, e.g. ID numbers before a comment is shown:
 * ask for it with {@link Draft.Builder#redact(Redaction)} and read
 * {@link Report#redacted()}. Overlapping or touching findings are masked as
 * one span. Immutable.
 *
 * <pre>{@code
 * Redaction.mask('*').rules("privacy.")     // 身份证号**************
 * Redaction.replace("[已删除]")
 * Redaction.suggestion('*')                 // a style rule's suggestion, else the mask char
 * }</pre>
 */
public final class Redaction {
    private final String mode;
    private final String value;
    private final List<String> rules;

    private Redaction(String mode, String value, List<String> rules) {
        this.mode = mode;
        this.value = value;
        this.rules = rules;
    }

    /**
     * Masks every finding with {@code *}, once per grapheme cluster.
     *
     * @return the redaction
     */
    public static Redaction mask() {
        return mask('*');
    }

    /**
     * Masks every finding with {@code codePoint}, once per grapheme cluster
     * (an emoji family is one).
     *
     * @param codePoint the mask character, a Unicode scalar value
     * @return the redaction
     * @throws InvalidInputException when {@code codePoint} is a surrogate or out of range
     */
    public static Redaction mask(int codePoint) {
        return new Redaction("mask", scalar(codePoint), List.of());
    }

    /**
     * Replaces each finding (each merged span) with {@code replacement}.
     *
     * @param replacement e.g. {@code "[已删除]"}
     * @return the redaction
     * @throws InvalidInputException when {@code replacement} has a lone surrogate
     */
    public static Redaction replace(String replacement) {
        Objects.requireNonNull(replacement, "replacement");
        Utf16.requireWellFormed(replacement, "replacement");
        return new Redaction("replace", replacement, List.of());
    }

    /**
     * Puts a finding's suggestion in its place where it has one (style rules),
     * else masks it with {@code codePoint} per grapheme cluster.
     *
     * @param codePoint the mask character, a Unicode scalar value
     * @return the redaction
     * @throws InvalidInputException when {@code codePoint} is a surrogate or out of range
     */
    public static Redaction suggestion(int codePoint) {
        return new Redaction("suggest", scalar(codePoint), List.of());
    }

    /**
     * Only the findings whose rule id starts with one of these prefixes.
     *
     * @param prefixes e.g. {@code "privacy."}, {@code "term."}; none means every finding
     * @return a copy of this redaction with the filter
     */
    public Redaction rules(String... prefixes) {
        return rules(List.of(prefixes));
    }

    /**
     * Only the findings whose rule id starts with one of these prefixes.
     *
     * @param prefixes rule-id prefixes; empty means every finding
     * @return a copy of this redaction with the filter
     */
    public Redaction rules(Collection<String> prefixes) {
        List<String> copy = List.copyOf(prefixes);
        for (String p : copy) {
            Utf16.requireWellFormed(p, "rule prefix");
        }
        return new Redaction(mode, value, copy);
    }

    /**
     * The rule-id prefixes this redaction is limited to.
     *
     * @return the prefixes; empty for every finding
     */
    public List<String> rules() {
        return rules;
    }

    JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty(mode, value);
        if (!rules.isEmpty()) {
            JsonArray a = new JsonArray();
            rules.forEach(a::add);
            o.add("rules", a);
        }
        return o;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Redaction r && mode.equals(r.mode) && value.equals(r.value) && rules.equals(r.rules);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, value, rules);
    }

    @Override
    public String toString() {
        return "Redaction[" + mode + "=" + value + (rules.isEmpty() ? "" : ", rules=" + rules) + "]";
    }

    private static String scalar(int codePoint) {
        if (!Character.isValidCodePoint(codePoint) || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
            throw new InvalidInputException("XS_ERR_INVALID_ARGUMENT", 2,
                    String.format("mask U+%04X is not a Unicode scalar value", codePoint));
        }
        return new String(Character.toChars(codePoint));
    }
}

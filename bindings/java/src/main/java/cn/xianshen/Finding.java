package cn.xianshen;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.util.Optional;

/**
 * One problem at one place. {@link #start()} and {@link #end()} are Java
 * string indices (UTF-16 code units) into the screened text, or into the title
 * for a {@linkplain Report#titleFindings() title finding}:
 * {@code text.substring(f.start(), f.end()).equals(f.text())} always holds.
 *
 * @param rule stable rule id, e.g. {@code term.drugs} or {@code privacy.id_card}
 * @param category the part of the rule id before the first dot, e.g. {@code term}
 * @param severity how serious it is
 * @param approval who must sign off because of it, when more than a reviewer
 * @param start UTF-16 index of the first char ({@code utf16_start} in the JSON)
 * @param end UTF-16 index one past the last char ({@code utf16_end})
 * @param byteStart UTF-8 byte offset of the first byte ({@code start} in the JSON)
 * @param byteEnd UTF-8 byte offset one past the last byte ({@code end})
 * @param charStart offset in code points of the first char
 * @param charEnd offset in code points one past the last char
 * @param line 1-based line of the start
 * @param column 1-based column of the start, in code points
 * @param text the span of the text, exactly as written
 * @param term for {@code term.*} findings, the lexicon entry as written in the policy
 * @param message what is wrong and what to do (Chinese)
 * @param suggestion a replacement to offer (style rules)
 * @param evasion for a term spelled to evade the filter, which spelling matched:
 *     {@code lookalike}, {@code pinyin}, {@code homophone} or {@code chaizi}
 */
public record Finding(
        String rule,
        String category,
        Severity severity,
        Optional<Approval> approval,
        int start,
        int end,
        long byteStart,
        long byteEnd,
        int charStart,
        int charEnd,
        int line,
        int column,
        String text,
        Optional<String> term,
        String message,
        Optional<String> suggestion,
        Optional<String> evasion) {

    /** Reads one finding object of the report JSON. */
    static Finding read(JsonReader r) throws IOException {
        String rule = null;
        String category = null;
        Severity severity = null;
        Approval approval = null;
        int start = -1;
        int end = -1;
        long byteStart = -1;
        long byteEnd = -1;
        int charStart = -1;
        int charEnd = -1;
        int line = -1;
        int column = -1;
        String text = null;
        String term = null;
        String message = null;
        String suggestion = null;
        String evasion = null;
        r.beginObject();
        while (r.hasNext()) {
            switch (r.nextName()) {
                case "rule" -> rule = r.nextString();
                case "category" -> category = r.nextString();
                case "severity" -> severity = Severity.of(r.nextString());
                case "approval" -> {
                    String a = nullableString(r);
                    approval = a == null ? null : Approval.of(a);
                }
                case "start" -> byteStart = r.nextLong();
                case "end" -> byteEnd = r.nextLong();
                case "char_start" -> charStart = r.nextInt();
                case "char_end" -> charEnd = r.nextInt();
                case "utf16_start" -> start = r.nextInt();
                case "utf16_end" -> end = r.nextInt();
                case "line" -> line = r.nextInt();
                case "column" -> column = r.nextInt();
                case "text" -> text = r.nextString();
                case "term" -> term = nullableString(r);
                case "message" -> message = r.nextString();
                case "suggestion" -> suggestion = nullableString(r);
                case "evasion" -> evasion = nullableString(r);
                default -> r.skipValue();
            }
        }
        r.endObject();
        if (rule == null || category == null || severity == null || text == null || message == null
                || start < 0 || end < 0 || byteStart < 0 || byteEnd < 0 || charStart < 0 || charEnd < 0
                || line < 0 || column < 0) {
            throw Errors.unexpected("finding", "a member missing (rule " + rule + ")");
        }
        return new Finding(rule, category, severity, Optional.ofNullable(approval), start, end, byteStart, byteEnd,
                charStart, charEnd, line, column, text, Optional.ofNullable(term), message,
                Optional.ofNullable(suggestion), Optional.ofNullable(evasion));
    }

    private static String nullableString(JsonReader r) throws IOException {
        if (r.peek() == JsonToken.NULL) {
            r.nextNull();
            return null;
        }
        return r.nextString();
    }
}

package cn.xianshen;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The findings for one draft, the verdict, who must sign off, and the
 * {@code xianshen.report/1} JSON the library produced. Immutable and
 * thread-safe.
 */
public final class Report {
    private final String json;
    private final Verdict verdict;
    private final Approval approval;
    private final List<Finding> findings;
    private final List<Finding> titleFindings;
    private final boolean truncated;
    private final LocalDate date;
    private final String redacted;

    private Report(String json, Verdict verdict, Approval approval, List<Finding> findings,
            List<Finding> titleFindings, boolean truncated, LocalDate date, String redacted) {
        this.json = json;
        this.verdict = verdict;
        this.approval = approval;
        this.findings = findings;
        this.titleFindings = titleFindings;
        this.truncated = truncated;
        this.date = date;
        this.redacted = redacted;
    }

    /** Parses the JSON {@code xs_screen_json_utf16} handed out (streaming: the report is read once, on every call). */
    static Report parse(String json) {
        Verdict verdict = null;
        Approval approval = null;
        List<Finding> findings = List.of();
        List<Finding> titleFindings = List.of();
        Boolean truncated = null;
        LocalDate date = null;
        String redacted = null;
        try (JsonReader r = new JsonReader(new StringReader(json))) {
            r.beginObject();
            while (r.hasNext()) {
                switch (r.nextName()) {
                    case "verdict" -> verdict = Verdict.of(r.nextString());
                    case "approval" -> approval = Approval.of(r.nextString());
                    case "findings" -> findings = findings(r);
                    case "title_findings" -> titleFindings = findings(r);
                    case "truncated" -> truncated = r.nextBoolean();
                    case "date" -> date = LocalDate.parse(r.nextString());
                    case "redacted" -> redacted = r.nextString();
                    default -> r.skipValue();
                }
            }
            r.endObject();
        } catch (IOException | IllegalStateException | NumberFormatException | DateTimeParseException e) {
            throw Errors.unexpected("report", e + " in " + json);
        }
        if (verdict == null || approval == null || truncated == null || date == null) {
            throw Errors.unexpected("report", "a member missing in " + json);
        }
        return new Report(json, verdict, approval, findings, titleFindings, truncated, date, redacted);
    }

    private static List<Finding> findings(JsonReader r) throws IOException {
        if (r.peek() == JsonToken.NULL) {
            r.nextNull();
            return List.of();
        }
        List<Finding> list = new ArrayList<>();
        r.beginArray();
        while (r.hasNext()) {
            list.add(Finding.read(r));
        }
        r.endArray();
        return Collections.unmodifiableList(list);
    }

    /**
     * The decision: {@code BLOCK} if any block finding, else {@code REVIEW} if
     * any review finding, else {@code PASS}.
     *
     * @return the verdict
     */
    public Verdict verdict() {
        return verdict;
    }

    /**
     * Who must sign off: the highest approval any finding asks for, the
     * reviewer at least.
     *
     * @return the approval
     */
    public Approval approval() {
        return approval;
    }

    /**
     * The findings in the text, sorted by start, then rule id. Their
     * {@code start()}/{@code end()} index the text.
     *
     * @return an unmodifiable list
     */
    public List<Finding> findings() {
        return findings;
    }

    /**
     * The findings in the draft's title (screened as a field of its own).
     * Their {@code start()}/{@code end()}, line and column index the title.
     * The verdict and approval count them.
     *
     * @return an unmodifiable list; empty without a title
     */
    public List<Finding> titleFindings() {
        return titleFindings;
    }

    /**
     * Whether the findings were cut at the policy's {@code [limits] max_findings}.
     * The verdict and approval still account for every finding.
     *
     * @return {@code true} when cut
     */
    public boolean truncated() {
        return truncated;
    }

    /**
     * The screening date the checks used ({@link Draft.Builder#date}, or the
     * day in UTC).
     *
     * @return the date
     */
    public LocalDate date() {
        return date;
    }

    /**
     * The text with the chosen findings masked, when the draft asked for it
     * with {@link Draft.Builder#redact(Redaction)}.
     *
     * @return the redacted text, or empty when no redaction was asked for
     */
    public Optional<String> redacted() {
        return Optional.ofNullable(redacted);
    }

    /**
     * The report as {@code xianshen.report/1} JSON, exactly as the library
     * produced it (findings with UTF-8 byte offsets in {@code start}/{@code end}
     * and UTF-16 ones in {@code utf16_start}/{@code utf16_end}). With a
     * redaction it has one more member at its end, {@code "redacted"}.
     *
     * @return the JSON text
     */
    public String toJson() {
        return json;
    }

    /** Two reports are equal when their JSON is. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Report r && json.equals(r.json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return "Report[verdict=" + verdict.id() + ", approval=" + approval.id() + ", findings=" + findings.size()
                + ", titleFindings=" + titleFindings.size() + (truncated ? ", truncated" : "") + "]";
    }
}

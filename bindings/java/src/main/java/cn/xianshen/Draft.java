package cn.xianshen;

import com.google.gson.JsonObject;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * What the CMS knows about a draft besides its text: title, declared source,
 * whether it is a repost, its kind, the screening date, how the text is
 * written (plain, HTML, Markdown), and whether to redact.
 * Immutable and thread-safe: build one per kind of draft and reuse it.
 *
 * <pre>{@code
 * Draft draft = Draft.builder()
 *         .title("原标题：…")
 *         .source("新华社")
 *         .repost(true)
 *         .kind(Kind.COMMENT)
 *         .date(LocalDate.of(2026, 12, 7))
 *         .format(Format.HTML)
 *         .redact(Redaction.mask('*').rules("privacy."))
 *         .build();
 * Report report = screener.screen(text, draft);
 * }</pre>
 */
public final class Draft {
    /** No title, no source, repost unknown, an article, today (UTC), no redaction. */
    public static final Draft NONE = builder().build();

    private final String title;
    private final String source;
    private final Boolean repost;
    private final String kind;
    private final LocalDate date;
    private final Format format;
    private final Redaction redaction;
    /** The options JSON for {@code xs_screen_json_utf16}, NUL-terminated; {@code null} for none. */
    private final byte[] optionsJson;

    private Draft(Builder b) {
        this.title = b.title;
        this.source = b.source;
        this.repost = b.repost;
        this.kind = b.kind;
        this.date = b.date;
        this.format = b.format;
        this.redaction = b.redaction;
        JsonObject o = new JsonObject();
        if (title != null) {
            o.addProperty("title", title);
        }
        if (source != null) {
            o.addProperty("source", source);
        }
        if (repost != null) {
            o.addProperty("repost", repost);
        }
        if (kind != null) {
            o.addProperty("kind", kind);
        }
        if (date != null) {
            o.addProperty("date", date.toString());
        }
        if (format != null) {
            o.addProperty("input_format", format.id());
        }
        if (redaction != null) {
            o.add("redact", redaction.toJson());
        }
        this.optionsJson = o.size() == 0 ? null : Lib.cString(o.toString());
    }

    /**
     * A builder with nothing set.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder starting from this draft's settings.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.title = title;
        b.source = source;
        b.repost = repost;
        b.kind = kind;
        b.date = date;
        b.format = format;
        b.redaction = redaction;
        return b;
    }

    /**
     * The title, screened as a field of its own (see {@link Report#titleFindings()}).
     *
     * @return the title, if set
     */
    public Optional<String> title() {
        return Optional.ofNullable(title);
    }

    /**
     * The declared source unit (来源).
     *
     * @return the source, if set
     */
    public Optional<String> source() {
        return Optional.ofNullable(source);
    }

    /**
     * Whether the CMS marks the draft as a repost.
     *
     * @return {@code TRUE}, {@code FALSE}, or empty when unknown (the text's own markers decide)
     */
    public Optional<Boolean> repost() {
        return Optional.ofNullable(repost);
    }

    /**
     * The kind, by its library name (see {@link Kind#id()}).
     *
     * @return e.g. {@code "comment"}; empty for the default, an article
     */
    public Optional<String> kind() {
        return Optional.ofNullable(kind);
    }

    /**
     * The screening date the checks use.
     *
     * @return the date; empty for today in UTC
     */
    public Optional<LocalDate> date() {
        return Optional.ofNullable(date);
    }

    /**
     * How the text is written.
     *
     * @return the format; empty for the default, plain text
     */
    public Optional<Format> format() {
        return Optional.ofNullable(format);
    }

    /**
     * The redaction to apply.
     *
     * @return the redaction, if one was asked for
     */
    public Optional<Redaction> redaction() {
        return Optional.ofNullable(redaction);
    }

    byte[] optionsJson() {
        return optionsJson;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Draft d && Objects.equals(title, d.title) && Objects.equals(source, d.source)
                && Objects.equals(repost, d.repost) && Objects.equals(kind, d.kind)
                && Objects.equals(date, d.date) && Objects.equals(format, d.format)
                && Objects.equals(redaction, d.redaction);
    }

    @Override
    public int hashCode() {
        return Objects.hash(title, source, repost, kind, date, format, redaction);
    }

    @Override
    public String toString() {
        return "Draft[title=" + title + ", source=" + source + ", repost=" + repost + ", kind=" + kind
                + ", date=" + date + ", format=" + format + ", redaction=" + redaction + "]";
    }

    /** Builds a {@link Draft}. Not thread-safe; the draft it builds is. */
    public static final class Builder {
        private String title;
        private String source;
        private Boolean repost;
        private String kind;
        private LocalDate date;
        private Format format;
        private Redaction redaction;

        private Builder() {}

        /**
         * Sets the title (checked for repost markers such as 原标题, and screened).
         *
         * @param title the title, or {@code null} for none
         * @return this builder
         * @throws InvalidInputException when it has a lone surrogate
         */
        public Builder title(String title) {
            if (title != null) {
                Utf16.requireWellFormed(title, "title");
            }
            this.title = title;
            return this;
        }

        /**
         * Sets the declared source unit (来源) from the CMS.
         *
         * @param source the source, or {@code null} for none
         * @return this builder
         * @throws InvalidInputException when it has a lone surrogate
         */
        public Builder source(String source) {
            if (source != null) {
                Utf16.requireWellFormed(source, "source");
            }
            this.source = source;
            return this;
        }

        /**
         * Sets whether the CMS marks the draft as a repost (a repost must name its source).
         *
         * @param repost {@code true}, {@code false}, or {@code null} for unknown
         * @return this builder
         */
        public Builder repost(Boolean repost) {
            this.repost = repost;
            return this;
        }

        /**
         * Sets the kind of draft.
         *
         * @param kind the kind, or {@code null} for the default (an article)
         * @return this builder
         */
        public Builder kind(Kind kind) {
            this.kind = kind == null ? null : kind.id();
            return this;
        }

        /**
         * Sets the kind by its name, as a CMS may store it ({@code "comment"}).
         * The library checks the name: an unknown one makes
         * {@link Screener#screen(String, Draft)} throw {@link InvalidInputException}.
         *
         * @param kind a {@link Kind#id()}, or {@code null} for the default
         * @return this builder
         */
        public Builder kind(String kind) {
            if (kind != null) {
                Utf16.requireWellFormed(kind, "kind");
            }
            this.kind = kind;
            return this;
        }

        /**
         * Sets the screening date (a birth date in an ID number after it is no
         * ID number); recorded in the report.
         *
         * @param date the date, or {@code null} for today in UTC
         * @return this builder
         */
        public Builder date(LocalDate date) {
            this.date = date;
            return this;
        }

        /**
         * Sets how the text is written. For HTML and Markdown the text a reader
         * sees is screened, and the findings' offsets point into the source as
         * given, markup included.
         *
         * @param format the format, or {@code null} for plain text
         * @return this builder
         */
        public Builder format(Format format) {
            this.format = format;
            return this;
        }

        /**
         * Asks for the redacted text in {@link Report#redacted()}.
         *
         * @param redaction how to redact, or {@code null} for no redaction
         * @return this builder
         */
        public Builder redact(Redaction redaction) {
            this.redaction = redaction;
            return this;
        }

        /**
         * Builds the draft.
         *
         * @return an immutable draft
         */
        public Draft build() {
            return new Draft(this);
        }
    }
}

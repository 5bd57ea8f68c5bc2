package cn.xianshen;

/**
 * How a draft's text is written. For HTML and Markdown the text a reader
 * sees is screened (no tags, attributes, scripts or link targets as prose),
 * and every offset still points into the source as given, markup included.
 */
public enum Format {
    /** Plain text (the default). */
    TEXT("text"),
    /** An HTML document or fragment, as a CMS editor saves it. */
    HTML("html"),
    /** Markdown. */
    MARKDOWN("markdown");

    private final String id;

    Format(String id) {
        this.id = id;
    }

    /**
     * The name the library uses ({@code input_format}).
     *
     * @return {@code "text"}, {@code "html"} or {@code "markdown"}
     */
    public String id() {
        return id;
    }
}

package cn.xianshen;

/** How serious a finding is. */
public enum Severity {
    /** Worth knowing (a style suggestion); does not change the verdict. */
    INFO("info"),
    /** A person must look at it before publishing. */
    REVIEW("review"),
    /** Must not be published as it is. */
    BLOCK("block");

    private final String id;

    Severity(String id) {
        this.id = id;
    }

    /**
     * The name used in the report JSON.
     *
     * @return {@code "info"}, {@code "review"} or {@code "block"}
     */
    public String id() {
        return id;
    }

    static Severity of(String id) {
        for (Severity s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        throw Errors.unexpected("severity", id);
    }
}

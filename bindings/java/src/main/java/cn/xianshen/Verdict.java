package cn.xianshen;

/** The decision for a whole draft. */
public enum Verdict {
    /** No review or block finding. */
    PASS("pass"),
    /** At least one review finding and no block finding: a person must look at it. */
    REVIEW("review"),
    /** At least one block finding: must not be published as it is. */
    BLOCK("block");

    private final String id;

    Verdict(String id) {
        this.id = id;
    }

    /**
     * The name used in the report JSON.
     *
     * @return {@code "pass"}, {@code "review"} or {@code "block"}
     */
    public String id() {
        return id;
    }

    static Verdict of(String id) {
        for (Verdict v : values()) {
            if (v.id.equals(id)) {
                return v;
            }
        }
        throw Errors.unexpected("verdict", id);
    }
}

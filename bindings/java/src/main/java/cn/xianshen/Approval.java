package cn.xianshen;

/** Who must sign off before a draft is published (分级审核). */
public enum Approval {
    /** The unit's reviewer (审核员): every item. */
    REVIEWER("reviewer"),
    /** The unit's head (单位主要负责人): important or sensitive items. */
    HEAD("head"),
    /** City leadership (市领导): major or emergency events. */
    LEADERSHIP("leadership");

    private final String id;

    Approval(String id) {
        this.id = id;
    }

    /**
     * The name used in the report JSON.
     *
     * @return {@code "reviewer"}, {@code "head"} or {@code "leadership"}
     */
    public String id() {
        return id;
    }

    static Approval of(String id) {
        for (Approval a : values()) {
            if (a.id.equals(id)) {
                return a;
            }
        }
        throw Errors.unexpected("approval", id);
    }
}

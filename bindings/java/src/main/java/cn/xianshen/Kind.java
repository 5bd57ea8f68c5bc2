package cn.xianshen;

/**
 * What kind of text a draft is. Comments from the public are screened for
 * evasive spellings (pinyin, homophones, 拆字) as the policy says, and are not
 * held to the account's own voice.
 */
public enum Kind {
    /** The account's own article or post (the default). */
    ARTICLE("article"),
    /** A repost of another outlet's item (implies a repost). */
    REPOST("repost"),
    /** A comment or message from a member of the public (网民留言). */
    COMMENT("comment"),
    /** The account's reply to a message from the public. */
    REPLY("reply"),
    /** A response to a public-opinion incident (舆情回应). */
    RESPONSE("response");

    private final String id;

    Kind(String id) {
        this.id = id;
    }

    /**
     * The name the library and the CLI use.
     *
     * @return e.g. {@code "comment"}
     */
    public String id() {
        return id;
    }
}

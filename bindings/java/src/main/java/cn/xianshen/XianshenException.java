package cn.xianshen;

/**
 * An error reported by libxianshen, or found before calling it. Carries the
 * library's status name and code ({@code XS_ERR_…} in {@code xianshen.h}).
 *
 * <p>Subclasses: {@link PolicyException} (a policy that cannot be loaded) and
 * {@link InvalidInputException} (a bad argument). Other statuses
 * ({@code XS_ERR_OUT_OF_MEMORY}, {@code XS_ERR_PANIC}) arrive as this class.
 */
public class XianshenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String status;
    private final int code;

    /**
     * Creates an error.
     *
     * @param status the status name, e.g. {@code "XS_ERR_PANIC"}
     * @param code the status code, e.g. {@code 9}
     * @param message what went wrong
     */
    public XianshenException(String status, int code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    /**
     * The status name from {@code xianshen.h}.
     *
     * @return e.g. {@code "XS_ERR_POLICY_SYNTAX"}
     */
    public String status() {
        return status;
    }

    /**
     * The status code from {@code xianshen.h}.
     *
     * @return e.g. {@code 4}
     */
    public int code() {
        return code;
    }
}

package cn.xianshen;

/**
 * A bad argument: an unknown draft kind, a date the library does not take, a
 * string that is not well-formed UTF-16 (a lone surrogate), a mask that is not
 * a Unicode scalar value. Status {@code XS_ERR_INVALID_ARGUMENT} or
 * {@code XS_ERR_INVALID_UTF8}.
 */
public class InvalidInputException extends XianshenException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an error.
     *
     * @param status the status name
     * @param code the status code
     * @param message what is wrong with the argument
     */
    public InvalidInputException(String status, int code, String message) {
        super(status, code, message);
    }
}

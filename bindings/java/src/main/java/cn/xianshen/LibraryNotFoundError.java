package cn.xianshen;

/**
 * libxianshen could not be loaded. The message lists every place tried (the
 * {@code xianshen.library.path} system property, the {@code XIANSHEN_LIBRARY}
 * environment variable, the system library path) and why each failed.
 */
public class LibraryNotFoundError extends UnsatisfiedLinkError {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the error.
     *
     * @param message the places tried and why each failed
     */
    public LibraryNotFoundError(String message) {
        super(message);
    }
}

package cn.xianshen;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A policy that cannot be loaded: malformed TOML or an unknown key
 * ({@link Type#SYNTAX}), a value that is not acceptable ({@link Type#INVALID}),
 * or a policy or list file that cannot be read ({@link Type#IO}). Names the
 * file, line and column where the library knows them.
 */
public class PolicyException extends XianshenException {
    private static final long serialVersionUID = 1L;

    /** What kind of policy problem it is. */
    public enum Type {
        /** Bad TOML, an unknown key or a value of the wrong type ({@code XS_ERR_POLICY_SYNTAX}). */
        SYNTAX,
        /** A well-formed value that is not acceptable, e.g. an empty term ({@code XS_ERR_POLICY_INVALID}). */
        INVALID,
        /** A policy or list file that cannot be read ({@code XS_ERR_IO}). */
        IO
    }

    private final Type type;
    private final String path;
    private final int line;
    private final int column;

    /**
     * Creates an error.
     *
     * @param status the status name
     * @param code the status code
     * @param message what is wrong, as the library says it
     * @param type the kind of problem
     * @param path the file concerned, or {@code null}
     * @param line 1-based line, or 0 when unknown
     * @param column 1-based column in characters, or 0 when unknown
     */
    public PolicyException(String status, int code, String message, Type type, String path, int line, int column) {
        super(status, code, message);
        this.type = type;
        this.path = path;
        this.line = line;
        this.column = column;
    }

    /**
     * The kind of problem.
     *
     * @return syntax, invalid value or unreadable file
     */
    public Type type() {
        return type;
    }

    /**
     * The file concerned, when the library names one: for {@link Type#IO} the
     * policy, list or {@code extends} file that cannot be read (then
     * {@link #line()} and {@link #column()} point at where the policy names
     * it), otherwise the policy file the problem is in.
     *
     * @return the path, or empty (e.g. a problem in a policy given as TOML text)
     */
    public Optional<Path> path() {
        return Optional.ofNullable(path).map(Path::of);
    }

    /**
     * The 1-based line of the problem, when known.
     *
     * @return the line, or empty
     */
    public OptionalInt line() {
        return line > 0 ? OptionalInt.of(line) : OptionalInt.empty();
    }

    /**
     * The 1-based column of the problem, in characters, when known.
     *
     * @return the column, or empty
     */
    public OptionalInt column() {
        return column > 0 ? OptionalInt.of(column) : OptionalInt.empty();
    }
}

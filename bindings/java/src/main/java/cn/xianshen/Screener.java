package cn.xianshen;

import com.google.gson.JsonObject;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.StampedLock;

/**
 * A compiled policy that screens drafts. Building one compiles every term
 * into one automaton: build it once at start-up and share it. Thread-safe:
 * any number of threads may call {@link #screen} at the same time, and their
 * reports equal the serial ones.
 *
 * <pre>{@code
 * try (Screener screener = Screener.fromFile(Path.of("policy.toml"))) {
 *     Report report = screener.screen(text, Draft.builder().kind(Kind.COMMENT).build());
 * }
 * }</pre>
 *
 * <p>{@link #close()} frees the native screener; it waits for calls in
 * progress, may be called more than once, and makes later calls throw
 * {@link IllegalStateException}. A screener that is never closed is freed
 * after it becomes unreachable.
 */
public final class Screener implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final AtomicInteger OPEN = new AtomicInteger();

    private final Pointer handle;
    private final Cleaner.Cleanable cleanable;
    /** Read-held by every screen call, write-held to close: no call sees a freed screener. */
    private final StampedLock lock = new StampedLock();
    private boolean closed;

    /** Frees the native screener exactly once: on close, or once the Screener is unreachable. */
    private static final class Release implements Runnable {
        private final Pointer handle;

        Release(Pointer handle) {
            this.handle = handle;
        }

        @Override
        public void run() {
            XianshenNative.xs_screener_free(handle);
            OPEN.decrementAndGet();
        }
    }

    /**
     * A screener with the embedded default policy.
     *
     * @throws LibraryNotFoundError when libxianshen cannot be loaded
     */
    public Screener() {
        this((byte[]) null);
    }

    private Screener(byte[] config) {
        Lib.ensureLoaded();
        PointerByReference screener = new PointerByReference();
        PointerByReference error = new PointerByReference();
        int status = XianshenNative.xs_screener_new_json(config, screener, error);
        String errorJson = Lib.take(error.getValue());
        if (status != 0) {
            throw Errors.from(status, errorJson);
        }
        this.handle = screener.getValue();
        if (handle == null) {
            throw new XianshenException("XS_ERR_PANIC", 9, "xs_screener_new_json returned XS_OK without a screener");
        }
        OPEN.incrementAndGet();
        this.cleanable = CLEANER.register(this, new Release(handle));
    }

    private static Screener fromConfig(JsonObject config) {
        return new Screener(Lib.cString(config.toString()));
    }

    /**
     * A screener with the embedded default policy; the same as {@code new Screener()}.
     *
     * @return a new screener
     * @throws LibraryNotFoundError when libxianshen cannot be loaded
     */
    public static Screener embedded() {
        return new Screener();
    }

    /**
     * A screener from policy TOML text. List files and {@code extends} paths
     * in it are resolved against the process's current directory.
     *
     * @param toml the policy
     * @return a new screener
     * @throws PolicyException when the policy cannot be loaded (with line and column)
     * @throws InvalidInputException when {@code toml} has a lone surrogate
     */
    public static Screener fromToml(String toml) {
        return fromToml(toml, null);
    }

    /**
     * A screener from policy TOML text, resolving list files and
     * {@code extends} paths against {@code baseDir}.
     *
     * @param toml the policy
     * @param baseDir the folder list files are resolved against, or {@code null}
     *     for the process's current directory
     * @return a new screener
     * @throws PolicyException when the policy or a list file cannot be loaded
     *     (with the file, line and column)
     * @throws InvalidInputException when {@code toml} has a lone surrogate
     */
    public static Screener fromToml(String toml, Path baseDir) {
        Objects.requireNonNull(toml, "toml");
        Utf16.requireWellFormed(toml, "policy");
        JsonObject config = new JsonObject();
        config.addProperty("policy_toml", toml);
        if (baseDir != null) {
            config.addProperty("base_dir", baseDir.toAbsolutePath().toString());
        }
        return fromConfig(config);
    }

    /**
     * A screener from a policy file; its list files are resolved against the
     * file's folder.
     *
     * @param policyFile the policy TOML file
     * @return a new screener
     * @throws PolicyException when the policy or a list file cannot be read
     *     ({@link PolicyException.Type#IO}, with the path) or loaded
     */
    public static Screener fromFile(Path policyFile) {
        Objects.requireNonNull(policyFile, "policyFile");
        JsonObject config = new JsonObject();
        config.addProperty("policy_file", policyFile.toAbsolutePath().toString());
        return fromConfig(config);
    }

    /**
     * Screens a draft with no metadata (an article; no title, no source).
     *
     * @param text the draft's text
     * @return the report
     * @throws InvalidInputException when {@code text} has a lone surrogate
     * @throws IllegalStateException when this screener is closed
     */
    public Report screen(String text) {
        return screen(text, Draft.NONE);
    }

    /**
     * Screens a draft with its metadata.
     *
     * @param text the draft's text
     * @param draft title, source, repost, kind, date and redaction
     * @return the report; its findings index {@code text} (and the title)
     * @throws InvalidInputException for a lone surrogate in the text, or an
     *     option the library rejects (an unknown kind name, a date it cannot take)
     * @throws IllegalStateException when this screener is closed
     */
    public Report screen(String text, Draft draft) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(draft, "draft");
        // UTF-16 as it is: the library converts it to UTF-8 several times
        // faster than String.getBytes does, and rejects a lone surrogate
        // naming its index.
        char[] units = text.toCharArray();
        PointerByReference out = new PointerByReference();
        int status;
        long stamp = lock.readLock();
        try {
            if (closed) {
                throw new IllegalStateException("this Screener is closed");
            }
            status = XianshenNative.xs_screen_json_utf16(handle, units, units.length, draft.optionsJson(), out);
        } finally {
            lock.unlockRead(stamp);
            Reference.reachabilityFence(this);
        }
        String json = Lib.take(out.getValue());
        if (status != 0) {
            throw Errors.from(status, json);
        }
        if (json == null) {
            throw new XianshenException("XS_ERR_OUT_OF_MEMORY", 8, "xs_screen_json_utf16 returned no report");
        }
        return Report.parse(json);
    }

    /**
     * Frees the native screener. Waits for screen calls in progress on other
     * threads; later calls throw {@link IllegalStateException}. Idempotent.
     */
    @Override
    public void close() {
        long stamp = lock.writeLock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            lock.unlockWrite(stamp);
        }
        cleanable.clean();
    }

    /**
     * Loads libxianshen from {@code path} for this process, before any
     * screener is built; otherwise it is looked up on first use (the
     * {@code xianshen.library.path} system property, the
     * {@code XIANSHEN_LIBRARY} environment variable, the system library path).
     *
     * @param path the path of {@code libxianshen.so} (or {@code .dylib}, {@code .dll})
     * @throws LibraryNotFoundError when it cannot be loaded or lacks a function this client calls
     * @throws IllegalStateException when another libxianshen is already loaded
     */
    public static void loadLibrary(Path path) {
        Lib.load(Objects.requireNonNull(path, "path"));
    }

    /**
     * The engine version, the same as {@code engine.version} in every report.
     *
     * @return e.g. {@code "0.1.0"}
     * @throws LibraryNotFoundError when libxianshen cannot be loaded
     */
    public static String version() {
        Lib.ensureLoaded();
        return XianshenNative.xs_version().getString(0, "UTF-8");
    }

    /** The number of native screeners not yet freed (for tests of the Cleaner). */
    static int openCount() {
        return OPEN.get();
    }
}

package cn.xianshen;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds, loads and holds the one libxianshen the process uses. */
final class Lib {
    /** System property: the path of libxianshen. */
    static final String PROPERTY = "xianshen.library.path";
    /** Environment variable: the path of libxianshen. */
    static final String ENV = "XIANSHEN_LIBRARY";
    /** The name looked up on the system library path ({@code libxianshen.so}). */
    static final String NAME = "xianshen";

    /** A library and where it came from. */
    record Loaded(NativeLibrary library, String origin) {}

    /** The library {@link XianshenNative} is bound to; {@code null} until the first use. */
    private static volatile Loaded loaded;

    private Lib() {}

    /** Finds and binds the library on first use; afterwards only a volatile read. */
    static void ensureLoaded() {
        if (loaded == null) {
            synchronized (Lib.class) {
                if (loaded == null) {
                    bind(locate(System.getProperty(PROPERTY), System.getenv(ENV), NAME));
                }
            }
        }
    }

    private static void bind(Loaded library) {
        Native.register(XianshenNative.class, library.library());
        loaded = library;
    }

    /** Loads the library at {@code path} for this process (see {@link Screener#loadLibrary}). */
    static synchronized void load(Path path) {
        String file = path.toAbsolutePath().normalize().toString();
        Loaded current = loaded;
        if (current != null) {
            if (current.origin().equals(file)) {
                return;
            }
            throw new IllegalStateException("libxianshen is already loaded from " + current.origin()
                    + "; cannot switch to " + file);
        }
        Loaded library;
        try {
            library = new Loaded(open(file), file);
        } catch (UnsatisfiedLinkError e) {
            throw new LibraryNotFoundError("cannot load libxianshen from " + file + ": " + oneLine(e));
        }
        bind(library);
    }

    /**
     * Tries, in order, the path in the system property, the path in the
     * environment variable and {@code systemName} on the system library path.
     *
     * @throws LibraryNotFoundError naming every place tried and why each failed
     */
    static Loaded locate(String property, String env, String systemName) {
        List<String> tried = new ArrayList<>();
        if (property == null || property.isBlank()) {
            tried.add("system property " + PROPERTY + ": not set");
        } else {
            String file = Path.of(property).toAbsolutePath().normalize().toString();
            try {
                return new Loaded(open(file), file);
            } catch (UnsatisfiedLinkError e) {
                tried.add("system property " + PROPERTY + "=" + property + ": " + oneLine(e));
            }
        }
        if (env == null || env.isBlank()) {
            tried.add("environment variable " + ENV + ": not set");
        } else {
            String file = Path.of(env).toAbsolutePath().normalize().toString();
            try {
                return new Loaded(open(file), file);
            } catch (UnsatisfiedLinkError e) {
                tried.add("environment variable " + ENV + "=" + env + ": " + oneLine(e));
            }
        }
        try {
            return new Loaded(open(systemName), "system library path (" + systemName + ")");
        } catch (UnsatisfiedLinkError e) {
            tried.add("system library path, as " + System.mapLibraryName(systemName)
                    + " (jna.library.path=" + System.getProperty("jna.library.path", "")
                    + ", java.library.path=" + System.getProperty("java.library.path", "")
                    + ", then the dynamic linker's path): " + oneLine(e));
        }
        StringBuilder message = new StringBuilder("libxianshen not found; tried:");
        for (String t : tried) {
            message.append("\n  - ").append(t);
        }
        message.append("\nBuild it with `make -C bindings/c` and set ").append(ENV)
                .append(" (or -D").append(PROPERTY).append(") to the path of ")
                .append(System.mapLibraryName(NAME)).append(", or call Screener.loadLibrary(path).");
        throw new LibraryNotFoundError(message.toString());
    }

    /** Opens a library by path or name and checks that it exports what this client calls. */
    private static NativeLibrary open(String pathOrName) {
        NativeLibrary library = NativeLibrary.getInstance(pathOrName);
        for (String function : XianshenNative.REQUIRED) {
            try {
                library.getFunction(function);
            } catch (UnsatisfiedLinkError e) {
                String where = library.getFile() != null ? library.getFile().toString() : library.getName();
                throw new UnsatisfiedLinkError(where + " does not export " + function
                        + " (not libxianshen, or one older than this client)");
            }
        }
        return library;
    }

    /** A JNA error message on one line: JNA lists one reason per line. */
    private static String oneLine(UnsatisfiedLinkError e) {
        String message = String.valueOf(e.getMessage()).strip();
        return String.join("; ", message.lines().map(String::strip).distinct().toList());
    }

    /** A NUL-terminated UTF-8 copy of {@code s}, or {@code null} for {@code null}. */
    static byte[] cString(String s) {
        if (s == null) {
            return null;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        byte[] c = new byte[utf8.length + 1];
        System.arraycopy(utf8, 0, c, 0, utf8.length);
        return c;
    }

    /** Reads a string the library handed out and frees it; {@code null} for NULL. */
    static String take(Pointer p) {
        if (p == null) {
            return null;
        }
        try {
            return p.getString(0, "UTF-8");
        } finally {
            XianshenNative.xs_string_free(p);
        }
    }
}

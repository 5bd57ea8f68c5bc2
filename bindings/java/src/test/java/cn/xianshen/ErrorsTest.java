package cn.xianshen;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a call can fail, and what the exception says. */
class ErrorsTest {
    private static final String HEADER = "[meta]\nname = \"t\"\n";

    @Test
    void badTomlIsASyntaxErrorWithLineAndColumn() {
        PolicyException e = assertThrows(PolicyException.class,
                () -> Screener.fromToml(HEADER + "\nlexicons = []\n"));
        assertEquals(PolicyException.Type.SYNTAX, e.type());
        assertEquals("XS_ERR_POLICY_SYNTAX", e.status());
        assertEquals(4, e.code());
        assertEquals(OptionalInt.of(4), e.line());
        assertEquals(OptionalInt.of(1), e.column());
        assertTrue(e.getMessage().contains("lexicons"), e.getMessage());
        assertEquals(Optional.empty(), e.path());

        PolicyException unclosed = assertThrows(PolicyException.class, () -> Screener.fromToml("[meta\nname = 1\n"));
        assertEquals(PolicyException.Type.SYNTAX, unclosed.type());
        assertEquals(OptionalInt.of(1), unclosed.line());
        assertTrue(unclosed.column().isPresent(), unclosed.getMessage());
    }

    @Test
    void invalidPolicyValueHasLineAndColumn() {
        PolicyException e = assertThrows(PolicyException.class, () -> Screener.fromToml(
                HEADER + "[[lexicon]]\ntag = \"drugs\"\nseverity = \"block\"\nterms = [\"冰毒\", \"\"]\n"));
        assertEquals(PolicyException.Type.INVALID, e.type());
        assertEquals("XS_ERR_POLICY_INVALID", e.status());
        assertEquals(5, e.code());
        assertEquals(OptionalInt.of(6), e.line());
        assertEquals(OptionalInt.of(16), e.column());
    }

    @Test
    void missingPolicyFileIsAnIoErrorWithThePath(@TempDir Path dir) {
        Path missing = dir.resolve("no_such_policy.toml");
        PolicyException e = assertThrows(PolicyException.class, () -> Screener.fromFile(missing));
        assertEquals(PolicyException.Type.IO, e.type());
        assertEquals("XS_ERR_IO", e.status());
        assertEquals(6, e.code());
        assertEquals(Optional.of(missing), e.path());
        assertTrue(e.getMessage().contains("no_such_policy.toml"), e.getMessage());
    }

    @Test
    void missingListFileIsAnIoErrorNamingItAndWhereThePolicySaysSo(@TempDir Path dir) throws IOException {
        Path policy = dir.resolve("policy.toml");
        Files.writeString(policy, HEADER + "[[lexicon]]\ntag = \"drugs\"\nseverity = \"block\"\nfiles = [\"gone.txt\"]\n",
                StandardCharsets.UTF_8);
        PolicyException e = assertThrows(PolicyException.class, () -> Screener.fromFile(policy));
        assertEquals(PolicyException.Type.IO, e.type());
        assertTrue(e.getMessage().contains("gone.txt"), e.getMessage());
        assertEquals(Optional.of(dir.resolve("gone.txt")), e.path(), "the file that cannot be read");
        assertEquals(OptionalInt.of(6), e.line());
        assertEquals(OptionalInt.of(10), e.column());
    }

    @Test
    void unknownKindNameIsInvalidInput() {
        try (Screener s = new Screener()) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> s.screen("正文", Draft.builder().kind("tweet").build()));
            assertEquals("XS_ERR_INVALID_ARGUMENT", e.status());
            assertEquals(2, e.code());
            assertTrue(e.getMessage().contains("tweet"), e.getMessage());
            assertEquals(Verdict.PASS, s.screen("正文", Draft.builder().kind("comment").build()).verdict());
        }
    }

    @Test
    void dateTheLibraryCannotTakeIsInvalidInput() {
        try (Screener s = new Screener()) {
            Draft farFuture = Draft.builder().date(LocalDate.of(10000, 1, 1)).build();
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> s.screen("正文", farFuture));
            assertEquals("XS_ERR_INVALID_ARGUMENT", e.status());
            assertTrue(e.getMessage().contains("+10000-01-01"), e.getMessage());
        }
    }

    @Test
    void loneSurrogatesAreRejectedWithTheirIndex() {
        try (Screener s = new Screener()) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> s.screen("出售\uD800冰毒"));
            assertEquals("XS_ERR_INVALID_UTF8", e.status());
            assertTrue(e.getMessage().contains("index 2"), e.getMessage());
            assertThrows(InvalidInputException.class, () -> s.screen("ab\uDC00"));
            assertThrows(InvalidInputException.class, () -> Draft.builder().title("\uD83D"));
            assertThrows(InvalidInputException.class, () -> Redaction.replace("\uDE00x"));
            assertDoesNotThrow(() -> s.screen("😀𠀀"));
        }
    }

    @Test
    void maskThatIsNotAScalarValueIsInvalidInput() {
        assertThrows(InvalidInputException.class, () -> Redaction.mask(0xD800));
        assertThrows(InvalidInputException.class, () -> Redaction.suggestion(0x110000));
        assertThrows(InvalidInputException.class, () -> Redaction.mask(-1));
        assertEquals("Redaction[mask=😀]", Redaction.mask(0x1F600).toString());
    }

    @Test
    void nullArgumentsThrowNullPointerException() {
        try (Screener s = new Screener()) {
            assertThrows(NullPointerException.class, () -> s.screen(null));
            assertThrows(NullPointerException.class, () -> s.screen("x", null));
            assertThrows(NullPointerException.class, () -> Screener.fromToml(null));
            assertThrows(NullPointerException.class, () -> Screener.fromFile(null));
        }
    }

    @Test
    void useAfterCloseThrowsAndCloseIsIdempotent() {
        Screener s = new Screener();
        assertEquals(Verdict.BLOCK, s.screen("本店出售冰毒").verdict());
        s.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.screen("本店出售冰毒"));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertDoesNotThrow(s::close);
        assertThrows(IllegalStateException.class, () -> s.screen(""));
    }

    @Test
    void libraryNotFoundListsEveryPlaceTried() {
        LibraryNotFoundError e = assertThrows(LibraryNotFoundError.class, () -> Lib.locate(
                "/nonexistent/prop/libxianshen.so", "/nonexistent/env/libxianshen.so", "xianshen_not_installed"));
        assertInstanceOf(UnsatisfiedLinkError.class, e);
        String m = e.getMessage();
        for (String place : new String[] {
            "xianshen.library.path=/nonexistent/prop/libxianshen.so",
            "XIANSHEN_LIBRARY=/nonexistent/env/libxianshen.so",
            "system library path, as libxianshen_not_installed.so",
            "java.library.path=",
        }) {
            assertTrue(m.contains(place), "names " + place + ":\n" + m);
        }
        assertEquals(5, m.lines().count(), "a heading, three places and a hint:\n" + m);

        LibraryNotFoundError unset = assertThrows(LibraryNotFoundError.class,
                () -> Lib.locate(null, "", "xianshen_not_installed"));
        assertTrue(unset.getMessage().contains("xianshen.library.path: not set"), unset.getMessage());
        assertTrue(unset.getMessage().contains("XIANSHEN_LIBRARY: not set"), unset.getMessage());
    }

    @Test
    void libraryWithoutTheJsonFunctionsIsRejected() {
        // libm: a library that loads but is not libxianshen ("c" would be the whole process here).
        LibraryNotFoundError e = assertThrows(LibraryNotFoundError.class, () -> Lib.locate(null, null, "m"));
        assertTrue(e.getMessage().contains("does not export xs_screener_new_json"), e.getMessage());
    }

    @Test
    void switchingToAnotherLibraryIsRefused(@TempDir Path dir) {
        try (Screener s = new Screener()) {
            assertEquals(Verdict.PASS, s.screen("").verdict());
        }
        String loaded = System.getProperty(Lib.PROPERTY, System.getenv(Lib.ENV));
        assertDoesNotThrow(() -> Screener.loadLibrary(Path.of(loaded)), "the library already in use");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Screener.loadLibrary(dir.resolve("libxianshen.so")));
        assertTrue(e.getMessage().contains("already loaded"), e.getMessage());
    }
}

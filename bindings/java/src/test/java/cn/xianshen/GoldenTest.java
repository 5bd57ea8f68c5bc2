package cn.xianshen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every golden case of {@code tests/cases}, from the JSON lines fixture the
 * {@code golden_fixture} example writes (path in the system property
 * {@code xianshen.golden} or the environment variable {@code XIANSHEN_GOLDEN}).
 */
class GoldenTest {
    private static final Set<String> OPTIONS = Set.of("title", "source", "repost", "kind", "input_format", "redact");
    private static final Map<String, Screener> SCREENERS = new HashMap<>();

    @AfterAll
    static void closeScreeners() {
        SCREENERS.values().forEach(Screener::close);
        SCREENERS.clear();
    }

    static Path fixture() {
        String path = System.getProperty("xianshen.golden", System.getenv("XIANSHEN_GOLDEN"));
        assertNotNull(path, "set -Dxianshen.golden or XIANSHEN_GOLDEN to the golden JSONL fixture");
        return Path.of(path);
    }

    @TestFactory
    Stream<DynamicTest> goldenCases() throws IOException {
        List<String> lines = Files.readAllLines(fixture(), StandardCharsets.UTF_8);
        List<DynamicTest> tests = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            JsonObject c = JsonParser.parseString(line).getAsJsonObject();
            tests.add(DynamicTest.dynamicTest(c.get("name").getAsString(), () -> run(c)));
        }
        assertFalse(tests.isEmpty(), "the golden fixture has no cases");
        return tests.stream();
    }

    private static void run(JsonObject c) {
        String input = c.get("input").getAsString();
        String policy = str(c, "policy");
        Path baseDir = Path.of(c.get("base_dir").getAsString());
        JsonObject error = obj(c, "error");
        if (error != null) {
            expectPolicyError(policy, baseDir, error);
            return;
        }
        Screener screener = SCREENERS.computeIfAbsent(policy == null ? "" : policy + "\0" + baseDir,
                key -> policy == null ? new Screener() : Screener.fromToml(policy, baseDir));
        JsonObject options = obj(c, "options");
        Draft draft = draft(options == null ? new JsonObject() : options, false);

        Report report = screener.screen(input, draft);
        String json = str(c, "json");
        assertNotNull(json, "a case without an error has the library's JSON");
        assertEquals(json, report.toJson(), "report JSON");
        if (str(c, "verdict") != null) {
            assertEquals(str(c, "verdict"), report.verdict().id(), "verdict");
        }
        if (str(c, "approval") != null) {
            assertEquals(str(c, "approval"), report.approval().id(), "approval");
        }
        JsonElement truncated = c.get("truncated");
        if (truncated != null && !truncated.isJsonNull()) {
            assertEquals(truncated.getAsBoolean(), report.truncated(), "truncated");
        }
        JsonArray expected = arr(c, "findings");
        if (expected != null) {
            List<String> rules = new ArrayList<>();
            JsonArray r = arr(c, "rules");
            if (r != null) {
                r.forEach(e -> rules.add(e.getAsString()));
            }
            List<String> want = new ArrayList<>();
            for (JsonElement e : expected) {
                JsonObject f = e.getAsJsonObject();
                want.add(describe(f.get("rule").getAsString(), f.get("start").getAsLong(), f.get("end").getAsLong(),
                        f.get("text").getAsString(), str(f, "evasion")));
            }
            List<String> got = new ArrayList<>();
            for (Finding f : report.findings()) {
                if (rules.isEmpty() || rules.stream().anyMatch(f.rule()::startsWith)) {
                    got.add(describe(f.rule(), f.byteStart(), f.byteEnd(), f.text(), f.evasion().orElse(null)));
                }
            }
            assertEquals(want, got, "findings");
        }
        Spans.check(input, report.findings(), "text");
        Spans.check(draft.title().orElse(""), report.titleFindings(), "title");

        String redactOutput = str(c, "redact_output");
        if (redactOutput != null) {
            assertNotNull(options, "a case with redact_output has options.redact");
            Report redacted = screener.screen(input, draft(options, true));
            assertEquals(redactOutput, redacted.redacted().orElseThrow(), "redacted text");
            assertEquals(report.findings(), redacted.findings(), "findings of the redacting call");
        }
    }

    private static void expectPolicyError(String policy, Path baseDir, JsonObject error) {
        assertNotNull(policy, "an error case has a policy");
        try {
            Screener.fromToml(policy, baseDir).close();
            fail("the policy loaded; expected a " + error.get("kind").getAsString() + " error");
        } catch (PolicyException e) {
            String kind = error.get("kind").getAsString();
            PolicyException.Type type = switch (kind) {
                case "syntax" -> PolicyException.Type.SYNTAX;
                case "invalid" -> PolicyException.Type.INVALID;
                case "io" -> PolicyException.Type.IO;
                default -> throw new AssertionError("unknown error kind " + kind);
            };
            String status = switch (type) {
                case SYNTAX -> "XS_ERR_POLICY_SYNTAX";
                case INVALID -> "XS_ERR_POLICY_INVALID";
                case IO -> "XS_ERR_IO";
            };
            assertEquals(type, e.type(), e.getMessage());
            assertEquals(status, e.status(), e.getMessage());
            JsonElement line = error.get("line");
            if (line != null && !line.isJsonNull()) {
                assertEquals(OptionalInt.of(line.getAsInt()), e.line(), "line: " + e.getMessage());
            }
            JsonElement column = error.get("column");
            if (column != null && !column.isJsonNull()) {
                assertEquals(OptionalInt.of(column.getAsInt()), e.column(), "column: " + e.getMessage());
            }
            String contains = str(error, "contains");
            if (contains != null) {
                assertTrue(e.getMessage().contains(contains), "message contains " + contains + ": " + e.getMessage());
            }
        }
    }

    /** The case's options as a {@link Draft}, through the public builder; {@code redact} only when asked. */
    private static Draft draft(JsonObject options, boolean withRedaction) {
        for (String key : options.keySet()) {
            assertTrue(OPTIONS.contains(key), "option this test does not map: " + key);
        }
        Draft.Builder b = Draft.builder().title(str(options, "title")).source(str(options, "source"));
        JsonElement repost = options.get("repost");
        if (repost != null && !repost.isJsonNull()) {
            b.repost(repost.getAsBoolean());
        }
        b.kind(str(options, "kind"));
        String format = str(options, "input_format");
        if (format != null) {
            b.format(Arrays.stream(Format.values()).filter(f -> f.id().equals(format)).findFirst()
                    .orElseThrow(() -> new AssertionError("unknown input_format " + format)));
        }
        JsonObject redact = obj(options, "redact");
        if (withRedaction) {
            assertNotNull(redact, "options.redact");
            b.redact(redaction(redact));
        }
        return b.build();
    }

    private static Redaction redaction(JsonObject r) {
        Redaction redaction;
        if (r.has("mask")) {
            redaction = Redaction.mask(r.get("mask").getAsString().codePointAt(0));
        } else if (r.has("replace")) {
            redaction = Redaction.replace(r.get("replace").getAsString());
        } else if (r.has("suggest")) {
            redaction = Redaction.suggestion(r.get("suggest").getAsString().codePointAt(0));
        } else {
            throw new AssertionError("redact without mask, replace or suggest: " + r);
        }
        JsonArray rules = arr(r, "rules");
        if (rules != null) {
            List<String> prefixes = new ArrayList<>();
            rules.forEach(e -> prefixes.add(e.getAsString()));
            redaction = redaction.rules(prefixes);
        }
        return redaction;
    }

    private static String describe(String rule, long start, long end, String text, String evasion) {
        return rule + " " + start + ".." + end + " " + text + (evasion == null ? "" : " evasion=" + evasion);
    }

    private static String str(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    private static JsonObject obj(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? null : e.getAsJsonObject();
    }

    private static JsonArray arr(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? null : e.getAsJsonArray();
    }
}

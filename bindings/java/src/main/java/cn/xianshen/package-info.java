/**
 * Java client of xianshen (先审): screens drafts of official new-media
 * accounts before they are published.
 *
 * <p>A thin layer over {@code libxianshen} (the C ABI in {@code bindings/c}),
 * called through JNA: the same rules, the same findings and the same
 * {@code xianshen.report/1} JSON as every other surface.
 *
 * <pre>{@code
 * try (Screener screener = new Screener()) {          // the embedded default policy
 *     String text = "本店出售冰毒，量大从优";
 *     Report report = screener.screen(text);
 *     report.verdict();                                // Verdict.BLOCK
 *     for (Finding f : report.findings()) {
 *         text.substring(f.start(), f.end());          // == f.text()
 *     }
 * }
 * }</pre>
 *
 * <p>The native library is found by {@link cn.xianshen.Screener#loadLibrary},
 * the system property {@code xianshen.library.path}, the environment variable
 * {@code XIANSHEN_LIBRARY}, then the system library path, in that order.
 */
package cn.xianshen;

package cn.xianshen.examples;

import cn.xianshen.Screener;
import java.nio.file.Path;

/**
 * Spring-style wiring of xianshen, without a Spring dependency: in a Spring
 * application annotate this class with {@code @Configuration}, {@code screener}
 * with {@code @Bean(destroyMethod = "close")} and its parameter with
 * {@code @Value("${xianshen.policy:}")}, and {@code prepublishCheck} with
 * {@code @Bean}. One screener serves the whole application: it is
 * thread-safe, and building it compiles the policy.
 */
public class ScreeningConfiguration {
    /**
     * The application's screener.
     *
     * @param policyFile the unit's policy file, or blank for the embedded default policy
     * @return a screener to close when the application stops
     */
    public Screener screener(String policyFile) {
        return policyFile == null || policyFile.isBlank() ? new Screener() : Screener.fromFile(Path.of(policyFile));
    }

    /**
     * The pre-publish check the CMS calls before a post goes out.
     *
     * @param screener the application's screener
     * @return the check
     */
    public PrepublishCheck prepublishCheck(Screener screener) {
        return new PrepublishCheck(screener);
    }
}

package cn.xianshen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One screener shared by eight threads gives the serial reports. */
class ThreadsTest {
    private static final int THREADS = 8;
    private static final int ROUNDS = 3;

    @Test
    void eightThreadsShareOneScreener() throws Exception {
        TextGen gen = new TextGen(8);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            texts.add(gen.next(60));
        }
        Draft comment = Draft.builder().kind(Kind.COMMENT).title("出售冰毒").build();
        try (Screener screener = new Screener()) {
            List<String> serial = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                serial.add(screener.screen(texts.get(i), i % 2 == 0 ? Draft.NONE : comment).toJson());
            }
            assertTrue(serial.stream().anyMatch(j -> j.contains("\"rule\":\"term.")), "the drafts have findings");

            CyclicBarrier start = new CyclicBarrier(THREADS);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int offset = t * 17;
                    results.add(pool.submit(() -> {
                        start.await();
                        int checked = 0;
                        for (int round = 0; round < ROUNDS; round++) {
                            for (int k = 0; k < texts.size(); k++) {
                                int i = (k + offset) % texts.size();
                                String json = screener.screen(texts.get(i), i % 2 == 0 ? Draft.NONE : comment).toJson();
                                assertEquals(serial.get(i), json, "draft " + i);
                                checked++;
                            }
                        }
                        return checked;
                    }));
                }
                int total = 0;
                for (Future<Integer> f : results) {
                    total += f.get(5, TimeUnit.MINUTES);
                }
                assertEquals(THREADS * ROUNDS * texts.size(), total);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void closeWaitsForCallsInProgress() throws Exception {
        Screener screener = new Screener();
        String text = "本店出售冰毒。".repeat(2000);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                results.add(pool.submit(() -> {
                    int screened = 0;
                    try {
                        while (true) {
                            assertEquals(Verdict.BLOCK, screener.screen(text).verdict());
                            screened++;
                        }
                    } catch (IllegalStateException closed) {
                        return screened;
                    }
                }));
            }
            Thread.sleep(200);
            screener.close();
            for (Future<Integer> f : results) {
                f.get(1, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}

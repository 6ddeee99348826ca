package io.focusmate.examples.springboot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focusmate.examples.suite.ExampleSuite;
import io.focusmate.realtime.testkit.WsClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared suite against {@code java -jar target/spring-boot.jar}, plus what only Boot has: Actuator. */
abstract class SpringBootSuite extends ExampleSuite {

    SpringBootSuite(Backend backend) {
        super(Path.of("target", "spring-boot.jar"), backend);
    }

    @Test
    void theGatewaysMetersAreInActuatorsPrometheusScrape() throws Exception {
        try (WsClient client = notifications("metered")) {
            assertEquals(202, post("/notify/metered", "{\"title\":\"counted\",\"message\":\"\"}").statusCode());
            assertEquals("notification", client.next().path("type").asText());

            HttpResponse<String> scrape = get("/actuator/prometheus");
            assertEquals(200, scrape.statusCode());
            String text = scrape.body();
            assertTrue(sample(text, "realtime_connections_active{endpoint=\"notifications\"}") >= 1, text);
            assertTrue(sample(text, "realtime_messages_delivered_total") >= 1, text);
            assertTrue(sample(text, "realtime_connections_opened_total{endpoint=\"notifications\"}") >= 1, text);
            assertEquals(1, sample(text, "realtime_broker_up"), "the broker gauge reads its source, even after a GC");
            for (String name : List.of("realtime_frames_out_total{type=\"notification\"}",
                    "realtime_delivery_latency_seconds_bucket{le=\"0.001\"}", "realtime_delivery_latency_seconds_count",
                    "realtime_broker_state{state=\"up\"}", "realtime_queue_overflows_total")) {
                sample(text, name);
            }
        }
    }

    /** The value of the series named exactly {@code series} in a Prometheus text scrape. */
    private static double sample(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]);
            }
        }
        throw new AssertionError("no series " + series + " in the scrape:\n" + scrape);
    }
}

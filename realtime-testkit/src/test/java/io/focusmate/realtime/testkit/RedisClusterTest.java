package io.focusmate.realtime.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The test kit's Redis Cluster is a real one: three masters, a replica each, and failover when a master dies. */
@Timeout(120)
class RedisClusterTest {
    @Test
    void threeMastersWithAReplicaEachServeEverySlotAndAReplicaTakesOverFromAKilledMaster() {
        try (RedisCluster cluster = RedisCluster.start()) {
            String nodes = cluster.node(0).command("CLUSTER", "NODES");
            assertEquals(3, nodes.lines().filter(line -> line.contains("master")).count(), nodes);
            assertEquals(3, nodes.lines().filter(line -> line.contains("slave")).count(), nodes);
            assertTrue(cluster.url().startsWith("redis-cluster://127.0.0.1:"), cluster.url());

            RedisServer master = cluster.masterOf("room:{r1}:state");
            assertEquals("OK", master.command("SET", "room:{r1}:state", "kept"));
            master.command("WAIT", "1", "5000"); // the replica has the write before the master dies
            master.stop();
            Await.until("a replica to take over the slot", Duration.ofSeconds(30),
                    () -> !cluster.masterOf("room:{r1}:state").equals(master));
            cluster.awaitHealthy(Duration.ofSeconds(30));
            RedisServer promoted = cluster.masterOf("room:{r1}:state");
            assertNotEquals(master.port(), promoted.port());
            assertEquals("kept", promoted.command("GET", "room:{r1}:state"));
        }
    }
}

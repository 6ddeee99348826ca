/** The Redis backend of the gateway: {@code RedisBackend}. */
@SuppressWarnings("requires-automatic")
module io.focusmate.realtime.redis {
    requires transitive io.focusmate.realtime;
    requires redis.clients.jedis;
    requires org.slf4j;

    exports io.focusmate.realtime.redis;
}

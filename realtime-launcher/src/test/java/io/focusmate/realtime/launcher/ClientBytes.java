package io.focusmate.realtime.launcher;

import io.focusmate.realtime.testkit.RawWebSocket;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Generators of what a client may write after the upgrade, for the fuzz tests: streams of WebSocket frames whose
 * every header field is drawn (FIN, reserved bits, opcode, mask bit, each length encoding with lengths around the
 * limit, 64-bit lengths with the top bit set), whose payload may fall short of what the header declares, mixed with
 * bytes that are no frame at all.
 */
public final class ClientBytes {
    private static final int[] FIRST_BYTES = {0x81, 0x01, 0x00, 0x80, 0x89, 0x8A, 0x88, 0x82};
    private static final List<String> TEXTS = List.of("{\"type\":\"ping\"}", "{\"type\":\"subscribe\"}", "{not json",
            "{\"type\":\"message\",\"data\":{\"content\":\"hi\"}}", "\u00E9\uAC00\uD83D\uDE00", "");

    private ClientBytes() {
    }

    /** One to six frames or runs of random bytes, end to end. */
    public static byte[] stream(Random random, long maxFrameBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 1 + random.nextInt(6); i > 0; i--) {
            if (random.nextInt(6) == 0) {
                byte[] noise = new byte[1 + random.nextInt(20)];
                random.nextBytes(noise);
                out.writeBytes(noise);
            } else {
                out.writeBytes(frame(random, maxFrameBytes));
            }
        }
        return out.toByteArray();
    }

    /**
     * A stream a client library could write (whole text messages, fragmented ones with pings between the fragments,
     * binary frames, a close with any code), in which one piece in three is swapped for a drawn {@link #frame}.
     */
    public static byte[] mostlyValid(Random random, long maxFrameBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 1 + random.nextInt(5); i > 0; i--) {
            byte[] text = TEXTS.get(random.nextInt(TEXTS.size())).getBytes(StandardCharsets.UTF_8);
            switch (random.nextInt(random.nextInt(3) == 0 ? 6 : 4)) {
                case 0, 1 -> out.writeBytes(masked(random, 0x81, text));
                case 2 -> {
                    int cut = random.nextInt(text.length + 1);
                    out.writeBytes(masked(random, 0x01, Arrays.copyOfRange(text, 0, cut)));
                    out.writeBytes(masked(random, 0x89, new byte[random.nextInt(126)]));
                    out.writeBytes(masked(random, 0x80, Arrays.copyOfRange(text, cut, text.length)));
                }
                case 3 -> out.writeBytes(frame(random, maxFrameBytes));
                case 4 -> out.writeBytes(masked(random, 0x82, text));
                default -> out.writeBytes(masked(random, 0x88, new byte[] {(byte) random.nextInt(256),
                        (byte) random.nextInt(256), 'b', 'y', 'e'}));
            }
        }
        return out.toByteArray();
    }

    /** A masked frame with this first byte and payload. */
    private static byte[] masked(Random random, int first, byte[] payload) {
        byte[] frame = RawWebSocket.frame(first, payload);
        byte[] key = new byte[4];
        random.nextBytes(key);
        int at = frame.length - payload.length - 4;
        for (int i = 0; i < 4; i++) {
            frame[at + i] = key[i];
        }
        for (int i = 0; i < payload.length; i++) {
            frame[at + 4 + i] = (byte) (payload[i] ^ key[i % 4]);
        }
        return frame;
    }

    /** One frame with drawn header fields; masked nine times in ten. */
    public static byte[] frame(Random random, long maxFrameBytes) {
        int first = random.nextInt(4) == 0 ? random.nextInt(256) : FIRST_BYTES[random.nextInt(FIRST_BYTES.length)];
        boolean masked = random.nextInt(10) != 0;
        long declared = switch (random.nextInt(6)) {
            case 0 -> random.nextInt(126);
            case 1 -> random.nextInt(300);
            case 2 -> maxFrameBytes - 2 + random.nextInt(5);
            case 3 -> random.nextLong();
            case 4 -> random.nextInt(70_000);
            default -> TEXTS.get(random.nextInt(TEXTS.size())).getBytes(StandardCharsets.UTF_8).length;
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(first);
        int mask = masked ? 0x80 : 0;
        if (declared >= 0 && declared <= 125 && random.nextInt(4) != 0) {
            out.write(mask | (int) declared);
        } else if (declared >= 0 && declared <= 0xFFFF && random.nextBoolean()) {
            out.write(mask | 126);
            out.write((int) (declared >>> 8));
            out.write((int) declared);
        } else {
            out.write(mask | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (declared >>> shift));
            }
        }
        byte[] key = new byte[4];
        random.nextBytes(key);
        if (masked) {
            out.writeBytes(key);
        }
        out.writeBytes(payload(random, declared, key, masked));
        return out.toByteArray();
    }

    /** The declared payload (text, or random bytes), whole when small, often cut short; masked with the key. */
    private static byte[] payload(Random random, long declared, byte[] key, boolean masked) {
        boolean whole = declared >= 0 && declared <= 2_000 && random.nextInt(5) != 0;
        int length = whole ? (int) declared : random.nextInt(100);
        byte[] payload = new byte[length];
        byte[] text = TEXTS.get(random.nextInt(TEXTS.size())).getBytes(StandardCharsets.UTF_8);
        if (random.nextBoolean() && text.length == length) {
            payload = text;
        } else {
            random.nextBytes(payload);
        }
        if (masked) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= key[i % 4];
            }
        }
        return payload;
    }

    /** Cut points that split {@code length} bytes into one to eight writes. */
    public static int[] cuts(Random random, int length) {
        return random.ints(random.nextInt(8), 0, length + 1).sorted().toArray();
    }
}

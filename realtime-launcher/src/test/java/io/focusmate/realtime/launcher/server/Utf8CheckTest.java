package io.focusmate.realtime.launcher.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8CheckTest {
    private static boolean valid(byte[] bytes) {
        Utf8Check check = new Utf8Check();
        return check.feed(bytes) && check.complete();
    }

    private static boolean jdkAccepts(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "41", "c2a9", "e282ac", "f09f9880", "f48fbfbf", "ed9fbf", "ee8080", "efbfbf"})
    void wellFormedTextIsAccepted(String hex) {
        assertTrue(valid(HexFormat.of().parseHex(hex)), hex);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "80", // a continuation byte alone
        "c0af", "c1bf", // overlong two-byte forms
        "e080af", // an overlong three-byte form
        "f08080af", // an overlong four-byte form
        "eda080", "edbfbf", // UTF-16 surrogates
        "f4908080", // above U+10FFFF
        "f5808080", "ff", // bytes UTF-8 never uses
        "c241", // a lead byte followed by ASCII
        "cebae1bdb9cf83cebcceb5eda080656469746564" // valid text, then a surrogate (the Autobahn case 6.4.x)
    })
    void malformedTextIsRefused(String hex) {
        assertFalse(valid(HexFormat.of().parseHex(hex)), hex);
    }

    @Test
    void aCharacterSplitAcrossFragmentsIsWholeOnlyAfterTheLastByte() {
        byte[] euro = HexFormat.of().parseHex("e282ac");
        Utf8Check check = new Utf8Check();
        assertTrue(check.feed(Arrays.copyOfRange(euro, 0, 1)));
        assertFalse(check.complete());
        assertTrue(check.feed(Arrays.copyOfRange(euro, 1, 2)));
        assertFalse(check.complete());
        assertTrue(check.feed(Arrays.copyOfRange(euro, 2, 3)));
        assertTrue(check.complete());
    }

    @Test
    void invalidBytesInAFirstFragmentAreRefusedBeforeTheMessageEnds() {
        Utf8Check check = new Utf8Check();
        assertTrue(check.feed("hello ".getBytes(StandardCharsets.UTF_8)));
        assertFalse(check.feed(HexFormat.of().parseHex("eda080")), "a surrogate is refused in its own fragment");
    }

    @Test
    void itAgreesWithTheJdkDecoderOnTenThousandRandomByteStrings() {
        Random random = new Random(6455);
        for (int i = 0; i < 10_000; i++) {
            byte[] bytes = new byte[random.nextInt(8)];
            for (int j = 0; j < bytes.length; j++) {
                // mostly the bytes where UTF-8's rules live: lead bytes, continuation bytes, their edges
                bytes[j] = (byte) (random.nextBoolean() ? 0x80 + random.nextInt(0x80) : random.nextInt(256));
            }
            assertEquals(jdkAccepts(bytes), valid(bytes), HexFormat.of().formatHex(bytes));
        }
    }
}

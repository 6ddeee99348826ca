package io.focusmate.realtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.focusmate.realtime.protocol.CloseCode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboundQueueTest {

    @Test
    void framesAreWrittenInOrderOneAtATime() {
        FakeTransport transport = new FakeTransport().stalled();
        OutboundQueue queue = new OutboundQueue(transport, 10_000, false);
        for (int i = 0; i < 5; i++) {
            assertEquals(OutboundQueue.Offer.QUEUED, queue.offer(new OutboundFrame("f" + i)));
        }
        assertEquals(List.of("f0"), transport.sent());
        for (int i = 0; i < 4; i++) {
            transport.completeOne();
        }
        assertEquals(List.of("f0", "f1", "f2", "f3", "f4"), transport.sent());
        assertEquals(1, transport.maxInFlight);
    }

    @Test
    void aTransportThatCompletesSynchronouslyDrainsALongQueueWithoutDeepRecursion() {
        // Every send completes inside send(): a recursive drain of 200,000 frames would overflow the stack.
        FakeTransport transport = new FakeTransport();
        OutboundQueue queue = new OutboundQueue(transport, Long.MAX_VALUE, true);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            queue.offer(new OutboundFrame("m" + i));
            expected.add("m" + i);
        }
        queue.resume();
        assertEquals(expected, transport.sent());
        assertEquals(0, queue.queuedChars());
    }

    @Test
    void framesHeldBackUntilResumeThenFlowInOrder() {
        FakeTransport transport = new FakeTransport();
        OutboundQueue queue = new OutboundQueue(transport, 10_000, true);
        queue.offer(new OutboundFrame("connected"));
        queue.offer(new OutboundFrame("n1"));
        assertEquals(List.of(), transport.sent());
        queue.resume();
        assertEquals(List.of("connected", "n1"), transport.sent());
    }

    @Test
    void aFrameThatWouldPassTheLimitBehindTheFrameInFlightIsRefusedAsOverflow() {
        FakeTransport transport = new FakeTransport().stalled();
        OutboundQueue queue = new OutboundQueue(transport, 10, false);
        assertEquals(OutboundQueue.Offer.QUEUED, queue.offer(new OutboundFrame("in flight")));
        assertEquals(OutboundQueue.Offer.QUEUED, queue.offer(new OutboundFrame("123456")));
        assertEquals(OutboundQueue.Offer.QUEUED, queue.offer(new OutboundFrame("1234")));
        assertEquals(OutboundQueue.Offer.OVERFLOW, queue.offer(new OutboundFrame("1")));
    }

    @Test
    void aSmallFrameRightBehindALargeOneInFlightIsQueuedNotTakenForASlowReader() {
        FakeTransport transport = new FakeTransport().stalled();
        OutboundQueue queue = new OutboundQueue(transport, 10, false);
        assertEquals(OutboundQueue.Offer.QUEUED, queue.offer(new OutboundFrame("x".repeat(5_000))));
        assertEquals(OutboundQueue.Offer.QUEUED, queue.offer(new OutboundFrame("small")));
        transport.completeOne();
        transport.completeOne();
        assertEquals(List.of("x".repeat(5_000), "small"), transport.sent());
    }

    @Test
    void aSingleFrameLargerThanTheLimitIsStillSentWhenTheQueueIsEmpty() {
        FakeTransport transport = new FakeTransport();
        OutboundQueue queue = new OutboundQueue(transport, 4, false);
        assertEquals(OutboundQueue.Offer.QUEUED, queue.offer(new OutboundFrame("much longer than four")));
        assertEquals(1, transport.sent().size());
    }

    @Test
    void closeWhenDrainedWritesWhatIsQueuedThenCloses() {
        FakeTransport transport = new FakeTransport().stalled();
        OutboundQueue queue = new OutboundQueue(transport, 10_000, false);
        queue.offer(new OutboundFrame("error frame"));
        queue.closeWhenDrained(CloseCode.AUTH_FAILED);
        assertEquals(OutboundQueue.Offer.CLOSED, queue.offer(new OutboundFrame("too late")));
        assertEquals(-1, transport.closeCode());
        transport.completeOne();
        assertEquals(1008, transport.closeCode());
        assertEquals(List.of("error frame"), transport.sent());
    }

    @Test
    void closeNowDropsTheQueueAndClosesAtOnce() {
        FakeTransport transport = new FakeTransport().stalled();
        OutboundQueue queue = new OutboundQueue(transport, 10_000, false);
        queue.offer(new OutboundFrame("a"));
        queue.offer(new OutboundFrame("b"));
        queue.closeNow(CloseCode.SLOW_CONSUMER);
        assertEquals(4001, transport.closeCode());
        transport.completeOne();
        assertEquals(List.of("a"), transport.sent());
        assertEquals(0, queue.queuedChars());
    }

    @Test
    void framesQueuedBehindAWriteInFlightLeaveTogetherInOneWriteWhenItCompletes() {
        FakeTransport transport = new FakeTransport().stalled();
        OutboundQueue queue = new OutboundQueue(transport, 10_000, false);
        for (int i = 0; i < 4; i++) {
            queue.offer(new OutboundFrame("f" + i));
        }
        transport.completeOne();
        assertEquals(List.of(3), transport.batches());
        transport.completeOne();
        transport.completeOne();
        assertEquals(List.of("f0", "f1", "f2", "f3"), transport.sent());
    }

    @Test
    void framesOfAWriteInFlightNoLongerCountAsWaitingForTheLimit() {
        FakeTransport transport = new FakeTransport().stalled();
        OutboundQueue queue = new OutboundQueue(transport, 10, false);
        queue.offer(new OutboundFrame("in flight"));
        assertEquals(OutboundQueue.Offer.QUEUED, queue.offer(new OutboundFrame("123456")));
        assertEquals(OutboundQueue.Offer.QUEUED, queue.offer(new OutboundFrame("1234")));
        transport.completeOne(); // "123456" and "1234" are now one write in flight
        assertEquals(OutboundQueue.Offer.QUEUED, queue.offer(new OutboundFrame("1234567890")));
        assertEquals(OutboundQueue.Offer.OVERFLOW, queue.offer(new OutboundFrame("1")));
    }

    @Test
    void aDeliveringThreadHoldsItsFramesUntilItFlushesThenEachSocketGetsThemInOneWriteInOrder() {
        FakeTransport first = new FakeTransport();
        FakeTransport second = new FakeTransport();
        OutboundQueue one = new OutboundQueue(first, 10_000, false);
        OutboundQueue two = new OutboundQueue(second, 10_000, false);
        HeldWrites held = HeldWrites.ofThisThread();
        for (int i = 0; i < 3; i++) {
            String text = "m" + i;
            held.deliver(() -> {
                one.offer(new OutboundFrame(text));
                two.offer(new OutboundFrame(text));
            });
        }
        assertEquals(List.of(), first.sent());
        held.flush();
        assertEquals(List.of("m0", "m1", "m2"), first.sent());
        assertEquals(List.of(3), first.batches());
        assertEquals(List.of("m0", "m1", "m2"), second.sent());
        assertEquals(List.of(3), second.batches());
    }

    @Test
    void aLoneHeldFrameIsOneWriteOfItsOwnAndFramesOfferedOutsideADeliveryAreNotHeld() {
        FakeTransport transport = new FakeTransport();
        OutboundQueue queue = new OutboundQueue(transport, 10_000, false);
        HeldWrites held = HeldWrites.ofThisThread();
        held.deliver(() -> queue.offer(new OutboundFrame("lone")));
        held.flush();
        assertEquals(List.of("lone"), transport.sent());
        assertEquals(List.of(), transport.batches());
        queue.offer(new OutboundFrame("reply"));
        assertEquals(List.of("lone", "reply"), transport.sent());
    }

    @Test
    void aDeliveringThreadThatNeverRunsOutOfMessagesStillFlushesEveryFewMessages() {
        FakeTransport transport = new FakeTransport();
        OutboundQueue queue = new OutboundQueue(transport, Long.MAX_VALUE, false);
        HeldWrites held = HeldWrites.ofThisThread();
        for (int i = 0; i < HeldWrites.MAX_MESSAGES; i++) {
            String text = "m" + i;
            held.deliver(() -> queue.offer(new OutboundFrame(text)));
        }
        assertEquals(HeldWrites.MAX_MESSAGES, transport.sent().size());
        assertEquals(List.of(HeldWrites.MAX_MESSAGES), transport.batches());
        held.flush();
    }

    @Test
    void aQueueClosedWhileItsFramesAreHeldWritesNothingAtTheFlush() {
        FakeTransport transport = new FakeTransport();
        OutboundQueue queue = new OutboundQueue(transport, 10_000, false);
        HeldWrites held = HeldWrites.ofThisThread();
        held.deliver(() -> queue.offer(new OutboundFrame("held")));
        queue.closeNow(CloseCode.SLOW_CONSUMER);
        held.flush();
        assertEquals(List.of(), transport.sent());
        assertEquals(4001, transport.closeCode());
    }

    @Test
    void aSmallFrameRightBehindALargeHeldOneIsQueuedNotTakenForASlowReader() {
        FakeTransport transport = new FakeTransport();
        OutboundQueue queue = new OutboundQueue(transport, 10, false);
        HeldWrites held = HeldWrites.ofThisThread();
        held.deliver(() -> assertEquals(OutboundQueue.Offer.QUEUED, queue.offer(new OutboundFrame("x".repeat(5_000)))));
        held.deliver(() -> assertEquals(OutboundQueue.Offer.QUEUED, queue.offer(new OutboundFrame("small"))));
        held.deliver(() -> assertEquals(OutboundQueue.Offer.OVERFLOW, queue.offer(new OutboundFrame("123456"))));
        held.flush();
        assertEquals(List.of("x".repeat(5_000), "small"), transport.sent());
    }
}

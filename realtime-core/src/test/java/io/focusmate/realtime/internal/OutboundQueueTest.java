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
}

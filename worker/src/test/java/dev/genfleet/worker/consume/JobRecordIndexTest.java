package dev.genfleet.worker.consume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class JobRecordIndexTest {

    private static final TopicPartition P = new TopicPartition("genfleet.jobs.text.bulk", 3);

    @Test
    void shouldAnswerTheEarlierRecordOfARepeatedJobAndNothingForItsFirst() {
        JobRecordIndex index = new JobRecordIndex(100);
        assertEquals(OptionalLong.empty(), index.earlierRecord(P, "a", 1, 0));
        assertEquals(OptionalLong.empty(), index.earlierRecord(P, "b", 1, 1));
        assertEquals(OptionalLong.of(0), index.earlierRecord(P, "a", 1, 2));
        // another partition is another log
        assertEquals(OptionalLong.empty(), index.earlierRecord(new TopicPartition(P.topic(), 4), "a", 1, 3));
    }

    @Test
    void shouldDecideTheSameWhenARolledBackPollIsReadAgain() {
        JobRecordIndex index = new JobRecordIndex(100);
        for (int pass = 0; pass < 3; pass++) {
            assertEquals(OptionalLong.empty(), index.earlierRecord(P, "a", 1, 10), "pass " + pass);
            assertEquals(OptionalLong.of(10), index.earlierRecord(P, "a", 1, 11), "pass " + pass);
        }
    }

    @Test
    void shouldRunARepeatThatLiesBeyondTheWindowAndForgetOldRecords() {
        JobRecordIndex within = new JobRecordIndex(5);
        within.earlierRecord(P, "a", 1, 0);
        for (long o = 1; o <= 4; o++) {
            within.earlierRecord(P, "x" + o, 1, o);
        }
        assertEquals(OptionalLong.of(0), within.earlierRecord(P, "a", 1, 5), "5 offsets back: inside the window");

        JobRecordIndex beyond = new JobRecordIndex(5);
        beyond.earlierRecord(P, "a", 1, 0);
        for (long o = 1; o <= 5; o++) {
            beyond.earlierRecord(P, "x" + o, 1, o);
        }
        assertEquals(OptionalLong.empty(), beyond.earlierRecord(P, "a", 1, 6), "6 offsets back: a job of its own");
        for (long o = 7; o < 1000; o++) {
            beyond.earlierRecord(P, "y" + o, 1, o);
        }
        assertEquals(6, beyond.size(P), "the window and the newest record, no more");
    }

    @Test
    void shouldReadBackOnlyWhatItDoesNotKnow() {
        JobRecordIndex index = new JobRecordIndex(100);
        // nothing known: the whole window before the committed offset
        assertArrayEquals(new long[] {400, 500}, index.missing(P, 500, 0));
        // near the log start the window is shorter, and at the start there is nothing to read
        assertArrayEquals(new long[] {20, 50}, index.missing(P, 50, 20));
        assertNull(index.missing(P, 20, 20));

        index.readBack(
                P,
                400,
                500,
                Map.of(410L, new JobRecordIndex.JobAttempt("a", 1), 499L, new JobRecordIndex.JobAttempt("b", 1)));
        assertNull(index.missing(P, 500, 0), "read back: nothing missing");
        assertEquals(OptionalLong.of(410), index.earlierRecord(P, "a", 1, 500));
        // the consumer polled on from 500: a later committed position needs only what lies beyond 501
        index.earlierRecord(P, "c", 1, 501);
        assertNull(index.missing(P, 502, 0));
        assertArrayEquals(new long[] {502, 600}, index.missing(P, 600, 0), "only the gap since");
        // a position far ahead: the whole window again
        assertArrayEquals(new long[] {900, 1000}, index.missing(P, 1000, 0));
    }

    @Test
    void shouldRunAHigherAttemptOfTheSameJobAndTreatTheSameOrALowerAttemptAsARepeat() {
        JobRecordIndex index = new JobRecordIndex(100);
        assertEquals(OptionalLong.empty(), index.earlierRecord(P, "a", 1, 0));
        assertEquals(OptionalLong.empty(), index.earlierRecord(P, "a", 4, 5), "a redrive: attempt 4 runs");
        assertEquals(OptionalLong.of(5), index.earlierRecord(P, "a", 4, 6), "the same redrive again: a repeat");
        assertEquals(OptionalLong.of(6), index.earlierRecord(P, "a", 1, 7), "an older attempt after it: a repeat");
        assertEquals(OptionalLong.empty(), index.earlierRecord(P, "a", 5, 8), "the next redrive runs");
        // read back after a restart: the attempts come with it
        JobRecordIndex next = new JobRecordIndex(100);
        next.readBack(
                P, 0, 9, Map.of(0L, new JobRecordIndex.JobAttempt("a", 1), 5L, new JobRecordIndex.JobAttempt("a", 4)));
        assertEquals(OptionalLong.of(5), next.earlierRecord(P, "a", 4, 9));
        assertEquals(OptionalLong.empty(), next.earlierRecord(P, "a", 5, 10));
    }
}

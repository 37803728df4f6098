package dev.cdp.segment.domain;

import java.time.Instant;

/** One evaluation of a segment: its size then, who entered and exited since the previous one, and how long it took. */
public record Evaluation(int definitionVersion, Instant evaluatedAt, long size, long entered, long exited, long durationMs,
        String trigger) {
}

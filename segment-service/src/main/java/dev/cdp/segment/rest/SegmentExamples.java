package dev.cdp.segment.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The example segments shipped with the service ({@code segment-examples/examples.json}), used by the demo and the docs. */
public final class SegmentExamples {

    public static final JsonNode ALL = load();

    private SegmentExamples() {
    }

    private static JsonNode load() {
        try (InputStream examples = SegmentExamples.class.getResourceAsStream("/segment-examples/examples.json")) {
            return new ObjectMapper().readTree(examples);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

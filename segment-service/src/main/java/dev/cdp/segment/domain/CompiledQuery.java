package dev.cdp.segment.domain;

import java.util.List;

/** The SQL a segment runs and its bound parameters, for transparency. */
public record CompiledQuery(String sql, List<Object> parameters) {
}

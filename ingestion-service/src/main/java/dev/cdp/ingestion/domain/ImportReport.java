package dev.cdp.ingestion.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What became of an imported file.
 *
 * @param accepted rows stored in Kafka
 * @param rejected rows not stored, each for a reason in {@code errors}
 * @param errors the first rejected rows' reasons (the count is capped; {@code rejected} counts all)
 */
public record ImportReport(long accepted, long rejected, List<LineError> errors) {

    /**
     * Why one row was rejected.
     *
     * @param line the file's line number where the row starts (1 is the first line, a CSV file's header)
     * @param field the column or JSON field, as the file names it; absent when the whole line is at fault
     * @param detail what is wrong
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LineError(long line, String field, String detail) {
    }
}

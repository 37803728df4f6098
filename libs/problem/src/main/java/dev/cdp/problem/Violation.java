package dev.cdp.problem;

/**
 * One invalid field of a request.
 *
 * @param field a JSON pointer into the body (for example {@code /event} or {@code /batch/3/timestamp}), or the name
 *        of a query or path parameter
 * @param detail what is wrong with it
 */
public record Violation(String field, String detail) {
}

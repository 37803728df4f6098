package dev.cdp.problem;

import java.util.List;

/**
 * One page of a list, the same in every service's API: {@code next} is the cursor of the following page (opaque to
 * callers), null on the last.
 */
public record Page<T>(List<T> items, String next) {
}

package dev.cdp.profile.domain;

import java.util.List;

/**
 * One page of a list; {@code next} is the cursor of the following page, absent on the last one.
 */
public record Page<T>(List<T> items, String next) {
}

package dev.cdp.problem;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.cdp.events.TextKeys;

/** A JSON string in a request body that PostgreSQL could not store ({@link TextKeys#storable}); Jackson adds where. */
public class UnstorableText extends MismatchedInputException {

    public UnstorableText(JsonParser parser) {
        super(parser, TextKeys.UNSTORABLE, String.class);
    }
}

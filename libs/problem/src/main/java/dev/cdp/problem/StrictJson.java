package dev.cdp.problem;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.cdp.events.TextKeys;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * What every service's JSON reading refuses, as a problem+json 400 rather than a failure further on: content after
 * the document ({@code {...} garbage}, a second object), and text PostgreSQL cannot store in any string read into a
 * field ({@link TextKeys#storable}).
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.registerModule(new SimpleModule("storable-text").addDeserializer(String.class, new StorableString()));
    }

    /** Jackson's own reading of a string, then the check. */
    static final class StorableString extends StdScalarDeserializer<String> {

        StorableString() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = StringDeserializer.instance.deserialize(parser, context);
            if (text != null && !TextKeys.storable(text)) {
                throw new UnstorableText(parser);
            }
            return text;
        }
    }
}

package dev.cdp.profile.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import dev.cdp.events.IsoTimes;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Instant;

/**
 * Decimal numbers are read as BigDecimal, as written (19.90 stays 19.90), from request to database; instants are read
 * quickly.
 */
@Singleton
public class JsonConfig implements ObjectMapperCustomizer {

    /** Last, after Quarkus registers the java.time module, so the instant deserializer here is the one used. */
    @Override
    public int priority() {
        return MINIMUM_PRIORITY;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        mapper.configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
        // Every raw event carries two instants; java.time's parser was a tenth of the consumer's CPU.
        JsonDeserializer<Instant> full = InstantDeserializer.INSTANT;
        mapper.registerModule(new SimpleModule("fast-instants").addDeserializer(Instant.class, new StdDeserializer<>(Instant.class) {
            @Override
            public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                Instant fast = parser.hasToken(JsonToken.VALUE_STRING) ? IsoTimes.parse(parser.getText()) : null;
                return fast != null ? fast : full.deserialize(parser, context);
            }
        }));
    }
}

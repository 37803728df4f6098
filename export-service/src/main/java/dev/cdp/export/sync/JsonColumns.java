package dev.cdp.export.sync;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Lists and counts kept as JSON text in their columns (Hibernate Reactive's JSON mapping takes objects only). */
final class JsonColumns {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonColumns() {
    }

    @Converter
    static final class StringsConverter implements AttributeConverter<List<String>, String> {
        @Override
        public String convertToDatabaseColumn(List<String> values) {
            return write(values == null ? List.of() : values);
        }

        @Override
        public List<String> convertToEntityAttribute(String text) {
            return read(text, new TypeReference<List<String>>() {
            }, List.of());
        }
    }

    @Converter
    static final class CountsConverter implements AttributeConverter<Map<String, Long>, String> {
        @Override
        public String convertToDatabaseColumn(Map<String, Long> counts) {
            return write(counts == null ? Map.of() : counts);
        }

        @Override
        public Map<String, Long> convertToEntityAttribute(String text) {
            return read(text, new TypeReference<LinkedHashMap<String, Long>>() {
            }, new LinkedHashMap<>());
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(String text, TypeReference<? extends T> type, T empty) {
        try {
            return text == null || text.isBlank() ? empty : JSON.readValue(text, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

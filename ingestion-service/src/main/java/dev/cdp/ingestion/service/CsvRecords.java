package dev.cdp.ingestion.service;

import java.util.ArrayList;
import java.util.List;

/** Parses one CSV record (RFC 4180: quoted fields, doubled quotes) with a delimiter taken from the header. */
final class CsvRecords {

    private CsvRecords() {
    }

    /** The delimiter the header uses: comma, semicolon (as spreadsheets in many locales write) or tab. */
    static char delimiterOf(String header) {
        int commas = count(header, ',');
        int semicolons = count(header, ';');
        int tabs = count(header, '\t');
        if (tabs > commas && tabs > semicolons) {
            return '\t';
        }
        return semicolons > commas ? ';' : ',';
    }

    static List<String> fields(String record, char delimiter) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < record.length(); i++) {
            char c = record.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < record.length() && record.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == delimiter) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    private static int count(String text, char c) {
        int n = 0;
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '"') {
                quoted = !quoted;
            } else if (!quoted && text.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }
}

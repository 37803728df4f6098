package dev.cdp.export.file;

/**
 * RFC 4180 output: comma-separated, CRLF line ends (the RFC's; every platform also reads them), a field in double
 * quotes only when it holds a comma, a quote, CR or LF, with quotes doubled. Null is an empty field.
 */
public final class Csv {

    public static final String LINE_END = "\r\n";

    private Csv() {
    }

    /** The field as it appears in the file. */
    public static String field(String value) {
        if (value == null) {
            return "";
        }
        return needsQuotes(value) ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }

    /** One scan per character of interest: {@code indexOf} is vectorized, a loop over every character is not. */
    private static boolean needsQuotes(String value) {
        return value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0;
    }
}

package dev.cdp.export.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdp.export.platform.Platform;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hashes and our clear-text zip/country never need quotes, so quoting is tested here directly. */
class CsvTest {

    @Test
    void quotesOnlyWhatNeedsIt() {
        assertThat(Csv.field("94043")).isEqualTo("94043");
        assertThat(Csv.field("WC2H 8LG")).isEqualTo("WC2H 8LG");
        assertThat(Csv.field(null)).isEmpty();
        assertThat(Csv.field("a,b")).isEqualTo("\"a,b\"");
        assertThat(Csv.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(Csv.field("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(Csv.field("cr\rlf\r\n")).isEqualTo("\"cr\rlf\r\n\"");
    }

    @Test
    void rowsReadBackAsWritten() throws IOException {
        String[] row = {"plain", "a,b", "say \"hi\"", "two\r\nlines", null, "", "şükrü"};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CsvAudienceWriter out = new CsvAudienceWriter(AudienceRows.of(Platform.META), bytes);
        out.writeRow(new String[] {"h1", "h2", "h3", "h4", "h5", "h6", "h7"});
        out.writeRow(row);
        out.flush();

        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).startsWith("h1,h2,h3,h4,h5,h6,h7\r\nplain,\"a,b\",").endsWith(",,,şükrü\r\n");
        List<List<String>> records = CsvReader.parse(text);
        assertThat(records).hasSize(2);
        assertThat(records.get(1)).containsExactlyElementsOf(
                Arrays.stream(row).map(cell -> cell == null ? "" : cell).toList());
    }
}

package dev.cdp.ingestion.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.cdp.ingestion.config.IngestionConfig;
import dev.cdp.ingestion.domain.Envelope;
import dev.cdp.ingestion.domain.ImportKind;
import dev.cdp.ingestion.domain.ImportReport;
import dev.cdp.ingestion.domain.ImportReport.LineError;
import dev.cdp.ingestion.service.IntakeMetrics.Outcome;
import dev.cdp.ingestion.messaging.RawEventPublisher.Keyed;
import dev.cdp.problem.ProblemException;
import dev.cdp.problem.Violation;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Imports a file of customers, transactions or interactions (NDJSON or CSV) as it streams in: each row is mapped,
 * validated and published like a message sent to the API. Memory holds one row and a bounded number of records
 * awaiting Kafka's acknowledgement; reading pauses while that many are in flight. Rows without a messageId get one
 * derived from their content, so importing the same file again stores nothing twice.
 */
@ApplicationScoped
public class ImportService {

    /** The file formats, by content type. */
    public enum Format { NDJSON, CSV }

    private final IntakeService intake;
    private final IntakeMetrics metrics;
    private final ObjectMapper json;
    private final IngestionConfig config;

    public ImportService(IntakeService intake, IntakeMetrics metrics, ObjectMapper json, IngestionConfig config) {
        this.intake = intake;
        this.metrics = metrics;
        this.json = json;
        this.config = config;
    }

    /** Reads {@code body} to its end, then reports; must be called on a Vert.x context (the request's). */
    public Uni<ImportReport> importFile(ReadStream<Buffer> body, ContentDecoder decoder, String source, ImportKind kind,
            Format format, ZoneId zone) {
        Context context = Vertx.currentContext();
        return Uni.createFrom().emitter(emitter -> new Job(body, decoder, source, kind, format, zone, context, emitter).start());
    }

    /** One upload in progress; every method runs on the request's Vert.x context. */
    private final class Job {
        private final ReadStream<Buffer> body;
        private final ContentDecoder decoder;
        private final String source;
        private final ImportKind kind;
        private final Format format;
        private final Context context;
        private final UniEmitter<? super ImportReport> emitter;
        private final ImportMapping mapping;
        private final LineSplitter splitter;
        private final List<LineError> errors = new ArrayList<>();
        private List<Keyed> pending = new ArrayList<>();
        private final Instant receivedAt = Instant.now();
        private List<String> header;
        private String headerLine = "";
        private char delimiter;
        private long bytes;
        private long accepted;
        private long rejected;
        private int inFlight;
        private boolean paused;
        private boolean ended;
        private boolean done;

        Job(ReadStream<Buffer> body, ContentDecoder decoder, String source, ImportKind kind, Format format, ZoneId zone,
                Context context, UniEmitter<? super ImportReport> emitter) {
            this.body = body;
            this.decoder = decoder;
            this.source = source;
            this.kind = kind;
            this.format = format;
            this.context = context;
            this.emitter = emitter;
            this.mapping = new ImportMapping(kind, zone, this::readJson);
            this.splitter = new LineSplitter(format == Format.CSV, config.maxMessageBytes(), new LineSplitter.Lines() {
                @Override
                public void line(long number, String text) {
                    onLine(number, text);
                }

                @Override
                public void tooLong(long number) {
                    reject(number, null, "is longer than " + config.maxMessageBytes() + " bytes");
                    rejected++;
                }
            });
        }

        void start() {
            body.handler(this::onChunk);
            body.exceptionHandler(failure -> fail(new ProblemException(Status.BAD_REQUEST, "upload-failed",
                    "The upload broke off after " + bytes + " bytes; nothing after that was read")));
            body.endHandler(ignored -> {
                if (!done) {
                    try {
                        decoder.finish();
                    } catch (ProblemException problem) {
                        fail(problem);
                        return;
                    }
                    splitter.finish();
                    publishPending();
                    ended = true;
                    completeWhenAcknowledged();
                }
            });
            body.resume();
        }

        /** A chunk as it arrived: decoded (the file's limit applies to the decoded bytes), split into lines, published. */
        private void onChunk(Buffer chunk) {
            if (done) {
                return;
            }
            bytes += chunk.length();
            try {
                decoder.decode(chunk.getBytes(), splitter::feed);
            } catch (ProblemException problem) {
                fail(problem);
                return;
            }
            publishPending();
        }

        private void onLine(long number, String line) {
            if (done || line.isBlank()) {
                return;
            }
            Map<String, JsonNode> row = format == Format.CSV ? csvRow(number, line) : jsonRow(number, line);
            if (row == null) {
                return;
            }
            List<Violation> violations = new ArrayList<>();
            ImportMapping.Mapped mapped = mapping.map(row, violations);
            ObjectNode message = mapped.message();
            if (!message.has("messageId") && kind != ImportKind.TRANSACTIONS) {
                message.put("messageId", contentId(line));
            }
            Keyed valid = null;
            if (violations.isEmpty()) {
                valid = intake.prepare(source, new Envelope(message, line.length(), null, ""), Optional.of(kind.messageType()),
                        receivedAt, null, violations); // counts its own rejections
            } else {
                metrics.count(source, kind.messageType(), Outcome.rejected, 1);
            }
            if (valid == null) {
                violations.forEach(violation -> reject(number, mapped.column(violation), violation.detail()));
                rejected++;
                return;
            }
            pending.add(valid);
        }

        /** Publishes the rows of the chunk just read as one send; pauses reading while too many are in flight. */
        private void publishPending() {
            if (pending.isEmpty() || done) {
                return;
            }
            List<Keyed> rows = pending;
            pending = new ArrayList<>();
            inFlight += rows.size();
            intake.publish(source, rows, failure -> context.runOnContext(ignored -> acknowledged(rows.size(), failure)));
            if (inFlight >= config.importInFlight() && !paused) {
                paused = true;
                body.pause();
            }
        }

        private Map<String, JsonNode> csvRow(long number, String line) {
            if (header == null) {
                headerLine = line;
                delimiter = CsvRecords.delimiterOf(line);
                header = CsvRecords.fields(line, delimiter).stream().map(String::trim).toList();
                return null;
            }
            List<String> values = CsvRecords.fields(line, delimiter);
            if (values.size() > header.size()) {
                reject(number, null, "has " + values.size() + " fields; the header has " + header.size());
                rejected++;
                return null;
            }
            Map<String, JsonNode> row = new LinkedHashMap<>();
            for (int i = 0; i < values.size(); i++) {
                row.put(header.get(i), TextNode.valueOf(values.get(i)));
            }
            return row;
        }

        private Map<String, JsonNode> jsonRow(long number, String line) {
            JsonNode parsed = readJson(line);
            if (!(parsed instanceof ObjectNode object)) {
                reject(number, null, parsed == null ? "is not valid JSON" : "must be a JSON object");
                rejected++;
                return null;
            }
            Map<String, JsonNode> row = new LinkedHashMap<>();
            object.properties().forEach(entry -> row.put(entry.getKey(), entry.getValue()));
            return row;
        }

        private void acknowledged(int rows, Throwable failure) {
            if (failure != null) {
                fail(IntakeService.unavailable(failure));
                return;
            }
            inFlight -= rows;
            accepted += rows;
            if (paused && !done && inFlight <= config.importInFlight() / 2) {
                paused = false;
                body.resume();
            }
            completeWhenAcknowledged();
        }

        private void completeWhenAcknowledged() {
            if (ended && inFlight == 0 && !done) {
                done = true;
                emitter.complete(new ImportReport(accepted, rejected, List.copyOf(errors)));
            }
        }

        private void fail(ProblemException problem) {
            if (!done) {
                done = true;
                decoder.close();
                emitter.fail(problem);
            }
        }

        private void reject(long line, String field, String detail) {
            if (errors.size() < config.maxReportedErrors()) {
                errors.add(new LineError(line, field, detail));
            }
        }

        /**
         * A stable id for a row without one: the same row of the same kind (under the same CSV header) always gets
         * the same id, which profile-service stores once per source.
         */
        private String contentId(String line) {
            try {
                MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                sha256.update(kind.name().getBytes(StandardCharsets.UTF_8));
                sha256.update(headerLine.getBytes(StandardCharsets.UTF_8));
                sha256.update(line.getBytes(StandardCharsets.UTF_8));
                return "import-" + HexFormat.of().formatHex(sha256.digest(), 0, 16);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every JVM", e);
            }
        }

        private JsonNode readJson(String text) {
            try {
                return json.readTree(text);
            } catch (JsonProcessingException e) {
                return null;
            }
        }
    }
}

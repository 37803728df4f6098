package dev.cdp.ingestion.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdp.events.TextKeys;
import dev.cdp.ingestion.config.IngestionConfig;
import dev.cdp.ingestion.domain.ImportKind;
import dev.cdp.ingestion.service.ContentDecoder;
import dev.cdp.ingestion.service.ImportService;
import dev.cdp.ingestion.service.ImportService.Format;
import dev.cdp.ingestion.service.IntakeMetrics;
import dev.cdp.problem.Problem;
import dev.cdp.problem.ProblemException;
import dev.cdp.problem.Violation;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response.Status;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/**
 * {@code POST /v1/import?kind=customers|transactions|interactions[&timezone=Europe/Istanbul]}: a file as the request
 * body, {@code application/x-ndjson} or {@code text/csv}, streamed. A plain Vert.x route rather than a REST resource:
 * it reads the body chunk by chunk with back-pressure instead of buffering it, and it runs before the global body
 * size limit (which protects the JSON endpoints) because files are larger; it has its own limit.
 */
@ApplicationScoped
public class ImportRoute {

    static final String PATH = "/v1/import";

    private final IntakeRequests requests;
    private final ImportService importer;
    private final IntakeMetrics metrics;
    private final ObjectMapper json;
    private final long maxImportBytes;

    public ImportRoute(IntakeRequests requests, ImportService importer, IntakeMetrics metrics, ObjectMapper json,
            IngestionConfig config) {
        this.requests = requests;
        this.importer = importer;
        this.metrics = metrics;
        this.json = json;
        this.maxImportBytes = config.maxImportBytes();
    }

    void register(@Observes Router router) {
        router.post(PATH).order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::handle);
    }

    private void handle(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.getParam("kind") == null && IntakeRequests.mediaType(request.getHeader(HttpHeaders.CONTENT_TYPE)).equals("application/json")) {
            context.next(); // a JSON batch on Segment's historical-import path: TrackingResource takes it
            return;
        }
        request.pause();
        IntakeCall call = IntakeCall.of(request);
        String source;
        ImportKind kind;
        Format format;
        ZoneId zone;
        ContentDecoder decoder;
        try {
            source = requests.source(call, null, 1); // a file counts as one call
            kind = kind(request.getParam("kind"));
            format = format(call.contentType);
            zone = zone(request.getParam("timezone"));
            decoder = ContentDecoder.of(call.contentEncoding, maxImportBytes, size -> "A file may be at most " + maxImportBytes
                    + " bytes" + (call.contentEncoding == null ? "" : " once decoded") + "; the rows before the limit were "
                    + "stored, and importing the whole file again stores nothing twice");
        } catch (ProblemException problem) {
            respond(context, problem);
            return;
        }
        importer.importFile(request, decoder, source, kind, format, zone).subscribe().with(
                report -> {
                    metrics.requestSize("import", request.bytesRead());
                    respond(context, 200, "application/json", report);
                },
                failure -> respond(context, failure instanceof ProblemException problem ? problem
                        : new ProblemException(Status.INTERNAL_SERVER_ERROR, "internal-error", "The import failed; it has been logged.")));
    }

    private static ImportKind kind(String kind) {
        return ImportKind.fromName(kind == null ? "" : TextKeys.lower(kind)).orElseThrow(() -> ProblemException.invalid(
                List.of(new Violation("kind", "is required: customers, transactions or interactions"))));
    }

    private static Format format(String contentType) {
        return switch (IntakeRequests.mediaType(contentType)) {
            case "application/x-ndjson", "application/ndjson", "application/jsonl", "application/json-lines" -> Format.NDJSON;
            case "text/csv" -> Format.CSV;
            default -> throw new ProblemException(Status.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                    "Send the file as application/x-ndjson (one JSON object per line) or text/csv (a header line first)");
        };
    }

    /** The zone for date-times without one in the file (default UTC). */
    private static ZoneId zone(String timezone) {
        if (timezone == null || timezone.isBlank()) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(timezone.trim());
        } catch (DateTimeException e) {
            throw ProblemException.invalid(List.of(new Violation("timezone", "must be a time zone such as Europe/Istanbul or +03:00")));
        }
    }

    private void respond(RoutingContext context, ProblemException problem) {
        HttpServerResponse response = context.response();
        problem.headers().forEach(response::putHeader);
        if (!context.request().isEnded()) {
            response.putHeader(HttpHeaders.CONNECTION, "close"); // the rest of the upload is not read
        }
        respond(context, problem.status().getStatusCode(), Problem.MEDIA_TYPE, Problem.of(problem, PATH));
    }

    private void respond(RoutingContext context, int status, String contentType, Object body) {
        if (context.response().ended()) {
            return;
        }
        try {
            context.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, contentType).end(json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            context.fail(e);
        }
    }
}

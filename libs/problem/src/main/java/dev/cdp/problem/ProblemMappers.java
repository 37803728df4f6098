package dev.cdp.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.cdp.events.TextKeys;
import io.quarkus.logging.Log;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.core.UriInfo;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into an {@code application/problem+json} response. Bodies never carry stack traces, class
 * names or request values.
 */
public class ProblemMappers {

    @ServerExceptionMapper
    public RestResponse<Problem> problem(ProblemException e, UriInfo uri) {
        RestResponse.ResponseBuilder<Problem> response = RestResponse.ResponseBuilder.create(e.status(), Problem.of(e, uri.getPath()))
                .type(Problem.MEDIA_TYPE);
        e.headers().forEach(response::header);
        return response.build();
    }

    @ServerExceptionMapper
    public RestResponse<Problem> unreadableJson(JsonProcessingException e, UriInfo uri) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String detail = e instanceof UnstorableText ? TextKeys.UNSTORABLE : "has the wrong type";
            return problem(ProblemException.invalid(List.of(new Violation(pointer(mapping.getPath()), detail))), uri);
        }
        return problem(ProblemException.malformedJson(e), uri);
    }

    /** Its own mapper: Quarkus REST has a built-in one for this type, which would answer without a body. */
    @ServerExceptionMapper
    public RestResponse<Problem> mismatchedJson(MismatchedInputException e, UriInfo uri) {
        return unreadableJson(e, uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> constraintViolation(ConstraintViolationException e, UriInfo uri) {
        return problem(ProblemException.invalid(e.getConstraintViolations().stream()
                .map(v -> new Violation(parameterName(v), v.getMessage()))
                .sorted(Comparator.comparing(Violation::field))
                .toList()), uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> webApplication(WebApplicationException e, UriInfo uri) {
        Status status = Status.fromStatusCode(e.getResponse().getStatus());
        if (status == null) {
            status = Status.INTERNAL_SERVER_ERROR;
        }
        String slug = status.getReasonPhrase().toLowerCase(Locale.ROOT).replace(' ', '-');
        return problem(new ProblemException(status, slug, e.getMessage()), uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> unexpected(Throwable e, UriInfo uri) {
        Log.errorf(e, "Unexpected failure on %s", uri.getPath());
        return problem(new ProblemException(Status.INTERNAL_SERVER_ERROR, "internal-error",
                "The request could not be completed; it has been logged."), uri);
    }

    /** Jackson's path as a JSON pointer: {@code /batch/3/timestamp}. */
    private static String pointer(List<JsonMappingException.Reference> path) {
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            pointer.append('/').append(ref.getFieldName() != null ? ref.getFieldName() : ref.getIndex());
        }
        return pointer.toString();
    }

    /** "lookup.userId" (method.parameter) becomes "userId"; nested bean paths keep their tail. */
    private static String parameterName(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        int firstDot = path.indexOf('.');
        return firstDot < 0 ? path : path.substring(firstDot + 1);
    }
}

package dev.cdp.segment.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdp.problem.ProblemException;
import dev.cdp.security.Roles;
import io.quarkus.qute.TemplateData;
import io.quarkus.security.ForbiddenException;
import jakarta.ws.rs.WebApplicationException;

/**
 * Why a page could not show or do what was asked, as the reader should hear it: a role they lack, nothing found, the
 * service's own refusal (its problem's detail, which names the field), or a service away. The message key and its
 * argument, for the page's language.
 */
@TemplateData
public record ConsoleProblems(String key, String argument) {

    /** Who may read profiles and events: profile-service decides, the page only says so. */
    static final String PROFILE_READERS = Roles.MARKETER + " / " + Roles.PII_READER;

    /** The problem of a call to {@code service}, whose endpoint needs {@code roles}. */
    static ConsoleProblems of(Throwable failure, String service, String roles) {
        if (failure instanceof ForbiddenException || status(failure) == 403) {
            return new ConsoleProblems("roleMissing", roles);
        }
        if (isNotFound(failure)) {
            return new ConsoleProblems("notFound", "");
        }
        int status = status(failure);
        if (status >= 400 && status < 500) {
            return new ConsoleProblems("refused", detail(failure));
        }
        return new ConsoleProblems("unavailable", service);
    }

    /** The detail of the problem a service answered, with the fields it named. */
    private static String detail(Throwable failure) {
        if (failure instanceof ProblemException problem) {
            return problem.getMessage();
        }
        try {
            JsonNode problem = ((WebApplicationException) failure).getResponse().readEntity(JsonNode.class);
            StringBuilder detail = new StringBuilder(problem.path("detail").asText("The request was refused"));
            problem.path("violations").forEach(violation -> detail.append(" · ").append(violation.path("field").asText())
                    .append(' ').append(violation.path("detail").asText()));
            return detail.toString();
        } catch (RuntimeException unreadable) {
            return "The request was refused (" + status(failure) + ")";
        }
    }

    static boolean isNotFound(Throwable failure) {
        return status(failure) == 404;
    }

    private static int status(Throwable failure) {
        if (failure instanceof WebApplicationException web) {
            return web.getResponse().getStatus();
        }
        if (failure instanceof ProblemException problem) {
            return problem.status().getStatusCode();
        }
        return -1;
    }

    /** For the templates: which it is. */
    public boolean isRoleMissing() {
        return "roleMissing".equals(key);
    }

    public boolean isNotFound() {
        return "notFound".equals(key);
    }

    public boolean isRefused() {
        return "refused".equals(key);
    }
}

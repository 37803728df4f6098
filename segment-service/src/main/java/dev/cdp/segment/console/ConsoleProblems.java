package dev.cdp.segment.console;

import dev.cdp.problem.ProblemException;
import dev.cdp.security.Roles;
import io.quarkus.qute.TemplateData;
import io.quarkus.security.ForbiddenException;
import jakarta.ws.rs.WebApplicationException;

/**
 * Why a page could not show what was asked, as the reader should hear it: a role they lack, nothing found, or a
 * service away. The message key and its arguments, for the page's language.
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
        return new ConsoleProblems("unavailable", service);
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

    /** For the templates: which of the three it is. */
    public boolean isRoleMissing() {
        return "roleMissing".equals(key);
    }

    public boolean isNotFound() {
        return "notFound".equals(key);
    }
}

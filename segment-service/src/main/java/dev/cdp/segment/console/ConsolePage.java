package dev.cdp.segment.console;

import dev.cdp.security.Roles;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.List;

/** What every console page knows: who reads it, in which language, and how to write numbers and dates for them. */
@TemplateData
public record ConsolePage(String user, String roles, String section, ConsoleFormat fmt, boolean marketer, boolean admin, boolean piiReader) {

    static ConsolePage of(SecurityIdentity identity, HttpHeaders headers, ConsoleConfig config, String section) {
        ConsoleFormat fmt = new ConsoleFormat(ConsoleFormat.choose(headers.getAcceptableLanguages()), config.timeZone());
        List<String> roles = Roles.ALL.stream().filter(identity::hasRole).toList();
        return new ConsolePage(identity.getPrincipal().getName(), String.join(", ", roles), section, fmt,
                identity.hasRole(Roles.MARKETER), identity.hasRole(Roles.ADMIN), identity.hasRole(Roles.PII_READER));
    }

    /** The template with this page's data and language set. */
    TemplateInstance render(TemplateInstance template) {
        return template.data("page", this).setLocale(fmt.locale());
    }
}

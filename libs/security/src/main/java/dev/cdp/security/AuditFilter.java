package dev.cdp.security;

import dev.cdp.events.TextKeys;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Records in the {@link AuditLog}, before the answer leaves, every call of a role-protected endpoint that changes
 * something and every call of an {@link Audited} read, refused ones included: who (the token's user or client, or anonymous), with which roles, what
 * (method, path, the names of the query parameters), the status, and from where. A call that cannot be recorded is
 * not answered as a success.
 */
@IfBuildProperty(name = "cdp.audit.enabled", stringValue = "true") // services with a database
public class AuditFilter {

    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    private static final int MAX_TEXT = 500;

    private final AuditLog log;
    private final CurrentIdentityAssociation identity;

    public AuditFilter(AuditLog log, CurrentIdentityAssociation identity) {
        this.log = log;
        this.identity = identity;
    }

    @ServerResponseFilter
    public Uni<Void> record(ContainerRequestContext request, ContainerResponseContext response, ResourceInfo resource,
            HttpServerRequest http) {
        Method method = resource == null ? null : resource.getResourceMethod();
        // Only the management APIs (role-protected) are audited: the tracking calls carry write keys, not people.
        if (method == null || EndpointRoles.of(method).isEmpty()
                || READS.contains(request.getMethod()) && !method.isAnnotationPresent(Audited.class)) {
            return Uni.createFrom().voidItem();
        }
        String path = truncate(request.getUriInfo().getPath());
        String parameters = truncate(String.join(",", new TreeSet<>(request.getUriInfo().getQueryParameters().keySet())));
        String remote = http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
        String forwardedFor = http.getHeader("X-Forwarded-For");
        return identity.getDeferredIdentity()
                .onFailure().recoverWithNull() // a refused token: recorded as anonymous
                .chain(caller -> log.record(new AuditLog.Entry(0, null, actor(caller), roles(caller), request.getMethod(), path,
                        parameters, response.getStatus(), remote, forwardedFor == null ? null : truncate(forwardedFor))));
    }

    private static String actor(SecurityIdentity caller) {
        return caller == null || caller.isAnonymous() ? "anonymous" : caller.getPrincipal().getName();
    }

    private static String roles(SecurityIdentity caller) {
        return caller == null ? "" : String.join(",", new TreeSet<>(caller.getRoles()));
    }

    /** Whatever a caller sent is kept to a bounded length. */
    /** At most MAX_TEXT characters, in a form PostgreSQL can store (a refused request may hold U+0000). */
    private static String truncate(String text) {
        return TextKeys.storableForm(text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT));
    }
}

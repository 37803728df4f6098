package dev.cdp.security;

import jakarta.annotation.security.RolesAllowed;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The roles an endpoint names: {@code @RolesAllowed} on its method, else on its class; read once per method. */
final class EndpointRoles {

    private static final Map<Method, List<String>> ROLES = new ConcurrentHashMap<>();

    private EndpointRoles() {
    }

    /** Empty for an endpoint that names none (the tracking calls, {@code @PermitAll}). */
    static List<String> of(Method method) {
        return ROLES.computeIfAbsent(method, endpoint -> {
            RolesAllowed allowed = endpoint.getAnnotation(RolesAllowed.class);
            if (allowed == null) {
                allowed = endpoint.getDeclaringClass().getAnnotation(RolesAllowed.class);
            }
            return allowed == null ? List.of() : List.of(allowed.value());
        });
    }
}

package dev.genfleet.gateway.api;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The methods each path of the API supports, read from the resources' own JAX-RS declarations (class and method
 * {@code @Path}, {@code @GET}, {@code @POST}, …), for the {@code Allow} header of a 405: Quarkus REST answers a
 * known path with an unsupported method without naming the supported ones. Read once; the resources are fixed at
 * build time. {@code AllowedMethodsTest} checks that {@link #RESOURCES} holds every resource class of this package.
 */
final class AllowedMethods {

    /** Every REST resource of the API. */
    static final List<Class<?>> RESOURCES =
            List.of(JobsResource.class, CampaignsResource.class, ModelsResource.class, WebhooksResource.class);

    private static final Pattern PARAMETER = Pattern.compile("\\{\\s*(\\w[\\w.-]*)\\s*(?::\\s*([^{}]*))?}");
    private static final AllowedMethods API = new AllowedMethods(RESOURCES);

    private record Route(Pattern path, String method) {}

    private final List<Route> routes = new ArrayList<>();

    AllowedMethods(List<Class<?>> resources) {
        for (Class<?> resource : resources) {
            Path base = resource.getAnnotation(Path.class);
            for (Method m : resource.getMethods()) {
                String verb = verb(m);
                if (verb == null) {
                    continue;
                }
                Path sub = m.getAnnotation(Path.class);
                routes.add(new Route(
                        template(join(base == null ? "" : base.value(), sub == null ? "" : sub.value())), verb));
            }
        }
    }

    /** The API's methods. */
    static AllowedMethods api() {
        return API;
    }

    /** The methods {@code path} supports, sorted and comma-separated ({@code Allow}); null when none. */
    String allow(String path) {
        Set<String> methods = new TreeSet<>();
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        for (Route r : routes) {
            if (r.path().matcher(p).matches()) {
                methods.add(r.method());
            }
        }
        return methods.isEmpty() ? null : String.join(", ", methods);
    }

    /** The HTTP method a resource method answers ({@code @GET} etc. carry {@code @HttpMethod}), or null. */
    private static String verb(Method m) {
        for (Annotation a : m.getAnnotations()) {
            HttpMethod h = a.annotationType().getAnnotation(HttpMethod.class);
            if (h != null) {
                return h.value();
            }
        }
        return null;
    }

    private static String join(String base, String sub) {
        String path = ("/" + base + "/" + sub).replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** A JAX-RS path template as a regular expression: {@code {id}} is one segment, {@code {id: regex}} its regex. */
    private static Pattern template(String path) {
        StringBuilder regex = new StringBuilder();
        Matcher m = PARAMETER.matcher(path);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(path.substring(last, m.start())));
            regex.append(m.group(2) == null ? "[^/]+" : "(?:" + m.group(2).strip() + ")");
            last = m.end();
        }
        regex.append(Pattern.quote(path.substring(last)));
        return Pattern.compile(regex.toString());
    }
}

package dev.genfleet.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.genfleet.gateway.refusal.Refusal;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The one place that answers refusals answers every kind, with the status, type, headers and members of before. */
class ProblemMappersTest {

    private static final Refusal.FieldError FIELD = new Refusal.FieldError("input.prompt", "required");

    /** One refusal of every kind and the problem type it is answered with. */
    private static final Map<Refusal, ProblemType> EVERY_KIND = new LinkedHashMap<>();

    static {
        EVERY_KIND.put(new Refusal.Malformed("malformed JSON"), ProblemType.BAD_REQUEST);
        EVERY_KIND.put(new Refusal.Unauthenticated("the API key is not valid"), ProblemType.UNAUTHORIZED);
        EVERY_KIND.put(invalid(), ProblemType.INVALID_REQUEST);
        EVERY_KIND.put(new Refusal.NotFound("no job j"), ProblemType.NOT_FOUND);
        EVERY_KIND.put(new Refusal.Conflict("job j already finished"), ProblemType.CONFLICT);
        EVERY_KIND.put(new Refusal.TooLarge("request body exceeds 65536 bytes"), ProblemType.CONTENT_TOO_LARGE);
        EVERY_KIND.put(new Refusal.IdempotencyKeyReused("another body"), ProblemType.IDEMPOTENCY_KEY_REUSED);
        EVERY_KIND.put(new Refusal.PolicyRefused("denied", "DENY_TERM", FIELD), ProblemType.POLICY_REFUSED);
        EVERY_KIND.put(new Refusal.QuotaExceeded("quota", Duration.ofSeconds(3)), ProblemType.QUOTA_EXCEEDED);
        EVERY_KIND.put(new Refusal.Unavailable("Kafka did not acknowledge"), ProblemType.UNAVAILABLE);
        EVERY_KIND.put(new Refusal.OutputUnavailable("blob missing"), ProblemType.OUTPUT_UNAVAILABLE);
        EVERY_KIND.put(
                Refusal.OfCampaign.of("c-1", new Refusal.Conflict("uploading elsewhere", Duration.ofSeconds(5))),
                ProblemType.CONFLICT);
    }

    private static Refusal invalid() {
        return new Refusal.Invalid("input.prompt: required", List.of(FIELD));
    }

    @Test
    void shouldAnswerEveryKindOfRefusal() {
        Set<Class<?>> kinds =
                Arrays.stream(Refusal.class.getPermittedSubclasses()).collect(Collectors.toSet());
        assertEquals(
                kinds,
                EVERY_KIND.keySet().stream().map(Object::getClass).collect(Collectors.toSet()),
                "one sample per kind of refusal");
        EVERY_KIND.forEach((refusal, type) -> {
            Response r = ProblemMappers.response(refusal, "/v1/jobs");
            assertEquals(type.status(), r.getStatus(), refusal.toString());
            Problem p = (Problem) r.getEntity();
            assertEquals(type.uri(), p.type(), refusal.toString());
            assertEquals(type.title(), p.title(), refusal.toString());
            assertEquals(refusal.detail(), p.detail());
            assertEquals("/v1/jobs", p.instance());
            assertEquals(Problem.MEDIA_TYPE, r.getMediaType().toString());
        });
    }

    @Test
    void shouldSayWhenToRetryAndHowToAuthenticate() {
        assertEquals(
                "3",
                ProblemMappers.response(new Refusal.QuotaExceeded("quota", Duration.ofSeconds(3)), "/")
                        .getHeaderString("Retry-After"));
        assertEquals(
                "1",
                ProblemMappers.response(new Refusal.Unavailable("later"), "/").getHeaderString("Retry-After"));
        assertNull(
                ProblemMappers.response(new Refusal.Conflict("finished"), "/").getHeaderString("Retry-After"));
        assertEquals(
                "Bearer realm=\"genfleet\"",
                ProblemMappers.response(new Refusal.Unauthenticated("no key"), "/")
                        .getHeaderString("WWW-Authenticate"));
    }

    @Test
    void shouldNameTheRuleAndTheFieldOfAPolicyRefusal() {
        Problem p = (Problem) ProblemMappers.response(new Refusal.PolicyRefused("denied", "EMAIL", FIELD), "/")
                .getEntity();
        assertEquals("EMAIL", p.rule());
        assertEquals(List.of(new Problem.FieldError("input.prompt", "required")), p.errors());
    }

    @Test
    void shouldAddTheCampaignAndItsDuplicatesAsMembers() {
        Refusal duplicates = new Refusal.Invalid(
                "1 lines repeat a custom_id",
                List.of(new Refusal.FieldError("line 4", "duplicate custom_id 'a': line 2 has it")),
                List.of(new Refusal.DuplicateLine(4, "a", 2)));
        Response r = ProblemMappers.response(
                new Refusal.OfCampaign("1 lines repeat a custom_id; not sealed", "c-1", 7L, duplicates), "/");
        Problem p = (Problem) r.getEntity();
        assertEquals(422, r.getStatus());
        assertEquals("1 lines repeat a custom_id; not sealed", p.detail());
        assertEquals(
                List.of("duplicates", "campaign_id", "accepted"),
                List.copyOf(p.members().keySet()));
        assertEquals(
                List.of(Map.of("line", 4L, "custom_id", "a", "first_line", 2L)),
                p.members().get("duplicates"));
        assertEquals("c-1", p.members().get("campaign_id"));
        assertEquals(7L, p.members().get("accepted"));
        Response conflict = ProblemMappers.response(
                Refusal.OfCampaign.of("c-1", new Refusal.Conflict("uploading", Duration.ofSeconds(5))), "/");
        assertEquals("5", conflict.getHeaderString("Retry-After"));
        assertEquals(Map.of("campaign_id", "c-1"), ((Problem) conflict.getEntity()).members());
    }
}

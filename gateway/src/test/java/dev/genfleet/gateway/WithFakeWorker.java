package dev.genfleet.gateway;

import dev.genfleet.gateway.api.Problem;
import io.restassured.RestAssured;
import io.restassured.parsing.Parser;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * What the gateway's broker tests share: REST Assured reading problem+json as JSON, and one
 * {@link FakeWorker} per test class on the test broker, closed after the class.
 */
abstract class WithFakeWorker {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private static FakeWorker worker;

    @BeforeAll
    static void readProblemsAsJson() {
        RestAssured.registerParser(Problem.MEDIA_TYPE, Parser.JSON);
    }

    @AfterAll
    static void closeFakeWorker() {
        if (worker != null) {
            worker.close();
            worker = null;
        }
    }

    FakeWorker worker() {
        if (worker == null) {
            worker = new FakeWorker(bootstrap);
        }
        return worker;
    }
}

package dev.genfleet.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Dockerfiles agree with the chart (ports, user, paths, CUDA libtorch); the dashboard shows what it promises. */
class ImagesAndDashboardTest {

    private static final Path DOCKER = Path.of("docker");

    private static String dockerfile(String name) throws IOException {
        return Files.readString(DOCKER.resolve(name));
    }

    @Test
    void shouldRunEveryImageAsTheChartsUserWithItsConfigDirectory() throws IOException {
        for (String name : List.of("gateway.Dockerfile", "worker.Dockerfile", "worker-cuda.Dockerfile")) {
            String file = dockerfile(name);
            assertTrue(file.contains("USER 185"), name + ": the chart runs as uid 185");
            assertTrue(file.contains("WORKDIR /deployments"), name + ": Quarkus reads ./config/application.properties");
            assertTrue(file.contains("quarkus-app/lib/"), name + ": the Quarkus fast-jar layout");
        }
        assertTrue(dockerfile("gateway.Dockerfile").contains("EXPOSE 8080"));
        assertTrue(dockerfile("worker.Dockerfile").contains("EXPOSE 8081"));
        assertTrue(dockerfile("worker-cuda.Dockerfile").contains("EXPOSE 8081"));
    }

    @Test
    void shouldCarryTheCudaLibtorchThatTheChartPointsDjlAt() throws IOException {
        String cuda = dockerfile("worker-cuda.Dockerfile");
        Map<String, Object> pytorch =
                Tree.map(Chart.values(Chart.dir().resolve("values.yaml")), "workers.gpuDefaults.pytorch");
        assertTrue(cuda.contains("PYTORCH_LIBRARY_PATH=" + pytorch.get("libraryPath")));
        assertTrue(cuda.contains("PYTORCH_VERSION=" + pytorch.get("version")));
        assertTrue(cuda.contains("PYTORCH_FLAVOR=" + pytorch.get("flavor")));
        assertEquals("2.7.1", pytorch.get("version").toString());
        assertEquals("cu128", pytorch.get("flavor"));
        assertTrue(cuda.contains("2.7.1%2Bcu128"), "the libtorch archive must be the 2.7.1 cu128 build");
        assertTrue(cuda.contains("FROM nvidia/cuda:12.8"), "cu128 needs a CUDA 12.8 runtime");
        assertTrue(cuda.contains("DJL_OFFLINE=true"));
        String cpu = dockerfile("worker.Dockerfile");
        assertTrue(
                !cpu.contains("PYTORCH_LIBRARY_PATH") && cpu.contains("DJL_OFFLINE=true"),
                "the CPU image uses the libtorch of the Maven dependencies");
    }

    @Test
    void shouldShowLagOutcomesBatchesInferenceAndGpuOnTheDashboard() throws IOException {
        JsonNode dashboard = new ObjectMapper()
                .readTree(Chart.dir().resolve("dashboards/genfleet.json").toFile());
        List<String> exprs = new ArrayList<>();
        dashboard
                .path("panels")
                .forEach(p ->
                        p.path("targets").forEach(t -> exprs.add(t.path("expr").asText())));
        String all = String.join("\n", exprs);
        for (String metric : List.of(
                "kafka_consumergroup_lag",
                "genfleet_jobs_total",
                "genfleet_batch_size",
                "genfleet_batch_duration_seconds",
                "genfleet_queue_wait_seconds",
                "DCGM_FI_DEV_GPU_UTIL")) {
            assertTrue(all.contains(metric), "no panel for " + metric);
        }
        assertTrue(all.contains("by (outcome)"), "jobs/s by outcome");
        assertTrue(all.contains("genfleet_dev_pool"), "the pool label comes from the ServiceMonitor's podTargetLabels");
        List<Integer> ids = new ArrayList<>();
        dashboard.path("panels").forEach(p -> ids.add(p.path("id").asInt()));
        assertEquals(ids.size(), ids.stream().distinct().count(), "panel ids must be unique");
    }
}

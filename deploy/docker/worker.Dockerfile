# The worker image, CPU variant: DJL's PyTorch engine with the CPU libtorch 2.7.1 that the worker's
# Maven dependencies carry (ai.djl.pytorch:pytorch-native-cpu:2.7.1:linux-x86_64) - nothing is downloaded
# at run time (DJL_OFFLINE=true). The demo models of models/ are baked in (workers.modelStore.type=baked).
#   ./mvnw -q package -DskipTests -pl worker -am
#   docker build -f deploy/docker/worker.Dockerfile -t ghcr.io/genfleet/genfleet-worker:0.1.0 .
FROM registry.access.redhat.com/ubi9/openjdk-17-runtime:1.22

ENV LANGUAGE='en_US:en'
WORKDIR /deployments
COPY --chown=185 worker/target/quarkus-app/lib/ /deployments/lib/
COPY --chown=185 worker/target/quarkus-app/*.jar /deployments/
COPY --chown=185 worker/target/quarkus-app/app/ /deployments/app/
COPY --chown=185 worker/target/quarkus-app/quarkus/ /deployments/quarkus/
COPY --chown=185 models/ /deployments/models/

EXPOSE 8081
USER 185
ENV DJL_OFFLINE=true \
    DJL_CACHE_DIR=/tmp/djl \
    GENFLEET_WORKER_MODEL_DIR=/deployments/models \
    JAVA_OPTS_APPEND="-Djava.util.logging.manager=org.jboss.logmanager.LogManager" \
    JAVA_APP_JAR="/deployments/quarkus-run.jar"
ENTRYPOINT [ "/opt/jboss/container/java/run/run-java.sh" ]

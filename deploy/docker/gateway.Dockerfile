# The gateway image. Build the app first, then the image from the repository root:
#   ./mvnw -q package -DskipTests -pl gateway -am
#   docker build -f deploy/docker/gateway.Dockerfile -t ghcr.io/genfleet/genfleet-gateway:0.1.0 .
# (Nothing in the Maven build runs Docker; this file is checked by deploy/src/test.)
FROM registry.access.redhat.com/ubi9/openjdk-17-runtime:1.22

ENV LANGUAGE='en_US:en'
WORKDIR /deployments
# Quarkus fast-jar layout, dependencies first so that they stay in a cached layer
COPY --chown=185 gateway/target/quarkus-app/lib/ /deployments/lib/
COPY --chown=185 gateway/target/quarkus-app/*.jar /deployments/
COPY --chown=185 gateway/target/quarkus-app/app/ /deployments/app/
COPY --chown=185 gateway/target/quarkus-app/quarkus/ /deployments/quarkus/

EXPOSE 8080
USER 185
# the chart mounts /deployments/config/application.properties and sets JAVA_OPTS
ENV JAVA_OPTS_APPEND="-Djava.util.logging.manager=org.jboss.logmanager.LogManager"
ENV JAVA_APP_JAR="/deployments/quarkus-run.jar"
ENTRYPOINT [ "/opt/jboss/container/java/run/run-java.sh" ]

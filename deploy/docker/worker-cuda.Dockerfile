# The worker image, CUDA variant (tag suffix -cuda): CUDA 12.8 + cuDNN 9 runtime, Java 17, and the CUDA
# build of libtorch 2.7.1 (cu128) in /opt/libtorch/lib. DJL's pytorch-jni 2.7.1-0.36.0 (a Maven dependency
# of the worker) carries the matching cu128 JNI library; DJL is pointed at this libtorch with
#   PYTORCH_LIBRARY_PATH=/opt/libtorch/lib  PYTORCH_VERSION=2.7.1  PYTORCH_FLAVOR=cu128  DJL_OFFLINE=true
# (set here and again by the chart for every GPU pool). The host needs an NVIDIA driver >= 570 (CUDA 12.8)
# and the NVIDIA device plugin, which exposes nvidia.com/gpu.
#   ./mvnw -q package -DskipTests -pl worker -am
#   docker build -f deploy/docker/worker-cuda.Dockerfile -t ghcr.io/genfleet/genfleet-worker:0.1.0-cuda .
# The libtorch archive is fetched at image build time only (never at run time); LIBTORCH_URL may point at
# an internal mirror. Its sha256 is checked when LIBTORCH_SHA256 is given.

FROM registry.access.redhat.com/ubi9/ubi-minimal:9.6 AS libtorch
ARG LIBTORCH_URL=https://download.pytorch.org/libtorch/cu128/libtorch-cxx11-abi-shared-with-deps-2.7.1%2Bcu128.zip
ARG LIBTORCH_SHA256=""
RUN microdnf install -y unzip && microdnf clean all \
 && curl -fsSL -o /tmp/libtorch.zip "$LIBTORCH_URL" \
 && if [ -n "$LIBTORCH_SHA256" ]; then echo "$LIBTORCH_SHA256  /tmp/libtorch.zip" | sha256sum -c -; fi \
 && unzip -q /tmp/libtorch.zip -d /opt \
 && rm -rf /tmp/libtorch.zip /opt/libtorch/include /opt/libtorch/share /opt/libtorch/bin \
 && test -f /opt/libtorch/lib/libtorch_cuda.so

FROM nvidia/cuda:12.8.1-cudnn-runtime-ubi9
RUN dnf install -y java-17-openjdk-headless shadow-utils && dnf clean all \
 && useradd --uid 185 --gid 0 --home-dir /deployments --no-create-home jboss \
 && mkdir -p /deployments && chown 185:0 /deployments
COPY --from=libtorch /opt/libtorch /opt/libtorch

WORKDIR /deployments
COPY --chown=185 worker/target/quarkus-app/lib/ /deployments/lib/
COPY --chown=185 worker/target/quarkus-app/*.jar /deployments/
COPY --chown=185 worker/target/quarkus-app/app/ /deployments/app/
COPY --chown=185 worker/target/quarkus-app/quarkus/ /deployments/quarkus/
COPY --chown=185 models/ /deployments/models/

EXPOSE 8081
USER 185
ENV PYTORCH_LIBRARY_PATH=/opt/libtorch/lib \
    PYTORCH_VERSION=2.7.1 \
    PYTORCH_FLAVOR=cu128 \
    LD_LIBRARY_PATH=/opt/libtorch/lib:/usr/local/cuda/lib64 \
    DJL_OFFLINE=true \
    DJL_CACHE_DIR=/tmp/djl \
    GENFLEET_WORKER_MODEL_DIR=/deployments/models \
    GENFLEET_WORKER_DEVICE=gpu
ENTRYPOINT [ "sh", "-c", "exec java $JAVA_OPTS -Djava.util.logging.manager=org.jboss.logmanager.LogManager -jar /deployments/quarkus-run.jar" ]

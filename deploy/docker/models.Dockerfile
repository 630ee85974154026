# An image that only carries model directories (<id>/<version>/...), for workers.modelStore.type=image:
# an init container copies /models into the pod. Swap models without rebuilding the worker.
#   docker build -f deploy/docker/models.Dockerfile -t ghcr.io/genfleet/genfleet-models:0.1.0 .
FROM registry.access.redhat.com/ubi9/ubi-minimal:9.6
COPY --chown=185 models/ /models/
USER 185

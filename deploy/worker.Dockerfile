# Worker images. The default (last) stage is the GPU worker: NVIDIA's CUDA 12 + cuDNN 9 runtime, which
# onnxruntime_gpu 1.23 loads for the CUDA execution provider, with the same JRE as the coordinator.
#   ./mvnw -pl gpu-worker -am package -DskipTests
#   docker build -f deploy/worker.Dockerfile -t sweepfarm/worker:0.1.0 .
# The `cpu` stage is a slim CPU worker; build the app with the CPU-only ONNX Runtime first (-Pcpu-only):
#   ./mvnw -pl gpu-worker -am package -DskipTests -Pcpu-only
#   docker build -f deploy/worker.Dockerfile --target cpu -t sweepfarm/worker-cpu:0.1.0 .
# The host needs the NVIDIA driver and the NVIDIA container toolkit; CUDA and cuDNN come with the image.

FROM eclipse-temurin:21-jre-noble AS cpu
ENV LANG=C.UTF-8 SWEEPFARM_WORKER_DEVICE=cpu
WORKDIR /app
COPY --chown=185 gpu-worker/target/quarkus-app/lib/ /app/lib/
COPY --chown=185 gpu-worker/target/quarkus-app/*.jar /app/
COPY --chown=185 gpu-worker/target/quarkus-app/app/ /app/app/
COPY --chown=185 gpu-worker/target/quarkus-app/quarkus/ /app/quarkus/
EXPOSE 8081
USER 185
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "-jar", "/app/quarkus-run.jar"]

FROM nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04 AS gpu
ENV LANG=C.UTF-8 JAVA_HOME=/opt/java/openjdk PATH=/opt/java/openjdk/bin:$PATH SWEEPFARM_WORKER_DEVICE=cuda:0
COPY --from=cpu /opt/java/openjdk /opt/java/openjdk
WORKDIR /app
COPY --chown=185 gpu-worker/target/quarkus-app/lib/ /app/lib/
COPY --chown=185 gpu-worker/target/quarkus-app/*.jar /app/
COPY --chown=185 gpu-worker/target/quarkus-app/app/ /app/app/
COPY --chown=185 gpu-worker/target/quarkus-app/quarkus/ /app/quarkus/
EXPOSE 8081
USER 185
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "-jar", "/app/quarkus-run.jar"]

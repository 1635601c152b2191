# GPU worker image: CUDA 12 + cuDNN 9 runtime (what onnxruntime_gpu 1.23 needs) and a JRE.
# Build the app first: ./mvnw -pl gpu-worker -am package -DskipTests
FROM nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04
RUN apt-get update && apt-get install -y --no-install-recommends openjdk-17-jre-headless \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY gpu-worker/target/quarkus-app/lib/ /app/lib/
COPY gpu-worker/target/quarkus-app/*.jar /app/
COPY gpu-worker/target/quarkus-app/app/ /app/app/
COPY gpu-worker/target/quarkus-app/quarkus/ /app/quarkus/
ENV SWEEPFARM_WORKER_DEVICE=cuda:0
EXPOSE 8081
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "-jar", "/app/quarkus-run.jar"]

# Coordinator image: the Quarkus fast-jar on a JRE.
#   ./mvnw -pl coordinator -am package -DskipTests
#   docker build -f deploy/coordinator.Dockerfile -t sweepfarm/coordinator:0.1.0 .
FROM eclipse-temurin:21-jre-noble
ENV LANG=C.UTF-8
WORKDIR /app
# Dependencies first: they change less often than the application, so their layer is reused.
COPY --chown=185 coordinator/target/quarkus-app/lib/ /app/lib/
COPY --chown=185 coordinator/target/quarkus-app/*.jar /app/
COPY --chown=185 coordinator/target/quarkus-app/app/ /app/app/
COPY --chown=185 coordinator/target/quarkus-app/quarkus/ /app/quarkus/
EXPOSE 8080
USER 185
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/quarkus-run.jar"]

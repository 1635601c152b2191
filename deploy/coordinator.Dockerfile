# Coordinator image. Build the app first: ./mvnw -pl coordinator -am package -DskipTests
FROM eclipse-temurin:17-jre
WORKDIR /app
COPY coordinator/target/quarkus-app/lib/ /app/lib/
COPY coordinator/target/quarkus-app/*.jar /app/
COPY coordinator/target/quarkus-app/app/ /app/app/
COPY coordinator/target/quarkus-app/quarkus/ /app/quarkus/
EXPOSE 8080
USER 185
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/quarkus-run.jar"]

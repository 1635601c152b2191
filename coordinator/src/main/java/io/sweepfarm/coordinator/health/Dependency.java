package io.sweepfarm.coordinator.health;

/** A server the coordinator's requests need; {@link #id} is what a 503 problem's {@code dependency} says. */
public enum Dependency {
    DATABASE("database", "the database"),
    STORAGE("storage", "the image storage (S3)");

    public final String id;
    public final String description;

    Dependency(String id, String description) {
        this.id = id;
        this.description = description;
    }

    public static Dependency of(String id) {
        for (Dependency d : values()) {
            if (d.id.equals(id)) {
                return d;
            }
        }
        return null;
    }
}

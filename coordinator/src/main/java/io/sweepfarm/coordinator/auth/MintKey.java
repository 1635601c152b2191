package io.sweepfarm.coordinator.auth;

/**
 * Mints an API key: {@code java -cp 'quarkus-app/app/*' io.sweepfarm.coordinator.auth.MintKey NAME}. Prints the key
 * (give it to the client; it is not stored anywhere) and the {@code key-hashes} entry for the coordinator's
 * configuration. Plain Java: it needs neither the database nor a running coordinator.
 */
public final class MintKey {

    private MintKey() {
    }

    public static void main(String[] args) {
        String name = args.length > 0 ? args[0] : "key";
        if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
            System.err.println("The name must be 1-64 letters, digits, '.', '_' or '-'");
            System.exit(2);
        }
        String key = ApiKeys.mint();
        System.out.println("key:   " + key);
        System.out.println("entry: " + name + ":" + ApiKeys.hash(key));
        System.out.println("Give the key to the client (Authorization: Bearer <key>); add the entry to "
                + "sweepfarm.coordinator.auth.key-hashes (comma-separated).");
    }
}

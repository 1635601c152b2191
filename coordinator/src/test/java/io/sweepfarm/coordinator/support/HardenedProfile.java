package io.sweepfarm.coordinator.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.sweepfarm.coordinator.auth.ApiKeys;
import java.util.Map;

/**
 * The coordinator as production runs it: API keys required for writes, reads open. The body limit is small so that
 * a body over it is cheap to send. Tests send {@link #KEY} as {@code Authorization: Bearer}.
 */
public class HardenedProfile implements QuarkusTestProfile {

    /** A key the coordinator accepts, under the name {@code tests}. */
    public static final String KEY = "sf_test-key-0123456789abcdefghijklmnopqrstuvwxyzABCDEF";
    /** Another accepted key, under the name {@code other}. */
    public static final String OTHER_KEY = "sf_other-key-ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxw";
    /** The body limit in this profile. */
    public static final int MAX_BODY = 1024 * 1024;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("sweepfarm.coordinator.auth.enabled", "true",
                "sweepfarm.coordinator.auth.key-hashes", "tests:" + ApiKeys.hash(KEY) + ",other:" + ApiKeys.hash(OTHER_KEY),
                "sweepfarm.coordinator.max-body-size", Integer.toString(MAX_BODY));
    }

    /** The {@code Authorization} header value of {@link #KEY}. */
    public static String bearer() {
        return "Bearer " + KEY;
    }
}

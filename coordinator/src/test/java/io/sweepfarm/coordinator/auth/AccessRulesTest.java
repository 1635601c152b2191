package io.sweepfarm.coordinator.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.http.HttpMethod;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessRulesTest {

    @Test
    void everyWriteNeedsAKeyExceptTheLoginItself() {
        for (HttpMethod m : List.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE)) {
            assertThat(AccessGuard.need(m, "/api/v1/sweeps", false)).isEqualTo(AccessGuard.Need.KEY);
            assertThat(AccessGuard.need(m, "/q/health", false)).isEqualTo(AccessGuard.Need.KEY);
        }
        assertThat(AccessGuard.need(HttpMethod.POST, "/api/v1/inputs", false)).isEqualTo(AccessGuard.Need.KEY);
        assertThat(AccessGuard.need(HttpMethod.POST, "/api/v1/session", false)).isEqualTo(AccessGuard.Need.NOTHING);
        assertThat(AccessGuard.need(HttpMethod.POST, "/api/v1/session/x", false)).isEqualTo(AccessGuard.Need.KEY);
    }

    @Test
    void readsNeedAKeyOnlyWhenProtectedAndOnlyUnderApi() {
        assertThat(AccessGuard.need(HttpMethod.GET, "/api/v1/sweeps", false)).isEqualTo(AccessGuard.Need.NOTHING);
        assertThat(AccessGuard.need(HttpMethod.GET, "/api/v1/sweeps", true)).isEqualTo(AccessGuard.Need.KEY);
        assertThat(AccessGuard.need(HttpMethod.HEAD, "/api/v1/images/x/png", true)).isEqualTo(AccessGuard.Need.KEY);
        assertThat(AccessGuard.need(HttpMethod.GET, "/api/v1/session", true)).isEqualTo(AccessGuard.Need.NOTHING);
        assertThat(AccessGuard.need(HttpMethod.GET, "/q/health/ready", true)).isEqualTo(AccessGuard.Need.NOTHING);
        assertThat(AccessGuard.need(HttpMethod.GET, "/grid.html", true)).isEqualTo(AccessGuard.Need.NOTHING);
        assertThat(AccessGuard.need(HttpMethod.GET, "/apix", true)).isEqualTo(AccessGuard.Need.NOTHING);
    }

    @Test
    void onlyAWellFormedBearerTokenIsTaken() {
        assertThat(AccessGuard.bearer("Bearer sf_abc")).contains("sf_abc");
        assertThat(AccessGuard.bearer("bearer   sf_abc  ")).contains("sf_abc");
        assertThat(AccessGuard.bearer("Bearer")).isEmpty();
        assertThat(AccessGuard.bearer("Bearer sf_a sf_b")).isEmpty();
        assertThat(AccessGuard.bearer("Basic c2Y6YWJj")).isEmpty();
        assertThat(AccessGuard.bearer("sf_abc")).isEmpty();
    }

    @Test
    void keysAreKnownByTheirHashAndCheckedByIt() {
        String key = ApiKeys.mint();
        assertThat(key).startsWith("sf_").hasSize(3 + 43);
        assertThat(ApiKeys.mint()).isNotEqualTo(key);
        assertThat(ApiKeys.hash(key)).hasSize(64).isLowerCase().doesNotContain(key.substring(3));
        List<ApiKeys.Entry> entries = ApiKeys.parse(List.of("alice:" + ApiKeys.hash(key), " ci:"
                + ApiKeys.hash("x").toUpperCase() + " "));
        assertThat(entries).extracting(ApiKeys.Entry::name).containsExactly("alice", "ci");
    }

    @Test
    void aMalformedKeyHashStopsTheStartNamingTheSetting() {
        assertThatThrownBy(() -> ApiKeys.parse(List.of("alice:" + "ab".repeat(31))))
                .hasMessageContaining("sweepfarm.coordinator.auth.key-hashes[0]");
        assertThatThrownBy(() -> ApiKeys.parse(List.of("ok:" + "ab".repeat(32), "no-name")))
                .hasMessageContaining("key-hashes[1]");
    }
}

package io.sweepfarm.coordinator.state;

import io.sweepfarm.coordinator.problem.ProblemException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An enum of states and the table of transitions allowed between them: the one place where a lifecycle's rules live
 * (after JobRunr's {@code AllowedJobStateStateChanges}). Entity updates call {@link #check}; bulk SQL updates bind
 * {@link #sourcesOf} into their {@code where state = any(?)} so that they obey the same table.
 *
 * @param <S> the state enum
 */
public final class StateMachine<S extends Enum<S>> {

    private final String subject;
    private final Class<S> type;
    private final Map<S, Set<S>> allowed;

    private StateMachine(String subject, Class<S> type, Map<S, Set<S>> allowed) {
        this.subject = subject;
        this.type = type;
        this.allowed = allowed;
    }

    public static <S extends Enum<S>> Builder<S> of(String subject, Class<S> type) {
        return new Builder<>(subject, type);
    }

    public boolean allows(S from, S to) {
        return allowed.get(from).contains(to);
    }

    /** Throws {@link ProblemException.Conflict} (409) unless {@code from → to} is allowed. */
    public void check(S from, S to, Object id) {
        if (!allows(from, to)) {
            throw new ProblemException.Conflict(String.format("%s %s is %s and cannot become %s (allowed from %s: %s)",
                    subject, id, from, to, from, allowed.get(from).isEmpty() ? "nothing, it is final" : allowed.get(from)));
        }
    }

    /** Every state from which {@code to} may be entered. */
    public Set<S> sourcesOf(S to) {
        EnumSet<S> sources = EnumSet.noneOf(type);
        allowed.forEach((from, targets) -> {
            if (targets.contains(to)) {
                sources.add(from);
            }
        });
        return sources;
    }

    /** {@link #sourcesOf} as names, to bind as a SQL text array. */
    public String[] sourceNamesOf(S to) {
        return sourcesOf(to).stream().map(Enum::name).toArray(String[]::new);
    }

    /**
     * {@link #sourcesOf} as a SQL list literal, e.g. {@code ('PENDING', 'QUEUED')}, for statements whose predicate
     * must be literal so that PostgreSQL can match it to a partial index. Built from enum names only, never from
     * input.
     */
    public String sqlSourcesOf(S to) {
        return sqlList(sourcesOf(to));
    }

    /**
     * {@code from} as a SQL literal for a statement that moves rows from it to {@code to}; fails (at class
     * initialisation, where such statements are built) if the lifecycle does not allow the move.
     */
    public String sqlFrom(S from, S to) {
        if (!allows(from, to)) {
            throw new IllegalStateException(subject + " lifecycle does not allow " + from + " -> " + to);
        }
        return "'" + from.name() + "'";
    }

    /** States as a SQL list literal, e.g. {@code ('RUNNING', 'PAUSED')}; enum names only. */
    public static String sqlList(Set<? extends Enum<?>> states) {
        return states.stream().map(s -> "'" + s.name() + "'").sorted()
                .collect(java.util.stream.Collectors.joining(", ", "(", ")"));
    }

    public Set<S> targetsOf(S from) {
        return allowed.get(from);
    }

    public static final class Builder<S extends Enum<S>> {
        private final String subject;
        private final Class<S> type;
        private final Map<S, Set<S>> allowed;

        private Builder(String subject, Class<S> type) {
            this.subject = subject;
            this.type = type;
            this.allowed = new EnumMap<>(type);
            for (S s : type.getEnumConstants()) {
                allowed.put(s, EnumSet.noneOf(type));
            }
        }

        @SafeVarargs
        public final Builder<S> allow(S from, S... to) {
            allowed.get(from).addAll(List.of(to));
            return this;
        }

        public StateMachine<S> build() {
            Map<S, Set<S>> frozen = new EnumMap<>(type);
            allowed.forEach((k, v) -> frozen.put(k, Collections.unmodifiableSet(EnumSet.copyOf(v.isEmpty()
                    ? EnumSet.noneOf(type) : v))));
            return new StateMachine<>(subject, type, Collections.unmodifiableMap(frozen));
        }
    }
}

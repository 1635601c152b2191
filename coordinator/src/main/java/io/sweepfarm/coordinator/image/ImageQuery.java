package io.sweepfarm.coordinator.image;

import io.agroal.api.AgroalDataSource;
import io.sweepfarm.common.api.ImagePage;
import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.api.ImageView;
import io.sweepfarm.common.api.SweepState;
import io.sweepfarm.common.image.ImageIds;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.coordinator.plan.OrdinalSet;
import io.sweepfarm.coordinator.plan.SweepPlans;
import io.sweepfarm.coordinator.problem.ProblemException;
import io.sweepfarm.coordinator.state.Lifecycles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Reads images by arithmetic: a filter compiles, per sweep, to the set of matching ordinals through the sweep's spec
 * ({@link io.sweepfarm.coordinator.plan.SweepPlan#match}), which is joined with the rows of the images that were
 * released or finished. Nothing is scanned per requested image and no parameter is indexed per image.
 *
 * <p>An image's state: its {@code image} row if it finished, its {@code task} row if it is released or handed back;
 * otherwise it is at or past its sweep's release cursor and PENDING (CANCELLED once the sweep is). Pages are in
 * (sweep id, ordinal) order with keyset cursors, within one sweep or across every sweep that can match. Dense
 * selections (any state, or successes) walk the matching ordinals and probe their rows in batches across sweeps;
 * sparse ones (failed, queued, ...) walk the rows of those states. Each request does bounded work: when the bound
 * is reached before the page is full, the page is returned short with a cursor to continue.
 */
@ApplicationScoped
public class ImageQuery {

    /** Candidates probed per round trip. */
    private static final int CHUNK = 256;
    /** Most candidates or rows one request examines. */
    private static final int BUDGET = 20_000;
    /**
     * Sweeps read per round trip when a query spans sweeps: few at first (a page is often filled from the first
     * sweeps), four times more on each further read, up to the most.
     */
    private static final int FIRST_SWEEPS_READ = 32;
    private static final int MOST_SWEEPS_READ = 2048;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    SweepPlans plans;

    /** What a query needs of a sweep row. */
    record SweepRow(UUID id, long seq, SweepState state, long cursor, long imageCount, long queued, long succeeded,
            long failed, long cancelled) {

        ImageState beyondCursor() {
            return state == SweepState.CANCELLED ? ImageState.CANCELLED : ImageState.PENDING;
        }

        /** Whether any image of the sweep can be in one of {@code states} (empty: any), by its counters. */
        boolean mayHave(Set<ImageState> states) {
            if (states.isEmpty()) {
                return true;
            }
            long pending = imageCount - queued - succeeded - failed - cancelled;
            return states.contains(ImageState.SUCCEEDED) && succeeded > 0
                    || states.contains(ImageState.FAILED) && failed > 0
                    || states.contains(ImageState.CANCELLED) && cancelled > 0
                    || states.contains(ImageState.QUEUED) && queued > 0
                    || states.contains(ImageState.PENDING) && pending > 0;
        }
    }

    /** One image's row data, from {@code image} or {@code task}. */
    private record Row(ImageState state, int attempts, String objectKey, String sha256, String worker,
            Long renderMillis, String warnings, String error, Timestamp completedAt) {
    }

    public ImageView get(UUID id) {
        try (Connection c = dataSource.getConnection()) {
            Key key = locate(c, id);
            SweepRow s = sweep(c, key.sweep()).orElseThrow(() -> notFound(id));
            if (key.ordinal() < 0 || key.ordinal() >= s.imageCount()) {
                throw notFound(id);
            }
            Map<Long, Row> rows = rows(c, s.id(), List.of(key.ordinal()));
            return view(s, key.ordinal(), rows.get(key.ordinal()));
        } catch (SQLException e) {
            throw new IllegalStateException("reading image " + id + " failed: " + e.getMessage(), e);
        }
    }

    /** The object key of a rendered image, or a 404 problem while there is nothing to download. */
    public String renderedKey(UUID id) {
        ImageView v = get(id);
        if (v.state() != ImageState.SUCCEEDED || v.objectKey() == null) {
            throw new ProblemException.NotFound("image " + id + " is " + v.state() + " and has no PNG yet");
        }
        return v.objectKey();
    }

    /** One page of the images {@code filter} selects, after {@code rawCursor}. */
    public ImagePage page(ImageFilter filter, String rawCursor, int limit) {
        Cursor cursor = Cursor.decode(rawCursor);
        try (Connection c = dataSource.getConnection()) {
            return new Walk(c, filter, cursor, limit).run();
        } catch (SQLException e) {
            throw new IllegalStateException("image query failed: " + e.getMessage(), e);
        }
    }

    /** Every image {@code filter} selects, page by page in order (grids, exports). */
    public void forEach(ImageFilter filter, int pageSize, Consumer<ImageView> sink) {
        String cursor = null;
        do {
            ImagePage page = page(filter, cursor, pageSize);
            page.items().forEach(sink);
            cursor = page.nextCursor();
        } while (cursor != null);
    }

    /** One request's walk over the matching images, in (sweep id, ordinal) order. */
    private final class Walk {
        private final Connection c;
        private final ImageFilter filter;
        private final int limit;
        private final boolean sparse;
        private final List<ImageView> items = new ArrayList<>();
        private final List<Candidate> chunk = new ArrayList<>();
        private final UUID afterSweep;
        private final long afterOrdinal;
        private int examined;
        private UUID lastSweep;
        private long lastOrdinal;

        Walk(Connection c, ImageFilter filter, Cursor cursor, int limit) {
            this.c = c;
            this.filter = filter;
            this.limit = limit;
            Set<ImageState> states = filter.states();
            this.sparse = !states.isEmpty() && !states.contains(ImageState.SUCCEEDED);
            this.afterSweep = cursor == null ? null : cursor.sweepId();
            this.afterOrdinal = cursor == null ? -1 : cursor.ordinal();
        }

        ImagePage run() throws SQLException {
            boolean interrupted = false;
            UUID from = afterSweep;
            boolean inclusive = true;
            int read = FIRST_SWEEPS_READ;
            outer:
            while (true) {
                List<SweepRow> sweeps = sweeps(from, inclusive, read);
                for (SweepRow s : sweeps) {
                    if (!s.mayHave(filter.states())) {
                        continue;
                    }
                    OrdinalSet set = plans.get(s.id()).plan().match(filter.conditions());
                    long start = s.id().equals(afterSweep) ? afterOrdinal + 1 : 0;
                    boolean done = sparse ? sparse(s, set, start) : dense(s, set, start);
                    if (!done) {
                        interrupted = true;
                        break outer;
                    }
                }
                if (filter.sweepId() != null || sweeps.size() < read) {
                    break;
                }
                from = sweeps.get(sweeps.size() - 1).id();
                inclusive = false;
                read = Math.min(MOST_SWEEPS_READ, read * 4);
            }
            probe();
            String next = null;
            if (items.size() >= limit) {
                items.subList(limit, items.size()).clear();
                ImageView last = items.get(items.size() - 1);
                next = new Cursor(last.sweepId(), last.ordinal()).encode();
            } else if (interrupted) {
                next = new Cursor(lastSweep, lastOrdinal).encode(); // out of budget: continue after what was read
            }
            return new ImagePage(List.copyOf(items), next);
        }

        private boolean full() {
            return items.size() >= limit || examined >= BUDGET;
        }

        /** Walks the matching ordinals of a sweep, probing their rows in chunks; false if stopped before its end. */
        private boolean dense(SweepRow s, OrdinalSet set, long start) throws SQLException {
            // Past the cursor every image is in one derived state: if it is not wanted, the sweep ends there.
            long end = filter.states().isEmpty() || filter.states().contains(s.beyondCursor()) ? Long.MAX_VALUE
                    : s.cursor();
            for (long k = set.next(start); k >= 0 && k < end; k = set.next(k + 1)) {
                if (full()) {
                    return false;
                }
                examined++;
                lastSweep = s.id();
                lastOrdinal = k;
                chunk.add(new Candidate(s, k));
                if (chunk.size() >= CHUNK || items.size() + chunk.size() >= limit) {
                    probe();
                }
            }
            return true;
        }

        /** Reads the rows of the chunk's candidates below their cursors and keeps those in the wanted states. */
        private void probe() throws SQLException {
            if (chunk.isEmpty()) {
                return;
            }
            Map<UUID, List<Long>> released = new HashMap<>();
            for (Candidate cd : chunk) {
                if (cd.ordinal() < cd.sweep().cursor()) {
                    released.computeIfAbsent(cd.sweep().id(), x -> new ArrayList<>()).add(cd.ordinal());
                }
            }
            Map<UUID, Map<Long, Row>> rows = rows(c, released);
            for (Candidate cd : chunk) {
                Row row = rows.getOrDefault(cd.sweep().id(), Map.of()).get(cd.ordinal());
                ImageView v = view(cd.sweep(), cd.ordinal(), row);
                if (filter.states().isEmpty() || filter.states().contains(v.state())) {
                    items.add(v);
                }
            }
            chunk.clear();
        }

        /**
         * Walks the rows in the wanted states (few), then the unreleased ordinals if their state is wanted; false if
         * stopped before the sweep's end.
         */
        private boolean sparse(SweepRow s, OrdinalSet set, long start) throws SQLException {
            Set<ImageState> wanted = filter.states();
            long pos = start;
            while (pos < s.cursor()) {
                List<Map.Entry<Long, Row>> batch = rowsInStates(c, s.id(), wanted, pos, CHUNK);
                for (Map.Entry<Long, Row> e : batch) {
                    if (full()) {
                        return false;
                    }
                    examined++;
                    lastSweep = s.id();
                    lastOrdinal = e.getKey();
                    if (set.contains(e.getKey())) {
                        items.add(view(s, e.getKey(), e.getValue()));
                    }
                }
                if (batch.size() < CHUNK) {
                    break;
                }
                pos = batch.get(batch.size() - 1).getKey() + 1;
            }
            if (wanted.contains(s.beyondCursor())) {
                for (long k = set.next(Math.max(start, s.cursor())); k >= 0; k = set.next(k + 1)) {
                    if (full()) {
                        return false;
                    }
                    examined++;
                    lastSweep = s.id();
                    lastOrdinal = k;
                    items.add(view(s, k, null));
                }
            }
            return true;
        }

        /** The sweeps to walk from {@code from} on, in id order (only the filter's sweep when it names one). */
        private List<SweepRow> sweeps(UUID from, boolean inclusive, int read) throws SQLException {
            if (filter.sweepId() != null) {
                return sweep(c, filter.sweepId()).map(List::of).orElse(List.of());
            }
            Set<String> models = filter.models();
            long[] seeds = filter.seedBounds();
            // A keyset read on (model, id) or on id: each condition is written only when it applies, so that the
            // planner can walk the index instead of a generic "? is null or" predicate. A seed filter skips the
            // sweeps whose seeds cannot match (by their bounds; sweeps without bounds are always read).
            String sql = SWEEP_COLUMNS + " where true"
                    + (from == null ? "" : inclusive ? " and id >= ?" : " and id > ?")
                    + (models == null ? "" : models.size() == 1 ? " and model = ?" : " and model = any(?)")
                    + (seeds == null ? "" : " and (seed_lo is null or (seed_hi >= ? and seed_lo <= ?))")
                    + " order by id limit " + read;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                if (from != null) {
                    ps.setObject(i++, from);
                }
                if (models != null) {
                    if (models.size() == 1) {
                        ps.setString(i++, models.iterator().next());
                    } else {
                        ps.setArray(i++, c.createArrayOf("text", models.toArray()));
                    }
                }
                if (seeds != null) {
                    ps.setLong(i++, seeds[0]);
                    ps.setLong(i, seeds[1]);
                }
                List<SweepRow> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(sweepRow(rs));
                    }
                }
                return out;
            }
        }
    }

    private record Candidate(SweepRow sweep, long ordinal) {
    }

    private record Key(UUID sweep, long ordinal) {
    }

    private static final String SWEEP_COLUMNS = """
            select id, seq, state, release_cursor, image_count, queued, succeeded, failed, cancelled from sweep""";

    private static SweepRow sweepRow(ResultSet rs) throws SQLException {
        return new SweepRow(rs.getObject(1, UUID.class), rs.getLong(2), SweepState.valueOf(rs.getString(3)),
                rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9));
    }

    private static java.util.Optional<SweepRow> sweep(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SWEEP_COLUMNS + " where id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? java.util.Optional.of(sweepRow(rs)) : java.util.Optional.empty();
            }
        }
    }

    /** The (sweep, ordinal) an image id names: by arithmetic, or for ids from before ids encoded it, by lookup. */
    private Key locate(Connection c, UUID id) throws SQLException {
        var decoded = ImageIds.decode(id);
        if (decoded.isPresent()) {
            UUID sweep = plans.bySeq(decoded.get().sweepSeq()).map(SweepPlans.Compiled::id)
                    .orElseThrow(() -> notFound(id));
            return new Key(sweep, decoded.get().ordinal());
        }
        try (PreparedStatement ps = c.prepareStatement(
                "select sweep_id, ordinal from image_legacy_id where id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw notFound(id);
                }
                return new Key(rs.getObject(1, UUID.class), rs.getLong(2));
            }
        }
    }

    private static ProblemException notFound(UUID id) {
        return new ProblemException.NotFound("no image with id " + id);
    }

    private static Map<Long, Row> rows(Connection c, UUID sweep, List<Long> ordinals) throws SQLException {
        return rows(c, Map.of(sweep, ordinals)).getOrDefault(sweep, Map.of());
    }

    /**
     * The rows of the given ordinals, from {@code image} and {@code task}, for all sweeps in one statement (one round
     * trip per chunk).
     */
    private static Map<UUID, Map<Long, Row>> rows(Connection c, Map<UUID, List<Long>> ordinals) throws SQLException {
        Map<UUID, Map<Long, Row>> out = new HashMap<>();
        if (ordinals.isEmpty()) {
            return out;
        }
        List<Object> sweeps = new ArrayList<>();
        List<Object> ords = new ArrayList<>();
        ordinals.forEach((s, list) -> list.forEach(o -> {
            sweeps.add(s);
            ords.add(o);
        }));
        try (PreparedStatement ps = c.prepareStatement(ROW_PROBE)) {
            ps.setArray(1, c.createArrayOf("uuid", sweeps.toArray()));
            ps.setArray(2, c.createArrayOf("bigint", ords.toArray()));
            readRows(ps, out, true);
        }
        return out;
    }

    /**
     * The probe of {@link #rows}: finished images with their columns, then released tasks with nulls in the
     * columns only images have (a task and an image never share a key).
     */
    static final String ROW_PROBE = """
            with k(sweep_id, ordinal) as (select * from unnest(?::uuid[], ?::bigint[]))
            select i.sweep_id, i.ordinal, i.state, i.attempts, i.object_key, i.sha256, i.worker, i.render_ms,
                   i.warnings::text, i.error, i.completed_at
            from image i join k on i.sweep_id = k.sweep_id and i.ordinal = k.ordinal
            union all
            select t.sweep_id, t.ordinal, t.state, t.attempts, null, null, null, null, null, null, null
            from task t join k on t.sweep_id = k.sweep_id and t.ordinal = k.ordinal""";

    /** Rows of a sweep in {@code states} from ordinal {@code from} on, in ordinal order, at most {@code limit}. */
    private static List<Map.Entry<Long, Row>> rowsInStates(Connection c, UUID sweep, Set<ImageState> states,
            long from, int limit) throws SQLException {
        Set<ImageState> finished = java.util.EnumSet.noneOf(ImageState.class);
        Set<ImageState> tasks = java.util.EnumSet.noneOf(ImageState.class);
        for (ImageState s : states) {
            (Lifecycles.FINISHED.contains(s) ? finished : tasks).add(s);
        }
        Map<UUID, Map<Long, Row>> found = new HashMap<>();
        if (!finished.isEmpty()) {
            // Literal states: the planner matches them to the partial index of unsuccessful images.
            try (PreparedStatement ps = c.prepareStatement("""
                    select sweep_id, ordinal, state, attempts, object_key, sha256, worker, render_ms, warnings::text,
                           error, completed_at
                    from image where sweep_id = ? and state in %s and ordinal >= ? order by ordinal limit ?"""
                    .formatted(io.sweepfarm.coordinator.state.StateMachine.sqlList(finished)))) {
                ps.setObject(1, sweep);
                ps.setLong(2, from);
                ps.setInt(3, limit);
                readRows(ps, found, true);
            }
        }
        if (!tasks.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    select sweep_id, ordinal, state, attempts from task
                    where sweep_id = ? and state in %s and ordinal >= ? order by ordinal limit ?"""
                    .formatted(io.sweepfarm.coordinator.state.StateMachine.sqlList(tasks)))) {
                ps.setObject(1, sweep);
                ps.setLong(2, from);
                ps.setInt(3, limit);
                readRows(ps, found, false);
            }
        }
        List<Map.Entry<Long, Row>> merged = new ArrayList<>(found.getOrDefault(sweep, Map.of()).entrySet());
        merged.sort(Map.Entry.comparingByKey());
        return merged.size() > limit ? merged.subList(0, limit) : merged;
    }

    private static void readRows(PreparedStatement ps, Map<UUID, Map<Long, Row>> out, boolean finished)
            throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                UUID sweep = rs.getObject(1, UUID.class);
                long ordinal = rs.getLong(2);
                Row row = finished
                        ? new Row(ImageState.valueOf(rs.getString(3)), rs.getInt(4), rs.getString(5),
                                rs.getString(6), rs.getString(7), (Long) rs.getObject(8), rs.getString(9),
                                rs.getString(10), rs.getTimestamp(11))
                        : new Row(ImageState.valueOf(rs.getString(3)), rs.getInt(4), null, null, null, null, null,
                                null, null);
                out.computeIfAbsent(sweep, k -> new HashMap<>()).put(ordinal, row);
            }
        }
    }

    private ImageView view(SweepRow s, long ordinal, Row row) {
        SweepPlans.Compiled sweep = plans.get(s.id());
        UUID id = sweep.imageId(ordinal);
        ImageState state = row != null ? row.state() : ordinal >= s.cursor() ? s.beyondCursor()
                : ImageState.CANCELLED;
        List<String> warnings = row == null || row.warnings() == null ? null
                : java.util.Arrays.asList(Json.fromString(row.warnings(), String[].class));
        return new ImageView(id, s.id(), ordinal, sweep.plan().at(ordinal), state, row == null ? 0 : row.attempts(),
                row == null ? null : row.objectKey(), row == null ? null : row.sha256(),
                "/api/v1/images/" + id + "/png",
                row == null ? null : row.worker(), row == null ? null : row.renderMillis(), warnings,
                row == null ? null : row.error(), row == null || row.completedAt() == null ? null
                        : row.completedAt().toInstant());
    }
}

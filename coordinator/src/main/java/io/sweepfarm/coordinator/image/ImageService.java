package io.sweepfarm.coordinator.image;

import com.fasterxml.jackson.core.type.TypeReference;
import io.sweepfarm.common.api.ImagePage;
import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.api.ImageView;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.coordinator.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads images: one by id, or pages of exact-match queries in (sweep_id, ordinal) order. */
@ApplicationScoped
public class ImageService {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    @Inject
    EntityManager em;

    @Transactional
    public ImageView get(UUID id) {
        List<Object[]> rows = em.createQuery("select i, s.model from Image i join Sweep s on s.id = i.sweepId "
                + "where i.id = :id", Object[].class).setParameter("id", id).getResultList();
        if (rows.isEmpty()) {
            throw new ProblemException.NotFound("no image with id " + id);
        }
        return toView((Image) rows.get(0)[0], (String) rows.get(0)[1]);
    }

    /** The object key of a rendered image, or a 404 problem while there is nothing to download. */
    @Transactional
    public String renderedKey(UUID id) {
        Image image = Image.findById(id);
        if (image == null) {
            throw new ProblemException.NotFound("no image with id " + id);
        }
        if (image.state != ImageState.SUCCEEDED || image.objectKey == null) {
            throw new ProblemException.NotFound("image " + id + " is " + image.state + " and has no PNG yet");
        }
        return image.objectKey;
    }

    /**
     * One page of images matching {@code filter}, after {@code cursor}. Keyset pagination on (sweep_id, ordinal),
     * which the unique index {@code image_sweep_ordinal_idx} serves; filters are fixed fragments with bound
     * parameters.
     */
    @Transactional
    public ImagePage page(ImageFilter filter, String rawCursor, int limit) {
        Cursor cursor = Cursor.decode(rawCursor);
        Map<String, Object> params = new LinkedHashMap<>();
        StringBuilder where = where(filter, params);
        if (cursor != null) {
            where.append(" and (i.sweepId > :cSweep or (i.sweepId = :cSweep and i.ordinal > :cOrdinal))");
            params.put("cSweep", cursor.sweepId());
            params.put("cOrdinal", cursor.ordinal());
        }
        TypedQuery<Object[]> query = em.createQuery("select i, s.model from Image i join Sweep s on s.id = i.sweepId"
                + where + " order by i.sweepId, i.ordinal", Object[].class);
        params.forEach(query::setParameter);
        List<Object[]> rows = query.setMaxResults(limit + 1).getResultList();
        List<ImageView> items = new ArrayList<>(Math.min(rows.size(), limit));
        for (int k = 0; k < Math.min(rows.size(), limit); k++) {
            items.add(toView((Image) rows.get(k)[0], (String) rows.get(k)[1]));
        }
        String next = null;
        if (rows.size() > limit) {
            ImageView last = items.get(items.size() - 1);
            next = new Cursor(last.sweepId(), last.ordinal()).encode();
        }
        return new ImagePage(items, next);
    }

    /** {@code where ...} over {@code Image i} for an exact-match filter; fills {@code params}. */
    static StringBuilder where(ImageFilter filter, Map<String, Object> params) {
        StringBuilder where = new StringBuilder(" where 1 = 1");
        add(where, params, "i.sweepId", "sweepId", filter.sweepId());
        add(where, params, "i.prompt", "prompt", filter.prompt());
        add(where, params, "i.negativePrompt", "negativePrompt", filter.negativePrompt());
        add(where, params, "i.cfgScale", "cfgScale", filter.cfgScale());
        add(where, params, "i.steps", "steps", filter.steps());
        add(where, params, "i.sampler", "sampler", filter.sampler());
        add(where, params, "i.seed", "seed", filter.seed());
        add(where, params, "i.width", "width", filter.width());
        add(where, params, "i.height", "height", filter.height());
        add(where, params, "i.state", "state", filter.state());
        return where;
    }

    private static void add(StringBuilder where, Map<String, Object> params, String path, String name, Object value) {
        if (value != null) {
            where.append(" and ").append(path).append(" = :").append(name);
            params.put(name, value);
        }
    }

    static ImageView toView(Image i, String model) {
        List<String> warnings = i.warnings == null ? null : Json.MAPPER.convertValue(readTree(i.warnings), STRINGS);
        // Always present: it answers 404 until the image is rendered.
        String downloadUrl = "/api/v1/images/" + i.id + "/png";
        return new ImageView(i.id, i.sweepId, i.ordinal, model, i.prompt, i.negativePrompt, i.cfgScale, i.steps,
                i.sampler, i.seed, i.width, i.height, i.noiseSource, i.initImage, i.strength, i.mask, i.state,
                i.attempts, i.objectKey, downloadUrl, i.worker, i.renderMs, warnings, i.error, i.completedAt);
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            return null;
        }
    }
}

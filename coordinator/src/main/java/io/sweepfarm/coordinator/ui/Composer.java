package io.sweepfarm.coordinator.ui;

import io.sweepfarm.common.api.CreateSweepResponse;
import io.sweepfarm.common.api.InputView;
import io.sweepfarm.common.api.SweepPreview;
import io.sweepfarm.coordinator.fleet.Fleet;
import io.sweepfarm.coordinator.input.InputResource;
import io.sweepfarm.coordinator.problem.Problem.FieldError;
import io.sweepfarm.coordinator.problem.ProblemException;
import io.sweepfarm.coordinator.sweep.SweepService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * The new-sweep page's work: the dry run behind the live count and preview, uploads of init images, masks, depth maps
 * and control images (through {@code POST /api/v1/inputs}' own checks), and the submission. Every refusal comes back
 * by form field.
 */
@ApplicationScoped
public class Composer {

    @Inject
    SweepService sweeps;

    @Inject
    InputResource inputs;

    @Inject
    Fleet fleet;

    /** The outcome of a submission: the new sweep's id, or the mistakes by field. */
    public record Submitted(UUID id, Map<String, String> errors) {
    }

    /** The count and first images of the form's sweep, or its mistakes. */
    public Pages.Preview preview(SweepForm form) {
        SweepForm.Parsed parsed = form.toRequest(true);
        if (!parsed.ok()) {
            return new Pages.Preview(0, List.of(), parsed.errors());
        }
        try {
            SweepService.Created created = sweeps.create(parsed.request(), null);
            SweepPreview p = ((SweepService.Previewed) created).preview();
            List<Pages.PreviewRow> rows = new ArrayList<>();
            for (int i = 0; i < p.firstImages().size(); i++) {
                rows.add(Pages.PreviewRow.of(i, p.firstImages().get(i)));
            }
            return new Pages.Preview(p.imageCount(), rows, Map.of());
        } catch (ProblemException e) {
            return new Pages.Preview(0, List.of(), byField(e));
        }
    }

    /** Uploads all the form's files and keeps their keys in the form; mistakes by field. */
    public Map<String, String> upload(SweepForm form) {
        Map<String, String> errors = uploadInputs(form);
        errors.putAll(uploadControlImages(form));
        return errors;
    }

    /** Uploads the form's init images, mask and depth maps and keeps their keys in the form; mistakes by field. */
    public Map<String, String> uploadInputs(SweepForm form) {
        Map<String, String> errors = new LinkedHashMap<>();
        form.initImages = storeAll(form.initImages, form.initImageFiles, "init_images", errors);
        form.initImageFiles = List.of();
        form.depthMaps = storeAll(form.depthMaps, form.depthMapFiles, "depth_maps", errors);
        form.depthMapFiles = List.of();
        if (form.maskFile != null) {
            store(form.maskFile, "mask", errors).ifPresent(k -> form.mask = k);
            form.maskFile = null;
        }
        return errors;
    }

    /**
     * Uploads the control images chosen in the form's ControlNet units ({@code controlnet_image_file_<unit>}) and
     * keeps each key in its unit; mistakes by the unit's field ({@code controlnets[0].image}).
     */
    public Map<String, String> uploadControlImages(SweepForm form) {
        Map<String, String> errors = new LinkedHashMap<>();
        List<ControlNetUnit> units = new ArrayList<>(form.controlnetUnits());
        for (FileUpload f : form.files) {
            String name = f.name() == null ? "" : f.name();
            if (!name.matches(ControlNetUnit.FILE_FIELD + "\\d{1,2}")) {
                continue;
            }
            int i = Integer.parseInt(name.substring(ControlNetUnit.FILE_FIELD.length()));
            if (i < units.size()) {
                ControlNetUnit unit = units.get(i);
                store(f, unit.field("image"), errors).ifPresent(k -> units.set(i, unit.withImage(k)));
            }
        }
        form.files = List.of();
        form.controlnetUnits(units);
        return errors;
    }

    /** Uploads, validates and stores the sweep. */
    public Submitted submit(SweepForm form) {
        Map<String, String> errors = upload(form);
        if (!errors.isEmpty()) {
            return new Submitted(null, errors);
        }
        SweepForm.Parsed parsed = form.toRequest(false);
        if (!parsed.ok()) {
            return new Submitted(null, parsed.errors());
        }
        try {
            CreateSweepResponse created = ((SweepService.Stored) sweeps.create(parsed.request(), null)).response();
            return new Submitted(created.id(), Map.of());
        } catch (ProblemException e) {
            return new Submitted(null, byField(e));
        }
    }

    /** The models to offer: those live workers serve, then those of the sweeps seen lately. */
    public List<String> models() {
        LinkedHashSet<String> models = new LinkedHashSet<>(new java.util.TreeSet<>(fleet.servedModels()));
        sweeps.list(200, null, null).forEach(v -> models.add(v.model()));
        return new ArrayList<>(models);
    }

    /** The models live workers serve now. */
    public java.util.Set<String> served() {
        return fleet.servedModels();
    }

    /** The kept keys followed by those of the new files, without repeats. */
    private List<String> storeAll(List<String> kept, List<FileUpload> files, String field,
            Map<String, String> errors) {
        LinkedHashSet<String> keys = new LinkedHashSet<>(kept);
        for (FileUpload f : files) {
            store(f, field, errors).ifPresent(keys::add);
        }
        return new ArrayList<>(keys);
    }

    private java.util.Optional<String> store(FileUpload f, String field, Map<String, String> errors) {
        if (f == null || f.size() == 0) {
            return java.util.Optional.empty();
        }
        try {
            byte[] bytes = Files.readAllBytes(f.uploadedFile());
            InputView view = inputs.store(bytes);
            return java.util.Optional.of(view.key());
        } catch (ProblemException e) {
            errors.put(field, e.errors().isEmpty() ? e.getMessage() : e.errors().get(0).message());
            return java.util.Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("reading an uploaded file failed", e);
        }
    }

    /** A problem's field errors by form field; several on one field are joined. */
    static Map<String, String> byField(ProblemException e) {
        Map<String, String> out = new LinkedHashMap<>();
        List<FieldError> errors = e.errors().isEmpty() ? List.of(new FieldError(null, e.getMessage())) : e.errors();
        for (FieldError fe : errors) {
            String message = fe.field() == null ? fe.message() : fe.field() + ": " + fe.message();
            out.merge(SweepForm.field(fe), message, (a, b) -> a + "; " + b);
        }
        return out;
    }
}

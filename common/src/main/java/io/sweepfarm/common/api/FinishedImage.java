package io.sweepfarm.common.api;

import java.util.UUID;

/**
 * An image that just reached a final state, as the events stream of its sweep announces it
 * ({@code GET /api/v1/sweeps/{id}/events}, event {@code image}). Read the image for its parameters.
 */
public record FinishedImage(UUID id, UUID sweepId, long ordinal, ImageState state, String downloadUrl) {
}

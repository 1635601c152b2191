package io.sweepfarm.common.api;

import java.util.List;

/**
 * One page of an image query. {@code nextCursor} is the opaque value to pass as {@code cursor} for the next page;
 * it is absent on the last page.
 */
public record ImagePage(List<ImageView> items, String nextCursor) {
}

package io.sweepfarm.common.image;

/** An element of a list parameter of {@link ImageParameters}, shown in filters, grids and S3 metadata as a label. */
public interface Labelled {

    /** Short text that tells the element apart, e.g. {@code film-grain:0.5}. */
    String label();
}

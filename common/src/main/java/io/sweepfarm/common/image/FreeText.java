package io.sweepfarm.common.image;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a parameter whose value is user-written text of any length and content (a prompt), as opposed to an
 * identifier or a number. Such values are never put in S3 headers (their hash is), and never written raw into logs.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface FreeText {
}

/**
 * The known failure kinds, as {@link dev.umoci.errors.UmociException} subclasses (blob not found,
 * invalid image, digest mismatch, layout locked, …). Callers and tests tell failures apart by type,
 * never by message. At the bottom of the engine: it uses nothing else of it.
 */
package dev.umoci.errors;

package dev.umoci.oci.spec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/**
 * A hand-written streaming (de)serialiser of one spec record, over Jackson's token API, so that the
 * small fixed documents every command reads and writes need no {@code ObjectMapper} (whose set-up
 * and reflective (de)serialisers were most of a small command's own start, see
 * docs/performance.md).
 *
 * <p>Contract: {@link #write} writes exactly the tokens databind writes for the record with {@link
 * Json#mapper()}'s settings (same fields, order, omissions, map order), so the bytes are identical
 * with any generator settings; {@link #read} accepts only the plain shape of the document (each
 * field's own token kind, no duplicate names) and gives the value databind gives for it, and throws
 * {@link UseDatabind} for anything else (coercions, odd nulls, values the record refuses), so that
 * databind decides those cases with its own result or message. {@code SpecCodecDifferentialTest}
 * checks both against databind.
 */
interface SpecCodec<T> {
  /** Reads the value whose {@code START_OBJECT} is the parser's current token. */
  T read(JsonParser p) throws IOException;

  /** Writes {@code value} (not null) as one JSON value. */
  void write(JsonGenerator g, T value) throws IOException;
}

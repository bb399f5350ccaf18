package dev.umoci.mtree;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes an {@link MtreeSpec} in the shape of go-mtree's {@code DirectoryHierarchy.WriteTo}: one
 * line per {@link SpecLine}, each ending in a newline. Entry names are vis-escaped; a non-directory
 * relative entry inside a directory is indented by four spaces; directories, full entries and
 * special lines are not; a special line is its command, a space and its fields.
 */
final class MtreeWriter {
  private static final byte[] INDENT = {' ', ' ', ' ', ' '};

  private MtreeWriter() {}

  static void write(MtreeSpec spec, OutputStream sink) throws IOException {
    OutputStream out = new BufferedOutputStream(sink, 1 << 16);
    int depth = 0;
    for (SpecLine line : spec.lines()) {
      depth = writeLine(out, line, depth);
    }
    out.flush();
  }

  /**
   * The document as bytes; {@code lineStarts[i]} is set to the offset where line {@code i} of
   * {@code spec.lines()} begins.
   */
  static byte[] write(MtreeSpec spec, int[] lineStarts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(spec.lines().size() * 96);
    int depth = 0;
    int i = 0;
    for (SpecLine line : spec.lines()) {
      lineStarts[i++] = out.size();
      try {
        depth = writeLine(out, line, depth);
      } catch (IOException e) {
        throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
      }
    }
    return out.toByteArray();
  }

  /** Writes one line with its newline; returns the directory depth after it. */
  private static int writeLine(OutputStream out, SpecLine line, int depth) throws IOException {
    if (line instanceof SpecLine.Comment c) {
      out.write(c.text());
    } else if (line instanceof SpecLine.DotDot) {
      out.write('.');
      out.write('.');
      depth = Math.max(0, depth - 1);
    } else if (line instanceof SpecLine.Special s) {
      ascii(out, s.command());
      out.write(' ');
      fields(out, s);
    } else if (line instanceof SpecLine.Entry e) {
      boolean dir = e.keyVals().contains(new KeyVal("type", "dir"));
      if (!e.full() && !dir && depth > 0) {
        out.write(INDENT);
      }
      ascii(out, Vis.encode(e.name()));
      out.write(' ');
      fields(out, e);
      if (!e.full() && e.isDirectory()) {
        depth++;
      }
    }
    out.write('\n');
    return depth;
  }

  private static void fields(OutputStream out, SpecLine line) throws IOException {
    var kvs = line instanceof SpecLine.Entry e ? e.keyVals() : ((SpecLine.Special) line).keyVals();
    for (int i = 0; i < kvs.size(); i++) {
      if (i > 0) {
        out.write(' ');
      }
      ascii(out, kvs.get(i).text());
    }
  }

  private static void ascii(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
  }
}

package dev.umoci.maven.jar;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * Reads just enough of a class file (JVMS 4.1) to tell its name and whether it declares {@code
 * public static void main(String[])}: the constant pool, the class name and the method table.
 * Fields, attributes and code are skipped.
 */
final class ClassFileMethods {
  private static final int MAGIC = 0xCAFEBABE;
  private static final int ACC_PUBLIC = 0x0001;
  private static final int ACC_STATIC = 0x0008;
  private static final String MAIN_DESCRIPTOR = "([Ljava/lang/String;)V";

  /** The class's binary name ({@code com.example.Main}, {@code a.Outer$Inner}). */
  final String className;

  /** Whether the class declares {@code public static void main(String[])}. */
  final boolean hasMain;

  private ClassFileMethods(String className, boolean hasMain) {
    this.className = className;
    this.hasMain = hasMain;
  }

  /**
   * Parses {@code bytes}; {@code source} names the file in the message of the {@link IOException}
   * thrown when the bytes are not a class file.
   */
  static ClassFileMethods read(byte[] bytes, String source) throws IOException {
    try {
      return parse(new DataInputStream(new ByteArrayInputStream(bytes)), source);
    } catch (EOFException
        | IndexOutOfBoundsException
        | ClassCastException
        | NullPointerException e) {
      throw new IOException(source + ": truncated or malformed class file", e);
    }
  }

  private static ClassFileMethods parse(DataInputStream in, String source) throws IOException {
    if (in.readInt() != MAGIC) {
      throw new IOException(source + ": not a class file (no 0xCAFEBABE)");
    }
    in.readUnsignedShort(); // minor_version
    in.readUnsignedShort(); // major_version
    Object[] pool = readConstantPool(in, source);
    in.readUnsignedShort(); // access_flags
    int thisClass = in.readUnsignedShort();
    String name = (String) pool[(Integer) pool[thisClass]];
    in.readUnsignedShort(); // super_class
    skip(in, 2 * in.readUnsignedShort()); // interfaces
    int fields = in.readUnsignedShort();
    for (int i = 0; i < fields; i++) {
      skip(in, 6);
      skipAttributes(in);
    }
    boolean main = false;
    int methods = in.readUnsignedShort();
    for (int i = 0; i < methods; i++) {
      int access = in.readUnsignedShort();
      String methodName = (String) pool[in.readUnsignedShort()];
      String descriptor = (String) pool[in.readUnsignedShort()];
      skipAttributes(in);
      if ((access & (ACC_PUBLIC | ACC_STATIC)) == (ACC_PUBLIC | ACC_STATIC)
          && "main".equals(methodName)
          && MAIN_DESCRIPTOR.equals(descriptor)) {
        main = true;
      }
    }
    return new ClassFileMethods(name.replace('/', '.'), main);
  }

  /**
   * The constant pool, indexed as the class file indexes it: a {@code String} for each Utf8 entry,
   * an {@code Integer} (the name index) for each Class entry, null for everything else.
   */
  private static Object[] readConstantPool(DataInputStream in, String source) throws IOException {
    int count = in.readUnsignedShort();
    Object[] pool = new Object[count];
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> pool[i] = in.readUTF(); // Utf8: modified UTF-8, as DataInput reads it
        case 7 -> pool[i] = in.readUnsignedShort(); // Class
        case 8, 16, 19, 20 -> skip(in, 2); // String, MethodType, Module, Package
        case 15 -> skip(in, 3); // MethodHandle
        case 3, 4, 9, 10, 11, 12, 17, 18 -> skip(in, 4); // Integer .. InvokeDynamic
        case 5, 6 -> { // Long, Double: 8 bytes and two slots
          skip(in, 8);
          i++;
        }
        default ->
            throw new IOException(source + ": unknown constant pool tag " + tag + " at index " + i);
      }
    }
    return pool;
  }

  private static void skipAttributes(DataInputStream in) throws IOException {
    int count = in.readUnsignedShort();
    for (int i = 0; i < count; i++) {
      in.readUnsignedShort(); // attribute_name_index
      skip(in, Integer.toUnsignedLong(in.readInt()));
    }
  }

  private static void skip(DataInputStream in, long n) throws IOException {
    long left = n;
    while (left > 0) {
      int step = (int) Math.min(left, Integer.MAX_VALUE);
      int skipped = in.skipBytes(step);
      if (skipped <= 0) {
        throw new EOFException();
      }
      left -= skipped;
    }
  }
}

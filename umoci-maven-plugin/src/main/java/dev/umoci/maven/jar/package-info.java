/**
 * What the {@code build} goal needs to know about the project's Java output: which class has a
 * {@code public static void main(String[])} ({@link MainClasses}) and a reproducible copy of the
 * project's jar ({@link JarNormalizer}).
 *
 * <p>Why our own code and not a library: finding a main method needs the access flags, names and
 * descriptors of a class file's methods, which is the constant pool and the method table of the
 * class file format (JVMS chapter 4), about a hundred lines ({@link ClassFileMethods}). ASM or the
 * JDK 22+ class-file API would do it too, but ASM would be the plugin's first dependency beyond the
 * engine (a plugin's dependencies join the user's build's class realm), and the class-file API is
 * not in Java 17, the plugin's baseline. Rewriting a jar needs nothing beyond {@code
 * java.util.zip}.
 */
package dev.umoci.maven.jar;

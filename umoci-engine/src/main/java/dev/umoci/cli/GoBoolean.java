package dev.umoci.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Boolean values as Go's {@code strconv.ParseBool} takes them (skopeo's flags are parsed so):
 * {@code 1 t T TRUE true True} and {@code 0 f F FALSE false False}; anything else fails, and
 * picocli reports it as one line naming the option and the value.
 */
final class GoBoolean implements ITypeConverter<Boolean> {
  static final GoBoolean INSTANCE = new GoBoolean();

  private GoBoolean() {}

  @Override
  public Boolean convert(String value) {
    switch (value) {
      case "1", "t", "T", "TRUE", "true", "True":
        return Boolean.TRUE;
      case "0", "f", "F", "FALSE", "false", "False":
        return Boolean.FALSE;
      default:
        throw new TypeConversionException(
            "\""
                + value
                + "\" is not a boolean (1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False)");
    }
  }
}

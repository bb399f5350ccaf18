package dev.umoci.cds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The builder's arguments and the training run it starts for each {@link TrainingSet}. */
class AotCacheBuilderTest {
  private static final Path JAVA = Path.of("/jdk/bin/java");
  private static final Path JAR = Path.of("/t/umoci.jar");

  @Test
  void theTrainingSetIsTheThirdArgument() {
    assertEquals(TrainingSet.LAYERS, AotCacheBuilder.trainingSet("j", "o.aot", "layers"));
    assertEquals(TrainingSet.SMALL, AotCacheBuilder.trainingSet("j", "o.aot", "small"));
    assertEquals(TrainingSet.COPY, AotCacheBuilder.trainingSet("j", "o.aot", "copy"));
  }

  @Test
  void wrongArgumentsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> AotCacheBuilder.trainingSet("j"));
    assertThrows(IllegalArgumentException.class, () -> AotCacheBuilder.trainingSet("j", "o.aot"));
    assertThrows(
        IllegalArgumentException.class, () -> AotCacheBuilder.trainingSet("j", "o.aot", "all"));
    assertThrows(
        IllegalArgumentException.class,
        () -> AotCacheBuilder.trainingSet("j", "o.aot", "small", "x"));
    assertThrows(
        IllegalArgumentException.class, () -> AotCacheBuilder.trainingSet("j", "o.aot", "SMALL"));
    assertThrows(
        IllegalArgumentException.class, () -> AotCacheBuilder.trainingSet("j", "o.aot", "large"));
  }

  @Test
  void theTrainingRunNamesItsSetAndTheLauncherFlags() {
    for (TrainingSet set : TrainingSet.values()) {
      Path cache = Path.of("/t/" + set.argument() + ".aot.tmp");
      assertEquals(
          List.of(
              "/jdk/bin/java",
              "-XX:AOTCacheOutput=" + cache,
              "-XX:+UseSerialGC",
              "-Djdk.reflect.useNativeAccessorOnly=true",
              "-cp",
              "/t/umoci.jar",
              "dev.umoci.cds.CdsTraining",
              set.argument()),
          AotCacheBuilder.command(JAVA, JAR, cache, set));
    }
  }

  @Test
  void theTrainingRunReadsBackTheSetTheBuilderNames() {
    for (TrainingSet set : TrainingSet.values()) {
      List<String> command = AotCacheBuilder.command(JAVA, JAR, Path.of("c"), set);
      List<String> trainingArgs =
          command.subList(command.indexOf(CdsTraining.class.getName()) + 1, command.size());
      assertEquals(set, TrainingSet.fromArguments(trainingArgs.toArray(String[]::new)));
    }
    assertThrows(IllegalArgumentException.class, TrainingSet::fromArguments);
    assertThrows(
        IllegalArgumentException.class, () -> TrainingSet.fromArguments("small", "layers"));
  }
}

package dev.umoci;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Dependency direction of the engine (docs/architecture.md): each package may use only packages
 * listed after it. picocli stays in {@code cli}; JNA in {@code sys}; no Maven type appears in the
 * engine at all. No rule may pass on an empty set of classes (ArchUnit's default, kept).
 */
class ArchitectureTest {
  /** Top to bottom. A package may depend on those below it, never on those above. */
  static final List<String> LAYERS =
      List.of(
          "dev.umoci.cds",
          "dev.umoci.cli",
          "dev.umoci.ops",
          "dev.umoci.registry",
          "dev.umoci.bundle",
          "dev.umoci.mutate",
          "dev.umoci.layer",
          "dev.umoci.mtree",
          "dev.umoci.fs",
          "dev.umoci.oci.casext",
          "dev.umoci.oci.layout",
          "dev.umoci.oci.spec",
          "dev.umoci.sys",
          "dev.umoci.errors");

  static final JavaClasses ENGINE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.umoci");

  @Test
  void everyLayerHasClasses() {
    for (String layer : LAYERS) {
      assertTrue(
          ENGINE.stream().anyMatch(c -> c.getPackageName().startsWith(layer)), layer + " is empty");
    }
  }

  @Test
  void lowerPackagesNeverDependOnHigherOnes() {
    for (int lower = 1; lower < LAYERS.size(); lower++) {
      for (int upper = 0; upper < lower; upper++) {
        noClasses()
            .that()
            .resideInAPackage(LAYERS.get(lower) + "..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage(LAYERS.get(upper) + "..")
            .because(LAYERS.get(lower) + " sits below " + LAYERS.get(upper))
            .check(ENGINE);
      }
    }
  }

  @Test
  void everyEngineClassLivesInAKnownLayer() {
    noClasses()
        .that()
        .resideInAPackage("dev.umoci..")
        .should()
        .resideOutsideOfPackages(LAYERS.stream().map(p -> p + "..").toArray(String[]::new))
        .check(ENGINE);
  }

  @Test
  void picocliOnlyInCli() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.umoci.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("picocli..")
        .check(ENGINE);
  }

  @Test
  void onlyTheNativeLayerBindsJna() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.umoci.sys..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.sun.jna..")
        .because("dev.umoci.sys owns every binding of the C library and libcrypto")
        .check(ENGINE);
  }

  @Test
  void noMavenTypesInTheEngine() {
    noClasses().should().dependOnClassesThat().resideInAPackage("org.apache.maven..").check(ENGINE);
  }
}

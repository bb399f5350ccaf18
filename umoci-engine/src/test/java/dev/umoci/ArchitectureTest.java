package dev.umoci;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Dependency direction of the engine (DESIGN.md): each package may use only packages listed after
 * it. picocli stays in {@code cli}; no Maven type appears in the engine at all.
 */
class ArchitectureTest {
  /** Top to bottom. A package may depend on those below it, never on those above. */
  static final List<String> LAYERS =
      List.of(
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
          "dev.umoci.errors");

  static final JavaClasses ENGINE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.umoci");

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
            .allowEmptyShould(true)
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
        .allowEmptyShould(true)
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
        .allowEmptyShould(true)
        .check(ENGINE);
  }

  @Test
  void noMavenTypesInTheEngine() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.apache.maven..")
        .allowEmptyShould(true)
        .check(ENGINE);
  }
}

package dev.tollgate.probes.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RuntimeFilesTest {
  private static String render(List<RuntimeFiles.Fact> facts) {
    return facts.stream().map(f -> f.line() + " " + f.key() + "=" + f.value()).collect(Collectors.joining("\n"));
  }

  @Test
  void dockerfileBaseImagesWithArgsAndStagesSkipped() {
    assertEquals("""
        3 FROM build=maven:3.9-eclipse-temurin-21
        6 FROM #2=eclipse-temurin:21-jre@sha256:abc""", render(RuntimeFiles.dockerfile("""
        # syntax=docker/dockerfile:1
        ARG JAVA=21
        FROM --platform=$BUILDPLATFORM maven:3.9-eclipse-temurin-${JAVA} AS build
        RUN mvn package
        FROM build AS test
        FROM eclipse-temurin:${JAVA}-jre@sha256:abc \\

        COPY --from=build /app.jar /app.jar
        """)));
  }

  @Test
  void versionPins() {
    assertEquals("2 nodejs=20.11.0\n3 java=temurin-21.0.2", render(RuntimeFiles.toolVersions("""
        # asdf
        nodejs 20.11.0 20.10.0
        java temurin-21.0.2
        """)));
    assertEquals("2 node=v20.11.0", render(RuntimeFiles.pin("node", "\nv20.11.0\n")));
    assertEquals("1 java=21.0.2-tem", render(RuntimeFiles.sdkmanrc("java=21.0.2-tem\n# comment\n")));
  }

  @Test
  void javaVersionInMavenIgnoringComments() {
    assertEquals("""
        5 java.version=21
        6 maven.compiler.release=21
        9 toolchain.jdk.version=21""", render(RuntimeFiles.pom("""
        <project>
          <!-- <java.version>11</java.version> is what we used to build with
          -->
          <properties>
            <java.version>21</java.version>
            <maven.compiler.release>21</maven.compiler.release>
          </properties>
          <toolchains>
            <jdk>
              <version>21</version>
            </jdk>
          </toolchains>
        </project>
        """).stream().sorted((a, b) -> Integer.compare(a.line(), b.line())).toList()));
  }

  @Test
  void javaVersionInGradle() {
    assertEquals("""
        2 java.toolchain.languageVersion=17
        4 sourceCompatibility=17
        5 targetCompatibility=1.8""", render(RuntimeFiles.gradle("""
        java {
          toolchain { languageVersion = JavaLanguageVersion.of(17) }
        }
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = '1.8'
        """)));
  }
}

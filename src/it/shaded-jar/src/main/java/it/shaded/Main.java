package it.shaded;

import it.lib.Greeter;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Prints where slf4j-api and tiny-lib's classes come from, and how many copies the class path has. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    System.out.println(Greeter.greet("shaded"));
    System.out.println("Greeter=" + Greeter.class.getName());
    System.out.println(
        "LoggerFactory from "
            + LoggerFactory.class.getProtectionDomain().getCodeSource().getLocation().getPath());
    List<URL> copies =
        Collections.list(
            ClassLoader.getSystemClassLoader().getResources("org/slf4j/LoggerFactory.class"));
    System.out.println("LoggerFactory copies=" + copies.size());
  }
}

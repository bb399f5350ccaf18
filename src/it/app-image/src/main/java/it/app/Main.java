package it.app;

import it.lib.Greeter;
import org.slf4j.LoggerFactory;

public final class Main {
  private Main() {}

  public static void main(String[] args) {
    LoggerFactory.getLogger(Main.class); // proves slf4j-api is on the class path
    System.out.println(Greeter.greet("image"));
    System.out.println("mode=" + System.getProperty("app.mode") + " args=" + String.join("|", args));
  }
}

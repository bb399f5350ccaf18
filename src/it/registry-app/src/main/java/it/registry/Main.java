package it.registry;

/** Prints who runs it: the image's JRE (from the base) and the arguments. */
public class Main {
  public static void main(String[] args) {
    System.out.println("hello from registry-app");
    System.out.println("java.home=" + System.getProperty("java.home"));
    System.out.println("java.version=" + System.getProperty("java.version"));
  }
}

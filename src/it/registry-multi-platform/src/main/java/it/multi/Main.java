package it.multi;

/** Prints the JRE and the architecture it runs on (only the amd64 image can run here). */
public class Main {
  public static void main(String[] args) {
    System.out.println("hello from registry-multi-platform");
    System.out.println("os.arch=" + System.getProperty("os.arch"));
    System.out.println("java.home=" + System.getProperty("java.home"));
  }
}

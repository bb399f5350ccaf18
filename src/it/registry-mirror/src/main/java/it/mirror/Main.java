package it.mirror;

/** Says hello: the image's application. */
public class Main {
  public static void main(String[] args) {
    System.out.println("hello from registry-mirror");
  }
}

package it.two;

public final class Second {
  private Second() {}

  public static void main(String[] args) {
    System.out.println("second");
  }
}

package dev.lunar.operator;

/** Entry point of the operator jar. */
public final class OperatorMain {

  private OperatorMain() {}

  public static void main(String[] args) {
    System.out.println("Usage: java -jar operator.jar");
    System.out.println(
        "The Lunar operator: reconciles IscsiTarget and IscsiLun into IscsiNode specs.");
    System.exit(args.length > 0 && (args[0].equals("--help") || args[0].equals("-h")) ? 0 : 1);
  }
}

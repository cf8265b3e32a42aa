package io.loomas.cli;

public final class Main {
    public static void main(String[] args) {
        System.out.println("loomas on " + Runtime.version() + " args=" + String.join(",", args));
    }
}

package io.gale.demos.bench;

/** A row of TechEmpower's {@code fortune} table. Public: the template reads its components. */
public record Fortune(int id, String message) {
}

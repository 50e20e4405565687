package dev.concurrentlog;

/** The one wording of a refused configuration value: it names the property and the value as the user wrote it. */
final class InvalidValue {

    private InvalidValue() {
    }

    static IllegalArgumentException of(String property, Object value, String why) {
        return new IllegalArgumentException("Invalid value for property \"" + property + "\": \"" + value + "\": " + why);
    }

    static IllegalArgumentException of(String property, Object value, String why, Throwable cause) {
        IllegalArgumentException e = of(property, value, why);
        e.initCause(cause);
        return e;
    }
}

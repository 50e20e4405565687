package dev.concurrentlog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A JVM-wide table of reference-counted objects, one per key. Every handler instance on the same file gets the same
 * object, so locks and channels exist once per JVM. The last release closes the object while the table's monitor is
 * held, so a new object for the same key can never be opened before the old one is closed (closing any channel to a
 * file drops every lock the JVM holds on it).
 */
final class CountedRegistry<K, V> {

    private static final class Entry<V> {
        final V value;
        int references;

        Entry(V value) {
            this.value = value;
        }
    }

    private final Map<K, Entry<V>> entries = new HashMap<>();

    /** Returns the object for {@code key}, creating it with {@code factory} if there is none, and counts a reference. */
    synchronized V acquire(K key, Function<K, V> factory) {
        Entry<V> entry = entries.computeIfAbsent(key, k -> new Entry<>(factory.apply(k)));
        entry.references++;
        return entry.value;
    }

    /** Drops one reference to {@code value}; the last one removes it and passes it to {@code closer}. */
    synchronized void release(K key, V value, Consumer<V> closer) {
        Entry<V> entry = entries.get(key);
        if (entry == null || entry.value != value) {
            return;
        }
        if (--entry.references == 0) {
            entries.remove(key);
            closer.accept(value);
        }
    }

    /** How many references {@code key} has; 0 if none. */
    synchronized int references(K key) {
        Entry<V> entry = entries.get(key);
        return entry == null ? 0 : entry.references;
    }

    /** A snapshot of the objects in use. */
    synchronized List<V> values() {
        List<V> values = new ArrayList<>(entries.size());
        entries.values().forEach(entry -> values.add(entry.value));
        return values;
    }

    /** For tests: how many keys are in use. */
    synchronized int size() {
        return entries.size();
    }
}

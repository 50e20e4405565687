package dev.concurrentlog.it;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

import org.jboss.as.controller.client.ModelControllerClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;

/**
 * Typed management operations on the logging subsystem, for standalone servers (empty profile) and domain profiles.
 * Every operation's outcome is checked; a failure says which server and which operation.
 */
public final class Management {

    public static final String HANDLER_CLASS = "dev.concurrentlog.ConcurrentRotatingFileHandler";
    public static final String MODULE = "dev.concurrentlog";

    private final Deque<ModelNode> added = new ArrayDeque<>();
    private final ModelControllerClient client;
    private final String where;
    private final String[] profile;

    /**
     * @param where   names the server or domain in messages
     * @param profile empty for a standalone server, {@code {"profile", NAME}} for a domain profile
     */
    public Management(ModelControllerClient client, String where, String... profile) {
        this.client = client;
        this.where = where;
        this.profile = profile;
    }

    public ModelNode logging(String... path) {
        String[] full = new String[profile.length + 2 + path.length];
        System.arraycopy(profile, 0, full, 0, profile.length);
        full[profile.length] = "subsystem";
        full[profile.length + 1] = "logging";
        System.arraycopy(path, 0, full, profile.length + 2, path.length);
        return Operations.createAddress(full);
    }

    /** {@code custom-handler=NAME:add(class, module, named-formatter=PATTERN, properties={...})} */
    public ModelNode addHandlerOperation(String name, String module, Map<String, String> properties) {
        ModelNode operation = Operations.createAddOperation(logging("custom-handler", name));
        operation.get("class").set(HANDLER_CLASS);
        operation.get("module").set(module);
        operation.get("named-formatter").set("PATTERN");
        ModelNode values = operation.get("properties").setEmptyObject();
        properties.forEach((key, value) -> values.get(key).set(value));
        return operation;
    }

    public void addHandler(String name, Map<String, String> properties) throws IOException {
        execute(addHandlerOperation(name, MODULE, properties));
        added.push(logging("custom-handler", name));
    }

    /** A logger for {@code category} that writes only to {@code handler}. */
    public void addLogger(String category, String handler) throws IOException {
        ModelNode operation = Operations.createAddOperation(logging("logger", category));
        operation.get("level").set("INFO");
        operation.get("use-parent-handlers").set(false);
        operation.get("handlers").add(handler);
        execute(operation);
        added.push(logging("logger", category));
    }

    /** Removes what {@link #addHandler} and {@link #addLogger} added, newest first; each removal is checked. */
    public void undo() throws IOException {
        while (!added.isEmpty()) {
            execute(Operations.createRemoveOperation(added.pop()));
        }
    }

    /** {@code custom-handler=NAME:map-put(name=properties, key, value)}: changes a property of the live handler. */
    public void putProperty(String handler, String key, String value) throws IOException {
        ModelNode operation = Operations.createOperation("map-put", logging("custom-handler", handler));
        operation.get("name").set("properties");
        operation.get("key").set(key);
        operation.get("value").set(value);
        execute(operation);
    }

    /** Executes and returns the result, or fails naming the server, the operation and the failure description. */
    public ModelNode execute(ModelNode operation) throws IOException {
        ModelNode outcome = client.execute(operation);
        if (!Operations.isSuccessfulOutcome(outcome)) {
            throw new AssertionError(where + ": " + operation + " failed: "
                    + Operations.getFailureDescription(outcome).asString());
        }
        return Operations.readResult(outcome);
    }

    /** Executes an operation that must fail and returns its failure description. */
    public String executeExpectingFailure(ModelNode operation) throws IOException {
        ModelNode outcome = client.execute(operation);
        if (Operations.isSuccessfulOutcome(outcome)) {
            throw new AssertionError(where + ": " + operation + " succeeded but should have failed");
        }
        return Operations.getFailureDescription(outcome).asString();
    }
}
